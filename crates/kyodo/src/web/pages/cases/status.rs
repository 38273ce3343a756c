//! 申請状況の確認: a submitter types the number and access key and sees the case — its answers,
//! status history, messages and answer, never staff notes or names — and may reply or withdraw.
//! The number and key travel in the POST body of each step, never in a link.

use crate::cases::lookup::{self, Miss};
use crate::cases::store::{self, Case, Event};
use crate::cases::{RETURNED, is_open};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{ClientIp, FormData, Posted};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct KeyForm {
    number: String,
    key: String,
    /// A reply's text (reply step only).
    body: String,
    /// The file to download (file step only).
    document: String,
}

#[derive(Template)]
#[template(path = "cases/lookup.html")]
struct LookupPage<'a> {
    s: Shell<'a>,
    number: String,
}

fn lookup_page(ctx: &Ctx, number: String, errs: FieldErrors) -> AppResult<Response> {
    let page = LookupPage {
        s: Shell::new(ctx, "case.status_title").with_errors(errs),
        number,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn lookup_form(ctx: Ctx) -> AppResult<Response> {
    lookup_page(&ctx, String::new(), FieldErrors::default())
}

/// One line of the history as the submitter sees it.
pub struct Line {
    pub at: String,
    pub what: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "cases/status.html")]
struct StatusPage<'a> {
    s: Shell<'a>,
    case: Case,
    type_name: String,
    status: String,
    received: String,
    due: String,
    answers: Vec<(String, String)>,
    lines: Vec<Line>,
    key: String,
    open: bool,
    asked: bool,
    /// The fee (1,000円) and its payment, when one is owed; the decision on a proposal.
    fee: String,
    payment: String,
    decision: String,
    /// 添付ファイル: each with whether the submitter sent it (else the city added it).
    files: Vec<(crate::files::documents::Document, bool)>,
}

fn line(ctx: &Ctx, codes: &[crate::codes::Code], e: &Event) -> Line {
    let t = ctx.tr();
    let what = match e.kind.as_str() {
        "status" => super::status_label(ctx, codes, e.to_status.as_deref().unwrap_or_default()),
        "to_submitter" => t.t("case.from_city").to_string(),
        "from_submitter" => t.t("case.from_you").to_string(),
        _ => t.t("case.answer").to_string(),
    };
    Line {
        at: super::day(ctx, &e.at),
        what,
        body: e.body.clone(),
    }
}

async fn status_page(
    st: &WebState,
    ctx: &Ctx,
    case: Case,
    key: String,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let (ty, events, codes, files) = tokio::try_join!(
        store::case_type(&st.app.db, org, case.type_id),
        store::events(&st.app.db, org, case.id),
        crate::codes::all(&st.app.db, org),
        crate::cases::files::of_case(&st.app.db, org, case.id),
    )?;
    let files = files
        .into_iter()
        .map(|d| {
            let sent = d.uploaded_by.is_none() || d.uploaded_by == case.submitter_id;
            (d, sent)
        })
        .collect();
    let lines = events
        .iter()
        .filter(|e| e.for_submitter())
        .map(|e| line(ctx, &codes, e))
        .collect();
    let page = StatusPage {
        files,
        s: Shell::new(ctx, "case.status_title").with_errors(errs),
        type_name: ty.map(|t| t.name).unwrap_or_default(),
        status: super::status_label(ctx, &codes, &case.status),
        received: super::day(ctx, &case.received_at),
        due: super::day(ctx, &case.due_on),
        answers: case.answer_pairs(),
        lines,
        key,
        open: is_open(&case.status),
        asked: case.status == RETURNED,
        fee: if case.fee_yen > 0 {
            super::super::reservations::yen(ctx.tr(), case.fee_yen)
        } else {
            String::new()
        },
        payment: crate::codes::label(
            &codes,
            crate::codes::CASE_PAYMENT,
            &case.payment_status,
            ctx.lang,
        )
        .to_string(),
        decision: if case.decision.is_empty() {
            String::new()
        } else {
            crate::codes::label(
                &codes,
                crate::codes::CASE_DECISION,
                &case.decision,
                ctx.lang,
            )
            .to_string()
        },
        case,
    };
    // The page shows personal data: never cached, by the page cache or the browser's.
    let mut res = (page.s.status(), render(&page)?).into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// The case for this number and key, or the look-up form with the one answer for every miss.
async fn found(
    st: &WebState,
    ctx: &Ctx,
    ip: &str,
    f: &KeyForm,
) -> AppResult<Result<Case, Response>> {
    let mut errs = FieldErrors::default();
    if f.number.trim().is_empty() {
        errs.add("number", "field.required");
    }
    if f.key.trim().is_empty() {
        errs.add("key", "field.required");
    }
    if !errs.is_empty() {
        return Ok(Err(lookup_page(ctx, f.number.clone(), errs)?));
    }
    match lookup::find(&st.app, ctx.org_id(), &f.number, &f.key, ip).await? {
        Ok(case) => Ok(Ok(case)),
        Err(miss) => {
            let mut errs = FieldErrors::default();
            errs.add(
                "number",
                if miss == Miss::Wait {
                    "case.lookup_wait"
                } else {
                    "case.lookup_none"
                },
            );
            Ok(Err(lookup_page(ctx, f.number.clone(), errs)?))
        }
    }
}

pub async fn lookup(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    FormData(f): FormData<KeyForm>,
) -> AppResult<Response> {
    match found(&st, &ctx, &ip.to_string(), &f).await? {
        Ok(case) => Ok(unchanged(
            status_page(&st, &ctx, case, f.key, FieldErrors::default()).await?,
        )),
        Err(page) => Ok(unchanged(page)),
    }
}

/// The submitter's reply: a multipart form (number, key, body and an optional `reply_file`).
pub async fn reply(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    posted: Posted,
) -> AppResult<Response> {
    if posted.too_large {
        // Nothing of the body was read, not even the number: the look-up form, saying why.
        let mut errs = FieldErrors::default();
        errs.add("number", "case.reply_too_large");
        return Ok(unchanged(lookup_page(&ctx, String::new(), errs)?));
    }
    let field = |k: &str| crate::web::extract::first(&posted.fields, k).to_string();
    let f = KeyForm {
        number: field("number"),
        key: field("key"),
        body: field("body"),
        document: String::new(),
    };
    let case = match found(&st, &ctx, &ip.to_string(), &f).await? {
        Ok(case) => case,
        Err(page) => return Ok(unchanged(page)),
    };
    let file = posted.files.into_iter().find(|x| x.field == "reply_file");
    let reply = crate::cases::submitter::reply(&st.app, ctx.org_id(), case.id, &f.body, file);
    let errs = match reply.await {
        Ok(()) => FieldErrors::default(),
        Err(AppError::Invalid(errs)) => errs,
        Err(e) => return Err(e),
    };
    Ok(unchanged(reloaded(&st, &ctx, case.id, f.key, errs).await?))
}

pub async fn withdraw(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    FormData(f): FormData<KeyForm>,
) -> AppResult<Response> {
    let case = match found(&st, &ctx, &ip.to_string(), &f).await? {
        Ok(case) => case,
        Err(page) => return Ok(unchanged(page)),
    };
    let errs = match crate::cases::submitter::withdraw(&st.app, ctx.org_id(), case.id).await {
        Ok(()) => FieldErrors::default(),
        Err(AppError::Invalid(errs)) => errs,
        Err(e) => return Err(e),
    };
    // Not `unchanged`: a withdrawn case leaves the desk's public counts.
    reloaded(&st, &ctx, case.id, f.key, errs).await
}

/// The status page after the submitter's change, with the case as it now stands.
async fn reloaded(
    st: &WebState,
    ctx: &Ctx,
    case_id: i64,
    key: String,
    errs: FieldErrors,
) -> AppResult<Response> {
    let case = store::case(&st.app.db, ctx.org_id(), case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    status_page(st, ctx, case, key, errs).await
}

/// One of the case's files, for the submitter who typed the number and key.
pub async fn file(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    FormData(f): FormData<KeyForm>,
) -> AppResult<Response> {
    let case = match found(&st, &ctx, &ip.to_string(), &f).await? {
        Ok(case) => case,
        Err(page) => return Ok(unchanged(page)),
    };
    let document = f
        .document
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let (d, bytes) = crate::cases::files::read(&st.app, ctx.org_id(), case.id, document)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut res = crate::web::download::uploaded(bytes, &d.content_type, d.filename);
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(unchanged(res))
}
