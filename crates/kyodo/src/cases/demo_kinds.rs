//! The demonstration organization's other four kinds (marked as demonstration data): two
//! procedures of the 手続一覧 (施設の利用者登録申請, free; 証明書の郵送請求, with a fee), 民間提案 with
//! one published decision, 職員提案 with the committee's scores and an award, and 働きかけ記録 with
//! one record — each sent and worked on through the engine itself.

use super::kind;
use super::store::{self, CaseType};
use super::submit::{self, Contact};
use crate::accounts::roles::Role;
use crate::accounts::users::Kind as UserKind;
use crate::app::App;
use crate::policy::Principal;
use crate::surveys::survey_writes::{NewQuestion, NewSurvey, insert_question, insert_survey};

/// A kind as the demo sets it up: (code, name, kind, audience, description, eligibility,
/// documents, fee, questions as (kind, label, required)).
struct Spec {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    audience: &'static str,
    description: &'static str,
    eligibility: &'static str,
    documents: &'static str,
    fee: i64,
    questions: &'static [(&'static str, &'static str, bool)],
}

const SPECS: [Spec; 5] = [
    Spec {
        code: "利用者登録",
        name: "施設の利用者登録申請",
        kind: kind::APPLICATION,
        audience: "public",
        description: "公共施設予約システムの利用者登録(仮登録)です。窓口で本人確認のうえ本登録します(デモ)。",
        eligibility: "市内に在住・在勤・在学の方、市内で活動する団体",
        documents: "本人確認書類(運転免許証など。本登録のとき窓口でご提示ください)\n団体の場合は会員名簿",
        fee: 0,
        questions: &[
            ("text", "件名(登録する方・団体の名前)", true),
            ("single", "区分", true),
            ("long_text", "利用目的", false),
        ],
    },
    Spec {
        code: "証明書郵送",
        name: "証明書の郵送請求(住民票の写しなど)",
        kind: kind::APPLICATION,
        audience: "public",
        description: "住民票の写しなどを郵送で請求できます。手数料は1通300円です(デモ)。",
        eligibility: "本人、同一世帯の方、代理人(委任状が必要)",
        documents: "本人確認書類の写し\n返信用封筒(切手を貼ってください)\n代理人の場合は委任状",
        fee: 300,
        questions: &[
            ("text", "件名(請求する証明書)", true),
            ("single", "区分", true),
            ("long_text", "使いみち", true),
            (
                "file",
                "本人確認書類の写し(PDFまたは画像。郵送する場合は不要)",
                false,
            ),
        ],
    },
    Spec {
        code: "民間提案",
        name: "民間提案(業務の委託・見直しの提案)",
        kind: kind::PRIVATE_PROPOSAL,
        audience: "public",
        description: "企業・NPO・市民団体から、市の業務の民間委託や見直しの提案を受け付けます。採否と理由は公表します(デモ)。",
        eligibility: "",
        documents: "",
        fee: 0,
        questions: &[
            ("text", "件名", true),
            ("single", "区分", true),
            ("long_text", "提案内容(費用と効果を含めて)", true),
            ("file", "提案書(PDF・Word・Excel。任意)", false),
        ],
    },
    Spec {
        code: "職員提案",
        name: "職員提案(業務改善)",
        kind: kind::STAFF_PROPOSAL,
        audience: "staff",
        description: "職員の業務改善提案です。審査委員会が評点をつけ、優れた提案は表彰します(デモ)。",
        eligibility: "",
        documents: "",
        fee: 0,
        questions: &[
            ("text", "件名", true),
            ("single", "区分", true),
            ("long_text", "現状の課題と提案内容", true),
        ],
    },
    Spec {
        code: "働きかけ",
        name: "働きかけ記録",
        kind: kind::APPROACH,
        audience: "restricted",
        description: "職員への働きかけ(要望・口利きなど)の記録です。行革本部とコンプライアンス担当だけが閲覧します(デモ)。",
        eligibility: "",
        documents: "",
        fee: 0,
        questions: &[
            ("text", "件名", true),
            ("single", "区分", true),
            ("long_text", "働きかけた者・受けた職員・日時・内容", true),
        ],
    },
];

/// The choices of each kind's 区分 question, by the spec's position.
const CHOICES: [&[&str]; 5] = [
    &["個人", "団体"],
    &["住民票の写し", "戸籍証明", "その他"],
    &["民間委託", "業務の見直し", "その他"],
    &["事務の効率化", "市民サービス", "経費節減"],
    &["要望", "不当要求", "その他"],
];

async fn add_type(app: &App, org: i64, fy: i64, position: i64, i: usize) -> anyhow::Result<()> {
    let spec = &SPECS[i];
    let mut tx = app.begin_write().await?;
    let title = format!("{} 入力フォーム(デモ)", spec.name);
    let survey = insert_survey(
        &mut tx,
        org,
        &NewSurvey {
            title: &title,
            description: "",
            audience: crate::surveys::lifecycle::FORM_AUDIENCE,
            status: "draft",
            fiscal_year: fy,
            series: "",
            is_demo: true,
        },
    )
    .await?;
    for (kind, label, required) in spec.questions {
        let options: &[&str] = if *kind == "single" { CHOICES[i] } else { &[] };
        let q = NewQuestion {
            kind,
            label,
            required: *required,
            options,
            ..NewQuestion::default()
        };
        insert_question(&mut tx, org, survey, &q).await?;
    }
    let department: Option<i64> =
        sqlx::query_scalar("SELECT id FROM departments WHERE organization_id = $1 AND code = $2")
            .bind(org)
            .bind(if spec.kind == kind::APPLICATION {
                "400"
            } else {
                "111"
            })
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO case_types (organization_id, id, code, name, description, audience, form_survey_id, \
         department_id, deadline_days, publishable, position, is_demo, kind, eligibility, documents_needed, fee_yen, online) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 10, 0, $9, 1, $10, $11, $12, $13, 1)",
    )
    .bind(org)
    .bind(crate::db::new_id())
    .bind(spec.code)
    .bind(spec.name)
    .bind(spec.description)
    .bind(spec.audience)
    .bind(survey)
    .bind(department)
    .bind(position)
    .bind(spec.kind)
    .bind(spec.eligibility)
    .bind(spec.documents)
    .bind(spec.fee)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds the four kinds once, with their sample cases.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    let types = store::types(&app.db, org).await?;
    if types.iter().any(|t| t.kind != kind::VOICE) {
        return Ok(());
    }
    let fy = i64::from(kyodo_jp::FiscalYear::containing(crate::participation::today(), 4).0);
    for i in 0..SPECS.len() {
        add_type(app, org, fy, types.len() as i64 + 1 + i as i64, i).await?;
    }
    samples(app, org).await
}

async fn user(app: &App, org: i64, email: &str) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE organization_id = $1 AND email = $2")
            .bind(org)
            .bind(email)
            .fetch_optional(&app.db)
            .await?,
    )
}

fn staff(user_id: i64, roles: Vec<Role>) -> Principal {
    Principal {
        user_id,
        display_name: String::new(),
        kind: UserKind::Staff,
        department_id: None,
        roles,
    }
}

/// Sends one case of `ty`: the subject, the 区分 option by its label, and the body.
async fn send(
    app: &App,
    org: i64,
    ty: &CaseType,
    who: Option<&Principal>,
    values: [&str; 3],
) -> anyhow::Result<i64> {
    let form = submit::form_of(app, org, ty).await?;
    let mut fields = Vec::new();
    for (q, value) in form.questions.iter().zip(values) {
        let v = q
            .options
            .iter()
            .find(|o| o.label == value)
            .map_or_else(|| value.to_string(), |o| o.id.to_string());
        fields.push((crate::surveys::answers::field(q.id()), v));
    }
    let organization = crate::accounts::organizations::by_id(&app.db, org)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo organization missing"))?;
    let receipt = submit::submit(
        app,
        &organization,
        ty,
        who,
        &fields,
        &Contact::default(),
        Vec::new(),
    )
    .await?;
    Ok(receipt.case_id)
}

async fn samples(app: &App, org: i64) -> anyhow::Result<()> {
    let (Some(hq), Some(manager), Some(clerk), Some(compliance)) = (
        user(app, org, "hq@demo.kyodo.jp").await?,
        user(app, org, "manager@demo.kyodo.jp").await?,
        user(app, org, "staff@demo.kyodo.jp").await?,
        user(app, org, "compliance@demo.kyodo.jp").await?,
    ) else {
        return Ok(());
    };
    let hq = staff(hq, vec![Role::ReformHq]);
    let manager = staff(manager, vec![Role::DeptManager(0)]);
    let compliance = staff(compliance, vec![Role::ComplianceOfficer]);
    let types = store::types(&app.db, org).await?;
    let of = |code: &str| types.iter().find(|t| t.code == code).cloned();
    let (Some(cert), Some(private), Some(staff_kind), Some(approach)) = (
        of("証明書郵送"),
        of("民間提案"),
        of("職員提案"),
        of("働きかけ"),
    ) else {
        return Ok(());
    };
    // 電子申請 with a fee, paid at the counter.
    let id = send(
        app,
        org,
        &cert,
        None,
        ["住民票の写し 1通(デモ)", "住民票の写し", "年金の手続のため"],
    )
    .await?;
    super::payment::record(app, org, id, "paid", super::payment::Source::Staff(&hq)).await?;
    // 民間提案, partly adopted and published.
    let id = send(
        app,
        org,
        &private,
        None,
        ["公民館の窓口業務の委託(デモ)", "民間委託", "公民館の受付と施設予約の窓口を地域のNPOに委託する提案。費用は年600万円、開館時間を夜9時まで延ばせる。"],
    )
    .await?;
    let decision = super::review::DecisionForm {
        decision: "partly".into(),
        decision_reason: "夜間の開館延長は利用者の要望が多く効果が見込めるため採用する。受付業務の全面委託は個人情報の扱いを整理したうえで令和9年度から段階的に行う(デモ)。".into(),
        decision_summary: "公民館の受付・施設予約窓口を地域のNPOに委託し、夜間の開館時間を延ばす提案(デモ)。".into(),
    };
    super::review::decide(app, org, &hq, id, &decision).await?;
    // 職員提案: scored by the committee, adopted, awarded.
    let clerk = staff(clerk, vec![Role::Staff(0)]);
    let id = send(
        app,
        org,
        &staff_kind,
        Some(&clerk),
        [
            "会議資料のペーパーレス化(デモ)",
            "事務の効率化",
            "庁内会議の資料をタブレットで共有し、印刷と配付の手間と紙代を減らす。",
        ],
    )
    .await?;
    super::review::score(app, org, &hq, id, "5", "全庁で効果が大きい(デモ)。").await?;
    super::review::score(app, org, &manager, id, "4", "端末の整備が前提(デモ)。").await?;
    let adopted = super::review::DecisionForm {
        decision: "adopted".into(),
        decision_reason: "紙と時間の削減効果が大きく、全庁で実施する(デモ)。".into(),
        decision_summary: String::new(),
    };
    super::review::decide(app, org, &hq, id, &adopted).await?;
    super::review::award(app, org, &hq, id, "excellent").await?;
    // 働きかけ記録, answered by the compliance officer.
    let id = send(
        app,
        org,
        &approach,
        Some(&compliance),
        [
            "入札参加資格についての要望(デモ)",
            "要望",
            "令和8年5月、事業者の代表が契約担当職員に入札参加資格の緩和を求めた(デモ)。",
        ],
    )
    .await?;
    let response = "規則に基づき対応できない旨を回答し、上司に報告した(デモ)。";
    super::work::answer(app, org, &compliance, id, response).await?;
    Ok(())
}
