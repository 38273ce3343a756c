//! 会議録: one meeting by its id (the NDL-format endpoints find meetings by search), with its
//! speeches as the meeting's open-data CSV has them (the import layout).

use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::pages::minutes::meeting::speech_rows;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn meeting(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (m, rows) = speech_rows(st.reader(&ctx), ctx.org_id(), id).await?;
    Ok(Json(json!({
        "id": m.id, "body": m.body, "kind": m.kind, "session": m.session, "issue": m.issue,
        "held_on": m.held_on, "title": m.title, "place": m.place, "attendance": m.attendance,
        "speeches": super::objects(&crate::minutes::csv_import::COLUMNS, &rows),
    })))
}
