//! Questionnaires built in memory for unit tests of checking and paging.

use super::store::{Form, Kind, OptionRow, Question, QuestionRow, Section, Survey};

/// A question at position `id` with the given option ids (a multiple choice allows two).
pub fn question(id: i64, kind: Kind, required: bool, options: &[i64]) -> Question {
    Question {
        row: QuestionRow {
            id,
            position: id,
            kind: kind.code().into(),
            label: format!("Q{id}"),
            help: String::new(),
            required,
            max_choices: (kind == Kind::Multi).then_some(2),
            attribute: 0,
            subject: String::new(),
            plan_node_id: None,
            policy_node_id: None,
            show_if_question_id: None,
            show_if_option_id: None,
        },
        kind,
        options: options
            .iter()
            .map(|&o| OptionRow {
                id: o,
                question_id: id,
                label: format!("O{o}"),
                is_row: false,
            })
            .collect(),
        rows: Vec::new(),
    }
}

/// A section heading at `position`.
pub fn section(id: i64, position: i64) -> Section {
    Section {
        id,
        position,
        title: format!("S{id}"),
        intro: String::new(),
    }
}

/// An open public survey with these questions and sections.
pub fn form(questions: Vec<Question>, sections: Vec<Section>) -> Form {
    Form {
        survey: Survey {
            id: 1,
            title: "t".into(),
            description: String::new(),
            audience: "public".into(),
            status: "open".into(),
            fiscal_year: 2026,
            series: String::new(),
            opens_on: None,
            closes_on: None,
            is_demo: false,
            quota: None,
        },
        questions,
        sections,
    }
}

/// Posted form fields.
pub fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
