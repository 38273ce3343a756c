//! Staff: the lotteries (open one for a room's month with its application period; draw one whose
//! period is over).

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::reservations::facilities as store;
use crate::reservations::lottery::{self, Lottery};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::{see_other, see_other_counted};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LotteryForm {
    room: String,
    month: String,
    apply_from: String,
    apply_until: String,
}

#[derive(Template)]
#[template(path = "reservations/lotteries.html")]
struct LotteriesPage<'a> {
    s: Shell<'a>,
    /// (id, "facility room")
    rooms: Vec<(i64, String)>,
    rows: Vec<(Lottery, String)>,
    form: LotteryForm,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    form: LotteryForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let rooms: Vec<(i64, String)> = store::room_names(&st.app.db, org)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let rows = lottery::list(&st.app.db, org)
        .await?
        .into_iter()
        .map(|l| {
            let name = rooms
                .iter()
                .find(|r| r.0 == l.room_id)
                .map(|r| r.1.clone())
                .unwrap_or_default();
            (l, name)
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = LotteriesPage {
        s: Shell::new(ctx, "rsv.lotteries_title").with_errors(errs),
        rooms,
        rows,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, LotteryForm::default(), FieldErrors::default()).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<LotteryForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    let room = f.room.trim().parse::<i64>().unwrap_or(0);
    match lottery::create(
        &st.app,
        ctx.org_id(),
        staff,
        room,
        &f.month,
        &f.apply_from,
        &f.apply_until,
    )
    .await
    {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/facilities/lotteries/{id}"),
            "rsv.lottery_opened",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, f, errs).await,
        Err(e) => Err(e),
    }
}

pub async fn draw(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match lottery::run_draw(&st.app, ctx.org_id(), &Actor::user(staff), id).await {
        Ok(d) => Ok(see_other_counted(
            &st,
            &format!("/facilities/lotteries/{id}"),
            "rsv.lottery_done",
            d.wins,
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, LotteryForm::default(), errs).await,
        Err(e) => Err(e),
    }
}
