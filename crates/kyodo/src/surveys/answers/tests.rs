//! The checks of a submitted questionnaire, one rule at a time.

use super::*;
use crate::surveys::fixtures::{self, fields as f, question as q};
use crate::surveys::store::OptionRow;

fn form(questions: Vec<Question>) -> Form {
    fixtures::form(questions, Vec::new())
}

#[test]
fn every_problem_is_reported_by_field() {
    let form = form(vec![
        q(1, Kind::Single, true, &[11, 12]),
        q(2, Kind::Multi, false, &[21, 22, 23]),
        q(3, Kind::Number, false, &[]),
        q(4, Kind::Date, false, &[]),
        q(5, Kind::Pair, true, &[]),
        q(6, Kind::Scale, false, &[]),
    ]);
    let errs = check(
        &form,
        &f(&[
            ("q2", "21"),
            ("q2", "22"),
            ("q2", "23"),
            ("q3", "abc"),
            ("q4", "2026-02-30"),
            ("q5_i", "4"),
            ("q6", "9"),
        ]),
    )
    .unwrap_err();
    assert_eq!(errs.get("q1"), Some("field.required"));
    assert_eq!(errs.get("q2"), Some("survey.too_many_choices"));
    assert_eq!(errs.get("q3"), Some("field.not_a_number"));
    assert_eq!(errs.get("q4"), Some("field.bad_date"));
    assert_eq!(errs.get("q5_s"), Some("field.required"));
    assert_eq!(errs.get("q5_i"), None);
    assert_eq!(errs.get("q6"), Some("field.bad_choice"));
}

#[test]
fn valid_answers_become_rows_and_unknown_options_are_refused() {
    let form = form(vec![
        q(1, Kind::Single, true, &[11, 12]),
        q(2, Kind::Multi, false, &[21, 22, 23]),
        q(5, Kind::Pair, false, &[]),
        q(7, Kind::Date, false, &[]),
    ]);
    let rows = check(
        &form,
        &f(&[
            ("q1", "12"),
            ("q2", "21"),
            ("q2", "21"),
            ("q5_i", "5"),
            ("q5_s", "0"),
            ("q7", "令和8年4月1日"),
        ]),
    )
    .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].option_id, Some(12));
    assert_eq!(rows[1].option_id, Some(21), "a repeated option counts once");
    assert_eq!((rows[2].part, rows[2].level), ("importance", Some(5)));
    assert_eq!(rows[3].text.as_deref(), Some("2026-04-01"));
    let errs = check(&form, &f(&[("q1", "21")])).unwrap_err();
    assert_eq!(
        errs.get("q1"),
        Some("field.bad_choice"),
        "another question's option"
    );
}

#[test]
fn a_ranking_gives_each_rank_once_within_range() {
    let form = form(vec![q(9, Kind::Ranking, true, &[71, 72, 73])]);
    let errs = check(
        &form,
        &f(&[("q9_r71", "2"), ("q9_r72", "2"), ("q9_r73", "4")]),
    )
    .unwrap_err();
    assert_eq!(errs.get("q9_r72"), Some("survey.rank_twice"));
    assert_eq!(errs.get("q9_r73"), Some("field.bad_choice"), "only 1 to 3");
    assert_eq!(
        errs.get("q9_r71"),
        Some("survey.rank_first"),
        "a required ranking needs a first place"
    );
    let rows = check(&form, &f(&[("q9_r72", "1"), ("q9_r73", "2")])).unwrap();
    assert_eq!(rows.len(), 2, "ranking only the top two is allowed");
    assert_eq!((rows[0].option_id, rows[0].level), (Some(72), Some(1)));
    assert_eq!((rows[1].option_id, rows[1].level), (Some(73), Some(2)));
}

#[test]
fn a_matrix_takes_one_column_per_row_and_needs_every_row_when_required() {
    let mut m = q(8, Kind::MatrixSingle, true, &[81, 82, 83]);
    m.rows = [91, 92]
        .iter()
        .map(|&r| OptionRow {
            id: r,
            question_id: 8,
            label: format!("R{r}"),
            is_row: true,
        })
        .collect();
    let form = form(vec![m]);
    let errs = check(&form, &f(&[("q8_r91", "81"), ("q8_r91", "82")])).unwrap_err();
    assert_eq!(
        errs.get("q8_r91"),
        Some("field.bad_choice"),
        "one column per row"
    );
    assert_eq!(errs.get("q8_r92"), Some("field.required"));
    let rows = check(&form, &f(&[("q8_r91", "83"), ("q8_r92", "81")])).unwrap();
    assert_eq!((rows[0].option_id, rows[0].level), (Some(83), Some(91)));
    assert_eq!((rows[1].option_id, rows[1].level), (Some(81), Some(92)));
    let errs = check(&form, &f(&[("q8_r91", "91"), ("q8_r92", "81")])).unwrap_err();
    assert_eq!(
        errs.get("q8_r91"),
        Some("field.bad_choice"),
        "a row is not a column"
    );
}

#[test]
fn a_hidden_question_is_neither_required_nor_stored() {
    let mut follow = q(2, Kind::Text, true, &[]);
    follow.row.show_if_question_id = Some(1);
    follow.row.show_if_option_id = Some(11);
    let form = form(vec![q(1, Kind::Single, true, &[11, 12]), follow]);
    let rows = check(&form, &f(&[("q1", "12"), ("q2", "ignored")])).unwrap();
    assert_eq!(
        rows.len(),
        1,
        "the follow-up was not shown: its text is dropped"
    );
    let errs = check(&form, &f(&[("q1", "11")])).unwrap_err();
    assert_eq!(errs.get("q2"), Some("field.required"));
}
