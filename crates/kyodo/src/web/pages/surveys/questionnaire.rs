//! The questionnaire page: one page of a sectioned survey while answering (the other pages'
//! answers carried as hidden fields), or every section on one page for paper entry and preview.

use crate::accounts::tokens;
use crate::error::AppResult;
use crate::surveys::answers;
use crate::surveys::paging::{self, Page};
use crate::surveys::store::{Form, Survey};
use crate::validation::FieldErrors;
use crate::web::ctx::Ctx;
use crate::web::format::fy;
use crate::web::pages::surveys::form_fields::{QuestionView, question_view};
use crate::web::pages::surveys::labels::audience_key;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// How the questionnaire is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A respondent answering, on this page (0-based) of a sectioned survey.
    Answer(usize),
    /// Staff keying in a paper questionnaire (紙の調査票の入力): every page at once.
    Paper,
}

/// A section heading with its questions.
pub struct Block {
    pub title: String,
    pub intro: String,
    /// The heading level of its questions: 3 under a section heading, else 2.
    pub level: u8,
    pub questions: Vec<QuestionView>,
}

#[derive(Template)]
#[template(path = "surveys/form.html")]
pub struct FormPage<'a> {
    pub s: Shell<'a>,
    pub survey: Survey,
    pub year: String,
    pub audience: &'static str,
    /// What this kind of survey records about who answered (catalogue key).
    pub anonymity: &'static str,
    /// Why the form cannot be answered here (catalogue key), if so.
    pub blocked: Option<&'static str>,
    pub nonce: String,
    pub blocks: Vec<Block>,
    pub action: String,
    pub paper: bool,
    /// The survey is answered with an invitation code; the code as typed or from the letter's link
    /// (asked on the first page).
    pub code: Option<String>,
    /// The secret of the saved draft being continued (途中保存), carried until sending.
    pub resume: String,
    /// The page shown (0-based) and e.g. "2 / 3 ページ" when there is more than one.
    pub page: usize,
    pub page_of: String,
    pub has_back: bool,
    /// No later page is shown given the answers so far: the send button replaces "next".
    pub is_last: bool,
    /// The other pages' answers.
    pub carried: Vec<(String, String)>,
}

fn block(
    ctx: &Ctx,
    form: &Form,
    page: &Page<'_>,
    fields: &[(String, String)],
    paper: bool,
) -> Block {
    let t = ctx.tr();
    Block {
        title: page.section.map(|s| s.title.clone()).unwrap_or_default(),
        intro: page.section.map(|s| s.intro.clone()).unwrap_or_default(),
        level: if page.section.is_some() { 3 } else { 2 },
        questions: page
            .questions
            .iter()
            .map(|q| {
                let i = form.questions.iter().position(|x| x.id() == q.id());
                question_view(t, form, i.unwrap_or(0), q, fields, paper)
            })
            .collect(),
    }
}

/// The questionnaire page (answering, preview or paper entry).
pub fn form_page(
    ctx: &Ctx,
    form: &Form,
    blocked: Option<&'static str>,
    fields: &[(String, String)],
    errs: FieldErrors,
    mode: Mode,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let paper = mode == Mode::Paper;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let pages = paging::pages(form);
    // Answering shows one page; paper entry and preview (a draft) show them all.
    let one = match mode {
        Mode::Answer(p) if blocked != Some("survey.preview_notice") => {
            Some(p.min(pages.len().saturating_sub(1)))
        }
        _ => None,
    };
    let page = one.unwrap_or(0);
    let id = form.survey.id;
    let code = (form.survey.audience == "codes" && !paper && page == 0).then(|| {
        answers::values(fields, "code")
            .first()
            .map(|c| c.to_string())
            .unwrap_or_default()
    });
    let mut shell = Shell::new(
        ctx,
        if paper {
            "survey.paper_title"
        } else {
            "survey.answer_title"
        },
    )
    .with_errors(errs);
    if let Some(n) = notice {
        shell = shell.with_notice(n);
    }
    let blocks = match one {
        Some(p) => vec![block(ctx, form, &pages[p], fields, paper)],
        None => pages
            .iter()
            .map(|p| block(ctx, form, p, fields, paper))
            .collect(),
    };
    let page = FormPage {
        s: shell,
        year: fy(t, form.survey.fiscal_year),
        audience: audience_key(&form.survey.audience),
        anonymity: match form.survey.audience.as_str() {
            "citizens" | "staff" => "survey.anonymous_notice_account",
            "codes" => "survey.anonymous_notice_code",
            _ => "survey.anonymous_notice",
        },
        blocked,
        nonce: tokens::random_secret(),
        blocks,
        resume: answers::values(fields, "resume")
            .first()
            .map(|r| r.to_string())
            .unwrap_or_default(),
        action: if paper {
            format!("/hq/surveys/{id}/paper")
        } else {
            format!("/surveys/{id}")
        },
        paper,
        code,
        page_of: match one {
            Some(p) if pages.len() > 1 => t.f("survey.page_of", &[&(p + 1), &pages.len()]),
            _ => String::new(),
        },
        has_back: one.is_some_and(|p| p > 0),
        is_last: one.is_none_or(|p| paging::next(form, &pages, p, fields).is_none()),
        carried: match one {
            Some(p) => paging::carried(&pages, p, fields),
            None => Vec::new(),
        },
        page,
        survey: form.survey.clone(),
    };
    Ok((status, render(&page)?).into_response())
}
