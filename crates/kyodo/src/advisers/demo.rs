//! A demonstration adviser (marked as such): an account that signs in as `adviser@demo.kyodo.jp`,
//! assigned to the seed plan and the reform council, with one published comment and one kept
//! internal — so the quick start shows what an adviser sees and what the public sees.

use super::AdviserForm;
use crate::app::App;
use chrono::Duration;

pub async fn load(app: &App, org: i64, plan: i64) -> anyhow::Result<()> {
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM advisers WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&app.db)
            .await?;
    if existing > 0 {
        return Ok(());
    }
    let hq: i64 = sqlx::query_scalar(
        "SELECT id FROM users WHERE organization_id = $1 AND email = 'hq@demo.kyodo.jp'",
    )
    .bind(org)
    .fetch_one(&app.db)
    .await?;
    let today = crate::participation::today();
    let form = AdviserForm {
        name: "デモ 有識者".into(),
        email: "adviser@demo.kyodo.jp".into(),
        field: "地方財政・行政経営".into(),
        affiliation: "会津大学(デモ)".into(),
        term_start: (today - Duration::days(200)).format("%Y-%m-%d").to_string(),
        term_end: (today + Duration::days(530)).format("%Y-%m-%d").to_string(),
        publish_name: "1".into(),
    };
    let err = |e| anyhow::anyhow!("demo adviser: {e}");
    let adviser = super::register(app, org, hq, &form).await.map_err(err)?;
    sqlx::query("UPDATE advisers SET is_demo = 1 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(adviser)
        .execute(&app.db)
        .await?;
    let on_plan = super::assignments::assign(app, org, hq, adviser, &format!("plan:{plan}"))
        .await
        .map_err(err)?;
    let council: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM cn_bodies WHERE organization_id = $1 AND name = '行政改革推進委員会(デモ)'",
    )
    .bind(org)
    .fetch_optional(&app.db)
    .await?;
    if let Some(council) = council {
        super::assignments::assign(app, org, hq, adviser, &format!("council:{council}"))
            .await
            .map_err(err)?;
    }
    let user: i64 =
        sqlx::query_scalar("SELECT user_id FROM advisers WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(adviser)
            .fetch_one(&app.db)
            .await?;
    let published = super::comments::add(
        app,
        org,
        user,
        on_plan,
        "(デモ)補助金の見直しは、終期の設定と効果の測定を条件とすることを勧めます。指標は件数ではなく成果で置くべきです。",
    )
    .await
    .map_err(err)?;
    super::comments::publish(app, org, hq, published, true)
        .await
        .map_err(err)?;
    super::comments::add(
        app,
        org,
        user,
        on_plan,
        "(デモ・非公開)下書きの報告に数値の誤りがあるようです。担当課に確認してください。",
    )
    .await
    .map_err(err)?;
    Ok(())
}
