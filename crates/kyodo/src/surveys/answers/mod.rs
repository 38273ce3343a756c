//! Checking a submitted questionnaire against its questions: type, range, required, maximum choices
//! and conditional display. Field names: `q{id}` (repeated for multiple choice), and `q{id}_i` /
//! `q{id}_s` for the importance and satisfaction halves of a pair.

use super::store::{Form, Kind, Question};
use crate::validation::FieldErrors;

/// One stored answer row.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub question_id: i64,
    /// `""`, `importance` or `satisfaction`.
    pub part: &'static str,
    pub option_id: Option<i64>,
    /// 1 (least) … 5 (most) for scale and pair questions; the row's option id for a matrix.
    pub level: Option<i64>,
    pub number: Option<f64>,
    pub text: Option<String>,
}

impl Answer {
    fn new(question_id: i64, part: &'static str) -> Self {
        Self {
            question_id,
            part,
            option_id: None,
            level: None,
            number: None,
            text: None,
        }
    }
}

pub const SHORT_TEXT_MAX: usize = 200;
pub const LONG_TEXT_MAX: usize = 4000;

pub fn field(q: i64) -> String {
    format!("q{q}")
}
pub fn pair_field(q: i64, part: &str) -> String {
    format!("q{q}_{}", &part[..1])
}
/// The field of one row of a matrix question.
pub fn row_field(q: i64, row: i64) -> String {
    format!("q{q}_r{row}")
}

/// The values posted for a field, blanks removed.
pub fn values<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
        .collect()
}

/// Is the question shown, given the answers to earlier questions?
pub fn shown(form: &Form, q: &Question, fields: &[(String, String)]) -> bool {
    match (q.row.show_if_question_id, q.row.show_if_option_id) {
        (Some(cond_q), Some(opt)) => {
            values(fields, &field(cond_q))
                .iter()
                .any(|v| v.parse::<i64>().ok() == Some(opt))
                && form.question(cond_q).is_none_or(|c| shown(form, c, fields))
        }
        _ => true,
    }
}

fn level(raw: &str) -> Result<Option<i64>, &'static str> {
    match raw.parse::<i64>() {
        Ok(0) => Ok(None), // わからない / no answer
        Ok(l @ 1..=5) => Ok(Some(l)),
        _ => Err("field.bad_choice"),
    }
}

/// 順位: each option's field `q{id}_r{option}` holds its rank, 1 to the number of options, each rank
/// at most once. A required ranking needs at least the first place.
fn ranking(
    q: &Question,
    fields: &[(String, String)],
    errs: &mut FieldErrors,
    out: &mut Vec<Answer>,
) {
    let n = q.options.len() as i64;
    let mut used = Vec::new();
    for o in &q.options {
        let rname = row_field(q.id(), o.id);
        let Some(v) = values(fields, &rname)
            .first()
            .copied()
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        match v.parse::<i64>() {
            Ok(r) if (1..=n).contains(&r) && used.contains(&r) => {
                errs.add(&rname, "survey.rank_twice")
            }
            Ok(r) if (1..=n).contains(&r) => {
                used.push(r);
                out.push(Answer {
                    option_id: Some(o.id),
                    level: Some(r),
                    ..Answer::new(q.id(), "")
                });
            }
            _ => errs.add(&rname, "field.bad_choice"),
        }
    }
    if q.required()
        && !used.contains(&1)
        && let Some(first) = q.options.first()
    {
        errs.add(&row_field(q.id(), first.id), "survey.rank_first");
    }
}

/// Checks every shown question; returns the answers to store or every problem found.
pub fn check(form: &Form, fields: &[(String, String)]) -> Result<Vec<Answer>, FieldErrors> {
    check_where(form, fields, |_| true)
}

/// Checks the shown questions that `include` selects (one page of a long questionnaire).
pub fn check_where(
    form: &Form,
    fields: &[(String, String)],
    include: impl Fn(&Question) -> bool,
) -> Result<Vec<Answer>, FieldErrors> {
    let mut errs = FieldErrors::default();
    let mut out = Vec::new();
    for q in form
        .questions
        .iter()
        .filter(|q| include(q) && shown(form, q, fields))
    {
        let name = field(q.id());
        let posted = values(fields, &name);
        if q.kind == Kind::Pair {
            for part in ["importance", "satisfaction"] {
                let pname = pair_field(q.id(), part);
                match values(fields, &pname).first().map(|v| level(v)) {
                    None if q.required() => errs.add(&pname, "field.required"),
                    None | Some(Ok(None)) => {}
                    Some(Ok(Some(l))) => out.push(Answer {
                        level: Some(l),
                        ..Answer::new(q.id(), part)
                    }),
                    Some(Err(e)) => errs.add(&pname, e),
                }
            }
            continue;
        }
        if q.kind == Kind::Ranking {
            ranking(q, fields, &mut errs, &mut out);
            continue;
        }
        if q.kind.is_matrix() {
            for r in &q.rows {
                let rname = row_field(q.id(), r.id);
                let chosen = values(fields, &rname);
                if chosen.is_empty() {
                    if q.required() {
                        errs.add(&rname, "field.required");
                    }
                    continue;
                }
                if q.kind == Kind::MatrixSingle && chosen.len() > 1 {
                    errs.add(&rname, "field.bad_choice");
                    continue;
                }
                let mut seen = Vec::new();
                for v in chosen {
                    match v
                        .parse::<i64>()
                        .ok()
                        .filter(|id| q.options.iter().any(|o| o.id == *id))
                    {
                        Some(id) if !seen.contains(&id) => {
                            seen.push(id);
                            out.push(Answer {
                                option_id: Some(id),
                                level: Some(r.id),
                                ..Answer::new(q.id(), "")
                            });
                        }
                        Some(_) => {}
                        None => errs.add(&rname, "field.bad_choice"),
                    }
                }
            }
            continue;
        }
        if posted.is_empty() {
            if q.required() {
                errs.add(&name, "field.required");
            }
            continue;
        }
        if q.kind != Kind::Multi && posted.len() > 1 {
            errs.add(&name, "field.bad_choice");
            continue;
        }
        let first = posted[0];
        match q.kind {
            Kind::Single | Kind::Multi => {
                let mut chosen = Vec::new();
                for v in &posted {
                    match v
                        .parse::<i64>()
                        .ok()
                        .filter(|id| q.options.iter().any(|o| o.id == *id))
                    {
                        Some(id) if !chosen.contains(&id) => chosen.push(id),
                        Some(_) => {}
                        None => errs.add(&name, "field.bad_choice"),
                    }
                }
                if let Some(max) = q.row.max_choices.filter(|_| q.kind == Kind::Multi)
                    && chosen.len() as i64 > max
                {
                    errs.add(&name, "survey.too_many_choices");
                }
                out.extend(chosen.into_iter().map(|id| Answer {
                    option_id: Some(id),
                    ..Answer::new(q.id(), "")
                }));
            }
            Kind::Text | Kind::LongText => {
                let max = if q.kind == Kind::Text {
                    SHORT_TEXT_MAX
                } else {
                    LONG_TEXT_MAX
                };
                if first.chars().count() > max {
                    errs.add(&name, "field.too_long");
                } else if first.chars().any(|c| {
                    c.is_control() && !(q.kind == Kind::LongText && matches!(c, '\n' | '\r' | '\t'))
                }) {
                    errs.add(&name, "field.invalid_chars");
                } else {
                    out.push(Answer {
                        text: Some(first.replace("\r\n", "\n")),
                        ..Answer::new(q.id(), "")
                    });
                }
            }
            Kind::Number => match kyodo_jp::numbers::parse_decimal(first) {
                Ok(Some(n)) => out.push(Answer {
                    number: Some(n),
                    ..Answer::new(q.id(), "")
                }),
                _ => errs.add(&name, "field.not_a_number"),
            },
            Kind::Date => match kyodo_jp::wareki::parse_date(first) {
                Ok(d) => out.push(Answer {
                    text: Some(d.format("%Y-%m-%d").to_string()),
                    ..Answer::new(q.id(), "")
                }),
                Err(_) => errs.add(&name, "field.bad_date"),
            },
            // The field holds the name of a file that passed the upload check (the case desk puts
            // it there in place of anything typed: `cases::files`).
            Kind::File if first.chars().count() <= 100 && !first.chars().any(char::is_control) => {
                out.push(Answer {
                    text: Some(first.to_string()),
                    ..Answer::new(q.id(), "")
                })
            }
            Kind::File => errs.add(&name, "attachment.missing"),
            Kind::Scale => match level(first) {
                Ok(Some(l)) => out.push(Answer {
                    level: Some(l),
                    ..Answer::new(q.id(), "")
                }),
                Ok(None) if q.required() => errs.add(&name, "field.required"),
                Ok(None) => {}
                Err(e) => errs.add(&name, e),
            },
            Kind::Pair | Kind::MatrixSingle | Kind::MatrixMulti | Kind::Ranking => {
                unreachable!("handled above")
            }
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

#[cfg(test)]
mod tests;
