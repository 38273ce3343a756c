//! Staff: editing a facility (details, closed days, who runs it, who may book), each refusal
//! beside its field.

use super::WEEKDAYS;
use crate::error::{AppError, AppResult};
use crate::reservations::facilities;
use crate::reservations::facility_edit::{self, BOOKING_RULES, FacilityForm};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A choice: (field, label, value, options as (value, label)).
type Choice = (&'static str, String, String, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "reservations/facility_edit.html")]
struct EditPage<'a> {
    s: Shell<'a>,
    id: i64,
    name: String,
    /// (field, label, value, required)
    texts: Vec<(&'static str, String, String, bool)>,
    /// (ISO weekday, label, ticked)
    weekdays: Vec<(u32, String, bool)>,
    choices: Vec<Choice>,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    f: FacilityForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let stored = facilities::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let text = |field, key: &str, value: &str, required| {
        (field, t.t(key).to_string(), value.to_string(), required)
    };
    let closed = f.closed_days();
    let options = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(v, k)| (v.to_string(), t.t(k).to_string()))
            .collect()
    };
    let p = EditPage {
        s: Shell::new(ctx, "rsv.facility_edit_title").with_errors(errs),
        id,
        name: stored.name,
        texts: vec![
            text("name", "rsv.facility_name", &f.name, true),
            text("kana", "rsv.kana", &f.kana, false),
            text("address", "rsv.address", &f.address, false),
            text("hours", "rsv.hours", &f.hours, false),
            text("contact", "rsv.contact", &f.contact, false),
            text("manager_name", "rsv.manager_name", &f.manager_name, false),
        ],
        weekdays: (1..=7)
            .map(|d| {
                (
                    d,
                    t.t(WEEKDAYS[d as usize - 1]).to_string(),
                    closed.contains(&d),
                )
            })
            .collect(),
        choices: vec![
            (
                "manager_kind",
                t.t("rsv.manager").to_string(),
                f.manager_kind.clone(),
                options(&[("direct", "rsv.direct"), ("designated", "rsv.designated")]),
            ),
            (
                "booking_rule",
                t.t("rsv.booking_rule").to_string(),
                f.booking_rule.clone(),
                options(&BOOKING_RULES),
            ),
        ],
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let f = facilities::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    page(&st, &ctx, id, FacilityForm::of(&f), FieldErrors::default()).await
}

pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<FacilityForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match facility_edit::save(&st.app, ctx.org_id(), staff, id, &f).await {
        Ok(()) => Ok(see_other(&st, "/staff/facilities/rooms", "notice.saved")),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, f, errs).await,
        Err(e) => Err(e),
    }
}
