//! What the home page and the site's feed are made of, each part kept (`web::snapshots`, read from
//! the primary) until its own area changes. The home page shows every area, so any write drops it
//! from the page cache; making it again then reads only the part of the area that changed, not
//! the ten queries of all of them.

use crate::cases::public::AnswerNews;
use crate::error::{AppError, AppResult};
use crate::minutes::store::Meeting;
use crate::participation::consultations::{self, Consultation};
use crate::plans::news::{PlansPart, plans_part};
use crate::surveys::store::Survey;
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::snapshots::Shelf;
use std::future::Future;
use std::sync::Arc;

/// How many meetings, reports and answers the news looks at: it shows eight items in all.
const RECENT: i64 = 8;

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
async fn part<V, E, F, Fut>(
    st: &WebState,
    shelf: &Shelf<V>,
    areas: Areas,
    org: i64,
    load: F,
) -> AppResult<Arc<V>>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<V, E>>,
    AppError: From<E>,
{
    shelf
        .get_or_compute(&st.cache, areas, org, 0, || async { Ok(load().await?) })
        .await
}

pub async fn sources(st: &WebState, org: i64) -> AppResult<Sources> {
    let (db, kept) = (&st.app.db, &st.snapshots);
    let (plans, consultations, surveys, meetings, answers) = tokio::try_join!(
        part(st, &kept.front_plans, Areas::PLANS, org, || {
            plans_part(db, org, RECENT)
        }),
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
