//! Entry pages for staff, committee members and the reform HQ. Later issues fill them with work lists.

use super::account::role_labels;
use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage<'a> {
    s: Shell<'a>,
    lead: String,
    roles: Vec<String>,
}

async fn portal(
    st: &WebState,
    ctx: &Ctx,
    title: &'static str,
    lead: &str,
) -> AppResult<Html<String>> {
    let p = ctx.require_user()?;
    let roles = role_labels(st, ctx, &p.roles).await?;
    render(&PortalPage {
        s: Shell::new(ctx, title),
        lead: ctx.tr().t(lead).to_string(),
        roles,
    })
}

pub async fn staff(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    portal(&st, &ctx, "portal.staff_title", "portal.staff_lead").await
}

pub async fn committee(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    portal(&st, &ctx, "portal.committee_title", "portal.committee_lead").await
}

pub async fn hq(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    portal(&st, &ctx, "portal.hq_title", "portal.hq_lead").await
}
