//! Staff: closing a facility or a room for a period (休館), with the bookings in it listed for
//! contact.

use super::{day, status_key};
use crate::error::{AppError, AppResult};
use crate::reservations::closures::{self, ClosureForm};
use crate::reservations::facilities as store;
use crate::reservations::listing::BookingRow;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "reservations/closures.html")]
struct ClosuresPage<'a> {
    s: Shell<'a>,
    facilities: Vec<(i64, String)>,
    /// (id, "facility room")
    rooms: Vec<(i64, String)>,
    rows: Vec<(String, String, String, String, String)>,
    form: ClosureForm,
    /// After a closure: the bookings to contact (day label, row, status key).
    affected: Option<Vec<(String, BookingRow, &'static str)>>,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    form: ClosureForm,
    errs: FieldErrors,
    affected: Option<Vec<BookingRow>>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let fs = store::list(&st.app.db, org).await?;
    let rooms = store::room_names(&st.app.db, org)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ClosuresPage {
        s: Shell::new(ctx, "rsv.closures_title").with_errors(errs),
        facilities: fs.into_iter().map(|f| (f.id, f.name)).collect(),
        rooms,
        rows: closures::list(&st.app.db, org).await?,
        form,
        affected: affected.map(|v| {
            v.into_iter()
                .map(|b| {
                    let status = status_key(&b.status);
                    (day(t, &b.used_on), b, status)
                })
                .collect()
        }),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(
        &st,
        &ctx,
        ClosureForm::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

/// Records the closure and answers with the bookings to contact (no redirect: the list is the
/// result of this request).
pub async fn close(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ClosureForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match closures::close(&st.app, ctx.org_id(), staff, &f).await {
        Ok(affected) => {
            page(
                &st,
                &ctx,
                ClosureForm::default(),
                FieldErrors::default(),
                Some(affected),
            )
            .await
        }
        Err(AppError::Invalid(errs)) => page(&st, &ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}
