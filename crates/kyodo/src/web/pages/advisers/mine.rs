//! The adviser's own pages: what is assigned (within the term), the work in progress of one
//! assignment with no personal data, and the adviser's comments on it. Anyone else — another
//! adviser, an adviser outside the term, staff — is told the page does not exist.

use super::{state_label, target_label};
use crate::advisers::assignments::{self, Assignment};
use crate::advisers::comments::{self, Comment};
use crate::advisers::{self, Adviser, material};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, first};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "advisers/mine.html")]
struct MinePage<'a> {
    s: Shell<'a>,
    a: Adviser,
    term: String,
    in_term: bool,
    /// (assignment id, label)
    assigned: Vec<(i64, String)>,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let t = ctx.tr();
    let a = advisers::of_user(&st.app.db, org, p.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_term = a.in_term(&advisers::today());
    let assigned = if in_term {
        assignments::of_adviser(&st.app.db, org, a.id)
            .await?
            .iter()
            .map(|x| (x.id, target_label(t, &x.target)))
            .collect()
    } else {
        Vec::new()
    };
    let page = MinePage {
        s: Shell::new(&ctx, "adv.mine_title"),
        term: super::hq::term(t, &a),
        in_term,
        assigned,
        a,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "advisers/assignment.html")]
struct AssignmentPage<'a> {
    s: Shell<'a>,
    x: Assignment,
    label: String,
    public_path: String,
    /// (heading, text, state in words)
    rows: Vec<(String, String, String)>,
    comments: Vec<(Comment, String)>,
    body: String,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    body: Option<String>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let t = ctx.tr();
    let db = &st.app.db;
    let (_, x) = assignments::for_adviser(db, org, p.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (rows, mine) = tokio::try_join!(
        material::of(db, org, &x.target.kind, x.target.id),
        comments::of_assignment(db, org, id),
    )?;
    let kind = x.target.kind.clone();
    let page = AssignmentPage {
        s: Shell::new(ctx, "adv.assignment_title").with_errors(errs),
        label: target_label(t, &x.target),
        public_path: x.target.public_path(),
        rows: rows
            .into_iter()
            .map(|r| {
                let state = state_label(t, &kind, &r.state);
                (r.heading, r.text, state)
            })
            .collect(),
        comments: mine
            .into_iter()
            .map(|c| {
                let when = t.datetime(&c.created_at);
                (c, when)
            })
            .collect(),
        body: body.unwrap_or_default(),
        x,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, id, None, FieldErrors::default()).await
}

pub async fn comment(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let org = ctx.org_id();
    assignments::for_adviser(&st.app.db, org, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = first(&fields, "body").to_string();
    match comments::add(&st.app, org, user, id, &body).await {
        // A comment is internal until the HQ publishes it.
        Ok(_) => Ok(unchanged(see_other(
            &st,
            &format!("/adviser/assignments/{id}"),
            "adv.commented",
        ))),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Some(body), errs).await,
        Err(e) => Err(e),
    }
}
