//! A 施策 page: the rollup of the latest published year (outcome indicators, score band, the
//! programmes under it with their cost and direction, the HQ's direction) and the 市民意識調査 results
//! bound to it — satisfaction next to progress and cost.

use crate::charts::fmt_num;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::rollup;
use crate::evaluation::stage::Stage;
use crate::evaluation::store;
use crate::evaluation::year::YearData;
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::format::fy;
use crate::web::pages::evaluation::list::published;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "evaluation/policy.html")]
struct PolicyPage<'a> {
    s: Shell<'a>,
    /// 意見公募 linked to this 施策: (id, title).
    consultations: Vec<(i64, String)>,
    m: rollup::Measure,
    year_label: String,
    band: String,
    direction: String,
    direction_reason: String,
    programmes: Vec<(i64, String, String, String, String)>,
    is_demo: bool,
    survey_results: Vec<crate::web::pages::portfolio::BoundRow>,
    /// 委員意見 on this 施策.
    follow_up: crate::web::pages::councils::opinions::Block,
}

impl PolicyPage<'_> {
    fn num(&self, v: &Option<f64>) -> String {
        v.map(fmt_num).unwrap_or_else(|| "—".into())
    }
    fn money(&self, v: &i64) -> String {
        fmt_num(*v as f64)
    }
}

/// A 施策 of the newest published year with its rollup (indicators, score, band, programmes,
/// direction): what its page shows, and the API's counterpart (`web/api/evaluation.rs`).
pub async fn measure_of(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
) -> AppResult<(Arc<YearData>, rollup::Measure)> {
    let org = ctx.org_id();
    let cycle = published(st, org)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    // The whole year is the same for every 施策 of it until the evaluation area changes: kept
    // (`web::snapshots`, read from the primary like every snapshot), not read per page.
    let y = st
        .snapshots
        .public_years
        .get_or_load_alone(&st.cache, Areas::EVALUATION, org, cycle.id, || async {
            Ok::<_, AppError>(Some(YearData::load(&st.app.db, org, cycle, true).await?))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let db = st.reader(ctx);
    let node = y
        .nodes
        .iter()
        .find(|n| n.id == id && n.level == "measure")
        .ok_or(AppError::NotFound)?;
    let (inds, values) = store::indicators(db, org, "policy", Some(id)).await?;
    let mut directions =
        crate::evaluation::settings::policy_directions(db, org, y.cycle.fiscal_year).await?;
    directions.retain(|d| d.0 == id);
    let m = rollup::measure(
        &rollup::Inputs {
            fiscal_year: y.cycle.fiscal_year,
            nodes: &y.nodes,
            programmes: &y.programmes,
            data: &y.data,
            indicators: &inds,
            values: &values,
            units: &y.units,
            codes: &y.codes,
            directions: &directions,
        },
        node,
    );
    Ok((y, m))
}

pub async fn policy(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = st.reader(&ctx);
    let (y, m) = measure_of(&st, &ctx, id).await?;
    let programmes = m
        .programmes
        .iter()
        .map(|r| {
            (
                r.programme.id,
                format!("{} {}", r.programme.code, r.programme.name),
                y.department_name(r.programme.department_id, t.lang),
                r.cost
                    .as_ref()
                    .map(|c| fmt_num(c.total as f64))
                    .unwrap_or_else(|| "—".into()),
                if r.stage == Some(Stage::Draft) || r.direction.is_empty() {
                    "—".to_string()
                } else {
                    y.label(codes::EVAL_DIRECTION, &r.direction, t.lang)
                        .to_string()
                },
            )
        })
        .collect();
    let survey_results = crate::web::pages::portfolio::bound_rows(
        db,
        org,
        crate::surveys::results::Binding::Policy(id),
        &y.codes,
        t,
    )
    .await?;
    let consultations = crate::participation::consultations::for_policy(db, org, id)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let follow_up = crate::web::pages::councils::opinions::block(
        &st,
        &ctx,
        crate::councils::opinions::Subject::Policy(id),
    )
    .await?;
    let html = render(&PolicyPage {
        follow_up,
        consultations,
        survey_results,
        s: Shell::new(&ctx, "eval.policy_title"),
        year_label: fy(t, y.cycle.fiscal_year),
        band: m
            .band
            .as_ref()
            .map(|b| b.label(t.lang).to_string())
            .unwrap_or_else(|| "—".into()),
        direction: m
            .direction
            .as_ref()
            .map(|(d, _)| y.label(codes::EVAL_DIRECTION, d, t.lang).to_string())
            .unwrap_or_else(|| "—".into()),
        direction_reason: m
            .direction
            .as_ref()
            .map(|(_, r)| r.clone())
            .unwrap_or_default(),
        programmes,
        is_demo: y.cycle.is_demo,
        m,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}
