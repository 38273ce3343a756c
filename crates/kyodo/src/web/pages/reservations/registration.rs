//! 利用者登録 online (仮登録): who the user is, as the counter will check it.

use crate::error::{AppError, AppResult};
use crate::reservations::Rules;
use crate::reservations::members;
use crate::reservations::registrations::{self, RegistrationForm};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "reservations/register.html")]
struct RegisterPage<'a> {
    s: Shell<'a>,
    form: RegistrationForm,
    active: bool,
    min_members: usize,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    form: Option<RegistrationForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let existing = registrations::get(&st.app.db, ctx.org_id(), user).await?;
    let active = existing.as_ref().is_some_and(|r| r.is_active());
    let listed = members::of_user(&st.app.db, ctx.org_id(), user).await?;
    let min_members = Rules::load(&st.app.db, ctx.org_id())
        .await?
        .group_min_members;
    let (members_resident, members_other) = members::as_lines(&listed);
    let form = form.unwrap_or_else(|| match existing {
        Some(r) => RegistrationForm {
            kind: r.kind,
            group_name: r.group_name,
            representative: r.representative,
            phone: r.phone,
            address: r.address,
            resident: if r.resident == 1 {
                "1".into()
            } else {
                String::new()
            },
            members_resident,
            members_other,
        },
        None => RegistrationForm {
            kind: "individual".into(),
            representative: ctx
                .principal
                .as_ref()
                .map(|p| p.display_name.clone())
                .unwrap_or_default(),
            resident: "1".into(),
            ..RegistrationForm::default()
        },
    });
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RegisterPage {
        s: Shell::new(ctx, "rsv.register_title").with_errors(errs),
        form,
        active,
        min_members,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, None, FieldErrors::default()).await
}

pub async fn register(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<RegistrationForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match registrations::register(&st.app, ctx.org_id(), user, &f).await {
        // A registration is the user's own: no public page shows it.
        Ok(()) => Ok(unchanged(see_other(
            &st,
            "/facilities/my",
            "rsv.registered",
        ))),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, Some(f), errs).await,
        Err(e) => Err(e),
    }
}
