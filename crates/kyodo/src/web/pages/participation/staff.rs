//! Staff: every consultation with where it stands, and opening a new one (the draft pasted as
//! text, divided at its headings).

use crate::error::{AppError, AppResult};
use crate::participation::consultations::{self as store, Consultation, ConsultationForm};
use crate::participation::today;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "participation/staff_list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    /// (consultation, period, phase in words)
    rows: Vec<(Consultation, String, String)>,
    departments: Vec<(i64, String)>,
    form: ConsultationForm,
    min_days_hint: String,
    /// (field name, label, ticked) per code of the organization's eligibility list.
    eligibility: Vec<(String, String, bool)>,
    /// 施策 a consultation may be linked to.
    policies: Vec<(i64, String)>,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    form: Option<ConsultationForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let day = today();
    let rows = store::list(&st.app.db, org)
        .await?
        .into_iter()
        .map(|c| {
            let p = super::period(t, &c);
            let phase = t.t(c.phase(day).key()).to_string();
            (c, p, phase)
        })
        .collect();
    let departments = crate::accounts::departments::list(&st.app.db, org)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let rules = crate::participation::Rules::load(&st.app.db, org).await?;
    let all_codes = crate::codes::all(&st.app.db, org).await?;
    let choices = || crate::codes::of_list(&all_codes, crate::codes::CONSULTATION_ELIGIBILITY);
    let form = form.unwrap_or_else(|| {
        let mut f = ConsultationForm {
            department_id: ctx
                .principal
                .as_ref()
                .and_then(|p| p.department_id)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            ..ConsultationForm::default()
        };
        f.tick_all(choices().map(|c| c.code.as_str()));
        f
    });
    let eligibility = choices()
        .map(|c| {
            let name = ConsultationForm::tick_name(&c.code);
            (name, c.label(t.lang).to_string(), form.ticked(&c.code))
        })
        .collect();
    let page = ListPage {
        s: Shell::new(ctx, "pc.staff_title").with_errors(errs),
        rows,
        departments,
        form,
        eligibility,
        policies: store::policies(&st.app.db, org).await?,
        min_days_hint: t.f("pc.min_days_hint", &[&rules.min_days]),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, None, FieldErrors::default()).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ConsultationForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let (user, hq) = (p.user_id, p.is_reform_hq());
    match store::create(&st.app, ctx.org_id(), user, hq, &f).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/staff/consultations/{id}"),
            "pc.created",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, Some(f), errs).await,
        Err(e) => Err(e),
    }
}
