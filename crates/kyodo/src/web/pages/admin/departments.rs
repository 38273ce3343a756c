//! Departments (部・課・係) of the organization: the tree and the form to add one.

use super::{actor, status_of};
use crate::accounts::departments::{self, LEVELS, TreeRow};
use crate::accounts::service::{self, NewDepartment};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, optional_id};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DepartmentForm {
    code: String,
    name: String,
    name_en: String,
    level: String,
    parent_id: String,
}

#[derive(Template)]
#[template(path = "admin/departments.html")]
struct DepartmentsPage<'a> {
    s: Shell<'a>,
    rows: Vec<TreeRow>,
    levels: [&'static str; 3],
    form: DepartmentForm,
}

impl DepartmentsPage<'_> {
    fn level_key(&self, level: &str) -> &'static str {
        level_key(level)
    }
}

pub fn level_key(level: &str) -> &'static str {
    match level {
        "bu" => "department.level_bu",
        "ka" => "department.level_ka",
        _ => "department.level_kakari",
    }
}

async fn departments_page(
    st: &WebState,
    ctx: &Ctx,
    form: DepartmentForm,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let rows = departments::tree(departments::list(&st.app.db, ctx.org_id()).await?);
    let status = status_of(&errs);
    let mut s = Shell::new(ctx, "admin.departments").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    Ok((
        status,
        render(&DepartmentsPage {
            s,
            rows,
            levels: LEVELS,
            form,
        })?,
    )
        .into_response())
}

pub async fn departments(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let form = DepartmentForm {
        level: "ka".into(),
        ..Default::default()
    };
    departments_page(&st, &ctx, form, FieldErrors::default(), None).await
}

pub async fn create_department(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<DepartmentForm>,
) -> AppResult<Response> {
    let mut errs = FieldErrors::default();
    let parent_id = optional_id(&mut errs, "parent_id", &f.parent_id);
    if !errs.is_empty() {
        return departments_page(&st, &ctx, f, errs, None).await;
    }
    let d = NewDepartment {
        parent_id,
        code: &f.code,
        name: &f.name,
        name_en: &f.name_en,
        level: &f.level,
    };
    match service::create_department(&st.app, ctx.org_id(), &actor(&ctx)?, d).await {
        Ok(_) => Ok(see_other(&st, "/admin/departments", "admin.saved")),
        Err(AppError::Invalid(errs)) => departments_page(&st, &ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}
