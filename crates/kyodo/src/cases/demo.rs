//! The demonstration organization's 市民の声 (marked as demonstration data): the type with its
//! form (種別, 分野, 件名, 内容) and routing by 分野, and a few cases — one answered and published
//! with the submitter's consent, one being worked on, one just received — so the desk, the staff
//! work list and the public 「市民の声と市の回答」 are alive after the quick start.

use super::audience;
use super::store;
use super::submit::{self, Contact};
use crate::accounts::roles::Role;
use crate::accounts::users::Kind as UserKind;
use crate::app::App;
use crate::policy::Principal;
use crate::surveys::survey_writes::{NewQuestion, NewSurvey, insert_question, insert_survey};

pub const VOICE_CODE: &str = "市民の声";

/// Department codes the demo routes 分野 to (the demo's own tree).
const ROUTES: [(&str, &str); 3] = [
    ("市民活動・協働", "120"),
    ("窓口・職員の対応", "210"),
    ("税・財政", "310"),
];

async fn department(app: &App, org: i64, code: &str) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM departments WHERE organization_id = $1 AND code = $2")
            .bind(org)
            .bind(code)
            .fetch_optional(&app.db)
            .await?,
    )
}

/// Adds the demo's 市民の声 once.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    if store::types(&app.db, org)
        .await?
        .iter()
        .any(|t| t.code == VOICE_CODE)
    {
        return Ok(());
    }
    let default_dept = department(app, org, "110").await?;
    let fy = i64::from(kyodo_jp::FiscalYear::containing(chrono::Utc::now().date_naive(), 4).0);
    let mut tx = app.begin_write().await?;
    let survey = insert_survey(
        &mut tx,
        org,
        &NewSurvey {
            title: "市民の声 入力フォーム(デモ)",
            description: "窓口「市民の声」の設問です。",
            audience: crate::surveys::lifecycle::FORM_AUDIENCE,
            status: "draft",
            fiscal_year: fy,
            series: "",
            is_demo: true,
        },
    )
    .await?;
    let q = |kind, label, help, required, options| NewQuestion {
        kind,
        label,
        help,
        required,
        options,
        ..NewQuestion::default()
    };
    insert_question(
        &mut tx,
        org,
        survey,
        &q(
            "single",
            "種別",
            "",
            true,
            &["苦情", "意見", "要望", "提案"],
        ),
    )
    .await?;
    let areas: Vec<&str> = ROUTES.iter().map(|r| r.0).chain(["その他"]).collect();
    let (area_q, area_opts) =
        insert_question(&mut tx, org, survey, &q("single", "分野", "", true, &areas)).await?;
    insert_question(
        &mut tx,
        org,
        survey,
        &q("text", "件名", "60字程度でお書きください。", true, &[]),
    )
    .await?;
    insert_question(
        &mut tx,
        org,
        survey,
        &q(
            "long_text",
            "内容",
            "個人情報(住所・電話番号など)は書かないでください。",
            true,
            &[],
        ),
    )
    .await?;
    let type_id = crate::db::new_id();
    sqlx::query(
        "INSERT INTO case_types (organization_id, id, code, name, description, audience, form_survey_id, \
         department_id, deadline_days, publishable, position, is_demo) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 10, 1, 1, 1)",
    )
    .bind(org)
    .bind(type_id)
    .bind(VOICE_CODE)
    .bind("市民の声(苦情・意見・要望・提案)")
    .bind("市政へのご意見をお寄せください。10開庁日以内に担当課からお答えします(デモ)。")
    .bind(audience::PUBLIC)
    .bind(survey)
    .bind(default_dept)
    .execute(&mut *tx)
    .await?;
    for (i, (_, code)) in ROUTES.iter().enumerate() {
        if let Some(d) = department(app, org, code).await? {
            sqlx::query(
                "INSERT INTO case_routes (organization_id, type_id, position, question_id, option_id, department_id) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(org)
            .bind(type_id)
            .bind(i as i64 + 1)
            .bind(area_q)
            .bind(area_opts[i])
            .bind(d)
            .execute(&mut *tx)
            .await?;
        }
    }
    for (title, body) in TEMPLATES {
        sqlx::query(
            "INSERT INTO case_reply_templates (organization_id, id, type_id, title, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(crate::db::new_id())
        .bind(type_id)
        .bind(title)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    cases(app, org, type_id).await
}

/// The demo's 定型文.
const TEMPLATES: [(&str, &str); 2] = [
    (
        "対応済みのお知らせ",
        "「{件名}」(整理番号 {整理番号})についてご連絡いただき、ありがとうございました。現地を確認し、対応いたしました。",
    ),
    (
        "検討中のお知らせ",
        "「{件名}」(整理番号 {整理番号})について、担当課で対応を検討しています。結果が決まりしだいお知らせします。",
    ),
];

/// The demo's cases, sent and worked on through the engine itself.
async fn cases(app: &App, org: i64, type_id: i64) -> anyhow::Result<()> {
    let ty = store::case_type(&app.db, org, type_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo case type missing"))?;
    let form = submit::form_of(app, org, &ty).await?;
    let organization = crate::accounts::organizations::by_id(&app.db, org)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo organization missing"))?;
    let hq_user: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE organization_id = $1 AND email = 'hq@demo.kyodo.jp'",
    )
    .bind(org)
    .fetch_optional(&app.db)
    .await?;
    let samples = [
        (
            "提案",
            "市民活動・協働",
            "協働事業の募集時期(デモ)",
            "市民活動団体が協働事業に応募しやすいよう、募集を年度の早い時期にしてほしい。",
            true,
        ),
        (
            "要望",
            "税・財政",
            "予算の説明会(デモ)",
            "予算の使い道を市民に説明する会を開いてほしい。",
            true,
        ),
        (
            "意見",
            "窓口・職員の対応",
            "窓口の待ち時間(デモ)",
            "月末の窓口の待ち時間が長いと感じます。",
            false,
        ),
    ];
    let mut ids = Vec::new();
    for (kind, area, subject, body, consent) in samples {
        let mut fields = Vec::new();
        for (qi, value) in [(0, kind), (1, area), (2, subject), (3, body)] {
            let q = &form.questions[qi];
            let v = q
                .options
                .iter()
                .find(|o| o.label == value)
                .map_or_else(|| value.to_string(), |o| o.id.to_string());
            fields.push((crate::surveys::answers::field(q.id()), v));
        }
        let contact = Contact {
            consent: if consent { "1".into() } else { String::new() },
            ..Contact::default()
        };
        ids.push(
            submit::submit(app, &organization, &ty, None, &fields, &contact, Vec::new())
                .await?
                .case_id,
        );
    }
    let Some(hq) = hq_user else {
        return Ok(());
    };
    let p = Principal {
        user_id: hq,
        display_name: String::new(),
        kind: UserKind::Staff,
        department_id: None,
        roles: vec![Role::ReformHq],
    };
    let answer = "ご提案ありがとうございます。来年度から協働事業の募集を4月に前倒しします(デモ)。";
    super::work::answer(app, org, &p, ids[0], answer).await?;
    super::outcome::publish(
        app,
        org,
        &p,
        ids[0],
        "協働事業の募集を年度の早い時期にしてほしい(デモ)。",
        answer,
    )
    .await?;
    super::work::change_status(
        app,
        org,
        &p,
        &crate::audit::Actor::user(p.user_id),
        ids[1],
        super::IN_PROGRESS,
        "",
    )
    .await?;
    Ok(())
}
