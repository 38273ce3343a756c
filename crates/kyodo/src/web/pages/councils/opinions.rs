//! 委員意見 on a whole plan or a 施策 (S-1.3.3): the block both pages show (published opinions with
//! the city's responses, and the form for a committee member), the form's POST, and the HQ's list
//! of opinions awaiting a response, whatever they are about. An item's opinions are on the item
//! page (`plans::participation`), on its report for a period.

use crate::accounts::roles::Role;
use crate::councils::opinions::{self, Member, Opinion, Subject};
use crate::error::{AppError, AppResult};
use crate::policy::Principal;
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

/// The committee the signed-in user sits on, if any.
pub fn member(p: &Principal) -> Option<Member> {
    p.roles.iter().find_map(|r| match r {
        Role::CommitteeMember(c) => Some(Member {
            user: p.user_id,
            committee: *c,
        }),
        _ => None,
    })
}

/// What a plan's or 施策's page shows of its follow-up (`councils/opinions_block.html`).
pub struct Block {
    /// (committee name in the page's language, opinion), published ones only.
    pub opinions: Vec<(String, Opinion)>,
    /// Where a committee member's form posts; `None` for everyone else (and in cached pages).
    pub action: Option<String>,
}

fn committee_name(ctx: &Ctx, o: &Opinion) -> String {
    match ctx.tr().lang {
        crate::i18n::Lang::En if !o.committee_en.is_empty() => o.committee_en.clone(),
        _ => o.committee.clone(),
    }
}

fn action_of(subject: Subject) -> String {
    match subject {
        Subject::Plan(id) => format!("/plans/{id}/opinions"),
        Subject::Policy(id) => format!("/evaluation/policies/{id}/opinions"),
        Subject::Item(id) => format!("/plans/items/{id}/opinions"),
    }
}

fn page_of(subject: Subject) -> String {
    let (kind, id) = match subject {
        Subject::Plan(id) => ("plan", id),
        Subject::Policy(id) => ("policy", id),
        Subject::Item(id) => ("item", id),
    };
    opinions::page_of(kind, id)
}

pub async fn block(st: &WebState, ctx: &Ctx, subject: Subject) -> AppResult<Block> {
    let published = opinions::on(st.reader(ctx), ctx.org_id(), subject, true).await?;
    let writes = ctx.principal.as_deref().and_then(member).is_some();
    Ok(Block {
        opinions: published
            .into_iter()
            .map(|o| (committee_name(ctx, &o), o))
            .collect(),
        action: writes.then(|| action_of(subject)),
    })
}

#[derive(Template)]
#[template(path = "councils/opinion_form.html")]
struct FormPage<'a> {
    s: Shell<'a>,
    back: String,
    action: String,
    text: String,
}

async fn write(st: &WebState, ctx: &Ctx, subject: Subject, text: String) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let result = match member(p) {
        Some(m) => opinions::write(&st.app, ctx.org_id(), m, subject, None, &text).await,
        None => {
            let mut errs = FieldErrors::default();
            errs.add("opinion", "opinion.not_member");
            Err(AppError::Invalid(errs))
        }
    };
    match result {
        // Nothing is public until the city has answered.
        Ok(_) => Ok(unchanged(see_other(
            st,
            &format!("{}#follow-up-title", page_of(subject)),
            "opinion.saved",
        ))),
        Err(AppError::Invalid(errs)) => {
            let page = FormPage {
                s: Shell::new(ctx, "opinion.write_title").with_errors(errs),
                back: page_of(subject),
                action: action_of(subject),
                text,
            };
            Ok((page.s.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// A committee member's opinion on a whole plan.
pub async fn on_plan(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let text = first(&f, "opinion").to_string();
    write(&st, &ctx, Subject::Plan(id), text).await
}

/// A committee member's opinion on a 施策.
pub async fn on_policy(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let text = first(&f, "opinion").to_string();
    write(&st, &ctx, Subject::Policy(id), text).await
}

#[derive(Template)]
#[template(path = "councils/opinions_hq.html")]
struct HqPage<'a> {
    s: Shell<'a>,
    /// (page of the subject, kind in words, committee, opinion)
    rows: Vec<(String, String, String, Opinion)>,
}

/// Every opinion awaiting the city's response — on plans, plan items and 施策 — with the form.
pub async fn hq_list(st: &WebState, ctx: &Ctx, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let rows = opinions::awaiting_response(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .map(|o| {
            let kind = t.t(match o.subject.as_str() {
                "plan" => "opinion.on_plan",
                "policy" => "opinion.on_policy",
                _ => "opinion.on_item",
            });
            (
                o.subject_href(),
                kind.to_string(),
                committee_name(ctx, &o),
                o,
            )
        })
        .collect();
    let page = HqPage {
        s: Shell::new(ctx, "opinion.hq_title").with_errors(errs),
        rows,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn hq(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    hq_list(&st, &ctx, FieldErrors::default()).await
}
