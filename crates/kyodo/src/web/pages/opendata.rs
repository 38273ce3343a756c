//! オープンデータ: the catalogue as a page (every dataset, its resources with format, licence and
//! update frequency, and the machine-readable catalogue's addresses), and the administrator's
//! choice of licence.

use crate::error::{AppError, AppResult};
use crate::opendata::license::{self, CHOICES};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, first};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// A dataset as the page shows it.
struct Row {
    name: String,
    title: String,
    notes: String,
    frequency: String,
    modified: String,
    landing: String,
    is_demo: bool,
    /// (name, format, path)
    resources: Vec<(String, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "opendata/catalogue.html")]
struct CataloguePage<'a> {
    s: Shell<'a>,
    license_title: String,
    license_url: &'static str,
    rows: Vec<Row>,
}

pub async fn catalogue(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let data = crate::web::api::ckan::datasets(&st, &ctx, t.lang).await?;
    let (lic, all) = (&data.0, &data.1);
    let rows = all
        .iter()
        .map(|d| Row {
            name: d.name.clone(),
            title: d.title.clone(),
            notes: d.notes.clone(),
            frequency: t.t(d.frequency.key()).to_string(),
            modified: chrono::NaiveDate::parse_from_str(
                d.modified.get(..10).unwrap_or_default(),
                "%Y-%m-%d",
            )
            .map(|day| t.date(day))
            .unwrap_or_default(),
            landing: d.landing.clone(),
            is_demo: d.is_demo,
            resources: d
                .resources
                .iter()
                .map(|r| (t.t(r.name_key).to_string(), r.format, r.path.clone()))
                .collect(),
        })
        .collect();
    let html = render(&CataloguePage {
        s: Shell::new(&ctx, "opendata.title"),
        license_title: t.t(lic.title_key).to_string(),
        license_url: lic.url,
        rows,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

#[derive(Template)]
#[template(path = "opendata/license.html")]
struct LicensePage<'a> {
    s: Shell<'a>,
    /// (id, title, url, chosen)
    choices: Vec<(&'static str, String, &'static str, bool)>,
}

async fn license_page(st: &WebState, ctx: &Ctx, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let chosen = license::of(&st.app.db, ctx.org_id()).await?;
    let page = LicensePage {
        s: Shell::new(ctx, "opendata.license_title").with_errors(errs),
        choices: CHOICES
            .iter()
            .map(|l| (l.id, t.t(l.title_key).to_string(), l.url, l.id == chosen.id))
            .collect(),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn license_form(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    license_page(&st, &ctx, FieldErrors::default()).await
}

pub async fn choose_license(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match license::choose(&st.app, ctx.org_id(), user, first(&f, "license")).await {
        Ok(()) => Ok(see_other(&st, "/admin/opendata", "admin.saved")),
        Err(AppError::Invalid(errs)) => license_page(&st, &ctx, errs).await,
        Err(e) => Err(e),
    }
}
