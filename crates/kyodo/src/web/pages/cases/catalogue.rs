//! Public pages of the desk's kinds: 手続一覧 (/procedures) — every procedure (電子申請) with who may
//! apply, the documents needed, the fee, the forms to download and, where it is online, the way to
//! the form — and 民間提案の採否 (/cases/proposals), the decisions on private-sector proposals with
//! their reasons. Both are cached for anonymous visitors (area `CASES`).

use crate::cases::store::{self, CaseType};
use crate::cases::{audience, kind, yearly};
use crate::codes::{self, CASE_DECISION, CASE_IMPLEMENTATION};
use crate::error::AppResult;
use crate::files::documents::{self, Document};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// A procedure as the catalogue shows it.
struct Procedure {
    ty: CaseType,
    department: String,
    fee: String,
    forms: Vec<Document>,
    /// Signing in is needed to apply online.
    needs_account: bool,
}

#[derive(Template)]
#[template(path = "cases/procedures.html")]
struct ProceduresPage<'a> {
    s: Shell<'a>,
    procedures: Vec<Procedure>,
}

/// 手続一覧: the procedures open to citizens (public or signed-in), in the HQ's order.
pub async fn procedures(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let page = ProceduresPage {
        procedures: procedure_list(&st, &ctx).await?,
        s: Shell::new(&ctx, "case.procedures_title"),
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// 手続一覧 as open data: a row per procedure with the addresses of its online form and forms.
/// The open-data columns of 手続一覧.
pub const PROCEDURES_HEADER: [&str; 8] = [
    "手続名",
    "対象者",
    "必要書類",
    "手数料(円)",
    "申請方法",
    "担当課",
    "申請フォーム",
    "様式",
];

pub async fn procedures_csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let rows = procedure_rows(&st, &ctx).await?;
    crate::web::download::csv_body(
        &PROCEDURES_HEADER,
        rows,
        format!("{}_procedures.csv", ctx.org.lg_code),
    )
}

/// 手続一覧 as open-data rows (the CSV and the API).
pub async fn procedure_rows(st: &WebState, ctx: &Ctx) -> AppResult<Vec<Vec<String>>> {
    let t = ctx.tr();
    let base = ctx.org.base_url(&st.app.config.public_url);
    let rows = procedure_list(st, ctx)
        .await?
        .into_iter()
        .map(|p| {
            let way = if p.ty.online {
                t.t("case.way_online")
            } else {
                t.t("case.way_offline")
            };
            let forms = p
                .forms
                .iter()
                .map(|d| format!("{} {base}/documents/{}", d.title, d.id))
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                p.ty.name.clone(),
                p.ty.eligibility.clone(),
                p.ty.documents_needed.clone(),
                p.ty.fee_yen.to_string(),
                way.to_string(),
                p.department,
                if p.ty.online {
                    format!("{base}/cases/types/{}", p.ty.id)
                } else {
                    String::new()
                },
                forms,
            ]
        })
        .collect();
    Ok(rows)
}

async fn procedure_list(st: &WebState, ctx: &Ctx) -> AppResult<Vec<Procedure>> {
    let (db, org) = (st.reader(ctx), ctx.org_id());
    let (types, forms, depts) = tokio::try_join!(
        async { Ok(store::types(db, org).await?) },
        async { Ok(documents::of_owner_kind(db, org, "case_type").await?) },
        st.snapshots.departments(&st.cache, &st.app.db, org),
    )?;
    let procedures = types
        .into_iter()
        .filter(|t| t.kind == kind::APPLICATION)
        .filter(|t| t.audience == audience::PUBLIC || t.audience == audience::SIGNED_IN)
        .map(|ty| Procedure {
            department: ty
                .department_id
                .and_then(|d| depts.iter().find(|x| x.id == d))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            fee: if ty.fee_yen > 0 {
                super::super::reservations::yen(ctx.tr(), ty.fee_yen)
            } else {
                ctx.tr().t("case.free").to_string()
            },
            forms: forms
                .iter()
                .filter(|d| d.owner_id == ty.id)
                .cloned()
                .collect(),
            needs_account: ty.audience == audience::SIGNED_IN,
            ty,
        })
        .collect();
    Ok(procedures)
}

/// A decision as the public list shows it.
struct Decision {
    d: yearly::PublicDecision,
    decision: String,
    implementation: String,
    received: String,
    decided: String,
}

#[derive(Template)]
#[template(path = "cases/proposals.html")]
struct ProposalsPage<'a> {
    s: Shell<'a>,
    decisions: Vec<Decision>,
}

/// 民間提案の採否: every decided private-sector proposal, newest first.
pub async fn proposals(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let org = ctx.org_id();
    let (rows, codes) = tokio::try_join!(
        async { Ok(yearly::private_decisions(st.reader(&ctx), org).await?) },
        st.snapshots.codes(&st.cache, &st.app.db, org),
    )?;
    let decisions = rows
        .into_iter()
        .map(|d| Decision {
            decision: codes::label(&codes, CASE_DECISION, &d.decision, ctx.lang).to_string(),
            implementation: if d.implementation.is_empty() {
                String::new()
            } else {
                codes::label(&codes, CASE_IMPLEMENTATION, &d.implementation, ctx.lang).to_string()
            },
            received: super::day(&ctx, &d.received_at),
            decided: super::day(&ctx, &d.decided_at),
            d,
        })
        .collect();
    let page = ProposalsPage {
        s: Shell::new(&ctx, "case.proposals_title"),
        decisions,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// 民間提案の採否 as open data: the same rows as the page, through the one CSV writer.
/// The open-data columns of 民間提案の採否.
pub const PROPOSALS_HEADER: [&str; 8] = [
    "整理番号",
    "受付日",
    "提案の概要",
    "採否",
    "理由",
    "実施状況",
    "関連する事務事業",
    "決定日",
];

pub async fn proposals_csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let rows = proposal_rows(&st, &ctx).await?;
    crate::web::download::csv_body(
        &PROPOSALS_HEADER,
        rows,
        format!("{}_private_proposals.csv", ctx.org.lg_code),
    )
}

/// 民間提案の採否 as open-data rows (the CSV and the API).
pub async fn proposal_rows(st: &WebState, ctx: &Ctx) -> AppResult<Vec<Vec<String>>> {
    let org = ctx.org_id();
    let (rows, codes) = tokio::try_join!(
        yearly::private_decisions(st.reader(ctx), org),
        codes::all(st.reader(ctx), org),
    )?;
    // An empty code (not decided yet) has no label and stays empty.
    let word = |list: &str, code: &str| codes::label(&codes, list, code, ctx.lang).to_string();
    let rows = rows
        .into_iter()
        .map(|d| {
            vec![
                d.number.clone(),
                d.received_at.get(..10).unwrap_or_default().to_string(),
                d.summary.clone(),
                word(CASE_DECISION, &d.decision),
                d.reason.clone(),
                word(CASE_IMPLEMENTATION, &d.implementation),
                d.programme.clone().unwrap_or_default(),
                d.decided_at.get(..10).unwrap_or_default().to_string(),
            ]
        })
        .collect();
    Ok(rows)
}
