//! Demonstration consultations (marked as such): one open for comment, and one closed with its
//! result published — opinions grouped, answered, a section revised — so the public comment pages
//! are alive after the quick start.

use super::answers::{self, GroupForm};
use super::consultations::{self, ConsultationForm};
use super::opinions::{self, OpinionForm, Submitter};
use super::today;
use crate::app::App;
use chrono::Duration;

const OPEN_DRAFT: &str = "\
この条例は、市民と市が協働してまちづくりを進めるための基本的な事項を定める。
# 第1条 目的
この条例は、市民協働の基本理念を定め、市民の市政への参画を進めることを目的とする。
# 第2条 市の責務
市は、政策の立案から評価までの各段階で市民の意見を聴かなければならない。
# 第3条 意見公募
市は、重要な計画を定めるときは、案を公表して市民の意見を募集するものとする。
";

const CLOSED_DRAFT: &str = "\
# 1 計画の期間
平成20年度から平成24年度までの5年間とする。
# 2 進行管理
毎年公表する。
# 3 市民との協働
市民の意見を聴く機会を設ける。
";

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn form(
    title: &str,
    summary: &str,
    draft: &str,
    dept: Option<i64>,
    days: (i64, i64),
) -> ConsultationForm {
    let t = today();
    ConsultationForm {
        title: title.into(),
        summary: summary.into(),
        department_id: dept.map(|d| d.to_string()).unwrap_or_default(),
        basis: "会津若松市パブリック・コメント手続要綱(デモ)".into(),
        starts_on: iso(t + Duration::days(days.0)),
        ends_on: iso(t + Duration::days(days.1)),
        draft: draft.into(),
        ticks: ["resident", "worker", "student", "interested"]
            .map(|c| (ConsultationForm::tick_name(c), "1".to_string()))
            .into(),
        ..ConsultationForm::default()
    }
}

fn opinion(section: i64, body: &str, n: usize, channel: &str) -> OpinionForm {
    OpinionForm {
        section: section.to_string(),
        body: body.into(),
        name: format!("デモ 提出者{n}"),
        address: "会津若松市東栄町3-46".into(),
        email: format!("demo-opinion{n}@example.jp"),
        eligibility: "resident".into(),
        channel: channel.into(),
    }
}

/// Adds the demonstration consultations once.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pc_consultations WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&app.db)
            .await?;
    if existing > 0 {
        return Ok(());
    }
    let user = |email: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM users WHERE organization_id = $1 AND email = $2",
            )
            .bind(org)
            .bind(email)
            .fetch_one(&db)
            .await
        }
    };
    let (staff, hq, citizen) = (
        user("staff@demo.kyodo.jp").await?,
        user("hq@demo.kyodo.jp").await?,
        user("citizen@demo.kyodo.jp").await?,
    );
    let dept: Option<i64> = sqlx::query_scalar(
        "SELECT department_id FROM users WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(staff)
    .fetch_optional(&app.db)
    .await?
    .flatten();
    let item: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-1.1.1' AND trackable = 1",
    )
    .bind(org)
    .fetch_optional(&app.db)
    .await?;
    let mut open = form(
        "(仮称)市民協働推進条例(案)(デモ)",
        "市民と市の協働の基本を定める条例の案について、ご意見を募集します。",
        OPEN_DRAFT,
        dept,
        (-5, 25),
    );
    open.plan_item_id = item.map(|i| i.to_string()).unwrap_or_default();
    let open_id = consultations::create(app, org, staff, false, &open).await?;
    let open = consultations::get(&app.db, org, open_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo"))?;
    for (i, (section, body, channel)) in [
        (
            2,
            "「各段階」に実施段階も含むことを明記してほしい。",
            "mail",
        ),
        (0, "条例の名称をもっと分かりやすくしてほしい。", "counter"),
    ]
    .into_iter()
    .enumerate()
    {
        opinions::submit(
            app,
            org,
            &open,
            Submitter::Staff(staff),
            &opinion(section, body, i + 1, channel),
        )
        .await?;
    }

    let closed_id = consultations::create(
        app,
        org,
        staff,
        false,
        &form(
            "第2次行政改革実施計画(案)(デモ)",
            "行政改革実施計画の案について、ご意見を募集しました。",
            CLOSED_DRAFT,
            dept,
            (-29, 1),
        ),
    )
    .await?;
    let closed = consultations::get(&app.db, org, closed_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo"))?;
    let texts = [
        (2, "進捗を毎年度公表してほしい。", "web"),
        (2, "公表は年度ごとにしてほしい。", "web"),
        (3, "市民が進行管理に参加できるようにしてほしい。", "web"),
        (3, "市民委員会で進み具合を確認してほしい。", "mail"),
        (1, "期間は5年で妥当だと思う。", "fax"),
    ];
    let mut ids = Vec::new();
    for (i, (section, body, channel)) in texts.into_iter().enumerate() {
        let f = opinion(section, body, i + 10, channel);
        let who = if channel == "web" {
            Submitter::User(citizen)
        } else {
            Submitter::Staff(staff)
        };
        let mut f = f;
        if channel == "web" {
            // One person sent the first two.
            f.email = "demo-citizen@example.jp".into();
            f.name = "デモ 市民".into();
        }
        ids.push(opinions::submit(app, org, &closed, who, &f).await?.id);
    }
    // The period is over (the demo moves it into the past).
    let t = today();
    sqlx::query("UPDATE pc_consultations SET starts_on = $1, ends_on = $2, is_demo = 1 WHERE organization_id = $3 AND id = $4")
        .bind(iso(t - Duration::days(60)))
        .bind(iso(t - Duration::days(31)))
        .bind(org)
        .bind(closed_id)
        .execute(&app.db)
        .await?;
    sqlx::query("UPDATE pc_consultations SET is_demo = 1 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(open_id)
        .execute(&app.db)
        .await?;
    let answers = [
        (
            &ids[0..2],
            "進捗状況を毎年度公表すべき。",
            "ご意見を踏まえ、「毎年」を「毎年度」と改め、公表の時期を明確にします。",
            "「毎年公表する。」を「毎年度、進捗状況を公表する。」に修正",
        ),
        (
            &ids[2..4],
            "市民が進行管理に参加する仕組みを設けるべき。",
            "市民委員会による進行管理を行います。案の趣旨に含まれているため、修正はしません。",
            "",
        ),
        (
            &ids[4..5],
            "計画期間は妥当である。",
            "ご賛同の意見として承ります。",
            "",
        ),
    ];
    for (members, summary, view, change) in answers {
        let g = answers::create_group(app, org, staff, closed_id, summary, members).await?;
        answers::answer_group(
            app,
            org,
            staff,
            g,
            &GroupForm {
                summary: summary.into(),
                city_view: view.into(),
                revised: if change.is_empty() { "" } else { "1" }.into(),
                change_text: change.into(),
            },
        )
        .await?;
    }
    answers::revise_section(
        app,
        org,
        staff,
        closed_id,
        2,
        "毎年度、進捗状況を公表する。",
    )
    .await?;
    crate::participation::approval::submit_result(app, org, staff, closed_id).await?;
    crate::participation::approval::decide(app, org, hq, closed_id, true).await?;
    Ok(())
}
