//! Responses as CSV (UTF-8 with BOM, for Excel), one row per response and one column per question
//! (per option for multiple choice, per half for a pair), streamed 500 responses at a time: memory
//! stays flat however many responses there are.

use super::store::{Form, Kind};
use crate::db::Db;
use axum::body::Bytes;
use futures_util::Stream;
use std::collections::HashMap;

const BATCH: i64 = 500;
/// Response ids per answer lookup: a few statements per batch, each with few enough parameters
/// for sqlx's SQLite driver (whose per-parameter cost grows with the count).
const ANSWER_LOOKUP: usize = 100;

/// Column headings, in the order the values are written.
pub fn headings(form: &Form) -> Vec<String> {
    let mut h = vec![
        "response".to_string(),
        "submitted_on".into(),
        "channel".into(),
    ];
    for (i, q) in form.questions.iter().enumerate() {
        let n = i + 1;
        match q.kind {
            Kind::Multi => h.extend(
                q.options
                    .iter()
                    .map(|o| format!("Q{n} {} [{}]", q.row.label, o.label)),
            ),
            Kind::MatrixSingle | Kind::MatrixMulti => h.extend(
                q.rows
                    .iter()
                    .map(|r| format!("Q{n} {} [{}]", q.row.label, r.label)),
            ),
            // One column per ranked option, holding its rank.
            Kind::Ranking => h.extend(
                q.options
                    .iter()
                    .map(|o| format!("Q{n} {} [{}] 順位", q.row.label, o.label)),
            ),
            Kind::Pair => {
                h.push(format!("Q{n} {} 重要度", q.row.subject));
                h.push(format!("Q{n} {} 満足度", q.row.subject));
            }
            _ => h.push(format!("Q{n} {}", q.row.label)),
        }
    }
    h
}

type AnswerRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<String>,
);

fn row(form: &Form, number: i64, day: &str, channel: &str, answers: &[&AnswerRow]) -> Vec<String> {
    let mut out = vec![number.to_string(), day.to_string(), channel.to_string()];
    fn of<'a>(
        answers: &'a [&'a AnswerRow],
        q: i64,
        part: &'a str,
    ) -> impl Iterator<Item = &'a &'a AnswerRow> {
        answers.iter().filter(move |a| a.1 == q && a.2 == part)
    }
    for q in &form.questions {
        let id = q.id();
        match q.kind {
            Kind::Multi => out.extend(q.options.iter().map(|o| {
                if of(answers, id, "").any(|a| a.3 == Some(o.id)) {
                    "1".to_string()
                } else {
                    String::new()
                }
            })),
            Kind::Ranking => out.extend(q.options.iter().map(|o| {
                of(answers, id, "")
                    .find(|a| a.3 == Some(o.id))
                    .and_then(|a| a.4)
                    .map(|r| r.to_string())
                    .unwrap_or_default()
            })),
            Kind::Single => out.push(
                of(answers, id, "")
                    .find_map(|a| q.options.iter().find(|o| Some(o.id) == a.3))
                    .map(|o| o.label.clone())
                    .unwrap_or_default(),
            ),
            Kind::MatrixSingle | Kind::MatrixMulti => {
                for r in &q.rows {
                    let chosen: Vec<&str> = of(answers, id, "")
                        .filter(|a| a.4 == Some(r.id))
                        .filter_map(|a| q.options.iter().find(|o| Some(o.id) == a.3))
                        .map(|o| o.label.as_str())
                        .collect();
                    out.push(chosen.join(" / "));
                }
            }
            Kind::Pair => {
                for part in ["importance", "satisfaction"] {
                    out.push(
                        of(answers, id, part)
                            .find_map(|a| a.4)
                            .map(|l| l.to_string())
                            .unwrap_or_default(),
                    );
                }
            }
            Kind::Scale => out.push(
                of(answers, id, "")
                    .find_map(|a| a.4)
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            ),
            Kind::Number => out.push(
                of(answers, id, "")
                    .find_map(|a| a.5)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            ),
            Kind::Text | Kind::LongText | Kind::Date | Kind::File => out.push(
                of(answers, id, "")
                    .find_map(|a| a.6.clone())
                    .unwrap_or_default(),
            ),
        }
    }
    out
}

fn csv_line(fields: &[String]) -> Vec<u8> {
    crate::csv_writer::line(fields)
}

struct State {
    db: Db,
    org: i64,
    form: Form,
    after: i64,
    number: i64,
    started: bool,
    done: bool,
}

/// The next rows (at most `BATCH` responses); empty when done.
async fn next_rows(st: &mut State) -> sqlx::Result<Vec<Vec<String>>> {
    let survey = st.form.survey.id;
    let responses: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, submitted_on, channel FROM survey_responses WHERE organization_id = $1 AND survey_id = $2 AND id > $3 \
         ORDER BY id LIMIT $4",
    )
    .bind(st.org)
    .bind(survey)
    .bind(st.after)
    .bind(BATCH)
    .fetch_all(&st.db)
    .await?;
    let Some(last) = responses.last().map(|r| r.0) else {
        st.done = true;
        return Ok(Vec::new());
    };
    // The batch's own responses by id, through the by-response index: response ids are random, so
    // a range of them would also cover other surveys' responses. (No survey filter: the ids are
    // this survey's, and with one PostgreSQL may pick the by-survey index and read every answer.)
    let mut answers: Vec<AnswerRow> = Vec::new();
    for chunk in responses.chunks(ANSWER_LOOKUP) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT response_id, question_id, part, option_id, level, value_number, value_text FROM survey_answers \
             WHERE organization_id = $1 AND response_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(st.org);
        for r in chunk {
            q = q.bind(r.0);
        }
        answers.extend(q.fetch_all(&st.db).await?);
    }
    let mut by_response: HashMap<i64, Vec<&AnswerRow>> = HashMap::new();
    for a in &answers {
        by_response.entry(a.0).or_default().push(a);
    }
    let mut out = Vec::with_capacity(responses.len());
    for (id, day, channel) in &responses {
        st.number += 1;
        let empty = Vec::new();
        out.push(row(
            &st.form,
            st.number,
            day,
            channel,
            by_response.get(id).unwrap_or(&empty),
        ));
    }
    st.after = last;
    if (responses.len() as i64) < BATCH {
        st.done = true;
    }
    Ok(out)
}

async fn batch(st: &mut State) -> sqlx::Result<Vec<u8>> {
    Ok(next_rows(st)
        .await?
        .iter()
        .flat_map(|r| csv_line(r))
        .collect())
}

/// The responses as an xlsx workbook written to `path`: one row per response, numbers as numbers.
/// Rows are fetched 500 responses at a time and handed to a blocking writer in constant-memory mode
/// (rows go to a temporary file as they are written), so memory stays flat here too.
pub async fn write_xlsx(
    db: Db,
    org: i64,
    form: Form,
    path: std::path::PathBuf,
    demo: bool,
) -> anyhow::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Vec<String>>>(2);
    let header = headings(&form);
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut book = rust_xlsxwriter::Workbook::new();
        if demo {
            crate::plans::exchange::export::add_demo_sheet(&mut book)?;
        }
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("回答")?;
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h)?;
        }
        let mut r: u32 = 1;
        while let Some(rows) = rx.blocking_recv() {
            for fields in rows {
                for (c, v) in fields.iter().enumerate() {
                    if v.is_empty() {
                        continue;
                    }
                    // Levels, counts and typed numbers as numbers; labels and text as text.
                    match v.parse::<f64>() {
                        Ok(n) if c != 1 => sheet.write_number(r, c as u16, n)?,
                        _ => sheet.write_string(r, c as u16, v)?,
                    };
                }
                r += 1;
            }
        }
        book.save(&path)?;
        Ok(())
    });
    let mut st = State {
        db,
        org,
        form,
        after: i64::MIN,
        number: 0,
        started: true,
        done: false,
    };
    while !st.done {
        let rows = next_rows(&mut st).await?;
        if !rows.is_empty() && tx.send(rows).await.is_err() {
            break; // the writer failed; its error is reported below
        }
    }
    drop(tx);
    writer.await?
}

/// The CSV stream. Respondents are numbered 1, 2, … in the order stored; the response ids are not
/// exported.
pub fn stream_csv(
    db: Db,
    org: i64,
    form: Form,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let start = State {
        db,
        org,
        form,
        after: i64::MIN,
        number: 0,
        started: false,
        done: false,
    };
    futures_util::stream::unfold(start, |mut st| async move {
        if !st.started {
            st.started = true;
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend(csv_line(&headings(&st.form)));
            return Some((Ok(Bytes::from(bytes)), st));
        }
        if st.done {
            return None;
        }
        match batch(&mut st).await {
            Ok(bytes) if bytes.is_empty() && st.done => None,
            Ok(bytes) => Some((Ok(Bytes::from(bytes)), st)),
            Err(e) => {
                st.done = true;
                Some((Err(std::io::Error::other(e)), st))
            }
        }
    })
}
