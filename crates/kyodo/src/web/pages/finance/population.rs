//! The population the organization records per fiscal year (住民基本台帳, at the year's end), from
//! which the statements' 一人当たり figures are computed: the HQ enters or corrects a year's figure.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::finance::statements::store;
use crate::i18n::fy;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, first};
use crate::web::format::amount;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "finance/population.html")]
struct PopulationPage<'a> {
    s: Shell<'a>,
    /// (年度, population)
    years: Vec<(String, String)>,
    year: String,
    population: String,
}

async fn show(
    st: &WebState,
    ctx: &Ctx,
    errs: FieldErrors,
    year: &str,
    population: &str,
) -> AppResult<Response> {
    let t = ctx.tr();
    let years = store::populations(&st.app.db, ctx.org_id()).await?;
    let page = PopulationPage {
        s: Shell::new(ctx, "fst.population_title").with_errors(errs),
        years: years
            .into_iter()
            .map(|(y, p)| (fy(t, y), amount(p)))
            .collect(),
        year: year.to_string(),
        population: population.to_string(),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    show(&st, &ctx, FieldErrors::default(), "", "").await
}

pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let (raw_year, raw_pop) = (first(&f, "year"), first(&f, "population"));
    let mut errs = FieldErrors::default();
    let year = kyodo_jp::FiscalYear::parse(raw_year);
    if year.is_none() {
        errs.add("year", "fst.bad_population_year");
    }
    let population = match kyodo_jp::numbers::parse_amount(raw_pop) {
        Ok(Some(p)) if p > 0 => Some(p),
        _ => {
            errs.add("population", "fst.bad_population");
            None
        }
    };
    let (Some(year), Some(population)) = (year, population) else {
        return show(&st, &ctx, errs, raw_year, raw_pop).await;
    };
    store::set_population(
        &st.app,
        ctx.org_id(),
        &Actor::user(user),
        i64::from(year.0),
        population,
    )
    .await
    .map_err(AppError::Internal)?;
    Ok(see_other(&st, "/hq/finance/population", "admin.saved"))
}
