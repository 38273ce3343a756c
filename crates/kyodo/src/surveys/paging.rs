//! ページ分け — a long questionnaire divided into pages by its sections (見出し). Works without
//! JavaScript: each page is a plain form post; the answers of the other pages travel with it as
//! hidden fields, so nothing is stored until the respondent sends the last page. "Next" checks
//! only the page being left; sending checks everything and returns to the first page with a problem.

use super::answers::shown;
use super::store::{Form, Question, Section};
use crate::validation::FieldErrors;

/// One page: its section (none for questions before the first section) and its questions.
pub struct Page<'a> {
    pub section: Option<&'a Section>,
    pub questions: Vec<&'a Question>,
}

/// The pages in order. A survey without sections is one page; a page is never empty of both a
/// heading and questions.
pub fn pages(form: &Form) -> Vec<Page<'_>> {
    let mut pages: Vec<Page<'_>> = Vec::with_capacity(form.sections.len() + 1);
    let first = form.sections.first().map_or(i64::MAX, |s| s.position);
    let before: Vec<&Question> = form
        .questions
        .iter()
        .filter(|q| q.row.position < first)
        .collect();
    if !before.is_empty() || form.sections.is_empty() {
        pages.push(Page {
            section: None,
            questions: before,
        });
    }
    for (k, s) in form.sections.iter().enumerate() {
        let end = form.sections.get(k + 1).map_or(i64::MAX, |n| n.position);
        pages.push(Page {
            section: Some(s),
            questions: form
                .questions
                .iter()
                .filter(|q| q.row.position > s.position && q.row.position < end)
                .collect(),
        });
    }
    pages
}

/// The question a form field belongs to: `q12`, `q12_i`, `q12_r34` → 12.
pub fn question_of_field(name: &str) -> Option<i64> {
    let rest = name.strip_prefix('q')?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 || !(rest[digits..].is_empty() || rest[digits..].starts_with('_')) {
        return None;
    }
    rest[..digits].parse().ok()
}

/// Is the page shown, given the answers so far? A page whose every question is hidden by its
/// condition is skipped; a heading-only page is always shown.
fn page_shown(form: &Form, page: &Page<'_>, fields: &[(String, String)]) -> bool {
    page.questions.is_empty() || page.questions.iter().any(|q| shown(form, q, fields))
}

/// The next shown page after `from`, if any.
pub fn next(
    form: &Form,
    pages: &[Page<'_>],
    from: usize,
    fields: &[(String, String)],
) -> Option<usize> {
    (from + 1..pages.len()).find(|&p| page_shown(form, &pages[p], fields))
}

/// The previous shown page before `from` (the first page when none is).
pub fn previous(
    form: &Form,
    pages: &[Page<'_>],
    from: usize,
    fields: &[(String, String)],
) -> usize {
    (0..from.min(pages.len()))
        .rev()
        .find(|&p| page_shown(form, &pages[p], fields))
        .unwrap_or(0)
}

/// Is the question on page `p`?
pub fn on_page(pages: &[Page<'_>], p: usize, question: i64) -> bool {
    pages
        .get(p)
        .is_some_and(|page| page.questions.iter().any(|q| q.id() == question))
}

/// The answers of the other pages, to carry as hidden fields of page `p`. The invitation code is
/// typed on the first page and carried from there.
pub fn carried(pages: &[Page<'_>], p: usize, fields: &[(String, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(k, v)| {
            !v.is_empty()
                && match question_of_field(k) {
                    Some(q) => !on_page(pages, p, q),
                    None => k == "code" && p != 0,
                }
        })
        .cloned()
        .collect()
}

/// The first page with a problem (the code's problems belong to the first page).
pub fn first_with_error(pages: &[Page<'_>], errs: &FieldErrors) -> usize {
    errs.0
        .iter()
        .filter_map(|e| match question_of_field(&e.field) {
            Some(q) => (0..pages.len()).find(|&p| on_page(pages, p, q)),
            None => Some(0),
        })
        .min()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::fixtures::{self, fields as f, form, section};
    use crate::surveys::store::Kind;

    /// A required single choice at `position` with options `id`1 and `id`2, maybe conditional.
    fn q(id: i64, position: i64, show_if: Option<(i64, i64)>) -> Question {
        let mut q = fixtures::question(id, Kind::Single, true, &[id * 10 + 1, id * 10 + 2]);
        q.row.position = position;
        q.row.show_if_question_id = show_if.map(|s| s.0);
        q.row.show_if_option_id = show_if.map(|s| s.1);
        q
    }

    #[test]
    fn sections_split_the_questions_into_pages() {
        let none = form(vec![q(1, 1, None), q(2, 2, None)], Vec::new());
        assert_eq!(pages(&none).len(), 1, "no sections: one page");
        let form = form(
            vec![q(1, 1, None), q(3, 3, None), q(4, 4, None), q(6, 6, None)],
            vec![section(2, 2), section(5, 5)],
        );
        let p = pages(&form);
        let ids: Vec<Vec<i64>> = p
            .iter()
            .map(|p| p.questions.iter().map(|q| q.id()).collect())
            .collect();
        assert_eq!(ids, vec![vec![1], vec![3, 4], vec![6]]);
        assert!(p[0].section.is_none());
        assert_eq!(p[2].section.map(|s| s.id), Some(5));
        let leading = fixtures::form(vec![q(3, 3, None)], vec![section(2, 2)]);
        assert_eq!(pages(&leading).len(), 1, "a leading section opens page 1");
    }

    #[test]
    fn a_page_whose_questions_are_all_hidden_is_skipped_both_ways() {
        let form = form(
            vec![q(1, 1, None), q(3, 3, Some((1, 11))), q(5, 5, None)],
            vec![section(2, 2), section(4, 4)],
        );
        let p = pages(&form);
        assert_eq!(next(&form, &p, 0, &f(&[("q1", "12")])), Some(2));
        assert_eq!(next(&form, &p, 0, &f(&[("q1", "11")])), Some(1));
        assert_eq!(previous(&form, &p, 2, &f(&[("q1", "12")])), 0);
        assert_eq!(next(&form, &p, 2, &f(&[])), None, "the last page");
    }

    #[test]
    fn other_pages_answers_are_carried_and_errors_lead_to_their_page() {
        let form = form(vec![q(1, 1, None), q(3, 3, None)], vec![section(2, 2)]);
        let p = pages(&form);
        let fields = f(&[
            ("q1", "11"),
            ("q3", "31"),
            ("q3_r9", "1"),
            ("code", "ABC"),
            ("nonce", "x"),
            ("q12x", "bogus"),
        ]);
        assert_eq!(carried(&p, 1, &fields), f(&[("q1", "11"), ("code", "ABC")]));
        assert_eq!(carried(&p, 0, &fields), f(&[("q3", "31"), ("q3_r9", "1")]));
        assert_eq!(question_of_field("q12_i"), Some(12));
        assert_eq!(question_of_field("q12x"), None);
        assert_eq!(question_of_field("quota"), None);
        let mut errs = FieldErrors::default();
        errs.add("q3", "field.required");
        assert_eq!(first_with_error(&p, &errs), 1);
        errs.add("code", "survey.code_required");
        assert_eq!(first_with_error(&p, &errs), 0);
    }
}
