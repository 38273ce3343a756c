//! The system administrator's pages: departments, committees, users and roles, the audit log, the
//! mail outbox. System administrators only (route table).

pub mod audit;
pub mod committees;
pub mod departments;
pub mod home;
pub mod users;

use crate::audit::Actor;
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::ctx::Ctx;
use axum::http::StatusCode;

pub(super) fn actor(ctx: &Ctx) -> AppResult<Actor> {
    Ok(Actor::user(ctx.require_user()?.user_id))
}

pub(super) fn status_of(errs: &FieldErrors) -> StatusCode {
    if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}
