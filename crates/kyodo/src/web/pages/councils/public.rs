//! Public: the register of councils with the participation table (総委員数 / 女性 / 参画率 / 公募 /
//! 任期 / 根拠 / 担当課) and the organization's figures; one body with its current members (names
//! and occupations unless the body decided otherwise; never any contact data).

use super::{TableRow, rate, table};
use crate::codes;
use crate::councils::bodies::{self, Body};
use crate::councils::inquiries::{self, Inquiry, Recommendation};
use crate::councils::{members, register};
use crate::error::{AppError, AppResult};
use crate::participation::today;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "councils/list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    rows: Vec<TableRow>,
    overall: String,
    target: String,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let reg = register::load(st.reader(&ctx), ctx.org_id(), today()).await?;
    let rows = table(&st, &ctx, &reg).await?;
    let page = ListPage {
        s: Shell::new(&ctx, "cn.title"),
        overall: t.f(
            "cn.overall_value",
            &[
                &reg.overall.members,
                &reg.overall.women,
                &rate(&reg.overall.women_rate),
            ],
        ),
        target: t.f(
            "cn.target_value",
            &[
                &reg.rules.women_target_overall,
                &reg.rules.women_target_body,
            ],
        ),
        rows,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// A member as the public sees them.
pub struct PublicMember {
    pub name: String,
    pub occupation: String,
    pub category: String,
    pub role: String,
    pub term: String,
}

#[derive(Template)]
#[template(path = "councils/body.html")]
struct BodyPage<'a> {
    s: Shell<'a>,
    b: Body,
    kind: String,
    members: Vec<PublicMember>,
    /// (id, when, place) of the body's meetings, newest first.
    meetings: Vec<(i64, String, String)>,
    /// Follow-up opinions on plan items with the city's responses.
    follow_up: Vec<crate::councils::follow_up::FollowUp>,
    /// 委員公募: calls with their period in words.
    calls: Vec<(crate::councils::recruitment::Call, String)>,
    /// 諮問 with each recommendation and the city's decision in words.
    inquiries: Vec<(Inquiry, Vec<(Recommendation, String)>)>,
}

pub async fn body(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let day = today().format("%Y-%m-%d").to_string();
    // Every read at once (one round trip's wait on PostgreSQL, not six), the code lists from
    // their snapshot. An address of no body costs the other reads too; that is rare.
    let (b, rows, all_codes, held, calls, inquiries, follow_up) = tokio::try_join!(
        async { Ok(bodies::get(db, org, id).await?) },
        async { Ok(members::current(db, org, id, &day).await?) },
        st.snapshots.codes(&st.cache, &st.app.db, org),
        async { Ok(crate::councils::meetings::of_body(db, org, id).await?) },
        async { Ok(crate::councils::recruitment::of_body(db, org, id).await?) },
        async { Ok(inquiries::of_body(db, org, id).await?) },
        async { Ok(crate::councils::follow_up::published(db, org, id).await?) },
    )?;
    let b = b.ok_or(AppError::NotFound)?;
    let when = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| t.date(d))
            .unwrap_or_default()
    };
    let calls = calls
        .into_iter()
        .map(|c| {
            let p = crate::web::format::date_range(t, &c.opens_on, &c.closes_on);
            (c, p)
        })
        .collect();
    let inquiries = inquiries
        .into_iter()
        .map(|(i, recs)| {
            let recs = recs
                .into_iter()
                .map(|r| {
                    let label = inquiries::DECISIONS
                        .iter()
                        .find(|(d, _)| *d == r.decision)
                        .map_or_else(String::new, |(_, k)| t.t(k).to_string());
                    (r, label)
                })
                .collect();
            (i, recs)
        })
        .collect();
    let meetings = held
        .iter()
        .map(|m| (m.id, super::meetings::when(t, m), m.place.clone()))
        .collect();
    let members = rows
        .iter()
        .map(|m| PublicMember {
            name: if m.name_public {
                m.name.clone()
            } else {
                t.t("cn.name_withheld").to_string()
            },
            occupation: if m.name_public {
                m.occupation.clone()
            } else {
                String::new()
            },
            category: codes::label(&all_codes, codes::COUNCIL_CATEGORY, &m.category, t.lang)
                .to_string(),
            role: crate::councils::ROLES
                .iter()
                .find(|(r, _)| *r == m.role)
                .map_or_else(String::new, |(_, k)| t.t(k).to_string()),
            term: t.f(
                "cn.term_value",
                &[&when(&m.appointed_on), &when(&m.term_ends_on)],
            ),
        })
        .collect();
    let page = BodyPage {
        s: Shell::new(&ctx, "cn.body_title"),
        kind: t
            .t(if b.kind == "ordinance" {
                "cn.kind_ordinance"
            } else {
                "cn.kind_guideline"
            })
            .to_string(),
        b,
        members,
        meetings,
        follow_up,
        calls,
        inquiries,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}
