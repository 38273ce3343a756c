//! Saving a progress report (a new version each time) and submitting it, one route each: every
//! value checked, the editor shown again with each problem beside its field.

use crate::error::AppResult;
use crate::plans::reports::{self, Content, Version};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::pages::plans::reports::{editor, load};
use axum::extract::State;
use axum::response::Response;
use std::collections::BTreeMap;

/// Saves a draft: fields progress, rating, did, evaluation, next_steps, ind_<id>, eff_<id>.
pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    write(&st, &ctx, id, form, false).await
}

/// Submits the report (the same fields; the three texts are then required).
pub async fn submit(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    write(&st, &ctx, id, form, true).await
}

async fn write(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Vec<(String, String)>,
    submit: bool,
) -> AppResult<Response> {
    let f: BTreeMap<String, String> = form.into_iter().collect();
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let l = load(st, ctx, id, get("period")).await?;
    let p = ctx.require_user()?;
    let mut errs = FieldErrors::default();
    let did = errs.long_text("did", get("did"), 4000);
    let evaluation = errs.long_text("evaluation", get("evaluation"), 4000);
    let next_steps = errs.long_text("next_steps", get("next_steps"), 4000);
    let mut actuals = BTreeMap::new();
    for ind in l.data.indicators_of(id) {
        let name = format!("ind_{}", ind.id);
        if let Some(v) = errs.number(&name, get(&name)) {
            actuals.insert(format!("indicator:{}", ind.id), v);
        }
    }
    for e in l
        .data
        .effects_of(id)
        .into_iter()
        .filter(|e| e.fiscal_year == l.period.fiscal_year)
    {
        let name = format!("eff_{}", e.id);
        if let Some(v) = errs.amount(&name, get(&name)) {
            actuals.insert(format!("effect:{}", e.id), v as f64);
        }
    }
    let content = Content {
        progress: get("progress").into(),
        rating: get("rating").into(),
        did,
        evaluation,
        next_steps,
        actuals,
    };
    for e in reports::validate(&content, &l.data.codes).0 {
        errs.add(&e.field, e.message);
    }
    if submit {
        for (field, v) in [
            ("did", &content.did),
            ("evaluation", &content.evaluation),
            ("next_steps", &content.next_steps),
        ] {
            if v.is_empty() {
                errs.add(field, "field.required");
            }
        }
    }
    if !errs.is_empty() {
        let entered = Version {
            progress: content.progress.clone(),
            rating: content.rating.clone(),
            did: content.did.clone(),
            evaluation: content.evaluation.clone(),
            next_steps: content.next_steps.clone(),
            actuals_json: serde_json::to_string(&content.actuals).unwrap_or_default(),
            ..Default::default()
        };
        return editor(st, ctx, l, Some(entered), errs, None).await;
    }
    reports::save(&st.app, ctx.org_id(), p, id, l.period.id, &content, submit).await?;
    let notice = if submit {
        "report.submitted"
    } else {
        "report.saved"
    };
    Ok(see_other(
        st,
        &format!("/plans/items/{id}/report?period={}", l.period.id),
        notice,
    ))
}
