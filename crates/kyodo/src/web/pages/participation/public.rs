//! Public: the consultations by phase (募集中 / 予告 / 結果公表待ち / 結果公表済) with an Atom feed,
//! and one consultation with its draft by section.

use super::period;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::{self as store, Consultation, Phase, SectionRow};
use crate::participation::today;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::shell::{Shell, render};
use crate::web::{WebState, atom};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub struct Row {
    pub c: Consultation,
    pub period: String,
}

#[derive(Template)]
#[template(path = "participation/list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    /// (phase title, rows) for the phases that have some.
    phases: Vec<(String, Vec<Row>)>,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let all = store::list(st.reader(&ctx), ctx.org_id()).await?;
    let day = today();
    let phases = [
        Phase::Open,
        Phase::Upcoming,
        Phase::Closed,
        Phase::Published,
    ]
    .into_iter()
    .filter_map(|p| {
        let rows: Vec<Row> = all
            .iter()
            .filter(|c| c.phase(day) == p)
            .map(|c| Row {
                period: period(t, c),
                c: c.clone(),
            })
            .collect();
        (!rows.is_empty()).then(|| (t.t(p.key()).to_string(), rows))
    })
    .collect();
    let page = ListPage {
        s: Shell::new(&ctx, "pc.title"),
        phases,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// New consultations and published results as an Atom feed (newest first).
pub async fn feed(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let all = store::list(st.reader(&ctx), ctx.org_id()).await?;
    let base = &ctx.base_url;
    let entries = all.iter().flat_map(|c| feed_entries(c, base)).collect();
    Ok(atom::feed(
        &format!("{} 意見公募", ctx.org.name),
        &format!("{base}/consultations"),
        entries,
    ))
}

/// A consultation's entries in a feed: its opening, and its result once published.
fn feed_entries(c: &Consultation, base: &str) -> Vec<atom::Entry> {
    let mut out = vec![atom::Entry {
        at: c.starts_on.clone(),
        title: format!("意見募集: {}", c.title),
        link: format!("{base}/consultations/{}", c.id),
        summary: c.summary.clone(),
    }];
    if let Some(at) = &c.result_published_at {
        out.push(atom::Entry {
            at: at.clone(),
            title: format!("結果公表: {}", c.title),
            link: format!("{base}/consultations/{}/result", c.id),
            summary: String::new(),
        });
    }
    out
}

/// Every consultation's period as an all-day event (a calendar to subscribe to).
pub async fn calendar(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    use crate::web::format::ical_text;
    let org = ctx.org_id();
    let all = store::list(st.reader(&ctx), org).await?;
    let base = ctx.org.base_url(&st.app.config.public_url);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kyodo//consultations//JA\r\nCALSCALE:GREGORIAN\r\n",
    );
    for c in &all {
        let Ok(end) = chrono::NaiveDate::parse_from_str(&c.ends_on, "%Y-%m-%d") else {
            continue;
        };
        // DTEND of an all-day event is the day after the last one.
        let after = end.succ_opt().unwrap_or(end).format("%Y%m%d");
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:consultation-{org}-{}@kyodo\r\nDTSTAMP:{stamp}\r\nDTSTART;VALUE=DATE:{}\r\n\
             DTEND;VALUE=DATE:{after}\r\nSUMMARY:{}\r\nURL:{base}/consultations/{}\r\nEND:VEVENT\r\n",
            c.id,
            c.starts_on.replace('-', ""),
            ical_text(&format!("意見募集: {}", c.title)),
            c.id,
        ));
    }
    out.push_str("END:VCALENDAR\r\n");
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        out,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "participation/show.html")]
struct ShowPage<'a> {
    s: Shell<'a>,
    c: Consultation,
    phase: Phase,
    phase_label: String,
    period: String,
    department: String,
    eligibility: String,
    sections: Vec<SectionRow>,
    documents: Vec<crate::files::documents::Document>,
    /// The linked 施策: (id, "1-1 title").
    policy: Option<(i64, String)>,
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    // The consultation, its sections and documents at once; departments and code lists from
    // their snapshots. Only a linked 施策's title waits for the consultation.
    let (c, sections, documents, all_codes, departments) = tokio::try_join!(
        async { Ok(store::get(db, org, id).await?) },
        async { Ok(store::sections(db, org, id).await?) },
        async {
            let owner = crate::files::documents::Owner::Consultation(id);
            Ok(crate::files::documents::of_owner(db, org, owner).await?)
        },
        st.snapshots.codes(&st.cache, &st.app.db, org),
        st.snapshots.departments(&st.cache, &st.app.db, org),
    )?;
    let c = c.ok_or(AppError::NotFound)?;
    let department = c
        .department_id
        .and_then(|d| departments.iter().find(|x| x.id == d))
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let phase = c.phase(today());
    let policy = match c.policy_node_id {
        Some(p) => store::policy(db, org, p).await?,
        None => None,
    };
    let eligibility = super::eligibility(t, &all_codes, &c)
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join(t.t("pc.list_sep"));
    let page = ShowPage {
        s: Shell::new(&ctx, "pc.consultation_title"),
        phase_label: t.t(phase.key()).to_string(),
        phase,
        period: period(t, &c),
        department,
        eligibility,
        sections,
        documents,
        policy,
        c,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}
