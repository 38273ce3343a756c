//! What the home page and the site's feed are made of, each part kept (`web::snapshots`, read from
//! the primary) until its own area changes. The home page shows every area, so any write drops it
//! from the page cache; making it again then reads only the part of the area that changed, not
//! the ten queries of all of them.

use crate::accounts::departments::Department;
use crate::cases::public::AnswerNews;
use crate::error::{AppError, AppResult};
use crate::minutes::store::Meeting;
use crate::participation::consultations::{self, Consultation};
use crate::plans::store::{Plan, ReportNews};
use crate::surveys::store::Survey;
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::snapshots::Shelf;
use std::future::Future;
use std::sync::Arc;

/// How many meetings, reports and answers the news looks at: it shows eight items in all.
const RECENT: i64 = 8;

/// The plans area's part: every plan, the published reports of plans the public may see, and the
/// actual 財政効果 reported so far of the newest such plan (千円).
pub struct PlansPart {
    pub plans: Vec<Plan>,
    pub reports: Vec<ReportNews>,
    /// (plan id, actual effect) of the newest plan the public may see.
    pub effect: Option<(i64, i64)>,
}

/// Each list as its area reads it.
pub struct Sources {
    pub plans: Arc<PlansPart>,
    pub consultations: Arc<Vec<Consultation>>,
    pub surveys: Arc<Vec<Survey>>,
    pub meetings: Arc<Vec<Meeting>>,
    /// Answers published in 市民の声と市の回答.
    pub answers: Arc<Vec<AnswerNews>>,
}

/// One part from its shelf, loaded when its area changed.
async fn part<V, F, Fut>(
    st: &WebState,
    shelf: &Shelf<V>,
    areas: Areas,
    org: i64,
    load: F,
) -> AppResult<Arc<V>>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = sqlx::Result<V>>,
{
    shelf
        .get_or_load(&st.cache, areas, org, 0, || async {
            Ok::<_, AppError>(Some(load().await?))
        })
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn sources(st: &WebState, org: i64) -> AppResult<Sources> {
    let (db, kept) = (&st.app.db, &st.snapshots);
    let (plans, consultations, surveys, meetings, answers) = tokio::try_join!(
        part(st, &kept.front_plans, Areas::PLANS, org, || plans_part(
            db, org
        )),
        part(
            st,
            &kept.front_consultations,
            Areas::PARTICIPATION,
            org,
            || { consultations::list(db, org) }
        ),
        part(st, &kept.front_surveys, Areas::SURVEYS, org, || {
            crate::surveys::store::public_list(db, org)
        }),
        part(st, &kept.front_meetings, Areas::MINUTES, org, || {
            crate::minutes::store::recent(db, org, RECENT)
        }),
        part(st, &kept.front_answers, Areas::CASES, org, || {
            crate::cases::public::recently_published(db, org, RECENT)
        }),
    )?;
    Ok(Sources {
        plans,
        consultations,
        surveys,
        meetings,
        answers,
    })
}

/// The organization's departments (they change with the whole organization's generation).
pub async fn departments(st: &WebState, org: i64) -> AppResult<Arc<Vec<Department>>> {
    part(st, &st.snapshots.departments, Areas::NONE, org, || {
        crate::accounts::departments::list(&st.app.db, org)
    })
    .await
}

async fn plans_part(db: &crate::db::Db, org: i64) -> sqlx::Result<PlansPart> {
    use crate::plans::{metrics, store};
    let (plans, mut reports) = tokio::try_join!(
        store::plans(db, org),
        store::recent_published_reports(db, org, RECENT),
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
