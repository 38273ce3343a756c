//! Reporting periods (deadlines, quarterly periods) and the organization's code lists, for the HQ.

use crate::audit::{self, Actor, Change};
use crate::db::new_id;
use crate::error::{AppError, AppResult};
use crate::plans::{codes, periods, store};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

#[derive(Template)]
#[template(path = "plans/periods.html")]
struct PeriodsPage<'a> {
    s: Shell<'a>,
    plan_id: i64,
    plan_title: String,
    periods: Vec<(store::Period, String)>,
    years: Vec<(i64, String)>,
}

async fn periods_page(st: &WebState, ctx: &Ctx, id: i64, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let plan = store::plan(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = store::periods(&st.app.db, ctx.org_id(), id).await?;
    let periods = list
        .into_iter()
        .map(|p| {
            let due = chrono::NaiveDate::parse_from_str(&p.due_on, "%Y-%m-%d")
                .map(|d| t.date(d))
                .unwrap_or_default();
            (p, due)
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PeriodsPage {
        s: Shell::new(ctx, "periods.title").with_errors(errs),
        plan_id: id,
        plan_title: plan.title.clone(),
        periods,
        years: (plan.first_year..=plan.last_year)
            .map(|y| (y, super::plans::fy(t, y)))
            .collect(),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    periods_page(&st, &ctx, id, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DueForm {
    due_on: String,
    label: String,
}

/// Changes a period's label and deadline. Dates are accepted as 2026-05-31 or 令和8年5月31日.
pub async fn update(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DueForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT plan_id FROM reporting_periods WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&st.app.db)
    .await?;
    let (plan,) = row.ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let label = errs.text(&format!("label-{id}"), &f.label, 100);
    let due = kyodo_jp::wareki::parse_date(f.due_on.trim()).ok();
    if due.is_none() {
        errs.add(&format!("due_on-{id}"), "field.bad_date");
    }
    if !errs.is_empty() {
        return periods_page(&st, &ctx, plan, errs).await;
    }
    let due = due.map(|d| d.to_string()).unwrap_or_default();
    let mut tx = st.app.db.begin().await?;
    sqlx::query("UPDATE reporting_periods SET label = $1, due_on = $2 WHERE organization_id = $3 AND id = $4").bind(&label).bind(&due).bind(org).bind(id).execute(&mut *tx).await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(p.user_id),
        Change {
            action: "period.update",
            target_type: "reporting_period",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"label": label, "due_on": due})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/hq/plans/{plan}/periods")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuarterForm {
    year: String,
}

/// Adds the four quarterly periods of a fiscal year (for closer progress management).
pub async fn add_quarters(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<QuarterForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let plan = store::plan(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let year = f
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (plan.first_year..=plan.last_year).contains(y));
    let Some(year) = year else {
        let mut errs = FieldErrors::default();
        errs.add("year", "field.bad_choice");
        return periods_page(&st, &ctx, id, errs).await;
    };
    let mut tx = st.app.db.begin().await?;
    for (label, due) in periods::quarters(year) {
        sqlx::query("INSERT INTO reporting_periods (organization_id, id, plan_id, fiscal_year, label, due_on) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(org)
            .bind(new_id())
            .bind(id)
            .bind(year)
            .bind(label)
            .bind(due)
            .execute(&mut *tx)
            .await?;
    }
    audit::append(
        &mut tx,
        org,
        &Actor::user(p.user_id),
        Change {
            action: "period.quarters",
            target_type: "plan",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"fiscal_year": year})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/hq/plans/{id}/periods")).into_response())
}

#[derive(Template)]
#[template(path = "plans/codes.html")]
struct CodesPage<'a> {
    s: Shell<'a>,
    lists: Vec<(&'static str, Vec<codes::Code>)>,
}

impl CodesPage<'_> {
    fn list_key(&self, list: &str) -> &'static str {
        match list {
            codes::SCHEDULE_STEP => "codes.schedule_step",
            codes::RATING => "codes.rating",
            codes::PROGRESS => "codes.progress_status",
            codes::EFFECT_KIND => "codes.effect_kind",
            _ => "codes.account",
        }
    }
}

async fn codes_page(
    st: &WebState,
    ctx: &Ctx,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let all = codes::all(&st.app.db, ctx.org_id()).await?;
    let lists = [
        codes::SCHEDULE_STEP,
        codes::RATING,
        codes::PROGRESS,
        codes::EFFECT_KIND,
        codes::ACCOUNT,
    ]
    .into_iter()
    .map(|l| (l, codes::of_list(&all, l).cloned().collect()))
    .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "codes.title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    Ok((status, render(&CodesPage { s, lists })?).into_response())
}

pub async fn codes_list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    codes_page(&st, &ctx, FieldErrors::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    list: String,
    code: String,
    label: String,
    label_en: String,
    sort_order: String,
}

/// Adds a code or relabels an existing one (codes already used in reports keep their meaning).
pub async fn save_code(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<CodeForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let mut errs = FieldErrors::default();
    let field = |n: &str| format!("{n}-{}", f.list);
    if ![
        codes::SCHEDULE_STEP,
        codes::RATING,
        codes::PROGRESS,
        codes::EFFECT_KIND,
        codes::ACCOUNT,
    ]
    .contains(&f.list.as_str())
    {
        return Err(AppError::BadRequest("error.bad_form"));
    }
    let code = errs.text(&field("code"), &f.code, 40);
    let label = errs.text(&field("label"), &f.label, 100);
    let label_en = f.label_en.trim().chars().take(100).collect::<String>();
    let sort = f.sort_order.trim().parse::<i64>().unwrap_or(99);
    if !errs.is_empty() {
        return codes_page(&st, &ctx, errs, None).await;
    }
    let mut tx = st.app.db.begin().await?;
    codes::ensure_defaults(&mut tx, org).await?;
    sqlx::query(
        "INSERT INTO code_lists (organization_id, list, code, label, label_en, sort_order) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organization_id, list, code) DO UPDATE SET label = excluded.label, label_en = excluded.label_en, sort_order = excluded.sort_order",
    )
    .bind(org)
    .bind(&f.list)
    .bind(&code)
    .bind(&label)
    .bind(&label_en)
    .bind(sort)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(p.user_id),
        Change {
            action: "codes.save",
            target_type: "code_list",
            target_id: format!("{}:{code}", f.list),
            before: None,
            after: Some(json!({"label": label, "label_en": label_en, "sort_order": sort})),
        },
    )
    .await?;
    tx.commit().await?;
    codes_page(&st, &ctx, FieldErrors::default(), Some("admin.saved")).await
}
