//! What a facility's public page and its API show — the facility, its rooms with their slots and
//! fees, this fiscal year's use by month and, for a 指定管理者 (designated manager), its monthly
//! reports, the desk's case counts and the year's evaluation — loaded at once and kept as a
//! snapshot (`web::snapshots`) until the facilities area changes (a booking, a closure, a case
//! linked to the facility). All of it is public and the same for every visitor and language.

use crate::cases::linked;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::reservations::facilities::{self as store, Facility, Room, Slot};
use crate::reservations::management::{self, MonthlyReport};
use crate::reservations::utilisation::{self, MonthUse};
use crate::reservations::{Rules, availability};
use crate::web::WebState;
use crate::web::cache_scope::shown_by;
use std::collections::HashMap;
use std::sync::Arc;

pub struct FacilityData {
    pub facility: Facility,
    pub rooms: Vec<(Room, Vec<Slot>)>,
    /// The organization's booking rules (the window a room's month shows as open).
    pub rules: Rules,
    /// The fiscal year (年度) of `months`: the one containing the day it was loaded.
    pub fiscal_year: i32,
    pub months: Vec<MonthUse>,
    /// Only for a facility run by a 指定管理者.
    pub manager: Option<ManagerData>,
}

pub struct ManagerData {
    pub reports: Vec<MonthlyReport>,
    /// The desk's cases about the facility by month ("YYYY-MM"): only the count is public, what
    /// the cases say may carry personal data.
    pub desk_cases: HashMap<String, usize>,
    /// The year's evaluation: (monitoring code, comment).
    pub evaluation: Option<(String, String)>,
}

impl FacilityData {
    async fn load(db: &Db, org: i64, id: i64) -> AppResult<Option<Self>> {
        let (found, rules) =
            tokio::try_join!(store::with_rooms(db, org, id), Rules::load(db, org))?;
        let Some((facility, rooms)) = found else {
            return Ok(None);
        };
        let fy = kyodo_jp::FiscalYear::containing(crate::reservations::today(), 4).0;
        let designated = facility.manager_kind == "designated";
        let manager = async {
            if !designated {
                return Ok(None);
            }
            let (cases, reports, evaluation) = tokio::try_join!(
                linked::of_facility_year(db, org, id, fy),
                management::reports(db, org, id, fy),
                management::evaluation(db, org, id, fy),
            )?;
            Ok::<_, AppError>(Some(ManagerData {
                reports,
                desk_cases: linked::count_by_month(&cases),
                evaluation,
            }))
        };
        let months = async { Ok(utilisation::of_facility(db, org, &facility, fy).await?) };
        let (months, manager) = tokio::try_join!(months, manager)?;
        Ok(Some(Self {
            facility,
            rooms,
            rules,
            fiscal_year: fy,
            months,
            manager,
        }))
    }

    /// Room `at` of `rooms` and its month (`YYYY-MM`, this month when unreadable) as it stands
    /// now, with its lottery: only closures, held slots and the lottery are read.
    pub async fn room_month(
        &self,
        db: &Db,
        org: i64,
        at: usize,
        month: &str,
    ) -> AppResult<(&Room, availability::Month)> {
        let (room, slots) = self.rooms.get(at).ok_or(AppError::NotFound)?;
        let today = crate::reservations::today();
        let fixed = availability::Fixed {
            facility: &self.facility,
            room,
            slots,
            rules: &self.rules,
        };
        let first = availability::month_start(month, today);
        let m = availability::month_of(db, org, fixed, first, today, true).await?;
        Ok((room, m))
    }
}

/// The facility's data, from the snapshot when it is current; not found when there is none.
pub async fn facility_data(st: &WebState, org: i64, id: i64) -> AppResult<Arc<FacilityData>> {
    st.snapshots
        .facilities
        .get_or_load(&st.cache, shown_by("/facilities"), org, id, || {
            FacilityData::load(&st.app.db, org, id)
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// A room's facility data and the room's place in its `rooms`; not found when there is no such
/// room. Which facility a room belongs to is kept too, so a room's month page reads no room.
pub async fn room_data(
    st: &WebState,
    org: i64,
    room: i64,
) -> AppResult<(Arc<FacilityData>, usize)> {
    let facility = st
        .snapshots
        .room_facilities
        .get_or_load(&st.cache, shown_by("/facilities"), org, room, || async {
            Ok::<_, AppError>(
                store::room(&st.app.db, org, room)
                    .await?
                    .map(|r| r.facility_id),
            )
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let data = facility_data(st, org, *facility).await?;
    let at = data
        .rooms
        .iter()
        .position(|(r, _)| r.id == room)
        .ok_or(AppError::NotFound)?;
    Ok((data, at))
}
