//! HQ: the councils dashboard — bodies that miss a target, terms ending within the warning window,
//! members past the years-in-office or concurrent-bodies limit — with a form to add a body; a
//! body's members (all appointments) with the appointment form.

use super::{TableRow, table};
use crate::codes;
use crate::councils::bodies::{self, Body, BodyForm};
use crate::councils::inquiries::{self, Inquiry, InquiryForm, Recommendation};
use crate::councils::meetings::{self, Meeting, MeetingForm};
use crate::councils::members::{self, MemberForm, MemberRow};
use crate::councils::recruitment::{self, Call, CallForm};
use crate::councils::{GENDERS, ROLES, register};
use crate::error::{AppError, AppResult};
use crate::participation::today;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "councils/dashboard.html")]
struct Dashboard<'a> {
    s: Shell<'a>,
    rows: Vec<TableRow>,
    /// (body, what it misses, in words)
    missing: Vec<(String, String)>,
    /// (body, person, term end)
    ending: Vec<(String, String, String)>,
    /// (body, person, years)
    long_serving: Vec<(String, String, i64)>,
    /// (person, bodies)
    concurrent: Vec<(String, usize)>,
    overall: String,
    overall_below: bool,
    departments: Vec<(i64, String)>,
    form: BodyForm,
}

async fn dashboard_page(
    st: &WebState,
    ctx: &Ctx,
    form: Option<BodyForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let day = today();
    let reg = register::load(&st.app.db, org, day).await?;
    let rows = table(st, ctx, &reg).await?;
    let missing = rows
        .iter()
        .filter_map(|r| {
            let mut what = Vec::new();
            if r.f.below_women_target {
                what.push(t.f("cn.miss_women", &[&r.rate, &reg.rules.women_target_body]));
            }
            if r.f.missing_public {
                what.push(t.t("cn.miss_public").to_string());
            }
            if r.f.over_max_members {
                what.push(t.t("cn.miss_max").to_string());
            }
            (!what.is_empty()).then(|| (r.name.clone(), what.join(t.t("pc.list_sep"))))
        })
        .collect();
    let ending = reg
        .overall
        .ending_soon
        .iter()
        .map(|(b, p, d)| {
            (
                reg.body_name(*b).to_string(),
                reg.person_name(*p).to_string(),
                t.date(*d),
            )
        })
        .collect();
    let long_serving = reg
        .overall
        .over_years
        .iter()
        .map(|(b, p, y)| {
            (
                reg.body_name(*b).to_string(),
                reg.person_name(*p).to_string(),
                *y,
            )
        })
        .collect();
    let concurrent = reg
        .overall
        .over_concurrent
        .iter()
        .map(|(p, n)| (reg.person_name(*p).to_string(), *n))
        .collect();
    let departments = crate::accounts::departments::list(&st.app.db, org)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let page = Dashboard {
        s: Shell::new(ctx, "cn.hq_title").with_errors(errs),
        overall: t.f(
            "cn.overall_value",
            &[
                &reg.overall.members,
                &reg.overall.women,
                &super::rate(&reg.overall.women_rate),
            ],
        ),
        overall_below: reg.overall.below_target,
        rows,
        missing,
        ending,
        long_serving,
        concurrent,
        departments,
        form: form.unwrap_or_else(|| BodyForm {
            kind: "ordinance".into(),
            term_years: "2".into(),
            max_members: "15".into(),
            meetings_public: "1".into(),
            ..BodyForm::default()
        }),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn dashboard(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    dashboard_page(&st, &ctx, None, FieldErrors::default()).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<BodyForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match bodies::create(&st.app, ctx.org_id(), user, &f).await {
        Ok(id) => Ok(see_other(&st, &format!("/hq/councils/{id}"), "cn.created")),
        Err(AppError::Invalid(errs)) => dashboard_page(&st, &ctx, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "councils/members.html")]
struct MembersPage<'a> {
    s: Shell<'a>,
    b: Body,
    members: Vec<(MemberRow, String, String)>,
    categories: Vec<(String, String)>,
    genders: Vec<(&'static str, String)>,
    roles: Vec<(&'static str, String)>,
    form: MemberForm,
    /// (meeting, when)
    meetings: Vec<(Meeting, String)>,
    meeting: MeetingForm,
    inquiries: Vec<(Inquiry, Vec<Recommendation>)>,
    inquiry: InquiryForm,
    calls: Vec<Call>,
    call: CallForm,
    /// (id, name, linked?) of the organization's committees.
    committees: Vec<(i64, String, bool)>,
    decisions: Vec<(&'static str, String)>,
}

/// What the body page's forms sent, to show again beside their problems.
#[derive(Default)]
pub struct BodyForms {
    pub member: Option<MemberForm>,
    pub meeting: Option<MeetingForm>,
    pub inquiry: Option<InquiryForm>,
    pub call: Option<CallForm>,
}

pub async fn members_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    forms: BodyForms,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let b = bodies::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = today().format("%Y-%m-%d").to_string();
    let (rows, all_codes, held) = tokio::try_join!(
        members::current(&st.app.db, org, id, &day),
        codes::all(&st.app.db, org),
        meetings::of_body(&st.app.db, org, id),
    )?;
    let asked = inquiries::of_body(&st.app.db, org, id).await?;
    let calls = recruitment::of_body(&st.app.db, org, id).await?;
    let linked = crate::councils::follow_up::committee_of(&st.app.db, org, id).await?;
    let committees = crate::accounts::organizations::committees(&st.app.db, org)
        .await?
        .into_iter()
        .map(|(c, name)| (c, name, Some(c) == linked))
        .collect();
    let members = rows
        .into_iter()
        .map(|m| {
            let category =
                codes::label(&all_codes, codes::COUNCIL_CATEGORY, &m.category, t.lang).to_string();
            let gender = GENDERS
                .iter()
                .find(|(g, _)| *g == m.gender)
                .map_or_else(String::new, |(_, k)| t.t(k).to_string());
            (m, category, gender)
        })
        .collect();
    let page = MembersPage {
        s: Shell::new(ctx, "cn.members_title").with_errors(errs),
        b,
        members,
        categories: codes::of_list(&all_codes, codes::COUNCIL_CATEGORY)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        genders: GENDERS
            .iter()
            .map(|(g, k)| (*g, t.t(k).to_string()))
            .collect(),
        roles: ROLES
            .iter()
            .map(|(r, k)| (*r, t.t(k).to_string()))
            .collect(),
        form: forms.member.unwrap_or_else(|| MemberForm {
            gender: "unstated".into(),
            category: "academic".into(),
            role: "member".into(),
            name_public: "1".into(),
            ..MemberForm::default()
        }),
        meetings: held
            .into_iter()
            .map(|m| {
                let w = super::meetings::when(t, &m);
                (m, w)
            })
            .collect(),
        meeting: forms.meeting.unwrap_or_else(|| MeetingForm {
            is_public: "1".into(),
            capacity: "10".into(),
            ..MeetingForm::default()
        }),
        inquiries: asked,
        inquiry: forms.inquiry.unwrap_or_default(),
        calls,
        committees,
        call: forms.call.unwrap_or_else(|| CallForm {
            seats: "2".into(),
            ..CallForm::default()
        }),
        decisions: inquiries::DECISIONS
            .iter()
            .map(|(d, k)| (*d, t.t(k).to_string()))
            .collect(),
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn body(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    members_page(&st, &ctx, id, BodyForms::default(), FieldErrors::default()).await
}

pub async fn appoint(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<MemberForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match members::appoint(&st.app, ctx.org_id(), user, id, &f).await {
        Ok(_) => Ok(see_other(
            &st,
            &format!("/hq/councils/{id}"),
            "cn.appointed",
        )),
        Err(AppError::Invalid(errs)) => {
            members_page(
                &st,
                &ctx,
                id,
                BodyForms {
                    member: Some(f),
                    ..BodyForms::default()
                },
                errs,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CommitteeForm {
    committee: String,
}

/// Links the body to the committee its members sit on (follow-up opinions on plan items).
pub async fn link_committee(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<CommitteeForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    crate::councils::follow_up::link(&st.app, ctx.org_id(), user, id, &f.committee).await?;
    Ok(see_other(
        &st,
        &format!("/hq/councils/{id}"),
        "cn.committee_linked",
    ))
}
