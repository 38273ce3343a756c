//! 集計表 — running counts of each survey (`survey_tallies`), bumped in the transaction that stores a
//! response, so that results, cross-tabulation and the portfolio read a few hundred rows however many
//! responses there are. `rebuild` recomputes them from the answers (bulk loads, repairs).

use super::answers::Answer;
use std::collections::{BTreeMap, BTreeSet};

/// (by question, by option, question, part, option, level); see the migration for the conventions.
pub type Key = (i64, i64, i64, &'static str, i64, i64);

/// The counts one response adds. `attributes` are the survey's attribute questions: the response is
/// also counted under each attribute option it chose (cross-tabulation).
pub fn bumps(answers: &[Answer], attributes: &[i64]) -> BTreeMap<Key, i64> {
    let mut out: BTreeMap<Key, i64> = BTreeMap::new();
    let mut groups = vec![(0, 0)];
    for a in answers {
        if let Some(o) = a.option_id.filter(|_| attributes.contains(&a.question_id)) {
            groups.push((a.question_id, o));
        }
    }
    let answered: BTreeSet<(i64, &'static str)> =
        answers.iter().map(|a| (a.question_id, a.part)).collect();
    for &(bq, bo) in &groups {
        *out.entry((bq, bo, 0, "", 0, 0)).or_default() += 1;
        for &(q, part) in &answered {
            *out.entry((bq, bo, q, part, -1, 0)).or_default() += 1;
        }
        // Matrix rows: respondents who answered each row (the row's base).
        let rows: BTreeSet<(i64, i64)> = answers
            .iter()
            .filter_map(|a| Some((a.question_id, a.level.filter(|_| a.option_id.is_some())?)))
            .collect();
        for &(q, row) in &rows {
            *out.entry((bq, bo, q, "", -1, row)).or_default() += 1;
        }
        for a in answers
            .iter()
            .filter(|a| a.option_id.is_some() || a.level.is_some())
        {
            let key = (
                bq,
                bo,
                a.question_id,
                a.part,
                a.option_id.unwrap_or(0),
                a.level.unwrap_or(0),
            );
            *out.entry(key).or_default() += 1;
        }
    }
    out
}

/// Adds counts (one multi-row upsert per 100 keys).
pub async fn apply(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    counts: &BTreeMap<Key, i64>,
) -> sqlx::Result<()> {
    let rows: Vec<(&Key, &i64)> = counts.iter().collect();
    for chunk in rows.chunks(100) {
        let mut sql = String::from(
            "INSERT INTO survey_tallies (organization_id, survey_id, by_question, by_option, question_id, part, option_id, level, n) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 7;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "($1, $2, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9
            ));
        }
        sql.push_str(
            " ON CONFLICT (organization_id, survey_id, by_question, by_option, question_id, part, option_id, level) \
             DO UPDATE SET n = survey_tallies.n + excluded.n",
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(survey);
        for ((bq, bo, qid, part, opt, level), n) in chunk {
            q = q
                .bind(*bq)
                .bind(*bo)
                .bind(*qid)
                .bind(*part)
                .bind(*opt)
                .bind(*level)
                .bind(**n);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The survey's attribute questions (single choice marked as attribute).
pub async fn attributes(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM survey_questions WHERE organization_id = $1 AND survey_id = $2 AND attribute = 1 ORDER BY position",
    )
    .bind(org)
    .bind(survey)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Recomputes every count of a survey from its answers (after bulk loads).
pub async fn rebuild(conn: &mut sqlx::AnyConnection, org: i64, survey: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM survey_tallies WHERE organization_id = $1 AND survey_id = $2")
        .bind(org)
        .bind(survey)
        .execute(&mut *conn)
        .await?;
    let insert = "INSERT INTO survey_tallies (organization_id, survey_id, by_question, by_option, question_id, part, option_id, level, n) ";
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{insert} SELECT $1, $2, 0, 0, 0, '', 0, 0, COUNT(*) FROM survey_responses WHERE organization_id = $1 AND survey_id = $2"
    )))
    .bind(org)
    .bind(survey)
    .execute(&mut *conn)
    .await?;
    // The whole survey (by = 0, 0) and, joined with each attribute answer, per attribute option.
    let mut groups = vec![None];
    groups.extend(attributes(conn, org, survey).await?.into_iter().map(Some));
    for by in groups {
        // Constants cannot be grouped by (they would name result columns), hence `group`.
        let (by_cols, group, join) = match by {
            None => ("0, 0", "", String::new()),
            Some(_) => (
                "f.question_id, f.option_id",
                "f.question_id, f.option_id, ",
                " JOIN survey_answers f ON f.organization_id = a.organization_id AND f.response_id = a.response_id \
                  AND f.question_id = $3 AND f.option_id IS NOT NULL"
                    .to_string(),
            ),
        };
        let guard = if by.is_some() { "" } else { " AND $3 = 0" };
        let b = by.unwrap_or(0);
        if let Some(attr) = by {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{insert} SELECT $1, $2, question_id, option_id, 0, '', 0, 0, COUNT(*) FROM survey_answers \
                 WHERE organization_id = $1 AND survey_id = $2 AND question_id = $3 AND option_id IS NOT NULL GROUP BY question_id, option_id"
            )))
            .bind(org)
            .bind(survey)
            .bind(attr)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{insert} SELECT $1, $2, {by_cols}, a.question_id, a.part, COALESCE(a.option_id, 0), COALESCE(a.level, 0), COUNT(*) \
             FROM survey_answers a{join} WHERE a.organization_id = $1 AND a.survey_id = $2{guard} \
             AND (a.option_id IS NOT NULL OR a.level IS NOT NULL) \
             GROUP BY {group}a.question_id, a.part, COALESCE(a.option_id, 0), COALESCE(a.level, 0)"
        )))
        .bind(org)
        .bind(survey)
        .bind(b)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{insert} SELECT $1, $2, {by_cols}, a.question_id, a.part, -1, a.level, COUNT(DISTINCT a.response_id) \
             FROM survey_answers a{join} WHERE a.organization_id = $1 AND a.survey_id = $2{guard} \
             AND a.option_id IS NOT NULL AND a.level IS NOT NULL \
             GROUP BY {group}a.question_id, a.part, a.level"
        )))
        .bind(org)
        .bind(survey)
        .bind(b)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{insert} SELECT $1, $2, {by_cols}, a.question_id, a.part, -1, 0, COUNT(DISTINCT a.response_id) \
             FROM survey_answers a{join} WHERE a.organization_id = $1 AND a.survey_id = $2{guard} \
             GROUP BY {group}a.question_id, a.part"
        )))
        .bind(org)
        .bind(survey)
        .bind(b)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(q: i64, part: &'static str, option: Option<i64>, level: Option<i64>) -> Answer {
        Answer {
            question_id: q,
            part,
            option_id: option,
            level,
            number: None,
            text: None,
        }
    }

    #[test]
    fn a_response_counts_once_overall_and_once_under_its_attribute_option() {
        let answers = [
            a(1, "", Some(11), None),
            a(2, "", Some(21), None),
            a(2, "", Some(22), None),
            a(3, "importance", None, Some(5)),
        ];
        let b = bumps(&answers, &[1]);
        assert_eq!(b[&(0, 0, 0, "", 0, 0)], 1, "one respondent");
        assert_eq!(
            b[&(1, 11, 0, "", 0, 0)],
            1,
            "one respondent in attribute option 11"
        );
        assert_eq!(
            b[&(0, 0, 2, "", -1, 0)],
            1,
            "multiple choice: answered once"
        );
        assert_eq!(b[&(0, 0, 2, "", 21, 0)], 1);
        assert_eq!(b[&(1, 11, 3, "importance", 0, 5)], 1);
        assert_eq!(b.len(), 2 * (1 + 3 + 4));
    }
}
