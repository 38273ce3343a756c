//! 招待コード — one-time invitation codes for a random-sample survey: printed on mailed letters,
//! stored only as hashes, each answering once (see `responses::submit`).

use super::building::audit_change;
use super::store;
use crate::accounts::tokens;
use crate::app::App;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// Letters without look-alikes (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A code as printed: `XXXXX-XXXXX` (about 10^14.7 possibilities).
fn new_code() -> String {
    let mut b = [0u8; 10];
    crate::db::random_fill(&mut b);
    let s: String = b
        .iter()
        .map(|x| CODE_ALPHABET[*x as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &s[..5], &s[5..])
}

/// A code as typed: case, spaces, hyphens and full-width characters do not matter.
pub fn normalize_code(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_uppercase())
        })
        .collect()
}

/// Generates `count` one-time codes for a survey answered by invitation; returns them (the only copy:
/// the database keeps their hashes).
pub async fn generate_codes(
    app: &App,
    org: i64,
    actor: i64,
    survey: i64,
    count: &str,
) -> AppResult<Vec<String>> {
    let s = store::get(&app.db, org, survey)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    if s.audience != "codes" {
        errs.add("count", "survey.codes_not_for_this");
    }
    let n = count
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=10_000).contains(n));
    if n.is_none() {
        errs.add("count", "survey.bad_count");
    }
    errs.into_result()?;
    let codes: Vec<String> = (0..n.unwrap_or(0)).map(|_| new_code()).collect();
    let mut tx = app.begin_write().await?;
    for chunk in codes.chunks(300) {
        let mut sql = String::from(
            "INSERT INTO survey_codes (organization_id, survey_id, code_hash) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("($1, $2, ${})", i + 3));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(survey);
        for c in chunk {
            q = q.bind(tokens::digest(&normalize_code(c)));
        }
        q.execute(&mut *tx).await?;
    }
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.codes",
        survey,
        serde_json::json!({"generated": codes.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// (unused, used) invitation codes of a survey.
pub async fn code_counts(db: &crate::db::Db, org: i64, survey: i64) -> sqlx::Result<(i64, i64)> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT used, COUNT(*) FROM survey_codes WHERE organization_id = $1 AND survey_id = $2 GROUP BY used",
    )
    .bind(org)
    .bind(survey)
    .fetch_all(db)
    .await?;
    let of = |used: bool| {
        rows.iter()
            .filter(|r| (r.0 != 0) == used)
            .map(|r| r.1)
            .sum()
    };
    Ok((of(false), of(true)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typed_forgivingly_and_printed_without_look_alikes() {
        assert_eq!(normalize_code(" abcde－ＦＧＨ２３ "), "ABCDEFGH23");
        let c = new_code();
        assert_eq!(c.len(), 11);
        assert!(!c.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalize_code(&c).len(), 10);
    }
}
