//! What the plans area gives the home page (`web::pages::front_sources`): every plan, the published
//! reports of plans the public may see, and the newest such plan's actual 財政効果 so far.

use super::store::{Plan, ReportNews};
use super::{metrics, store};
use crate::db::Db;

/// The plans area's part of the home page.
pub struct PlansPart {
    pub plans: Vec<Plan>,
    pub reports: Vec<ReportNews>,
    /// (plan id, actual effect in 千円) of the newest plan the public may see.
    pub effect: Option<(i64, i64)>,
}

/// `recent`: how many published reports to read.
pub async fn plans_part(db: &Db, org: i64, recent: i64) -> sqlx::Result<PlansPart> {
    let (plans, mut reports) = tokio::try_join!(
        store::plans(db, org),
        store::recent_published_reports(db, org, recent),
    )?;
    let public = |id: i64| {
        plans
            .iter()
            .any(|p| p.id == id && crate::policy::can_see_plan(None, &p.status))
    };
    // News is public: reports of a plan still in draft stay out, whoever reads.
    reports.retain(|r| public(r.plan_id));
    let mut effect = None;
    if let Some(plan) = plans
        .iter()
        .find(|p| crate::policy::can_see_plan(None, &p.status))
    {
        let effects = store::effects(db, org, plan.id).await?;
        let refs: Vec<_> = effects.iter().collect();
        let totals = metrics::effect_totals(&refs, plan.first_year, plan.last_year);
        let (single, continuing) = metrics::grand_total(&totals);
        let actual = single.actual.unwrap_or(0) + continuing.actual.unwrap_or(0);
        effect = Some((plan.id, actual));
    }
    Ok(PlansPart {
        plans,
        reports,
        effect,
    })
}
