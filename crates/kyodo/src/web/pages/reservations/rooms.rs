//! Staff: the rooms of every facility and the form to add one with its fee table (each problem
//! of the table listed by line, nothing saved until all are good).

use crate::error::{AppError, AppResult};
use crate::reservations::facilities as store;
use crate::reservations::rooms::{self, RoomForm};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "reservations/rooms.html")]
struct RoomsPage<'a> {
    s: Shell<'a>,
    facilities: Vec<(i64, String)>,
    /// (facility id, "edit …" link text)
    edit_links: Vec<(i64, String)>,
    /// (room id, "facility room", capacity)
    rooms: Vec<(i64, String, i64)>,
    form: RoomForm,
    /// The fee table's problems: (line, message).
    problems: Vec<(usize, String)>,
}

async fn page(st: &WebState, ctx: &Ctx, form: RoomForm, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let fs = store::list(&st.app.db, org).await?;
    let rooms = store::room_names(&st.app.db, org).await?;
    let problems = if errs.get("slots").is_some() {
        rooms::read_slots(&form.slots)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(line, key)| (line, t.t(key).to_string()))
            .collect()
    } else {
        Vec::new()
    };
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RoomsPage {
        s: Shell::new(ctx, "rsv.rooms_title").with_errors(errs),
        edit_links: fs
            .iter()
            .map(|f| (f.id, t.f("rsv.edit_facility", &[&f.name])))
            .collect(),
        facilities: fs.into_iter().map(|f| (f.id, f.name)).collect(),
        rooms,
        form,
        problems,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, RoomForm::default(), FieldErrors::default()).await
}

pub async fn add(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<RoomForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match rooms::add(&st.app, ctx.org_id(), staff, &f).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/facilities/rooms/{id}"),
            "rsv.room_added",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, f, errs).await,
        Err(e) => Err(e),
    }
}
