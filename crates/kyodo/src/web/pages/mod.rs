//! Server-rendered pages, one module per area. Handlers are thin: parse, call the domain, render.

pub mod accessibility;
pub mod accounts;
pub mod admin;
pub mod advisers;
pub mod assets;
pub mod cases;
pub mod councils;
pub mod discovery;
pub mod documents;
pub mod errors;
pub mod evaluation;
pub mod finance;
pub mod front_door;
pub mod front_sources;
pub mod home;
pub mod line_import;
pub mod minutes;
pub mod opendata;
pub mod ops;
pub mod participation;
pub mod plans;
pub mod portals;
pub mod portfolio;
pub mod reservations;
pub mod roles;
pub mod surveys;

use super::ctx::Ctx;
use super::shell::{Shell, render};
use crate::error::AppResult;
use askama::Template;
use axum::response::{IntoResponse, Response};

/// A page with a title and paragraphs (confirmations, errors, notices).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub s: Shell<'a>,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

/// A message page: a title and paragraphs (catalogue keys), with an optional link.
pub fn message(
    ctx: &Ctx,
    title: &'static str,
    paragraphs: &[&str],
    link: Option<(&str, &str)>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let page = MessagePage {
        s: Shell::new(ctx, title),
        paragraphs: paragraphs.iter().map(|k| t.t(k).to_string()).collect(),
        link: link.map(|(href, key)| (href.to_string(), t.t(key).to_string())),
    };
    Ok(render(&page)?.into_response())
}
