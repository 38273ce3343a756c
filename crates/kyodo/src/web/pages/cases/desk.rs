//! The desk (窓口): the kinds of case this visitor may send, a type's form, and the receipt with
//! the number and access key — shown once, on the page that answers the submission (never put in a
//! link, where it would sit in logs and browser history).

use crate::cases::store::{self, CaseType};
use crate::cases::submit::{self, Contact};
use crate::error::{AppError, AppResult};
use crate::surveys::drafts;
use crate::surveys::store::Form;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, Posted, QueryData};
use crate::web::pages::surveys::form_fields::{QuestionView, question_view};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "cases/desk.html")]
struct DeskPage<'a> {
    s: Shell<'a>,
    /// Each type with its deadline in words.
    types: Vec<(CaseType, String)>,
    /// Sent from a facility's page: (id, name) of the facility the case will be about.
    about: Option<(i64, String)>,
}

/// `?facility=` — the desk and a form opened from a facility's page; `?resume=` — a form saved to
/// finish later (途中保存).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct About {
    pub facility: String,
    pub resume: String,
}

/// The facility named by `?facility=`, if it is one of the organization's (anything else is ignored).
async fn about(st: &WebState, ctx: &Ctx, q: &About) -> AppResult<Option<(i64, String)>> {
    let Ok(id) = q.facility.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(
        crate::reservations::facilities::get(&st.app.db, ctx.org_id(), id)
            .await?
            .map(|f| (f.id, f.name)),
    )
}

pub async fn desk(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<About>,
) -> AppResult<Response> {
    let who = ctx.principal.as_deref();
    let types = store::types(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .filter(|t| t.open_to(who))
        .map(|t| {
            let rule = ctx.tr().f("case.deadline_rule", &[&t.deadline_days]);
            (t, rule)
        })
        .collect();
    let page = DeskPage {
        s: Shell::new(&ctx, "case.desk_title"),
        types,
        about: about(&st, &ctx, &q).await?,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "cases/form.html")]
struct FormPage<'a> {
    s: Shell<'a>,
    ty: CaseType,
    questions: Vec<QuestionView>,
    contact: Contact,
    guest: bool,
    /// The facility's name when the case is about one (its id travels in `contact.facility`).
    facility_name: String,
    /// 途中保存: the form can be saved (it has a form), and the secret of the draft it continues.
    can_save: bool,
    resume: String,
    /// The form has a file question: it is sent as `multipart/form-data`.
    has_file: bool,
}

/// What the form is shown with: the fields as typed (or saved), the contact, the problems beside
/// the fields, and a notice (a draft resumed or expired).
struct Typed<'a> {
    fields: &'a [(String, String)],
    contact: Contact,
    errs: FieldErrors,
    notice: Option<&'static str>,
}

async fn form_page(
    st: &WebState,
    ctx: &Ctx,
    ty: CaseType,
    form: &Form,
    typed: Typed<'_>,
) -> AppResult<Response> {
    let Typed {
        fields,
        contact,
        errs,
        notice,
    } = typed;
    let t = ctx.tr();
    let questions = form
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_view(t, form, i, q, fields, false))
        .collect();
    let q = About {
        facility: contact.facility.clone(),
        ..About::default()
    };
    let facility_name = about(st, ctx, &q).await?.map(|f| f.1).unwrap_or_default();
    let mut shell = Shell::new(ctx, "case.form_title").with_errors(errs);
    if let Some(n) = notice {
        shell = shell.with_notice(n);
    }
    let page = FormPage {
        s: shell,
        questions,
        contact,
        guest: ctx.principal.is_none(),
        facility_name,
        can_save: ty.form_survey_id.is_some(),
        has_file: form
            .questions
            .iter()
            .any(|q| q.kind == crate::surveys::store::Kind::File),
        resume: fields
            .iter()
            .find(|(k, _)| k == "resume")
            .map(|(_, v)| v.chars().take(100).collect())
            .unwrap_or_default(),
        ty,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn form(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<About>,
) -> AppResult<Response> {
    let ty = submit::usable_type(&st.app, ctx.org_id(), id, ctx.principal.as_deref()).await?;
    let form = submit::form_of(&st.app, ctx.org_id(), &ty).await?;
    // A resume link brings back what was saved (answers and contact) to finish and send.
    let (mut fields, mut notice) = (Vec::new(), None);
    if let (Some(survey), false) = (ty.form_survey_id, q.resume.is_empty()) {
        match drafts::load(&st.app.db, ctx.org_id(), survey, &q.resume).await? {
            Some(saved) => {
                fields = saved;
                fields.push(("resume".into(), q.resume.clone()));
                notice = Some("survey.resumed");
            }
            None => notice = Some("survey.resume_expired"),
        }
    }
    let mut contact = contact_of(&fields);
    if contact.facility.is_empty() {
        contact.facility = about(&st, &ctx, &q)
            .await?
            .map(|f| f.0.to_string())
            .unwrap_or_default();
    }
    let typed = Typed {
        fields: &fields,
        contact,
        errs: FieldErrors::default(),
        notice,
    };
    let page = form_page(&st, &ctx, ty, &form, typed).await?;
    Ok(private(page))
}

/// A page with a draft's secret or the submitter's answers: never kept by a cache.
fn private(mut res: Response) -> Response {
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// 途中保存 (the form's second button): keeps the form as typed (unchecked) and answers with the
/// link to continue.
pub async fn save_draft(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    posted: Posted,
) -> AppResult<Response> {
    // Files are not kept with a draft (the form says to choose them when sending).
    let fields = posted.fields;
    let ty = submit::usable_type(&st.app, ctx.org_id(), id, ctx.principal.as_deref()).await?;
    let Some(survey) = ty.form_survey_id else {
        return Err(AppError::NotFound);
    };
    let (st, ctx, fields) = (&st, &ctx, &fields);
    let resume = fields
        .iter()
        .find(|(k, _)| k == "resume")
        .map(|(_, v)| v.as_str());
    let secret = drafts::save(&st.app.db, ctx.org_id(), survey, resume, fields).await?;
    let path = format!("/cases/types/{}?resume={secret}", ty.id);
    let t = ctx.tr();
    let page = crate::web::pages::MessagePage {
        s: Shell::new(ctx, "survey.saved_title"),
        paragraphs: vec![
            t.t("case.saved_for_later").to_string(),
            format!("{}{path}", ctx.org.base_url(&st.app.config.public_url)),
        ],
        link: Some((path, t.t("survey.continue_now").to_string())),
    };
    // A draft changes nothing anonymous visitors see: no cached page is dropped.
    Ok(crate::web::cache_scope::unchanged(private(
        render(&page)?.into_response(),
    )))
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptPage<'a> {
    s: Shell<'a>,
    ty: CaseType,
    number: String,
    key: String,
    due: String,
    mailed: bool,
}

/// The contact fields come in the same body as the questions' `q…` fields.
fn contact_of(fields: &[(String, String)]) -> Contact {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Contact {
        name: get("name"),
        email: get("email"),
        address: get("address"),
        latitude: get("latitude"),
        longitude: get("longitude"),
        consent: get("consent"),
        facility: get("facility"),
    }
}

pub async fn send(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    posted: Posted,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let who = ctx.principal.as_deref();
    let ty = submit::usable_type(&st.app, org, id, who).await?;
    let Posted {
        fields,
        files,
        too_large,
    } = posted;
    if too_large {
        return too_large_page(&st, &ctx, ty).await;
    }
    let contact = contact_of(&fields);
    match submit::submit(&st.app, &ctx.org, &ty, who, &fields, &contact, files).await {
        Ok(r) => {
            // Sent: the draft it came from is forgotten (with any expired ones of the form). The
            // case is stored whatever happens here: a draft left behind expires by itself.
            if let (Some(survey), Some((_, secret))) = (
                ty.form_survey_id,
                fields.iter().find(|(k, _)| k == "resume"),
            ) {
                let forgot = async {
                    let mut tx = st.app.begin_write().await?;
                    drafts::discard(&mut tx, org, survey, secret).await?;
                    tx.commit().await
                };
                if let Err(e) = forgot.await {
                    tracing::warn!(error = %e, "a sent case's draft was not deleted");
                }
            }
            let page = ReceiptPage {
                s: Shell::new(&ctx, "case.receipt_title"),
                number: r.number,
                key: r.access_key,
                due: ctx.tr().date(r.due_on),
                mailed: !contact.email.trim().is_empty(),
                ty,
            };
            Ok(render(&page)?.into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let form = submit::form_of(&st.app, org, &ty).await?;
            let typed = Typed {
                fields: &fields,
                contact,
                errs,
                notice: None,
            };
            form_page(&st, &ctx, ty, &form, typed).await
        }
        Err(e) => Err(e),
    }
}

/// A body over the upload limit was not read: the form again, the message beside its first file
/// question (nothing typed came through).
async fn too_large_page(st: &WebState, ctx: &Ctx, ty: CaseType) -> AppResult<Response> {
    let form = submit::form_of(&st.app, ctx.org_id(), &ty).await?;
    let mut errs = FieldErrors::default();
    let first_file = form
        .questions
        .iter()
        .find(|q| q.kind == crate::surveys::store::Kind::File);
    match first_file {
        Some(q) => errs.add(
            &crate::surveys::answers::field(q.id()),
            "attachment.too_large",
        ),
        None => errs.add("name", "attachment.too_large"),
    }
    let typed = Typed {
        fields: &[],
        contact: Contact::default(),
        errs,
        notice: None,
    };
    form_page(st, ctx, ty, &form, typed).await
}
