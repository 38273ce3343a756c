//! Submitting an opinion without an account (or signed in), and the submitter's own look-up with
//! the key from the receipt mail: the opinion, its confirmation and, once published, the answer.

use crate::error::{AppError, AppResult};
use crate::participation::answers;
use crate::participation::consultations::{self as store, Consultation, Phase, SectionRow};
use crate::participation::opinions::{self, Opinion, OpinionForm, Submitter};
use crate::participation::today;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{ClientIp, FormData, PathId, QueryData};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "participation/opinion.html")]
struct FormPage<'a> {
    s: Shell<'a>,
    c: Consultation,
    sections: Vec<SectionRow>,
    eligibility: Vec<(String, String)>,
    form: OpinionForm,
    signed_in: bool,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Option<OpinionForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let c = store::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.phase(today()) != Phase::Open && errs.is_empty() {
        return Err(AppError::NotFound);
    }
    let (sections, all_codes) = tokio::try_join!(
        store::sections(&st.app.db, org, id),
        crate::codes::all(&st.app.db, org),
    )?;
    let eligibility = super::eligibility(ctx.tr(), &all_codes, &c);
    let form = form.unwrap_or_else(|| OpinionForm {
        section: "0".into(),
        name: ctx
            .principal
            .as_ref()
            .map(|p| p.display_name.clone())
            .unwrap_or_default(),
        eligibility: eligibility
            .first()
            .map(|(code, _)| code.clone())
            .unwrap_or_default(),
        ..OpinionForm::default()
    });
    let page = FormPage {
        s: Shell::new(ctx, "pc.opinion_title").with_errors(errs),
        eligibility,
        c,
        sections,
        form,
        signed_in: ctx.principal.is_some(),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, id, None, FieldErrors::default()).await
}

pub async fn submit(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    PathId(id): PathId,
    FormData(f): FormData<OpinionForm>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let c = store::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let address = ip.to_string();
    let who = match &ctx.principal {
        Some(p) => Submitter::User(p.user_id),
        None => Submitter::Guest { address: &address },
    };
    match opinions::submit(&st.app, org, &c, who, &f).await {
        // The opinion shows on no public page until the result is published.
        Ok(r) => {
            let to = format!("/consultations/opinions/{}?key={}&new=1", r.id, r.key);
            Ok(unchanged(axum::response::Redirect::to(&to).into_response()))
        }
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KeyQuery {
    key: String,
    new: String,
}

#[derive(Template)]
#[template(path = "participation/receipt.html")]
struct ReceiptPage<'a> {
    s: Shell<'a>,
    c: Consultation,
    o: Opinion,
    key: String,
    just_sent: bool,
    section: String,
    /// The answer of the opinion's group, once the result is published: (意見の概要, 市の考え方).
    answer: Option<(String, String)>,
}

pub async fn receipt(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<KeyQuery>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let o = opinions::by_key(&st.app.db, org, id, &q.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = store::get(&st.app.db, org, o.consultation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sections = store::sections(&st.app.db, org, c.id).await?;
    let section = sections
        .iter()
        .find(|s| s.number == o.section_number)
        .map_or_else(
            || ctx.tr().t("pc.whole_draft").to_string(),
            |s| format!("{}. {}", s.number, s.heading),
        );
    let answer = if c.result_state == "published" {
        answers::groups(&st.app.db, org, c.id)
            .await?
            .into_iter()
            .find(|g| Some(g.id) == o.group_id)
            .map(|g| (g.summary, g.city_view))
    } else {
        None
    };
    let page = ReceiptPage {
        s: Shell::new(&ctx, "pc.receipt_title"),
        c,
        key: q.key,
        just_sent: q.new == "1",
        section,
        answer,
        o,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    key: String,
}

pub async fn confirm(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ConfirmForm>,
) -> AppResult<Response> {
    opinions::confirm(&st.app, ctx.org_id(), id, &f.key).await?;
    let to = format!("/consultations/opinions/{id}?key={}", f.key);
    Ok(unchanged(crate::web::notice::see_other(
        &st,
        &to,
        "pc.confirmed",
    )))
}
