//! Surveys in the API: the list, and a survey's published results — per question the counts and
//! shares of the results page, scale scores, number statistics, matrix and ranking tables, and
//! the 重要度 × 満足度 portfolio of every wave of its series. Aggregates only: no response, and
//! no written answer (the public page shows only how many there are), ever leaves here.

use crate::error::{AppError, AppResult};
use crate::surveys::results::PortfolioItem;
use crate::surveys::store;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::pages::surveys::question_results::{MatrixRow, question_result};
use crate::web::pages::surveys::results_data::results_data;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let surveys: Vec<Value> = store::public_list(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|s| {
            json!({"id": s.id, "title": s.title, "description": s.description,
                   "fiscal_year": s.fiscal_year, "status": s.status, "audience": s.audience,
                   "series": s.series, "opens_on": s.opens_on, "closes_on": s.closes_on,
                   "is_demo": s.is_demo, "results": format!("/api/v1/surveys/{}/results", s.id)})
        })
        .collect();
    Ok(Json(json!({ "surveys": surveys })))
}

fn portfolio(items: &[PortfolioItem]) -> Vec<Value> {
    items
        .iter()
        .map(|p| {
            json!({"question_id": p.question_id, "subject": p.subject,
                   "plan_node_id": p.plan_node_id, "policy_node_id": p.policy_node_id,
                   "importance": p.importance, "satisfaction": p.satisfaction,
                   "importance_score": p.placed.importance, "satisfaction_score": p.placed.satisfaction,
                   "quadrant": p.placed.quadrant.code(), "improvement_index": p.placed.improvement_index})
        })
        .collect()
}

pub async fn results(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let d = results_data(&st, &ctx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = ctx.tr();
    let questions: Vec<Value> = d
        .form
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let r = question_result(t, i, q, &d.tally);
            let table = |m: &(Vec<String>, Vec<MatrixRow>)| {
                json!({"columns": m.0, "rows": m.1.iter().map(|(label, base, cells)|
                    json!({"label": label, "base": base, "percent": cells})).collect::<Vec<_>>()})
            };
            json!({
                "id": q.id(), "number": r.number, "label": r.label, "kind": q.row.kind,
                "answered": r.base,
                "options": r.rows.iter().map(|(label, n, pct)| json!({"label": label, "count": n, "percent": pct})).collect::<Vec<_>>(),
                "scale_scores": r.scores.as_ref().map(|(w, net, top2)| json!({"weighted_average": w, "net_score": net, "top2_box": top2})),
                "number_stats": r.numbers.as_ref().map(|(n, mean, min, max)| json!({"count": n, "mean": mean, "min": min, "max": max})),
                "written_answers": r.text_count,
                "table": r.matrix.as_ref().map(table),
                "ranking": r.ranking.as_ref().map(|v| v.iter().map(|(label, mean, first, base)|
                    json!({"label": label, "mean_rank": mean, "first_places": first, "ranked": base})).collect::<Vec<_>>()),
            })
        })
        .collect();
    let waves: Vec<Value> = d
        .waves
        .iter()
        .map(|(sid, fy, items)| json!({"survey_id": sid, "fiscal_year": fy, "portfolio": portfolio(items)}))
        .collect();
    let s = &d.form.survey;
    Ok(Json(json!({
        "survey": {"id": s.id, "title": s.title, "fiscal_year": s.fiscal_year, "status": s.status, "is_demo": s.is_demo},
        "respondents": d.tally.respondents,
        "questions": questions,
        "portfolio": portfolio(&d.items),
        "waves": waves,
    })))
}
