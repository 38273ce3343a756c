//! The administration home page and the mail outbox (what Kyodo sent, for checking delivery).

use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage<'a> {
    s: Shell<'a>,
}

pub async fn index(ctx: Ctx) -> AppResult<Html<String>> {
    render(&IndexPage {
        s: Shell::new(&ctx, "admin.title"),
    })
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage<'a> {
    s: Shell<'a>,
    items: Vec<crate::mail::OutboxItem>,
}

pub async fn outbox(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    let items = crate::mail::outbox(&st.app.db, ctx.org_id(), 100).await?;
    render(&OutboxPage {
        s: Shell::new(&ctx, "admin.outbox"),
        items,
    })
}
