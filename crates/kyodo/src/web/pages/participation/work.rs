//! Staff: the department's work on one consultation — opinions by section with the submitters'
//! details (never public), opinions that came by mail/FAX/counter entered with their channel,
//! redaction, groups with 意見の概要 / 市の考え方 / 修正の有無, the revised draft, sending the
//! result to the HQ; and the HQ's decision (publish or send back).

use crate::error::{AppError, AppResult};
use crate::files::documents::{self, Document, Owner};
use crate::participation::answers::{self, Group, GroupForm};
use crate::participation::consultations::{self as store, Consultation, SectionRow};
use crate::participation::opinion_list;
use crate::participation::opinions::{self, Opinion, OpinionForm, Submitter};
use crate::participation::{CHANNELS, today};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Opinions of one section (or the whole draft) as the work page lists them.
pub struct SectionOpinions {
    pub label: String,
    pub opinions: Vec<(Opinion, String, String)>,
}

#[derive(Template)]
#[template(path = "participation/work.html")]
struct WorkPage<'a> {
    s: Shell<'a>,
    c: Consultation,
    phase: String,
    period: String,
    sections: Vec<SectionRow>,
    by_section: Vec<SectionOpinions>,
    waiting: i64,
    waiting_text: String,
    groups: Vec<(Group, String)>,
    entry: OpinionForm,
    channels: Vec<(&'static str, String)>,
    eligibility: Vec<(String, String)>,
    editable: bool,
    can_decide: bool,
    documents: Vec<Document>,
    documents_action: String,
    view: View,
    /// 「1〜50件目 / 該当 10,000件」
    shown: String,
    prev: Option<String>,
    next: Option<String>,
}

/// Opinions per page of the work page.
const PAGE: i64 = 50;

/// The work page's filter (GET query): a section number or all, only ungrouped opinions, the page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct View {
    pub section: String,
    pub ungrouped: String,
    pub page: String,
}

impl View {
    fn filter(&self) -> opinion_list::Filter {
        let page = self.page.parse::<i64>().unwrap_or(1).max(1);
        opinion_list::Filter {
            section: self.section.parse::<i64>().ok().filter(|n| *n >= 0),
            ungrouped: self.ungrouped == "1",
            offset: (page - 1) * PAGE,
            limit: PAGE,
        }
    }
    /// The work page at `page` with this filter.
    fn href(&self, id: i64, page: i64) -> String {
        format!(
            "/staff/consultations/{id}?section={}&ungrouped={}&page={page}#opinions-title",
            self.section, self.ungrouped
        )
    }
}

pub(crate) async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    entry: Option<OpinionForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    page_with(st, ctx, id, View::default(), entry, errs).await
}

async fn page_with(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    view: View,
    entry: Option<OpinionForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let c = store::get(db, org, id).await?.ok_or(AppError::NotFound)?;
    let filter = view.filter();
    let (sections, (opinions, matching, waiting), groups, documents, all_codes) = tokio::try_join!(
        store::sections(db, org, id),
        opinion_list::page_of(db, org, id, &filter),
        answers::groups(db, org, id),
        documents::of_owner(db, org, Owner::Consultation(id)),
        crate::codes::all(db, org),
    )?;
    let eligibility = super::eligibility(t, &all_codes, &c);
    let label = |n: i64| {
        sections.iter().find(|s| s.number == n).map_or_else(
            || t.t("pc.whole_draft").to_string(),
            |s| format!("{}. {}", s.number, s.heading),
        )
    };
    let summary_of = |g: Option<i64>| {
        groups
            .iter()
            .find(|x| Some(x.id) == g)
            .map(|x| x.summary.clone())
            .unwrap_or_default()
    };
    let by_section = std::iter::once(0)
        .chain(sections.iter().map(|s| s.number))
        .filter_map(|n| {
            let mine: Vec<(Opinion, String, String)> = opinions
                .iter()
                .filter(|o| o.section_number == n)
                .map(|o| {
                    (
                        o.clone(),
                        super::channel(t, &o.channel),
                        summary_of(o.group_id),
                    )
                })
                .collect();
            (!mine.is_empty()).then(|| SectionOpinions {
                label: label(n),
                opinions: mine,
            })
        })
        .collect();
    let groups = groups
        .iter()
        .map(|g| (g.clone(), label(g.section_number)))
        .collect();
    let page = WorkPage {
        s: Shell::new(ctx, "pc.work_title").with_errors(errs),
        phase: t.t(c.phase(today()).key()).to_string(),
        period: super::period(t, &c),
        eligibility: eligibility.clone(),
        editable: c.result_state == "none",
        can_decide: c.result_state == "submitted"
            && ctx.principal.as_ref().is_some_and(|p| p.is_reform_hq()),
        c,
        sections,
        by_section,
        documents,
        documents_action: format!("/staff/consultations/{id}/documents"),
        shown: if opinions.is_empty() {
            String::new()
        } else {
            t.f(
                "pc.shown",
                &[
                    &(filter.offset + 1),
                    &(filter.offset + opinions.len() as i64),
                    &matching,
                ],
            )
        },
        prev: (filter.offset > 0).then(|| view.href(id, filter.offset / PAGE)),
        next: (filter.offset + PAGE < matching).then(|| view.href(id, filter.offset / PAGE + 2)),
        view,
        waiting_text: t.f("pc.waiting", &[&waiting]),
        waiting,
        groups,
        entry: entry.unwrap_or_else(|| OpinionForm {
            section: "0".into(),
            eligibility: eligibility
                .first()
                .map(|(code, _)| code.clone())
                .unwrap_or_default(),
            channel: "mail".into(),
            ..OpinionForm::default()
        }),
        channels: CHANNELS
            .iter()
            .filter(|(c, _)| *c != "web")
            .map(|(c, k)| (*c, t.t(k).to_string()))
            .collect(),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

fn here(id: i64) -> String {
    format!("/staff/consultations/{id}")
}

/// A use case's result: back to the work page with a notice, or the page with the problems.
async fn after(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    r: AppResult<()>,
    notice: &'static str,
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(see_other(st, &here(id), notice)),
        Err(AppError::Invalid(errs)) => page(st, ctx, id, None, errs).await,
        Err(e) => Err(e),
    }
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(view): QueryData<View>,
) -> AppResult<Response> {
    page_with(&st, &ctx, id, view, None, FieldErrors::default()).await
}

/// An opinion that came by mail, FAX, the counter or e-mail.
pub async fn enter(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<OpinionForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let c = store::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    match opinions::submit(&st.app, ctx.org_id(), &c, Submitter::Staff(user), &f).await {
        Ok(_) => Ok(see_other(&st, &here(id), "pc.entered")),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

/// Groups the ticked opinions (`opinion` fields) under one 意見の概要 (`summary`).
pub async fn group(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let ids = crate::web::extract::ticked(&fields, "opinion");
    let summary = crate::web::extract::first(&fields, "summary");
    let r = answers::create_group(&st.app, ctx.org_id(), user, id, summary, &ids)
        .await
        .map(|_| ());
    after(&st, &ctx, id, r, "pc.grouped").await
}

pub async fn answer(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(group): PathId,
    FormData(f): FormData<GroupForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match answers::answer_group(&st.app, ctx.org_id(), user, group, &f).await {
        Ok(c) => Ok(see_other(&st, &here(c), "pc.answered")),
        Err(AppError::Invalid(errs)) => {
            let c: i64 = answers::consultation_of_group(&st.app.db, ctx.org_id(), group)
                .await?
                .ok_or(AppError::NotFound)?;
            page(&st, &ctx, c, None, errs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RedactForm {
    published_body: String,
}

pub async fn redact(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(opinion): PathId,
    FormData(f): FormData<RedactForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match answers::redact(&st.app, ctx.org_id(), user, opinion, &f.published_body).await {
        Ok(c) => Ok(see_other(&st, &here(c), "pc.redacted")),
        Err(AppError::Invalid(errs)) => {
            let c = answers::consultation_of_opinion(&st.app.db, ctx.org_id(), opinion)
                .await?
                .ok_or(AppError::NotFound)?;
            page(&st, &ctx, c, None, errs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviseForm {
    number: String,
    revised: String,
}

pub async fn revise(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReviseForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let number = f
        .number
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let r = answers::revise_section(&st.app, ctx.org_id(), user, id, number, &f.revised).await;
    after(&st, &ctx, id, r, "pc.revised_saved").await
}

pub async fn submit(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let r = crate::participation::approval::submit_result(&st.app, ctx.org_id(), user, id).await;
    after(&st, &ctx, id, r, "pc.result_submitted").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    decision: String,
}

/// The HQ publishes the result (結果の公表) or sends it back to the department.
pub async fn decide(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DecideForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let publish = match f.decision.as_str() {
        "publish" => true,
        "return" => false,
        _ => return Err(AppError::BadRequest("error.bad_form")),
    };
    crate::participation::approval::decide(&st.app, ctx.org_id(), user, id, publish).await?;
    Ok(see_other(
        &st,
        &here(id),
        if publish {
            "pc.result_published"
        } else {
            "pc.result_returned"
        },
    ))
}
