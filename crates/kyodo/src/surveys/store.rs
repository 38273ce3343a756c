//! Surveys as stored: the survey, its questions (設問) and options (選択肢), and creating them.
//! Every query is scoped by organization.

use crate::db::Db;
use crate::db::flag::{self, Flag};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Survey {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub audience: String,
    pub status: String,
    pub fiscal_year: i64,
    pub series: String,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
    /// 回答数の上限 — no more answers once this many are stored.
    pub quota: Option<i64>,
}

/// The kinds of question this version answers and analyses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Single,
    Multi,
    Text,
    LongText,
    Number,
    Date,
    /// 5-level scale (満足 … 不満).
    Scale,
    /// 重要度 × 満足度 for one policy item.
    Pair,
    /// マトリクス: rows (items) × columns (options), one column per row.
    MatrixSingle,
    /// Rows × columns, any number of columns per row.
    MatrixMulti,
    /// 順位: the respondent ranks the options 1, 2, 3 … (each rank once).
    Ranking,
    /// 添付ファイル: a file sent with a case desk's form (PDF, images, xlsx, docx). Offered for
    /// case forms only; the answer keeps the file's name, the file becomes a document of the case.
    File,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "single" => Self::Single,
            "multi" => Self::Multi,
            "text" => Self::Text,
            "long_text" => Self::LongText,
            "number" => Self::Number,
            "date" => Self::Date,
            "scale" => Self::Scale,
            "pair" => Self::Pair,
            "matrix_single" => Self::MatrixSingle,
            "matrix_multi" => Self::MatrixMulti,
            "ranking" => Self::Ranking,
            "file" => Self::File,
            _ => return None,
        })
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multi => "multi",
            Self::Text => "text",
            Self::LongText => "long_text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Scale => "scale",
            Self::Pair => "pair",
            Self::MatrixSingle => "matrix_single",
            Self::MatrixMulti => "matrix_multi",
            Self::Ranking => "ranking",
            Self::File => "file",
        }
    }
    /// Single and multiple choice, and the columns of a matrix.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            Self::Single | Self::Multi | Self::MatrixSingle | Self::MatrixMulti | Self::Ranking
        )
    }
    pub fn is_matrix(self) -> bool {
        matches!(self, Self::MatrixSingle | Self::MatrixMulti)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub position: i64,
    pub kind: String,
    pub label: String,
    pub help: String,
    #[sqlx(try_from = "Flag")]
    pub required: bool,
    pub max_choices: Option<i64>,
    pub attribute: i64,
    pub subject: String,
    pub plan_node_id: Option<i64>,
    /// A 施策 the pair is bound to (行政評価).
    pub policy_node_id: Option<i64>,
    pub show_if_question_id: Option<i64>,
    pub show_if_option_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OptionRow {
    pub id: i64,
    pub question_id: i64,
    pub label: String,
    /// 1 for a row of a matrix question.
    #[sqlx(try_from = "Flag")]
    pub is_row: bool,
}

/// A question with its options, ready to show, validate or tabulate.
#[derive(Debug, Clone)]
pub struct Question {
    pub row: QuestionRow,
    pub kind: Kind,
    pub options: Vec<OptionRow>,
    /// The rows of a matrix question (empty otherwise).
    pub rows: Vec<OptionRow>,
}

impl Question {
    pub fn id(&self) -> i64 {
        self.row.id
    }
    pub fn required(&self) -> bool {
        self.row.required
    }
}

/// 見出し・改ページ — a section heading that starts a new page of the questionnaire. Stored as a
/// `survey_questions` row of kind `section` (so it keeps its place among the questions and is copied
/// with a wave) but never answered, counted or numbered: results and exports see only questions.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub intro: String,
}

/// The stored kind of a section row.
pub const SECTION_KIND: &str = "section";

/// A survey with its questions in order, and the sections that divide them into pages.
#[derive(Debug, Clone)]
pub struct Form {
    pub survey: Survey,
    pub questions: Vec<Question>,
    pub sections: Vec<Section>,
}

impl Form {
    pub fn question(&self, id: i64) -> Option<&Question> {
        self.questions.iter().find(|q| q.id() == id)
    }
}

const SURVEY_COLUMNS: &str = "id, title, description, audience, status, fiscal_year, series, opens_on, closes_on, is_demo, quota";

/// Surveys the public may see (open or closed), newest first.
pub async fn public_list(db: &Db, org: i64) -> sqlx::Result<Vec<Survey>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SURVEY_COLUMNS} FROM surveys WHERE organization_id = $1 AND status <> 'draft' \
         ORDER BY fiscal_year DESC, id DESC"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// Every survey of the organization, drafts included (the HQ's list), newest first.
pub async fn all(db: &Db, org: i64) -> sqlx::Result<Vec<Survey>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SURVEY_COLUMNS} FROM surveys WHERE organization_id = $1 ORDER BY fiscal_year DESC, id DESC"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// Today in Japan (JST), as stored dates are compared: YYYY-MM-DD.
pub fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(9))
        .format("%Y-%m-%d")
        .to_string()
}

/// Why an open survey takes no answers today (catalogue key): before its first day, after its last,
/// or its quota reached.
pub async fn closed_reason(db: &Db, org: i64, s: &Survey) -> sqlx::Result<Option<&'static str>> {
    let today = today();
    if s.opens_on.as_deref().is_some_and(|d| today.as_str() < d) {
        return Ok(Some("survey.not_yet"));
    }
    if s.closes_on.as_deref().is_some_and(|d| today.as_str() > d) {
        return Ok(Some("survey.closed"));
    }
    if let Some(quota) = s.quota
        && super::counting::count(db, org, s.id).await? >= quota
    {
        return Ok(Some("survey.full"));
    }
    Ok(None)
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Survey>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SURVEY_COLUMNS} FROM surveys WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The waves of a series (oldest first).
pub async fn waves(db: &Db, org: i64, series: &str) -> sqlx::Result<Vec<Survey>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SURVEY_COLUMNS} FROM surveys WHERE organization_id = $1 AND series = $2 AND status <> 'draft' \
         ORDER BY fiscal_year, id"
    )))
    .bind(org)
    .bind(series)
    .fetch_all(db)
    .await
}

/// One row per question and option of a survey's form (a question without options comes once).
#[derive(sqlx::FromRow)]
struct QuestionOption {
    #[sqlx(flatten)]
    question: QuestionRow,
    option_id: Option<i64>,
    option_label: Option<String>,
    option_is_row: Option<i64>,
}

/// The survey with its questions and options: two queries however many questions (the survey,
/// then its questions joined to their options — a form is read on every submission).
pub async fn form(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Form>> {
    let Some(survey) = get(db, org, id).await? else {
        return Ok(None);
    };
    let joined: Vec<QuestionOption> = sqlx::query_as(
        "SELECT q.id, q.position, q.kind, q.label, q.help, q.required, q.max_choices, q.attribute, \
         q.subject, q.plan_node_id, q.policy_node_id, q.show_if_question_id, q.show_if_option_id, \
         o.id AS option_id, o.label AS option_label, o.is_row AS option_is_row \
         FROM survey_questions q LEFT JOIN survey_options o \
         ON o.organization_id = q.organization_id AND o.question_id = q.id \
         WHERE q.organization_id = $1 AND q.survey_id = $2 ORDER BY q.position, q.id, o.position, o.id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(db)
    .await?;
    let mut rows: Vec<QuestionRow> = Vec::new();
    let mut options: Vec<OptionRow> = Vec::new();
    for j in joined {
        if rows.last().is_none_or(|q| q.id != j.question.id) {
            rows.push(j.question.clone());
        }
        if let (Some(option_id), Some(label)) = (j.option_id, j.option_label) {
            options.push(OptionRow {
                id: option_id,
                question_id: j.question.id,
                label,
                is_row: j.option_is_row.unwrap_or(0) != 0,
            });
        }
    }
    let (section_rows, rows): (Vec<QuestionRow>, Vec<QuestionRow>) =
        rows.into_iter().partition(|r| r.kind == SECTION_KIND);
    let sections = section_rows
        .into_iter()
        .map(|r| Section {
            id: r.id,
            position: r.position,
            title: r.label,
            intro: r.help,
        })
        .collect();
    let questions = rows
        .into_iter()
        .filter_map(|row| {
            let kind = Kind::parse(&row.kind)?;
            let (rows, options): (Vec<OptionRow>, Vec<OptionRow>) = options
                .iter()
                .filter(|o| o.question_id == row.id)
                .cloned()
                .partition(|o| o.is_row);
            Some(Question {
                row,
                kind,
                options,
                rows,
            })
        })
        .collect();
    Ok(Some(Form {
        survey,
        questions,
        sections,
    }))
}
