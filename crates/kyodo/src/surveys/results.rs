//! 集計 — counts, scores and the portfolio of one survey, read from the running counts
//! (`tallies`): a few hundred rows whatever the number of responses; no response is loaded.

use super::analysis::{self, Base, FIVE_LEVEL_WEIGHTS, Placed, ScaleCounts};
use super::store::{Form, Kind, Question};
use crate::db::Db;
use std::collections::HashMap;

/// Counts of one question (or one half of a pair).
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// Respondents who answered it (the base of the percentages; a multiple choice counts each
    /// respondent once however many options they chose).
    pub answered: i64,
    pub per_option: HashMap<i64, i64>,
    /// Index 0 = level 5 (most) … 4 = level 1.
    pub per_level: [i64; 5],
    /// Matrix: (column option, row option) → count, and respondents per row.
    pub per_cell: HashMap<(i64, i64), i64>,
    pub per_row: HashMap<i64, i64>,
}

impl Counts {
    pub fn scale(&self, respondents: i64) -> ScaleCounts {
        let answered: i64 = self.per_level.iter().sum();
        ScaleCounts {
            per_option: self.per_level.iter().map(|&n| n as u64).collect(),
            no_answer: (respondents - answered).max(0) as u64,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct NumberStats {
    pub count: i64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// The tallies of a whole survey.
#[derive(Debug, Default)]
pub struct Tally {
    pub respondents: i64,
    /// (question id, part) → counts.
    pub counts: HashMap<(i64, String), Counts>,
    pub numbers: HashMap<i64, NumberStats>,
}

impl Tally {
    pub fn of(&self, q: i64, part: &str) -> Counts {
        self.counts
            .get(&(q, part.to_string()))
            .cloned()
            .unwrap_or_default()
    }
    /// Weighted average (+2 … −2, no-answer excluded), net score and top-2 box of a scale.
    pub fn scores(&self, q: i64, part: &str) -> Scores {
        let c = self.of(q, part).scale(self.respondents);
        Scores {
            weighted: analysis::weighted_average(&c, &FIVE_LEVEL_WEIGHTS, Base::Answered),
            net: analysis::net_score(&c, Base::Answered),
            top2: analysis::top2_box(&c, Base::Answered),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub weighted: Option<f64>,
    pub net: Option<f64>,
    pub top2: Option<f64>,
}

/// (group, question, part, option, level, count) as in `survey_tallies`
type CountRow = (i64, i64, String, i64, i64, i64);
/// (group, question, count, mean, min, max)
type NumberRow = (i64, i64, i64, Option<f64>, Option<f64>, Option<f64>);

/// Counts every choice and level of a survey.
pub async fn tally(db: &Db, org: i64, survey: i64) -> sqlx::Result<Tally> {
    Ok(grouped(db, org, survey, None)
        .await?
        .remove(&0)
        .unwrap_or_default())
}

/// クロス集計: the tallies of the respondents who chose each option of the attribute question `by`,
/// keyed by that option's id.
pub async fn crosstab(
    db: &Db,
    org: i64,
    survey: i64,
    by: i64,
) -> sqlx::Result<HashMap<i64, Tally>> {
    grouped(db, org, survey, Some(by)).await
}

async fn grouped(
    db: &Db,
    org: i64,
    survey: i64,
    by: Option<i64>,
) -> sqlx::Result<HashMap<i64, Tally>> {
    let b = by.unwrap_or(0);
    // Numbers (mean, minimum, maximum) come from the answers of number questions only.
    let (join, group, guard) = match by {
        Some(_) => (
            " JOIN survey_answers f ON f.organization_id = a.organization_id AND f.response_id = a.response_id \
              AND f.question_id = $3 AND f.option_id IS NOT NULL",
            "f.option_id",
            "",
        ),
        None => ("", "CAST(0 AS BIGINT)", " AND $3 = 0"),
    };
    let numbers_sql = format!(
        "SELECT {group}, a.question_id, COUNT(*), AVG(a.value_number), MIN(a.value_number), MAX(a.value_number) \
         FROM survey_answers a{join} WHERE a.organization_id = $1 AND a.survey_id = $2{guard} \
         AND a.question_id = $4 AND a.value_number IS NOT NULL GROUP BY {group}, a.question_id"
    );
    let (counts, number_questions) = tokio::try_join!(
        sqlx::query_as::<_, CountRow>(
            "SELECT by_option, question_id, part, option_id, level, n FROM survey_tallies \
             WHERE organization_id = $1 AND survey_id = $2 AND by_question = $3",
        )
        .bind(org)
        .bind(survey)
        .bind(b)
        .fetch_all(db),
        sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM survey_questions WHERE organization_id = $1 AND survey_id = $2 AND kind = 'number'",
        )
        .bind(org)
        .bind(survey)
        .fetch_all(db),
    )?;
    // Numbers are not kept as running counts: one indexed query per number question (a survey has
    // few), none at all for the usual 市民意識調査. They cost time in proportion to that question's
    // answers (PostgreSQL planned a single IN-subquery form as a scan of every answer: 2–6 s at a
    // million responses).
    let mut numbers: Vec<NumberRow> = Vec::new();
    for (q,) in number_questions {
        numbers.extend(
            sqlx::query_as::<_, NumberRow>(sqlx::AssertSqlSafe(numbers_sql.as_str()))
                .bind(org)
                .bind(survey)
                .bind(b)
                .bind(q)
                .fetch_all(db)
                .await?,
        );
    }
    let mut out: HashMap<i64, Tally> = HashMap::new();
    for (g, q, part, option, level, n) in counts {
        let t = out.entry(g).or_default();
        match (q, option) {
            (0, _) => t.respondents = n,
            (_, -1) if level == 0 => t.counts.entry((q, part)).or_default().answered = n,
            (_, -1) => {
                t.counts
                    .entry((q, part))
                    .or_default()
                    .per_row
                    .insert(level, n);
            }
            _ => {
                let c = t.counts.entry((q, part)).or_default();
                if option != 0 && level != 0 {
                    c.per_cell.insert((option, level), n);
                } else if option != 0 {
                    c.per_option.insert(option, n);
                }
                if let l @ 1..=5 = level {
                    c.per_level[(5 - l) as usize] += n;
                }
            }
        }
    }
    for (g, q, count, mean, min, max) in numbers {
        out.entry(g).or_default().numbers.insert(
            q,
            NumberStats {
                count,
                mean: mean.unwrap_or_default(),
                min: min.unwrap_or_default(),
                max: max.unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

/// One policy item of the portfolio: its pair question, scores and place.
#[derive(Debug, Clone)]
pub struct PortfolioItem {
    pub question_id: i64,
    pub subject: String,
    pub plan_node_id: Option<i64>,
    pub policy_node_id: Option<i64>,
    pub importance: f64,
    pub satisfaction: f64,
    pub placed: Placed,
}

/// The importance × satisfaction portfolio of every pair question that has answers on both halves.
pub fn portfolio(form: &Form, t: &Tally) -> Vec<PortfolioItem> {
    let scored: Vec<(&Question, f64, f64)> = form
        .questions
        .iter()
        .filter(|q| q.kind == Kind::Pair)
        .filter_map(|q| {
            Some((
                q,
                t.scores(q.id(), "importance").weighted?,
                t.scores(q.id(), "satisfaction").weighted?,
            ))
        })
        .collect();
    let placed = analysis::portfolio(&scored.iter().map(|(_, i, s)| (*i, *s)).collect::<Vec<_>>());
    scored
        .into_iter()
        .zip(placed)
        .map(|((q, importance, satisfaction), placed)| PortfolioItem {
            question_id: q.id(),
            subject: q.row.subject.clone(),
            plan_node_id: q.row.plan_node_id,
            policy_node_id: q.row.policy_node_id,
            importance,
            satisfaction,
            placed,
        })
        .collect()
}

/// Free-text answers of one question, newest first, optionally containing `search`.
pub async fn texts(
    db: &Db,
    org: i64,
    survey: i64,
    question: i64,
    search: &str,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT value_text FROM survey_answers WHERE organization_id = $1 AND survey_id = $2 AND question_id = $3 \
         AND value_text IS NOT NULL AND value_text LIKE $4 ESCAPE '\\' ORDER BY response_id DESC LIMIT $5",
    )
    .bind(org)
    .bind(survey)
    .bind(question)
    .bind(pattern)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// The survey result of one plan item: a pair question bound to it in a published survey.
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub survey_id: i64,
    pub title: String,
    pub fiscal_year: i64,
    pub importance: f64,
    pub satisfaction: f64,
    pub quadrant: &'static str,
    pub improvement_index: f64,
}

/// What a pair question is bound to: a plan item (実施計画) or a 施策 (行政評価).
#[derive(Debug, Clone, Copy)]
pub enum Binding {
    PlanNode(i64),
    Policy(i64),
}

impl Binding {
    fn column(self) -> &'static str {
        match self {
            Binding::PlanNode(_) => "plan_node_id",
            Binding::Policy(_) => "policy_node_id",
        }
    }
    fn id(self) -> i64 {
        match self {
            Binding::PlanNode(id) | Binding::Policy(id) => id,
        }
    }
    fn matches(self, p: &PortfolioItem) -> bool {
        match self {
            Binding::PlanNode(id) => p.plan_node_id == Some(id),
            Binding::Policy(id) => p.policy_node_id == Some(id),
        }
    }
}

/// Every published survey's result for a plan node, oldest first.
pub async fn bound_to_node(db: &Db, org: i64, node: i64) -> sqlx::Result<Vec<ItemResult>> {
    bound_to(db, org, Binding::PlanNode(node)).await
}

/// Every published survey's result for a plan item or 施策, oldest first. Quadrants are relative to
/// all the items of the same survey, so each survey is tallied whole (one tally per survey, a few
/// per node).
pub async fn bound_to(db: &Db, org: i64, binding: Binding) -> sqlx::Result<Vec<ItemResult>> {
    let node = binding.id();
    let surveys: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT s.id FROM survey_questions q JOIN surveys s ON s.organization_id = q.organization_id AND s.id = q.survey_id \
         WHERE q.organization_id = $1 AND q.{} = $2 AND q.kind = 'pair' AND s.status <> 'draft'",
        binding.column()
    )))
    .bind(org)
    .bind(node)
    .fetch_all(db)
    .await?;
    let mut out = Vec::new();
    for (id,) in surveys {
        let (Some(form), t) =
            tokio::try_join!(super::store::form(db, org, id), tally(db, org, id))?
        else {
            continue;
        };
        if let Some(p) = portfolio(&form, &t)
            .into_iter()
            .find(|p| binding.matches(p))
        {
            out.push(ItemResult {
                survey_id: id,
                title: form.survey.title.clone(),
                fiscal_year: form.survey.fiscal_year,
                importance: p.importance,
                satisfaction: p.satisfaction,
                quadrant: p.placed.quadrant.code(),
                improvement_index: p.placed.improvement_index,
            });
        }
    }
    out.sort_by_key(|r| r.fiscal_year);
    Ok(out)
}
