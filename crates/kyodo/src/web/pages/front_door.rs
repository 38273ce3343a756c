//! The home page as the citizen's front door: what is open now (consultations and surveys taking
//! answers, with their closing dates), what is new (also as the site's Atom feed) and a few
//! headline figures, each a link to its page.

use crate::error::AppResult;
use crate::participation::consultations::Phase;
use crate::surveys::store::Survey;
use crate::web::WebState;
use crate::web::atom;
use crate::web::ctx::Ctx;
use crate::web::format::stored_day as day;
use crate::web::pages::front_sources::{Sources, sources};
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;

/// Something a citizen can take part in today.
pub struct OpenItem {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    /// 締切: the last day, written for the page.
    pub closes: String,
}

/// Something newly published.
pub struct NewsItem {
    pub day: String,
    pub kind: &'static str,
    pub title: String,
    pub href: String,
}

/// A headline figure and the page that explains it.
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub href: String,
}

pub struct FrontDoor {
    pub open: Vec<OpenItem>,
    pub news: Vec<NewsItem>,
    pub figures: Vec<Figure>,
}

/// Surveys a visitor may answer (not staff-only ones).
fn answerable(s: &Survey, today: &str) -> bool {
    s.status == "open"
        && matches!(s.audience.as_str(), "public" | "citizens")
        && s.closes_on.as_deref().is_none_or(|c| c >= today)
        && s.opens_on.as_deref().is_none_or(|o| o <= today)
}

/// One piece of news: when, what kind (a catalogue key), its title, its page and a summary.
struct News {
    at: String,
    kind: &'static str,
    title: String,
    path: String,
    summary: String,
}

/// The news, newest first: consultations opened and their results published, surveys opened,
/// meetings whose minutes are published, progress reports and answers to 市民の声 published. The page and the feed are made from it, so they never
/// disagree.
fn news(sources: &Sources, today: &str) -> Vec<News> {
    let Sources {
        plans,
        consultations,
        surveys,
        meetings,
        answers,
    } = sources;
    let mut out = Vec::new();
    for c in consultations
        .iter()
        .filter(|c| c.starts_on.as_str() <= today)
    {
        out.push(News {
            at: c.starts_on.clone(),
            kind: "front.kind_consultation",
            title: c.title.clone(),
            path: format!("/consultations/{}", c.id),
            summary: c.summary.clone(),
        });
        if let Some(at) = &c.result_published_at {
            out.push(News {
                at: at.clone(),
                kind: "front.kind_result",
                title: c.title.clone(),
                path: format!("/consultations/{}/result", c.id),
                summary: String::new(),
            });
        }
    }
    for s in surveys
        .iter()
        .filter(|s| matches!(s.audience.as_str(), "public" | "citizens"))
    {
        if let Some(at) = s.opens_on.clone().filter(|o| o.as_str() <= today) {
            out.push(News {
                at,
                kind: "front.kind_survey",
                title: s.title.clone(),
                path: format!("/surveys/{}", s.id),
                summary: s.description.clone(),
            });
        }
    }
    for m in meetings.iter().filter(|m| m.held_on.as_str() <= today) {
        out.push(News {
            at: m.held_on.clone(),
            kind: "front.kind_meeting",
            title: format!("{} {}", m.body, m.title).trim().to_string(),
            path: format!("/minutes/meetings/{}", m.id),
            summary: m.session.clone(),
        });
    }
    for r in &plans.reports {
        out.push(News {
            at: r.published_at.clone(),
            kind: "front.kind_report",
            title: format!("{} ({})", r.title, r.period_label),
            path: format!("/plans/items/{}", r.node_id),
            summary: String::new(),
        });
    }
    for a in answers.iter() {
        out.push(News {
            at: a.published_at.clone(),
            kind: "front.kind_answer",
            title: format!("{} {}", a.number, a.category).trim().to_string(),
            path: "/cases/voices".to_string(),
            summary: a.public_text.chars().take(120).collect(),
        });
    }
    out.sort_by(|a, b| b.at.cmp(&a.at));
    out
}

/// `sources`: as the home page has read them already.
pub async fn load(
    st: &WebState,
    ctx: &Ctx,
    today: NaiveDate,
    sources: &Sources,
) -> AppResult<FrontDoor> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let start = u32::try_from(ctx.org.fiscal_year_start_month).unwrap_or(4);
    let year = kyodo_jp::FiscalYear::containing(today, start);
    let cases = super::cases::voices::year_stats(st, org, i64::from(year.0)).await?;
    let (consultations, surveys) = (&sources.consultations, &sources.surveys);
    let iso = today.to_string();
    let mut open: Vec<OpenItem> = consultations
        .iter()
        .filter(|c| c.phase(today) == Phase::Open)
        .map(|c| OpenItem {
            kind: "front.kind_consultation",
            title: c.title.clone(),
            href: format!("/consultations/{}", c.id),
            closes: day(t, &c.ends_on),
        })
        .collect();
    open.extend(surveys.iter().filter(|s| answerable(s, &iso)).map(|s| {
        OpenItem {
            kind: "front.kind_survey",
            title: s.title.clone(),
            href: format!("/surveys/{}", s.id),
            closes: s
                .closes_on
                .as_deref()
                .map_or_else(String::new, |c| day(t, c)),
        }
    }));
    let news = news(sources, &iso)
        .into_iter()
        .take(8)
        .map(|n| NewsItem {
            day: day(t, &n.at),
            kind: n.kind,
            title: n.title,
            href: n.path,
        })
        .collect();
    let mut figures = Vec::new();
    // 財政効果: the newest plan the public may see, its actual effect reported so far.
    if let Some((plan, actual)) = sources.plans.effect {
        figures.push(Figure {
            label: "front.figure_effect",
            value: t.f("front.thousand_yen", &[&crate::web::format::amount(actual)]),
            href: format!("/plans/{plan}"),
        });
    }
    let first = year
        .first_day(start)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let last = year
        .last_day(start)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let this_year = consultations
        .iter()
        .filter(|c| c.starts_on >= first && c.starts_on <= last)
        .count();
    figures.push(Figure {
        label: "front.figure_consultations",
        value: t.f("front.count", &[&this_year]),
        href: "/consultations".into(),
    });
    figures.push(Figure {
        label: "front.figure_answer_days",
        value: cases.median_days.map_or_else(
            || "—".to_string(),
            |d| t.f("front.days", &[&format!("{d:.0}")]),
        ),
        href: "/cases/voices".into(),
    });
    Ok(FrontDoor {
        open,
        news,
        figures,
    })
}

/// 新着 as an Atom feed (`/feed.atom`), with absolute links.
pub async fn feed(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let sources = sources(&st, ctx.org_id()).await?;
    let today = crate::participation::today().to_string();
    let t = ctx.tr();
    let entries = news(&sources, &today)
        .into_iter()
        .map(|n| atom::Entry {
            at: n.at,
            title: format!("{}: {}", t.t(n.kind), n.title),
            link: format!("{}{}", ctx.base_url, n.path),
            summary: n.summary,
        })
        .collect();
    Ok(atom::feed(
        &format!("{} 新着", ctx.org.name),
        &format!("{}/", ctx.base_url),
        entries,
    ))
}
