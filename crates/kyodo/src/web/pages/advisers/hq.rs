//! HQ: the advisers' register — who, in which field, for which term, assigned to what — with the
//! forms to register one and to assign one, and every comment with its publication switch.

use super::target_label;
use crate::advisers::assignments::{self, Assignment};
use crate::advisers::comments::{self, Comment};
use crate::advisers::{self, Adviser, AdviserForm};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, first};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// One adviser as the register lists them.
pub struct AdviserRow {
    pub a: Adviser,
    pub term: String,
    pub assigned: Vec<String>,
}

/// One comment with whose it is and on what.
pub struct CommentRow {
    pub c: Comment,
    pub adviser: String,
    pub target: String,
    pub written: String,
}

#[derive(Template)]
#[template(path = "advisers/hq.html")]
struct HqPage<'a> {
    s: Shell<'a>,
    advisers: Vec<AdviserRow>,
    comments: Vec<CommentRow>,
    /// ("kind:id", label) for the assignment form.
    targets: Vec<(String, String)>,
    form: AdviserForm,
}

pub fn term(t: crate::i18n::Tr, a: &Adviser) -> String {
    crate::web::format::date_range(t, &a.term_start, &a.term_end)
}

/// The register's rows and the comments, each with its adviser and target (three queries).
pub async fn register_rows(
    db: &crate::db::Db,
    t: crate::i18n::Tr,
    org: i64,
    published_only: bool,
) -> AppResult<(Vec<AdviserRow>, Vec<CommentRow>)> {
    let (list, assigned, all_comments) = tokio::try_join!(
        advisers::list(db, org),
        assignments::all(db, org),
        comments::all(db, org, published_only),
    )?;
    let assignment = |id: i64| assigned.iter().find(|x: &&Assignment| x.id == id);
    let comments = all_comments
        .into_iter()
        .filter_map(|c| {
            let a =
                assignment(c.assignment_id).filter(|a| !published_only || a.target.is_public)?;
            let adviser = list.iter().find(|ad| ad.id == a.adviser_id)?;
            let name = if published_only && !adviser.publish_name {
                t.t("adv.anonymous").to_string()
            } else {
                adviser.name.clone()
            };
            Some(CommentRow {
                adviser: name,
                target: target_label(t, &a.target),
                written: t.datetime(c.published_at.as_deref().unwrap_or(&c.created_at)),
                c,
            })
        })
        .collect();
    let advisers = list
        .into_iter()
        .map(|a| AdviserRow {
            term: term(t, &a),
            assigned: assigned
                .iter()
                .filter(|x| x.adviser_id == a.id && (!published_only || x.target.is_public))
                .map(|x| target_label(t, &x.target))
                .collect(),
            a,
        })
        .collect();
    Ok((advisers, comments))
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    form: Option<AdviserForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let (advisers, comments) = register_rows(&st.app.db, t, org, false).await?;
    let targets = assignments::targets(&st.app.db, org)
        .await?
        .into_iter()
        .map(|x| (format!("{}:{}", x.kind, x.id), target_label(t, &x)))
        .collect();
    let page = HqPage {
        s: Shell::new(ctx, "adv.hq_title").with_errors(errs),
        advisers,
        comments,
        targets,
        form: form.unwrap_or_else(|| AdviserForm {
            publish_name: "1".into(),
            ..AdviserForm::default()
        }),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, None, FieldErrors::default()).await
}

pub async fn register(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<AdviserForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match advisers::register(&st.app, ctx.org_id(), user, &f).await {
        Ok(_) => Ok(see_other(&st, "/hq/advisers", "adv.registered")),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

/// Assigns the chosen adviser (`adviser`) to the chosen target (`target`, "kind:id").
pub async fn assign(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let Ok(adviser) = first(&fields, "adviser").parse::<i64>() else {
        let mut errs = FieldErrors::default();
        errs.add("adviser", "field.bad_choice");
        return page(&st, &ctx, None, errs).await;
    };
    let target = first(&fields, "target");
    match assignments::assign(&st.app, ctx.org_id(), user, adviser, target).await {
        Ok(_) => Ok(see_other(&st, "/hq/advisers", "adv.assigned_done")),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, None, errs).await,
        Err(AppError::NotFound) => {
            let mut errs = FieldErrors::default();
            errs.add("adviser", "field.bad_choice");
            page(&st, &ctx, None, errs).await
        }
        Err(e) => Err(e),
    }
}

/// Publishes a comment (`publish=1`) or takes it back (`publish=0`).
pub async fn publish(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let on = first(&fields, "publish") == "1";
    comments::publish(&st.app, ctx.org_id(), user, id, on).await?;
    let key = if on {
        "adv.published"
    } else {
        "adv.unpublished"
    };
    Ok(see_other(&st, "/hq/advisers#comments-title", key))
}
