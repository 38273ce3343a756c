//! Public survey pages: the list, the questionnaire (works without JavaScript; a rejected submission
//! keeps every answer and marks each problem; a sectioned survey goes page by page) and its
//! submission, once per browser.

use crate::accounts::tokens;
use crate::error::{AppError, AppResult};
use crate::surveys::answers;
use crate::surveys::drafts;
use crate::surveys::paging;
use crate::surveys::responses::{self, Stored};
use crate::surveys::store::{self, Form, Survey};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::{Ctx, cookie, set_cookie};
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::pages::surveys::labels::{audience_key, status_key};
use crate::web::pages::surveys::questionnaire::{Mode, form_page};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "surveys/list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    /// (survey, fiscal year, status key, audience key)
    surveys: Vec<(Survey, String, &'static str, &'static str)>,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let surveys = store::public_list(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|s| {
            let (y, st, au) = (
                fy(t, s.fiscal_year),
                status_key(&s.status),
                audience_key(&s.audience),
            );
            (s, y, st, au)
        })
        .collect();
    let html = render(&ListPage {
        s: Shell::new(&ctx, "survey.list_title"),
        surveys,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

fn receipt_cookie(survey: i64) -> String {
    format!("kyodo_sv{survey}")
}

/// One answer per account: the receipt is derived from the account, never stored with the response.
fn account_receipt(user: i64) -> String {
    format!("account:{user}")
}

/// A published survey; the reform HQ also sees drafts (preview).
async fn load(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<Form> {
    let hq = ctx.principal.as_deref().is_some_and(|p| p.is_reform_hq());
    store::form(&st.app.db, ctx.org_id(), id)
        .await?
        .filter(|f| f.survey.status != "draft" || hq)
        .ok_or(AppError::NotFound)
}

/// Why this visitor cannot answer now, if so.
async fn blocked(
    st: &WebState,
    ctx: &Ctx,
    form: &Form,
    headers: &HeaderMap,
) -> AppResult<Option<&'static str>> {
    let s = &form.survey;
    match s.status.as_str() {
        "draft" => return Ok(Some("survey.preview_notice")),
        "open" => {}
        _ => return Ok(Some("survey.closed")),
    }
    if let Some(why) = store::closed_reason(&st.app.db, ctx.org_id(), s).await? {
        return Ok(Some(why));
    }
    let user = ctx.principal.as_deref();
    let receipt = match s.audience.as_str() {
        "public" => cookie(headers, &receipt_cookie(s.id)).map(str::to_string),
        "citizens" => match user {
            Some(p) => Some(account_receipt(p.user_id)),
            None => return Ok(Some("survey.sign_in_needed")),
        },
        "staff" => match user {
            Some(p) if p.is_staff() => Some(account_receipt(p.user_id)),
            _ => return Ok(Some("survey.staff_only")),
        },
        _ => None,
    };
    if let Some(r) = receipt
        && responses::answered(&st.app.db, ctx.org_id(), s.id, &r).await?
    {
        return Ok(Some("survey.already"));
    }
    Ok(None)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FormQuery {
    code: String,
    resume: String,
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    PathId(id): PathId,
    QueryData(q): QueryData<FormQuery>,
) -> AppResult<Response> {
    let form = load(&st, &ctx, id).await?;
    let why = blocked(&st, &ctx, &form, &headers).await?;
    // The letter's link may carry the code, so the respondent need not type it; a resume link
    // brings back the answers saved so far.
    let mut prefill = vec![(
        "code".to_string(),
        q.code.chars().take(40).collect::<String>(),
    )];
    let mut notice = None;
    if !q.resume.is_empty() && why.is_none() {
        match drafts::load(&st.app.db, ctx.org_id(), id, &q.resume).await? {
            Some(saved) => {
                prefill.extend(saved);
                prefill.push(("resume".into(), q.resume.clone()));
                notice = Some("survey.resumed");
            }
            None => notice = Some("survey.resume_expired"),
        }
    }
    // A continued draft opens on the page where it was saved.
    let page = answers::values(&prefill, "page")
        .first()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    form_page(
        &ctx,
        &form,
        why,
        &prefill,
        FieldErrors::default(),
        Mode::Answer(page),
        notice,
    )
}

/// The nonce of a posted form (a random value the form page made), or a 400.
pub fn nonce_of(fields: &[(String, String)]) -> AppResult<String> {
    let nonce = answers::values(fields, "nonce")
        .first()
        .map(|s| s.to_string())
        .unwrap_or_default();
    if nonce.len() < 20 || nonce.len() > 100 {
        return Err(AppError::BadRequest("error.bad_form"));
    }
    Ok(nonce)
}

pub async fn submit(
    State(st): State<WebState>,
    ctx: Ctx,
    crate::web::extract::ClientIp(ip): crate::web::extract::ClientIp,
    headers: HeaderMap,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = load(&st, &ctx, id).await?;
    if let Some(why) = blocked(&st, &ctx, &form, &headers).await? {
        let mut res = form_page(
            &ctx,
            &form,
            Some(why),
            &[],
            FieldErrors::default(),
            Mode::Answer(0),
            None,
        )?;
        *res.status_mut() = StatusCode::CONFLICT;
        return Ok(res);
    }
    // The thanks are a notice on the list of surveys (Post/Redirect/Get: a reload sends nothing).
    let thanks = |key: &'static str, receipt: Option<&str>| -> AppResult<Response> {
        let mut res = see_other(&st, "/surveys", key);
        if let Some(r) = receipt {
            // One year: long enough for any survey period; HttpOnly, the page never reads it.
            let c = set_cookie(
                &receipt_cookie(id),
                r,
                365 * 24 * 3600,
                st.app.config.secure_cookies(),
                true,
            );
            res.headers_mut().append(header::SET_COOKIE, c);
        }
        Ok(res)
    };
    // Bot trap: a field hidden from people. Answer as if stored, store nothing.
    if !answers::values(&fields, "website").is_empty() {
        return thanks("survey.thanks", None);
    }
    let nonce = nonce_of(&fields)?;
    let resume = answers::values(&fields, "resume")
        .first()
        .map(|r| r.to_string());
    // 途中保存: keep the answers as they are (unchecked) and hand out the link to continue.
    if !answers::values(&fields, "save_later").is_empty() {
        let secret = drafts::save(&st.app.db, ctx.org_id(), id, resume.as_deref(), &fields).await?;
        let link = format!(
            "{}/surveys/{id}?resume={secret}",
            ctx.org.base_url(&st.app.config.public_url)
        );
        let t = ctx.tr();
        let page = crate::web::pages::MessagePage {
            s: Shell::new(&ctx, "survey.saved_title"),
            paragraphs: vec![t.t("survey.saved").to_string(), link.clone()],
            link: Some((
                format!("/surveys/{id}?resume={secret}"),
                t.t("survey.continue_now").to_string(),
            )),
        };
        let mut res = render(&page)?.into_response();
        // The link is a secret: never stored by caches.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        return Ok(res);
    }
    // A sectioned survey: "next" checks the page being left, "back" checks nothing; the last
    // page sends. Sending from an earlier page (a changed answer showed a later one) goes on.
    let pages = paging::pages(&form);
    let page = answers::values(&fields, "page")
        .first()
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| *p < pages.len())
        .unwrap_or(0);
    let nav = answers::values(&fields, "nav").first().copied();
    let show = |p: usize, errs: FieldErrors, notice: Option<&str>| {
        form_page(&ctx, &form, None, &fields, errs, Mode::Answer(p), notice)
    };
    if nav == Some("back") {
        return show(
            paging::previous(&form, &pages, page, &fields),
            FieldErrors::default(),
            None,
        );
    }
    let later = paging::next(&form, &pages, page, &fields);
    if nav == Some("next") || later.is_some() {
        let mut errs =
            match answers::check_where(&form, &fields, |q| paging::on_page(&pages, page, q.id())) {
                Ok(_) => FieldErrors::default(),
                Err(e) => e,
            };
        if page == 0
            && form.survey.audience == "codes"
            && answers::values(&fields, "code").is_empty()
        {
            errs.add("code", "survey.code_required");
        }
        return match (errs.is_empty(), later) {
            (false, _) => show(page, errs, None),
            (true, Some(n)) => show(n, errs, None),
            (true, None) => show(page, errs, Some("survey.last_page")),
        };
    }
    let mut errs = FieldErrors::default();
    let code = if form.survey.audience == "codes" {
        let c = answers::values(&fields, "code")
            .first()
            .map(|c| crate::surveys::invitations::normalize_code(c));
        if c.as_deref().is_none_or(str::is_empty) {
            errs.add("code", "survey.code_required");
        }
        c
    } else {
        None
    };
    let rows = match answers::check(&form, &fields) {
        Ok(rows) if errs.is_empty() => rows,
        Ok(_) => return show(0, errs, None),
        Err(mut more) => {
            more.0.extend(errs.0);
            return show(paging::first_with_error(&pages, &more), more, None);
        }
    };
    let org = ctx.org_id();
    let (browser, account) = match form.survey.audience.as_str() {
        "public" => (Some(tokens::random_secret()), None),
        "citizens" | "staff" => (
            None,
            ctx.principal.as_deref().map(|p| account_receipt(p.user_id)),
        ),
        _ => (None, None),
    };
    if form.survey.audience == "public"
        && !crate::address_limit::allow(
            &st.app.db,
            org,
            "survey",
            id,
            &ip.to_string(),
            crate::surveys::ANSWERS_PER_ADDRESS_PER_DAY,
        )
        .await?
    {
        let mut res = crate::web::pages::message(
            &ctx,
            "survey.address_limit_title",
            &["survey.address_limit"],
            Some(("/surveys", "survey.back_to_list")),
        )?;
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let mut receipts = vec![nonce.as_str()];
    receipts.extend(browser.as_deref());
    receipts.extend(account.as_deref());
    let claims = responses::Claims {
        receipts: &receipts,
        code: code.as_deref(),
        draft: resume.as_deref(),
    };
    match responses::submit(&st.app, org, id, "web", claims, &rows).await? {
        Stored::New => thanks("survey.thanks", browser.as_deref()),
        Stored::AlreadyAnswered => thanks("survey.thanks_again", None),
        Stored::CodeRefused => {
            let mut e = FieldErrors::default();
            e.add("code", "survey.code_refused");
            show(0, e, None)
        }
    }
}
