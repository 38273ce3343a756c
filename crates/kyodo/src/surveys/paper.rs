//! 紙の調査票の入力 — keying in paper questionnaires fast: a choice is typed as the number printed
//! beside it on the paper (1, 2, 3 …; several for a multiple choice, e.g. `1 3` or `1,3`), a scale
//! or either half of a pair as its level (5 満足 … 1 不満, 0 わからない), so staff move through a
//! questionnaire with digits and Tab alone. Full-width digits are accepted. `to_fields` turns the
//! numbers into the questionnaire's own fields, which are then checked as any submission is.

use super::answers::field;
use super::store::{Form, Kind};
use crate::validation::FieldErrors;

/// The numbers typed in one field, or None when anything but digits and separators was typed.
fn numbers(raw: &str) -> Option<Vec<usize>> {
    let ascii: String = raw
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '、' | '，' | '　' => ' ',
            c => c,
        })
        .collect();
    if ascii
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | ',' | '/' | '.')))
    {
        return None;
    }
    ascii
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect()
}

/// The posted fields with every choice number replaced by its option; other fields unchanged.
/// A number that is not printed on the paper is reported beside its question.
pub fn to_fields(
    form: &Form,
    fields: &[(String, String)],
) -> Result<Vec<(String, String)>, FieldErrors> {
    let mut errs = FieldErrors::default();
    let mut out = Vec::with_capacity(fields.len());
    for (k, v) in fields {
        let Some(q) = form
            .questions
            .iter()
            .find(|q| matches!(q.kind, Kind::Single | Kind::Multi) && field(q.id()) == *k)
        else {
            out.push((k.clone(), v.clone()));
            continue;
        };
        match numbers(v) {
            Some(ns) if ns.iter().all(|n| (1..=q.options.len()).contains(n)) => {
                out.extend(
                    ns.iter()
                        .map(|n| (k.clone(), q.options[n - 1].id.to_string())),
                );
            }
            _ => errs.add(k, "survey.paper_bad_number"),
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::answers;
    use crate::surveys::fixtures::{fields as f, form, question};

    #[test]
    fn printed_numbers_become_options_and_others_are_refused() {
        let form = form(
            vec![
                question(1, Kind::Single, true, &[11, 12, 13]),
                question(2, Kind::Multi, false, &[21, 22, 23]),
                question(3, Kind::Scale, false, &[]),
            ],
            Vec::new(),
        );
        let out = to_fields(&form, &f(&[("q1", "３"), ("q2", "1、3"), ("q3", "4")])).unwrap();
        assert_eq!(
            out,
            f(&[("q1", "13"), ("q2", "21"), ("q2", "23"), ("q3", "4")])
        );
        let rows = answers::check(&form, &out).unwrap();
        assert_eq!(rows.len(), 4, "checked as any submission");
        let errs = to_fields(&form, &f(&[("q1", "4"), ("q2", "1 x")])).unwrap_err();
        assert_eq!(errs.get("q1"), Some("survey.paper_bad_number"));
        assert_eq!(errs.get("q2"), Some("survey.paper_bad_number"));
        assert!(
            to_fields(&form, &f(&[("q1", "0")])).is_err(),
            "choices start at 1"
        );
    }
}
