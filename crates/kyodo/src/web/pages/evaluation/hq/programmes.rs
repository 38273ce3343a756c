//! The HQ's programme master: list, create, edit, and merge or split programmes with history.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::programmes::{self, Fields};
use crate::evaluation::store::{self, Programme};
use crate::evaluation::year::department_name;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

type Options = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "evaluation/programmes.html")]
struct ProgrammesPage<'a> {
    s: Shell<'a>,
    /// (id, code, name, department, status, period)
    rows: Vec<(i64, String, String, String, String, String)>,
    editing: Option<Programme>,
    form: Fields,
    /// (field, label, options, required)
    selects: Vec<(String, String, Options, bool)>,
    others: Options,
}

impl ProgrammesPage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn is(&self, k: &str, v: &str) -> bool {
        self.value(k) == v
    }
}

fn status_key(s: &str) -> &'static str {
    match s {
        "merged" => "eval.status_merged",
        "split" => "eval.status_split",
        "ended" => "eval.status_ended",
        _ => "eval.status_active",
    }
}

fn fields_of(p: &Programme) -> Fields {
    let mut f = Fields::new();
    for (k, v) in [
        ("code", p.code.clone()),
        ("name", p.name.clone()),
        ("department_id", p.department_id.to_string()),
        (
            "policy_node_id",
            p.policy_node_id.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("legal_basis", p.legal_basis.clone()),
        ("first_year", p.first_year.to_string()),
        (
            "last_year",
            p.last_year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        ("is_new", p.is_new.to_string()),
        ("kind", p.kind.clone()),
        ("method", p.method.clone()),
        ("target", p.target.clone()),
        ("intent", p.intent.clone()),
        ("means", p.means.clone()),
    ] {
        f.insert(k.into(), v);
    }
    f
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    editing: Option<i64>,
    form: Option<Fields>,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let all = store::programmes(db, org).await?;
    let editing = match editing {
        Some(id) => Some(
            all.iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let depts = crate::accounts::departments::list(db, org).await?;
    let all_codes = codes::all(db, org).await?;
    let pairs = |list: &str| {
        codes::of_list(&all_codes, list)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect::<Options>()
    };
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(
        ctx,
        if editing.is_some() {
            "eval.programme_edit_title"
        } else {
            "eval.programmes_title"
        },
    )
    .with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let page = ProgrammesPage {
        s,
        rows: all
            .iter()
            .map(|p| {
                (
                    p.id,
                    p.code.clone(),
                    p.name.clone(),
                    department_name(&depts, p.department_id, t.lang),
                    t.t(status_key(&p.status)).to_string(),
                    format!(
                        "{}〜{}",
                        fy(t, p.first_year),
                        p.last_year.map(|y| fy(t, y)).unwrap_or_default()
                    ),
                )
            })
            .collect(),
        form: form.unwrap_or_else(|| editing.as_ref().map(fields_of).unwrap_or_default()),
        selects: vec![
            (
                "department_id".into(),
                t.t("eval.department").into(),
                depts
                    .iter()
                    .map(|d| (d.id.to_string(), department_name(&depts, d.id, t.lang)))
                    .collect(),
                true,
            ),
            (
                "policy_node_id".into(),
                t.t("eval.position").into(),
                store::policy_nodes(db, org)
                    .await?
                    .into_iter()
                    .filter(|n| n.level != "policy")
                    .map(|n| (n.id.to_string(), format!("{} {}", n.number, n.title)))
                    .collect(),
                false,
            ),
            (
                "kind".into(),
                t.t("eval.type").into(),
                pairs(codes::PROGRAMME_TYPE),
                false,
            ),
            (
                "method".into(),
                t.t("eval.method").into(),
                pairs(codes::IMPL_METHOD),
                false,
            ),
        ],
        others: all
            .iter()
            .filter(|p| p.status == "active" && Some(p.id) != editing.as_ref().map(|e| e.id))
            .map(|p| (p.id.to_string(), format!("{} {}", p.code, p.name)))
            .collect(),
        editing,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn index(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, None, None, FieldErrors::default(), None).await
}

pub async fn edit(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, Some(id), None, FieldErrors::default(), None).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Fields>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let all_codes = codes::all(&st.app.db, ctx.org_id()).await?;
    match programmes::create(&st.app, ctx.org_id(), p.user_id, &f, &all_codes).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/evaluation/programmes/{id}"),
            "notice.created",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, None, Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}

/// What each of the programme's forms ends with: the page with its notice, or the form's messages.
async fn after(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    result: AppResult<&'static str>,
    f: Fields,
) -> AppResult<Response> {
    match result {
        Ok(notice) => Ok(see_other(
            st,
            &format!("/hq/evaluation/programmes/{id}"),
            notice,
        )),
        Err(AppError::Invalid(errs)) => page(st, ctx, Some(id), Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}

fn field<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

/// Saves the programme's master data.
pub async fn update(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<Fields>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let all_codes = codes::all(&st.app.db, org).await?;
    let result = programmes::update(&st.app, org, p.user_id, id, &f, &all_codes).await;
    after(&st, &ctx, id, result.map(|_| "eval.programme_saved"), f).await
}

/// 統合: the programme joins another from a year (`into`, `merge_year`, `merge_note`).
pub async fn merge(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<Fields>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k| field(&f, k);
    let result = crate::evaluation::lineage::merge(
        &st.app,
        ctx.org_id(),
        p.user_id,
        id,
        get("into"),
        get("merge_year"),
        get("merge_note"),
    )
    .await;
    after(&st, &ctx, id, result.map(|_| "eval.programme_merged"), f).await
}

/// 分割: the programme is split into new ones from a year (`split_into`, `split_year`).
pub async fn split(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<Fields>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let all_codes = codes::all(&st.app.db, org).await?;
    let get = |k| field(&f, k);
    let result = crate::evaluation::lineage::split(
        &st.app,
        org,
        p.user_id,
        id,
        get("split_into"),
        get("split_year"),
        &all_codes,
    )
    .await;
    after(&st, &ctx, id, result.map(|_| "eval.programme_split"), f).await
}
