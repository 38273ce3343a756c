//! A council meeting: public — its announcement, 傍聴 registration (a seat or the waiting list)
//! and, once recorded, the minutes in the published layout (日時, 場所, 出席者, 欠席者, 傍聴者数,
//! 配布資料, 会議の結果); HQ — announcing one, the registrations, recording the minutes.

use crate::councils::bodies::{self, Body};
use crate::councils::meetings::{self, Meeting, MeetingForm, MinutesForm};
use crate::councils::observers::{self, ObserverForm, Place};
use crate::error::{AppError, AppResult};
use crate::files::documents::{self, Document, Owner};
use crate::participation::today;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{ClientIp, FormData, PathId};
use crate::web::notice::{see_other, see_other_counted};
use crate::web::shell::{Event, Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// 令和8年1月15日 14:00
pub fn when(t: crate::i18n::Tr, m: &Meeting) -> String {
    let day = chrono::NaiveDate::parse_from_str(&m.held_on, "%Y-%m-%d")
        .map(|d| t.date(d))
        .unwrap_or_else(|_| m.held_on.clone());
    format!("{day} {}", m.starts_at)
}

#[derive(Template)]
#[template(path = "councils/meeting.html")]
struct MeetingPage<'a> {
    s: Shell<'a>,
    b: Body,
    m: Meeting,
    when: String,
    open_for_observers: bool,
    form: ObserverForm,
    /// 配布資料 — empty for a closed meeting (its documents are the HQ's).
    documents: Vec<Document>,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Option<ObserverForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let db = st.reader(ctx);
    let m = meetings::get(db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = bodies::get(db, org, m.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let documents = if m.is_public {
        documents::of_owner(db, org, Owner::CouncilMeeting(id)).await?
    } else {
        Vec::new()
    };
    // A public meeting is an event anyone may attend (傍聴): schema.org Event, with its start
    // time in JST when it has one.
    let mut s = Shell::new(ctx, "cn.meeting_title").with_errors(errs);
    if m.is_public {
        let start_date = match chrono::NaiveTime::parse_from_str(&m.starts_at, "%H:%M") {
            Ok(t) => format!("{}T{}:00+09:00", m.held_on, t.format("%H:%M")),
            Err(_) => m.held_on.clone(),
        };
        s = s.with_event(Event {
            name: b.name.clone(),
            start_date,
            place: m.place.clone(),
        });
    }
    let page = MeetingPage {
        s,
        when: when(ctx.tr(), &m),
        open_for_observers: m.is_public
            && m.capacity > 0
            && m.held_on >= today().format("%Y-%m-%d").to_string(),
        b,
        m,
        form: form.unwrap_or_default(),
        documents,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, id, None, FieldErrors::default()).await
}

pub async fn observe(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    PathId(id): PathId,
    FormData(f): FormData<ObserverForm>,
) -> AppResult<Response> {
    let to = format!("/councils/meetings/{id}");
    let client = ip.to_string();
    match observers::register(&st.app, ctx.org_id(), id, &f, &client).await {
        Ok(Place::Seat(n)) => Ok(see_other_counted(&st, &to, "cn.observer_seat", n as usize)),
        Ok(Place::Waiting(n)) => Ok(see_other_counted(
            &st,
            &to,
            "cn.observer_waiting",
            n as usize,
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

pub async fn announce(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(body): PathId,
    FormData(f): FormData<MeetingForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match meetings::announce(&st.app, ctx.org_id(), user, body, &f).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/councils/meetings/{id}"),
            "cn.announced",
        )),
        Err(AppError::Invalid(errs)) => {
            super::hq::members_page(
                &st,
                &ctx,
                body,
                super::hq::BodyForms {
                    meeting: Some(f),
                    ..Default::default()
                },
                errs,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "councils/meeting_hq.html")]
struct HqPage<'a> {
    s: Shell<'a>,
    b: Body,
    m: Meeting,
    when: String,
    /// (position, name, e-mail, place in words)
    observers: Vec<(i64, String, String, String)>,
    form: MinutesForm,
    documents: Vec<Document>,
    documents_action: String,
}

pub(crate) async fn hq_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Option<MinutesForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let m = meetings::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = bodies::get(&st.app.db, org, m.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let documents = documents::of_owner(&st.app.db, org, Owner::CouncilMeeting(id)).await?;
    let t = ctx.tr();
    let observers = observers::of_meeting(&st.app.db, org, id, m.capacity)
        .await?
        .into_iter()
        .map(|o| {
            let place = match o.place {
                Some(Place::Seat(_)) => t.t("cn.seat").to_string(),
                Some(Place::Waiting(n)) => format!("{} {n}", t.t("cn.waiting")),
                None => t.t("cn.cancelled").to_string(),
            };
            (o.position, o.name, o.email, place)
        })
        .collect();
    let form = form.unwrap_or_else(|| MinutesForm {
        attendees: m.attendees.clone(),
        absentees: m.absentees.clone(),
        documents: m.documents.clone(),
        result: m.result.clone(),
        observer_count: m.observer_count.map(|n| n.to_string()).unwrap_or_default(),
    });
    let page = HqPage {
        s: Shell::new(ctx, "cn.meeting_hq_title").with_errors(errs),
        when: when(ctx.tr(), &m),
        b,
        m,
        observers,
        form,
        documents,
        documents_action: format!("/hq/councils/meetings/{id}/documents"),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn hq_show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    hq_page(&st, &ctx, id, None, FieldErrors::default()).await
}

pub async fn minutes(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<MinutesForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match meetings::record_minutes(&st.app, ctx.org_id(), user, id, &f).await {
        Ok(_) => Ok(see_other(
            &st,
            &format!("/hq/councils/meetings/{id}"),
            "cn.minutes_saved",
        )),
        Err(AppError::Invalid(errs)) => hq_page(&st, &ctx, id, Some(f), errs).await,
        Err(e) => Err(e),
    }
}
