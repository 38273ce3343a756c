//! Public: the facilities, one facility with its rooms and fees, a room's month of availability
//! (a table: days × slots, each cell in words), and a room's iCal feed of taken slots.

use super::{WEEKDAYS, yen};
use crate::error::{AppError, AppResult};
use crate::reservations::availability::Cell;
use crate::reservations::facilities::{self as store, Facility, Room, Slot};
use crate::reservations::today;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reservations/list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    /// Each facility with its rooms: (id, "…の空き状況").
    facilities: Vec<(Facility, Vec<(i64, String)>)>,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let rooms = store::all_rooms(db, org).await?;
    let facilities = store::list(db, org)
        .await?
        .into_iter()
        .map(|f| {
            let mine = rooms
                .iter()
                .filter(|r| r.facility_id == f.id)
                .map(|r| (r.id, t.f("rsv.availability_of", &[&r.name])))
                .collect();
            (f, mine)
        })
        .collect();
    let page = ListPage {
        s: Shell::new(&ctx, "rsv.title"),
        facilities,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

pub struct RoomFees<'a> {
    pub room: &'a Room,
    pub availability: String,
    pub capacity: String,
    pub caption: String,
    pub slots: Vec<(&'a Slot, [String; 3])>,
}

#[derive(Template)]
#[template(path = "reservations/facility.html")]
struct FacilityPage<'a> {
    s: Shell<'a>,
    f: &'a Facility,
    closed_days: String,
    /// Who may book (a catalogue key).
    rule: &'static str,
    rooms: Vec<RoomFees<'a>>,
    /// 利用状況 of this fiscal year: its label, the chart, and (month, could, let, rate, fees) rows.
    use_title: String,
    use_chart: String,
    use_rows: Vec<(String, i64, i64, i64, String, String)>,
    /// 指定管理者: (month, users, revenue, the desk's cases about it) reported, and the year's evaluation (label, comment).
    manager_rows: Vec<(String, i64, String, usize)>,
    monitoring: Option<(String, String)>,
}

pub async fn facility(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let (data, all) = tokio::try_join!(
        super::facility_data::facility_data(&st, org, id),
        st.snapshots.codes(&st.cache, &st.app.db, org),
    )?;
    let f = &data.facility;
    let rooms = data
        .rooms
        .iter()
        .map(|(room, slots)| RoomFees {
            availability: t.f("rsv.availability_of", &[&room.name]),
            capacity: t.f("rsv.capacity_text", &[&room.capacity]),
            caption: t.f("rsv.fees_of", &[&room.name]),
            room,
            slots: slots
                .iter()
                .map(|s| {
                    let fees = [
                        yen(t, s.fee_resident),
                        yen(t, s.fee_nonresident),
                        yen(t, s.fee_commercial),
                    ];
                    (s, fees)
                })
                .collect(),
        })
        .collect();
    let closed_days = (1..=7)
        .filter(|d| f.closed_on_weekday(*d))
        .map(|d| t.t(WEEKDAYS[d as usize - 1]))
        .collect::<Vec<_>>()
        .join("・");
    let months = &data.months;
    let use_title = t.f(
        "rsv.use_title",
        &[&t.fiscal_year(kyodo_jp::FiscalYear(data.fiscal_year))],
    );
    let labels: Vec<String> = months
        .iter()
        .map(|m| t.f("rsv.month_short", &[&m.first.month()]))
        .collect();
    let use_chart = crate::charts::bars(
        "use",
        &use_title,
        &labels,
        &[crate::charts::Series {
            name: t.t("rsv.use_rate"),
            values: months.iter().map(|m| m.rate()).collect(),
        }],
        "%",
    );
    let use_rows = months
        .iter()
        .zip(labels)
        .map(|(m, label)| {
            let rate = m
                .rate()
                .map_or_else(|| "—".to_string(), |r| format!("{r:.1}%"));
            (
                label,
                m.available,
                m.used,
                m.no_shows,
                rate,
                yen(t, m.revenue),
            )
        })
        .collect();
    let (manager_rows, monitoring) = match &data.manager {
        Some(m) => {
            let rows = m
                .reports
                .iter()
                .map(|r| {
                    let cases = m.desk_cases.get(&r.month).copied().unwrap_or(0);
                    (r.month.clone(), r.users, yen(t, r.revenue), cases)
                })
                .collect();
            let eval = m.evaluation.as_ref().map(|(code, comment)| {
                let label =
                    crate::codes::label(&all, crate::codes::FACILITY_MONITORING, code, ctx.lang);
                (label.to_string(), comment.clone())
            });
            (rows, eval)
        }
        None => (Vec::new(), None),
    };
    let page = FacilityPage {
        s: Shell::new(&ctx, "rsv.facility_title"),
        rule: crate::reservations::facility_edit::BOOKING_RULES
            .iter()
            .find(|(r, _)| *r == f.booking_rule)
            .map_or("rsv.rule_any", |(_, k)| k),
        f,
        closed_days,
        rooms,
        use_title,
        use_chart,
        use_rows,
        manager_rows,
        monitoring,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

#[derive(Debug, Default, Deserialize)]
pub struct MonthParams {
    #[serde(default)]
    month: String,
}

pub struct DayRow {
    pub iso: String,
    pub label: String,
    pub weekend: bool,
    pub cells: Vec<(Cell, String)>,
}

#[derive(Template)]
#[template(path = "reservations/room.html")]
struct RoomPage<'a> {
    s: Shell<'a>,
    f: &'a Facility,
    room: &'a Room,
    heading: String,
    caption: String,
    prev: String,
    next: String,
    slots: Vec<Slot>,
    days: Vec<DayRow>,
    /// The month's lottery not drawn yet.
    lottery: Option<i64>,
}

pub async fn room(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(p): QueryData<MonthParams>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let (data, at) = super::facility_data::room_data(&st, org, id).await?;
    let (room, m) = data.room_month(db, org, at, &p.month).await?;
    let f = &data.facility;
    let first = m.first;
    let days = m
        .days
        .iter()
        .map(|d| {
            let iso = d.date.format("%Y-%m-%d").to_string();
            DayRow {
                label: super::short_day(t, d.date),
                iso,
                weekend: d.date.weekday().number_from_monday() >= 6,
                cells: d
                    .cells
                    .iter()
                    .map(|c| (*c, t.t(c.key()).to_string()))
                    .collect(),
            }
        })
        .collect();
    let shift = |months: i32| {
        let d = if months < 0 {
            first.checked_sub_months(chrono::Months::new(1))
        } else {
            first.checked_add_months(chrono::Months::new(1))
        };
        d.unwrap_or(first).format("%Y-%m").to_string()
    };
    let page = RoomPage {
        s: Shell::new(&ctx, "rsv.room_title"),
        heading: t.f("rsv.availability_of", &[&room.name]),
        caption: t.f(
            "rsv.grid_caption",
            &[
                &room.name,
                &t.f("rsv.month_label", &[&first.year(), &first.month()]),
            ],
        ),
        prev: shift(-1),
        next: shift(1),
        f,
        room,
        lottery: m.lottery,
        slots: m.slots,
        days,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// The room's taken slots as an iCal feed (RFC 5545): times only, never who booked.
pub async fn ical(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let room = store::room(db, org, id).await?.ok_or(AppError::NotFound)?;
    let f = store::get(db, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slots = store::slots(db, org, room.id).await?;
    let from = today().format("%Y-%m-%d").to_string();
    let held = crate::reservations::listing::held_in(db, org, room.id, &from, "9999-12-31").await?;
    let at = crate::db::now();
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kyodo//reservations//JA\r\nCALSCALE:GREGORIAN\r\n",
    );
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    for (day, code, status, deadline) in held {
        if status != "confirmed" && deadline < at {
            continue;
        }
        let Some(slot) = slots.iter().find(|s| s.code == code) else {
            continue;
        };
        let date = day.replace('-', "");
        let time = |hm: &str| format!("{}00", hm.replace(':', ""));
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{org}-{}-{day}-{code}@kyodo\r\nDTSTAMP:{stamp}\r\nDTSTART;TZID=Asia/Tokyo:{date}T{}\r\n\
             DTEND;TZID=Asia/Tokyo:{date}T{}\r\nSUMMARY:{}\r\nEND:VEVENT\r\n",
            room.id,
            time(&slot.starts_at),
            time(&slot.ends_at),
            crate::web::format::ical_text(&format!("{} {} ({})", f.name, room.name, ctx.tr().t("rsv.cell_taken"))),
        ));
    }
    out.push_str("END:VCALENDAR\r\n");
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        out,
    )
        .into_response())
}
