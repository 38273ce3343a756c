//! The questionnaire as a page shows it: each question's fieldsets of radio buttons or check boxes
//! (a pair has two, a matrix one per row) or its text field, with what was typed kept.

use crate::i18n::Tr;
use crate::surveys::answers::{self, field, pair_field};
use crate::surveys::store::{Form, Kind, Question};

/// One radio button or check box.
pub struct Choice {
    pub id_attr: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// A fieldset of choices (a pair question has two).
pub struct Group {
    pub name: String,
    pub legend: String,
    pub input: &'static str,
    pub choices: Vec<Choice>,
}

/// A typed answer: text, long text, number or date; in paper entry also the printed number of a
/// choice or level.
pub struct Input {
    pub name: String,
    /// What the field asks, when not simply "your answer".
    pub label: String,
    /// The numbers and what they stand for, in paper entry.
    pub hint: String,
    pub textarea: bool,
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub value: String,
    pub maxlength: usize,
}

pub struct QuestionView {
    pub number: usize,
    pub label: String,
    pub help: String,
    pub condition: String,
    pub required: bool,
    pub groups: Vec<Group>,
    pub inputs: Vec<Input>,
}

fn posted<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    answers::values(fields, name)
}

fn level_choices(t: Tr, name: &str, scale: &str, fields: &[(String, String)]) -> Vec<Choice> {
    let chosen = posted(fields, name);
    [5, 4, 3, 2, 1, 0]
        .iter()
        .enumerate()
        .map(|(i, l)| Choice {
            id_attr: if i == 0 {
                format!("f-{name}")
            } else {
                format!("f-{name}-{l}")
            },
            value: l.to_string(),
            label: t.t(&format!("survey.{scale}{l}")).to_string(),
            checked: chosen.contains(&l.to_string().as_str()),
        })
        .collect()
}

/// The question's options as choices of the field `name`; the first carries the field's id (the
/// error summary links to it).
fn option_choices(name: &str, q: &Question, chosen: &[&str]) -> Vec<Choice> {
    q.options
        .iter()
        .enumerate()
        .map(|(k, o)| Choice {
            id_attr: if k == 0 {
                format!("f-{name}")
            } else {
                format!("f-{name}-{}", o.id)
            },
            value: o.id.to_string(),
            label: o.label.clone(),
            checked: chosen.contains(&o.id.to_string().as_str()),
        })
        .collect()
}

/// 紙の調査票の入力: a choice, scale or pair half as one short field for its printed number.
fn paper_inputs(t: Tr, q: &Question, fields: &[(String, String)]) -> Option<Vec<Input>> {
    let levels = |scale: &str| {
        [5, 4, 3, 2, 1, 0]
            .iter()
            .map(|l| format!("{l} {}", t.t(&format!("survey.{scale}{l}"))))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let input = |name: String, label: String, hint: String| Input {
        value: posted(fields, &name).join(" "),
        name,
        label,
        hint,
        textarea: false,
        input_type: "text",
        inputmode: "numeric",
        maxlength: 40,
    };
    Some(match q.kind {
        Kind::Single | Kind::Multi => {
            let mut hint = q
                .options
                .iter()
                .enumerate()
                .map(|(k, o)| format!("{} {}", k + 1, o.label))
                .collect::<Vec<_>>()
                .join(" / ");
            if q.kind == Kind::Multi {
                hint = format!("{hint} {}", t.t("survey.paper_several"));
            }
            vec![input(
                field(q.id()),
                t.t("survey.paper_number").into(),
                hint,
            )]
        }
        Kind::Scale => vec![input(
            field(q.id()),
            t.t("survey.paper_number").into(),
            levels("satisfaction"),
        )],
        Kind::Pair => ["importance", "satisfaction"]
            .iter()
            .map(|part| {
                input(
                    pair_field(q.id(), part),
                    format!("{}: {}", q.row.subject, t.t(&format!("survey.{part}"))),
                    levels(part),
                )
            })
            .collect(),
        _ => return None,
    })
}

pub fn question_view(
    t: Tr,
    form: &Form,
    i: usize,
    q: &Question,
    fields: &[(String, String)],
    paper: bool,
) -> QuestionView {
    let name = field(q.id());
    let chosen = posted(fields, &name);
    let paper_inputs = if paper {
        paper_inputs(t, q, fields)
    } else {
        None
    };
    let (groups, input) = match q.kind {
        _ if paper_inputs.is_some() => (Vec::new(), None),
        Kind::Single | Kind::Multi => (
            vec![Group {
                name: name.clone(),
                legend: q.row.label.clone(),
                input: if q.kind == Kind::Single {
                    "radio"
                } else {
                    "checkbox"
                },
                choices: option_choices(&name, q, &chosen),
            }],
            None,
        ),
        Kind::MatrixSingle | Kind::MatrixMulti => (
            q.rows
                .iter()
                .map(|r| {
                    let rname = answers::row_field(q.id(), r.id);
                    let chosen = posted(fields, &rname);
                    Group {
                        legend: format!("{}: {}", q.row.label, r.label),
                        input: if q.kind == Kind::MatrixSingle {
                            "radio"
                        } else {
                            "checkbox"
                        },
                        choices: option_choices(&rname, q, &chosen),
                        name: rname,
                    }
                })
                .collect(),
            None,
        ),
        // One row of rank buttons per option: works without JavaScript, read as a group each.
        Kind::Ranking => (
            q.options
                .iter()
                .map(|o| {
                    let rname = answers::row_field(q.id(), o.id);
                    let chosen = posted(fields, &rname);
                    Group {
                        legend: format!("{}: {}", q.row.label, o.label),
                        input: "radio",
                        choices: (1..=q.options.len())
                            .map(|r| Choice {
                                id_attr: if r == 1 {
                                    format!("f-{rname}")
                                } else {
                                    format!("f-{rname}-{r}")
                                },
                                value: r.to_string(),
                                label: t.f("survey.rank_n", &[&r]),
                                checked: chosen.contains(&r.to_string().as_str()),
                            })
                            .collect(),
                        name: rname,
                    }
                })
                .collect(),
            None,
        ),
        Kind::Scale => (
            vec![Group {
                name: name.clone(),
                legend: q.row.label.clone(),
                input: "radio",
                choices: level_choices(t, &name, "satisfaction", fields),
            }],
            None,
        ),
        Kind::Pair => (
            ["importance", "satisfaction"]
                .iter()
                .map(|part| {
                    let pname = pair_field(q.id(), part);
                    Group {
                        legend: format!("{}: {}", q.row.subject, t.t(&format!("survey.{part}"))),
                        input: "radio",
                        choices: level_choices(t, &pname, part, fields),
                        name: pname,
                    }
                })
                .collect(),
            None,
        ),
        // A browser never keeps a chosen file when the page comes back with errors: the hint says so.
        Kind::File => (
            Vec::new(),
            Some(Input {
                name: name.clone(),
                label: String::new(),
                hint: t.t("case.file_hint").to_string(),
                textarea: false,
                input_type: "file",
                inputmode: "",
                value: String::new(),
                maxlength: 0,
            }),
        ),
        Kind::Text | Kind::LongText | Kind::Number | Kind::Date => (
            Vec::new(),
            Some(Input {
                name: name.clone(),
                label: String::new(),
                hint: String::new(),
                textarea: q.kind == Kind::LongText,
                input_type: "text",
                inputmode: if q.kind == Kind::Number {
                    "decimal"
                } else {
                    "text"
                },
                value: chosen.first().map(|v| v.to_string()).unwrap_or_default(),
                maxlength: if q.kind == Kind::LongText {
                    answers::LONG_TEXT_MAX
                } else {
                    answers::SHORT_TEXT_MAX
                },
            }),
        ),
    };
    let condition = match (q.row.show_if_question_id, q.row.show_if_option_id) {
        (Some(cq), Some(co)) => form
            .questions
            .iter()
            .position(|c| c.id() == cq)
            .zip(
                form.question(cq)
                    .and_then(|c| c.options.iter().find(|o| o.id == co)),
            )
            .map(|(n, o)| t.f("survey.only_if", &[&(n + 1), &o.label]))
            .unwrap_or_default(),
        _ => String::new(),
    };
    QuestionView {
        number: i + 1,
        label: q.row.label.clone(),
        help: q.row.help.clone(),
        condition,
        required: q.required(),
        groups,
        inputs: paper_inputs.unwrap_or_else(|| input.into_iter().collect()),
    }
}
