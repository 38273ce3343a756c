//! A case on the staff side (/staff/cases/{id}): what was sent (with the submitter's contact —
//! personal data, staff only), the whole history with internal notes and who did what, and one
//! form per step: status, message or 差戻し, internal note, transfer, take, answer, merge, publish.

pub use super::act::ActForm;
use crate::cases::store::{self, Case, CaseType, Event};
use crate::cases::{STAFF_SETS, is_open, work};
use crate::error::{AppError, AppResult};
use crate::policy::{can_read_case, can_work_case};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage<'a> {
    s: Shell<'a>,
    case: Case,
    ty: CaseType,
    status: String,
    received: String,
    due: String,
    department: String,
    assignee: String,
    answers: Vec<(String, String)>,
    events: Vec<(Event, String, String)>,
    departments: Vec<(i64, String)>,
    /// The organization's public facilities (id, name, linked), to link a case about one (関連施設).
    facilities: Vec<(i64, String, bool)>,
    facility: String,
    /// The linked programme's "code name", if any.
    programme: String,
    /// Plan items to link (id, name, linked now) and the linked one's name.
    plan_items: Vec<(i64, String, bool)>,
    plan_item: String,
    staff_sets: Vec<(String, String)>,
    may_work: bool,
    open: bool,
    mine: bool,
    may_publish: bool,
    form: ActForm,
    /// 定型文 of the case's kind: (id, title), each a link that fills the answer box.
    templates: Vec<(i64, String)>,
    /// The case department's active staff (id, name, assigned now), to name the assignee.
    assignees: Vec<(i64, String, bool)>,
    /// What the case's kind adds (fee, decision, scores …).
    kind: super::kinds::KindPanel,
    /// 添付ファイル: sent with the case or added by staff.
    files: Vec<crate::files::documents::Document>,
}

pub(super) async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    mut form: ActForm,
    errs: FieldErrors,
    template: Option<i64>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let case = store::case(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (ty, events, depts, codes, facilities, items) = tokio::try_join!(
        store::case_type(&st.app.db, org, case.type_id),
        store::events(&st.app.db, org, id),
        crate::accounts::departments::list(&st.app.db, org),
        crate::codes::all(&st.app.db, org),
        crate::reservations::facilities::list(&st.app.db, org),
        crate::cases::linked::plan_items(&st.app.db, org),
    )?;
    let ty = ty.ok_or(AppError::NotFound)?;
    let restricted = ty.audience == crate::cases::audience::RESTRICTED;
    // A restricted type's case is answered as if it did not exist.
    if !can_read_case(p, restricted) {
        return Err(AppError::NotFound);
    }
    let dept_name = |d: Option<i64>| {
        d.and_then(|d| depts.iter().find(|x| x.id == d))
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let label = |s: &str| super::status_label(ctx, &codes, s);
    let t = ctx.tr();
    let events = events
        .into_iter()
        .map(|e| {
            let what = match e.kind.as_str() {
                "status" => label(e.to_status.as_deref().unwrap_or_default()),
                "transfer" => format!(
                    "{} → {}",
                    t.t("case.ev_transfer"),
                    dept_name(e.department_id)
                ),
                "note" => t.t("case.ev_note").to_string(),
                "to_submitter" => t.t("case.ev_to_submitter").to_string(),
                "from_submitter" => t.t("case.ev_from_submitter").to_string(),
                "assign" => t.t("case.ev_assign").to_string(),
                "merge" => t.t("case.ev_merge").to_string(),
                "facility" => t.t("case.ev_facility").to_string(),
                "programme" => t.t("case.ev_programme").to_string(),
                "plan_item" => t.t("case.ev_plan_item").to_string(),
                "payment" => t.t("case.ev_payment").to_string(),
                "decision" => t.t("case.ev_decision").to_string(),
                "implementation" => t.t("case.ev_implementation").to_string(),
                _ => t.t("case.answer").to_string(),
            };
            let at = t.datetime(&e.at);
            (e, what, at)
        })
        .collect();
    // What the case refers to, looked up together (each needs only the case).
    let db = &st.app.db;
    let (templates, programme, staff, assignee, files) = tokio::try_join!(
        crate::cases::replies::of_type(db, org, case.type_id),
        async {
            match case.programme_id {
                Some(pid) => crate::evaluation::store::programme(db, org, pid).await,
                None => Ok(None),
            }
        },
        async {
            match case.department_id {
                Some(d) => crate::accounts::users::staff_of_department(db, org, d).await,
                None => Ok(Vec::new()),
            }
        },
        async {
            match case.assignee_id {
                Some(u) => crate::accounts::users::get(db, org, u).await,
                None => Ok(None),
            }
        },
        crate::cases::files::of_case(db, org, id),
    )?;
    // A template chosen by its link starts the answer (only one of this case's kind).
    if let Some(chosen) = template.and_then(|t| templates.iter().find(|x| x.id == t)) {
        form.answer = chosen.for_case(&case);
    }
    let programme = programme
        .map(|x| format!("{} {}", x.code, x.name))
        .unwrap_or_default();
    let assignees = staff
        .into_iter()
        .map(|(u, name)| (u, name, case.assignee_id == Some(u)))
        .collect();
    let assignee = assignee.map(|u| u.display_name);
    let may_work = can_work_case(p, restricted, case.department_id);
    let kind = super::kinds::panel(st, ctx, p, &ty, &case, &codes, may_work).await?;
    let page = CasePage {
        kind,
        files,
        s: Shell::new(ctx, "case.case_title").with_errors(errs),
        status: label(&case.status),
        received: t.datetime(&case.received_at),
        due: super::day(ctx, &case.due_on),
        department: dept_name(case.department_id),
        assignee: assignee.unwrap_or_default(),
        answers: case.answer_pairs(),
        events,
        departments: depts.iter().map(|d| (d.id, d.name.clone())).collect(),
        facility: case
            .facility_id
            .and_then(|f| facilities.iter().find(|x| x.id == f))
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        programme,
        plan_item: items
            .iter()
            .find(|(n, _)| case.plan_node_id == Some(*n))
            .map(|(_, name)| name.clone())
            .unwrap_or_default(),
        plan_items: items
            .into_iter()
            .map(|(n, name)| (n, name, case.plan_node_id == Some(n)))
            .collect(),
        facilities: facilities
            .into_iter()
            .map(|f| (f.id, f.name, case.facility_id == Some(f.id)))
            .collect(),
        staff_sets: STAFF_SETS
            .iter()
            .map(|s| (s.to_string(), label(s)))
            .collect(),
        may_work,
        open: is_open(&case.status),
        mine: case.assignee_id == Some(p.user_id),
        may_publish: ty.publishable && case.publish_consent && case.answered_at.is_some(),
        form,
        templates: templates.into_iter().map(|t| (t.id, t.title)).collect(),
        assignees,
        ty,
        case,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

/// `?template=`: a reply template to start the answer from.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub template: String,
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<ShowQuery>,
) -> AppResult<Response> {
    let template = q.template.trim().parse().ok();
    page(
        &st,
        &ctx,
        id,
        ActForm::default(),
        FieldErrors::default(),
        template,
    )
    .await
}

/// Runs a step and answers with the case page: its notice on success, the form with the
/// messages beside the fields on bad input.
pub(super) async fn after(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    f: ActForm,
    done: AppResult<()>,
    key: &'static str,
) -> AppResult<Response> {
    match done {
        Ok(()) => Ok(see_other(st, &format!("/staff/cases/{id}"), key)),
        Err(AppError::Invalid(errs)) => page(st, ctx, id, f, errs, None).await,
        Err(e) => Err(e),
    }
}

pub async fn status(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done = work::change_status(
        &st.app,
        ctx.org_id(),
        ctx.require_user()?,
        &ctx.actor()?,
        id,
        &f.status,
        &f.comment,
    )
    .await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

pub async fn message(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done = work::message(
        &st.app,
        ctx.org_id(),
        ctx.require_user()?,
        id,
        &f.message,
        f.ask == "1",
    )
    .await;
    after(&st, &ctx, id, f, done, "case.message_sent").await
}

pub async fn note(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done = work::note(
        &st.app,
        ctx.org_id(),
        ctx.require_user()?,
        &ctx.actor()?,
        id,
        &f.note,
    )
    .await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

pub async fn transfer(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let Ok(department) = f.department.trim().parse::<i64>() else {
        let mut errs = FieldErrors::default();
        errs.add("department", "field.required");
        return page(&st, &ctx, id, f, errs, None).await;
    };
    let done = crate::cases::assignment::transfer(
        &st.app,
        ctx.org_id(),
        ctx.require_user()?,
        id,
        department,
        &f.reason,
    )
    .await;
    after(&st, &ctx, id, f, done, "case.transferred").await
}

pub async fn take(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let to = if f.assignee.trim().is_empty() {
        (f.take == "1").then_some(p.user_id)
    } else {
        match f.assignee.trim().parse::<i64>() {
            Ok(u) => Some(u),
            Err(_) => {
                let mut errs = FieldErrors::default();
                errs.add("assignee", "field.bad_choice");
                return page(&st, &ctx, id, f, errs, None).await;
            }
        }
    };
    let done = crate::cases::assignment::assign(&st.app, ctx.org_id(), p, id, to).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

pub async fn answer(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done = work::answer(&st.app, ctx.org_id(), ctx.require_user()?, id, &f.answer).await;
    after(&st, &ctx, id, f, done, "case.answered").await
}

pub async fn merge(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done =
        crate::cases::outcome::merge(&st.app, ctx.org_id(), ctx.require_user()?, id, &f.into).await;
    after(&st, &ctx, id, f, done, "case.merged").await
}

pub async fn publish(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done = crate::cases::outcome::publish(
        &st.app,
        ctx.org_id(),
        ctx.require_user()?,
        id,
        &f.public_text,
        &f.public_answer,
    )
    .await;
    after(&st, &ctx, id, f, done, "case.published_done").await
}
