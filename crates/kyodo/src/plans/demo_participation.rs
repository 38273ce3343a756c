//! The demo's participation on the seed plan: a citizen's rating and comment, committee opinions
//! on an item and on the whole plan, the city's responses (one opinion left for the HQ).

use crate::accounts::users;
use crate::app::App;

/// A demonstration rating, comment and committee opinion with the city's response on the first
/// measure, so the public item page shows co-management at work. Added once.
pub async fn load(app: &App, org: i64, plan: i64, committee: i64) -> anyhow::Result<()> {
    use crate::plans::participation as p;
    let data = crate::plans::view::PlanData::load(&app.db, org, plan)
        .await?
        .ok_or_else(|| anyhow::anyhow!("seed plan missing"))?;
    let Some(node) = data.trackable().find(|n| n.seed_ref == "S-1.3.1") else {
        return Ok(());
    };
    use crate::councils::opinions::{self as op, Member, Subject};
    if !op::on(&app.db, org, Subject::Item(node.id), false)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let citizen = users::by_email(&app.db, org, "citizen@demo.kyodo.jp").await?;
    let member = users::by_email(&app.db, org, "committee@demo.kyodo.jp").await?;
    let hq = users::by_email(&app.db, org, "hq@demo.kyodo.jp").await?;
    let (Some(citizen), Some(member), Some(hq)) = (citizen, member, hq) else {
        return Ok(());
    };
    let period = data
        .periods
        .iter()
        .find(|x| x.fiscal_year == 2009)
        .map(|x| x.id)
        .unwrap_or_default();
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo participation: {e}");
    p::rate(app, org, citizen.id, node.id, 2009, 4)
        .await
        .map_err(fail)?;
    let by = Member {
        user: member.id,
        committee,
    };
    let on_item = op::write(
        app,
        org,
        by,
        Subject::Item(node.id),
        Some(period),
        "(デモデータ)市民委員の参加人数と意見の反映状況を、次回の報告で具体的に示すこと。",
    )
    .await
    .map_err(fail)?;
    op::respond(
        app,
        org,
        hq.id,
        on_item,
        "(デモデータ)次年度の報告から、参加人数と反映した意見の件数を記載します。",
    )
    .await
    .map_err(fail)?;
    // One on the whole plan, answered, and one still awaiting the city's response.
    let on_plan = op::write(
        app,
        org,
        by,
        Subject::Plan(plan),
        None,
        "(デモデータ)計画全体の財政効果を、年度ごとの目標額と比べて毎年公表すること。",
    )
    .await
    .map_err(fail)?;
    op::respond(
        app,
        org,
        hq.id,
        on_plan,
        "(デモデータ)年次報告に目標額との比較表を加えます。",
    )
    .await
    .map_err(fail)?;
    op::write(
        app,
        org,
        by,
        Subject::Plan(plan),
        None,
        "(デモデータ)市民協働の取組を、地区ごとの参加状況が分かる形で報告すること。",
    )
    .await
    .map_err(fail)?;
    Ok(())
}
