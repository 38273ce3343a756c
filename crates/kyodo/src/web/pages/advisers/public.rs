//! The public register of advisers (外部有識者名簿): field, affiliation, term and what each is
//! assigned to, with the comments the HQ published — never an e-mail address, and a name only
//! when the adviser agreed.

use super::hq::{AdviserRow, CommentRow, register_rows};
use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "advisers/public.html")]
struct PublicPage<'a> {
    s: Shell<'a>,
    advisers: Vec<AdviserRow>,
    comments: Vec<CommentRow>,
}

pub async fn register(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let (advisers, comments) = register_rows(st.reader(&ctx), ctx.tr(), ctx.org_id(), true).await?;
    let page = PublicPage {
        s: Shell::new(&ctx, "adv.public_title"),
        advisers,
        comments,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}
