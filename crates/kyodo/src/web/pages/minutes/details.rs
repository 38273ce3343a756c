//! HQ: a meeting's place, attendance, agenda (議事日程 / 庁議 案件 with 結果 and 担当) and
//! documents, corrected or added after an import. The agenda and documents are typed or pasted a
//! line each; every problem is listed by line and nothing is saved until all are good.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::minutes::details::{self, DetailsForm};
use crate::minutes::store::{self, Meeting};
use crate::validation::{FieldErrors, LineProblem};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// (field, label, hint, the text as typed, problems as (line, message, value))
type LineField = (
    &'static str,
    String,
    String,
    String,
    Vec<(usize, String, String)>,
);

#[derive(Template)]
#[template(path = "minutes/details.html")]
struct DetailsPage<'a> {
    s: Shell<'a>,
    m: Meeting,
    form: DetailsForm,
    line_fields: Vec<LineField>,
}

/// The form as stored: the agenda and documents written back a line each.
async fn stored(st: &WebState, org: i64, m: &Meeting) -> AppResult<DetailsForm> {
    let ids = [m.id];
    let (items, docs) = tokio::try_join!(
        details::items_of(&st.app.db, org, &ids),
        details::documents_of(&st.app.db, org, &ids),
    )?;
    let line = |cells: &[&str]| {
        let mut cells = cells.to_vec();
        while cells.len() > 1 && cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        // A result of several lines stays one line here (the lines joined by a space).
        cells.join(" ｜ ").replace('\n', " ")
    };
    Ok(DetailsForm {
        place: m.place.clone(),
        attendance: m.attendance.clone(),
        items: items
            .iter()
            .map(|(_, i)| line(&[&i.title, &i.result, &i.department]))
            .collect::<Vec<_>>()
            .join("\n"),
        documents: docs
            .iter()
            .map(|(_, d)| line(&[&d.title, &d.url]))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

fn page(ctx: &Ctx, m: Meeting, form: DetailsForm, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let shown = |ps: Vec<LineProblem>| -> Vec<(usize, String, String)> {
        ps.into_iter()
            .map(|p| (p.line, t.t(p.key).to_string(), p.value))
            .collect()
    };
    let item_problems = shown(details::parse_items(&form.items).err().unwrap_or_default());
    let doc_problems = shown(
        details::parse_documents(&form.documents)
            .err()
            .unwrap_or_default(),
    );
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = DetailsPage {
        s: Shell::new(ctx, "minutes.details_title").with_errors(errs),
        line_fields: vec![
            (
                "items",
                t.t("minutes.items_field").to_string(),
                t.t("minutes.items_hint").to_string(),
                form.items.clone(),
                item_problems,
            ),
            (
                "documents",
                t.t("minutes.documents_field").to_string(),
                t.t("minutes.documents_hint").to_string(),
                form.documents.clone(),
                doc_problems,
            ),
        ],
        m,
        form,
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let org = ctx.org_id();
    let m = store::meeting(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = stored(&st, org, &m).await?;
    page(&ctx, m, form, FieldErrors::default())
}

pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DetailsForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let m = store::meeting(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match details::save(&st.app, org, &Actor::user(p.user_id), id, &f).await {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/minutes/meetings/{id}"),
            "minutes.details_saved",
        )),
        Err(AppError::Invalid(errs)) => page(&ctx, m, f, errs),
        Err(e) => Err(e),
    }
}
