//! Entry pages for staff, committee members and the reform HQ: their roles and links to their work.

use crate::error::AppResult;
use crate::plans::store;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::pages::roles::role_labels;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

/// (address, label, description)
type Link = (String, String, String);

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage<'a> {
    s: Shell<'a>,
    lead: String,
    roles: Vec<String>,
    links: Vec<Link>,
}

async fn portal(
    st: &WebState,
    ctx: &Ctx,
    title: &'static str,
    lead: &str,
    links: Vec<Link>,
) -> AppResult<Html<String>> {
    let p = ctx.require_user()?;
    let roles = role_labels(st, ctx, &p.roles).await?;
    render(&PortalPage {
        s: Shell::new(ctx, title),
        lead: ctx.tr().t(lead).to_string(),
        roles,
        links,
    })
}

fn link(ctx: &Ctx, href: impl Into<String>, label: &str, text: &str) -> Link {
    let t = ctx.tr();
    (href.into(), t.t(label).to_string(), t.t(text).to_string())
}

pub async fn staff(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    let mut links = vec![
        link(
            &ctx,
            "/staff/reports",
            "report.work_title",
            "portal.reports_text",
        ),
        link(&ctx, "/plans", "nav.plans", "portal.plans_text"),
        link(
            &ctx,
            "/staff/evaluation",
            "eval.work_title",
            "portal.evaluation_staff_text",
        ),
        link(
            &ctx,
            "/staff/facilities",
            "rsv.counter_title",
            "portal.facilities_text",
        ),
        link(&ctx, "/staff/cases", "case.work_title", "portal.cases_text"),
        link(
            &ctx,
            "/staff/proposals",
            "case.staff_proposals_title",
            "portal.proposals_text",
        ),
        link(&ctx, "/staff/cars", "car.title", "portal.cars_text"),
        link(
            &ctx,
            "/staff/consultations",
            "pc.staff_title",
            "portal.consultations_text",
        ),
    ];
    // 働きかけ記録: only for those who keep them.
    if ctx
        .principal
        .as_deref()
        .is_some_and(|p| p.keeps_restricted_records())
    {
        links.push(link(
            &ctx,
            "/compliance/approaches",
            "case.approaches_title",
            "portal.approaches_text",
        ));
    }
    portal(&st, &ctx, "portal.staff_title", "portal.staff_lead", links).await
}

pub async fn committee(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    let links = vec![
        link(&ctx, "/plans", "nav.plans", "portal.committee_plans_text"),
        link(
            &ctx,
            "/committee/evaluation",
            "eval.committee_title",
            "portal.evaluation_committee_text",
        ),
    ];
    portal(
        &st,
        &ctx,
        "portal.committee_title",
        "portal.committee_lead",
        links,
    )
    .await
}

pub async fn hq(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    let mut links: Vec<Link> = store::plans(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .map(|p| {
            (
                format!("/hq/plans/{}", p.id),
                format!("{}: {}", ctx.tr().t("hq.dashboard"), p.title),
                ctx.tr().t("portal.dashboard_text").to_string(),
            )
        })
        .collect();
    links.push(link(
        &ctx,
        "/hq/comments",
        "moderation.title",
        "portal.moderation_text",
    ));
    links.push(link(
        &ctx,
        "/staff/reports",
        "report.work_title",
        "portal.reports_text",
    ));
    links.push(link(
        &ctx,
        "/hq/evaluation",
        "eval.hq_title",
        "portal.evaluation_hq_text",
    ));
    links.push(link(
        &ctx,
        "/hq/surveys",
        "survey.admin_title",
        "survey.admin_portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/councils",
        "cn.hq_title",
        "portal.councils_text",
    ));
    links.push(link(
        &ctx,
        "/hq/cases",
        "case.hq_title",
        "portal.cases_hq_text",
    ));
    links.push(link(
        &ctx,
        "/hq/finance/import",
        "fin.import_title",
        "fin.portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/finance/statements/import",
        "fst.import_title",
        "fst.portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/finance/population",
        "fst.population_title",
        "fst.population_portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/finance/indicators",
        "fix.form_title",
        "fix.portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/finance/outlook/import",
        "outlook.import_title",
        "outlook.portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/finance/bids/import",
        "bids.import_title",
        "bids.portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/opinions",
        "opinion.hq_title",
        "opinion.portal_text",
    ));
    links.push(link(
        &ctx,
        "/hq/advisers",
        "adv.hq_title",
        "portal.advisers_text",
    ));
    portal(&st, &ctx, "portal.hq_title", "portal.hq_lead", links).await
}
