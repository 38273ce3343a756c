//! The organization's public home page and the display switches.

use crate::accounts::departments::{self, TreeRow};
use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::{Ctx, set_cookie};
use crate::web::extract::QueryData;
use crate::web::pages::front_sources;
use crate::web::redirect::is_local_path;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    s: Shell<'a>,
    today: String,
    today_iso: String,
    fiscal_year: String,
    departments: Vec<TreeRow>,
    plans: Vec<(i64, String)>,
    door: super::front_door::FrontDoor,
}

/// The organization's home page. Anonymous views come from the page cache (the date shown can lag
/// by at most the cache's minute).
pub async fn home(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let (sources, all_depts) = tokio::try_join!(
        front_sources::sources(&st, org),
        st.snapshots.departments(&st.cache, &st.app.db, org)
    )?;
    let plans: Vec<(i64, String)> = sources
        .plans
        .plans
        .iter()
        .filter(|p| crate::policy::can_see_plan(ctx.principal.as_deref(), &p.status))
        .map(|p| (p.id, p.title.clone()))
        .collect();
    let today = chrono::Utc::now()
        .with_timezone(&crate::i18n::jst())
        .date_naive();
    let start = u32::try_from(ctx.org.fiscal_year_start_month).unwrap_or(4);
    let mut depts = departments::tree(all_depts.as_ref().clone());
    depts.retain(|d| d.depth == 0);
    if t.lang == crate::i18n::Lang::En {
        for d in &mut depts {
            if !d.dept.name_en.is_empty() {
                d.dept.name = d.dept.name_en.clone();
            }
        }
    }
    let door = super::front_door::load(&st, &ctx, today, &sources).await?;
    let html = render(&HomePage {
        door,
        s: Shell::new(&ctx, "home.title"),
        today: t.date(today),
        today_iso: today.to_string(),
        fiscal_year: t.fiscal_year(kyodo_jp::FiscalYear::containing(today, start)),
        departments: depts,
        plans,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

#[derive(Deserialize)]
pub struct PrefsQuery {
    lang: Option<String>,
    text: Option<String>,
    contrast: Option<String>,
    ruby: Option<String>,
    back: Option<String>,
}

/// Sets a display preference cookie and returns to the page (works without JavaScript).
pub async fn prefs(State(st): State<WebState>, QueryData(q): QueryData<PrefsQuery>) -> Response {
    let secure = st.app.config.secure_cookies();
    let year = 60 * 60 * 24 * 365;
    let mut cookies = Vec::new();
    if let Some(l) = q.lang.as_deref().filter(|l| matches!(*l, "ja" | "en")) {
        cookies.push(set_cookie("kyodo_lang", l, year, secure, false));
    }
    if let Some(t) = q.text.as_deref().filter(|t| matches!(*t, "m" | "l" | "xl")) {
        cookies.push(set_cookie("kyodo_text", t, year, secure, false));
    }
    if let Some(c) = q
        .contrast
        .as_deref()
        .filter(|c| matches!(*c, "normal" | "high"))
    {
        cookies.push(set_cookie("kyodo_contrast", c, year, secure, false));
    }
    if let Some(r) = q.ruby.as_deref().filter(|r| matches!(*r, "on" | "off")) {
        cookies.push(set_cookie("kyodo_ruby", r, year, secure, false));
    }
    let back = q
        .back
        .filter(|b| is_local_path(b))
        .unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&back).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}
