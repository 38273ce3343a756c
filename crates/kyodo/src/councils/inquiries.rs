//! 諮問 → 答申 → 検討結果: the city asks a council (諮問), the council answers (答申) with numbered
//! recommendations, and the city records its decision on each (採用 / 一部採用 / 不採用 / 検討中)
//! with the reason — all published on the body's page.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

/// The city's decisions on a recommendation.
pub const DECISIONS: [(&str, &str); 4] = [
    ("adopted", "cn.decision_adopted"),
    ("partly", "cn.decision_partly"),
    ("not_adopted", "cn.decision_not_adopted"),
    ("pending", "cn.decision_pending"),
];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Inquiry {
    pub id: i64,
    pub body_id: i64,
    pub subject: String,
    pub asked_on: String,
    pub answered_on: Option<String>,
    pub answer_summary: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Recommendation {
    pub inquiry_id: i64,
    pub number: i64,
    pub text: String,
    pub decision: String,
    pub decision_text: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InquiryForm {
    pub subject: String,
    pub asked_on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub answered_on: String,
    pub answer_summary: String,
    /// One recommendation per line (「1 …」 numbering is taken off).
    pub recommendations: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub number: String,
    pub decision: String,
    pub decision_text: String,
}

/// A body's inquiries, newest first, with their recommendations.
pub async fn of_body(
    db: &Db,
    org: i64,
    body: i64,
) -> sqlx::Result<Vec<(Inquiry, Vec<Recommendation>)>> {
    let (inquiries, recs): (Vec<Inquiry>, Vec<Recommendation>) = tokio::try_join!(
        sqlx::query_as(
            "SELECT id, body_id, subject, asked_on, answered_on, answer_summary FROM cn_inquiries \
             WHERE organization_id = $1 AND body_id = $2 ORDER BY asked_on DESC, id DESC",
        )
        .bind(org)
        .bind(body)
        .fetch_all(db),
        sqlx::query_as(
            "SELECT r.inquiry_id, r.number, r.text, r.decision, r.decision_text FROM cn_recommendations r \
             JOIN cn_inquiries i ON i.organization_id = r.organization_id AND i.id = r.inquiry_id \
             WHERE r.organization_id = $1 AND i.body_id = $2 ORDER BY r.inquiry_id, r.number",
        )
        .bind(org)
        .bind(body)
        .fetch_all(db),
    )?;
    Ok(inquiries
        .into_iter()
        .map(|i| {
            let mine = recs
                .iter()
                .filter(|r| r.inquiry_id == i.id)
                .cloned()
                .collect();
            (i, mine)
        })
        .collect())
}

fn date(errs: &mut FieldErrors, field: &str, raw: &str) -> String {
    errs.date(field, raw)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

async fn commit(
    tx: crate::db::write::WriteTx,
    org: i64,
    actor: i64,
    action: &str,
    id: i64,
    after: serde_json::Value,
) -> sqlx::Result<()> {
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action,
            target_type: "council_inquiry",
            target_id: id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// The body an inquiry belongs to.
pub async fn body_of(db: &Db, org: i64, inquiry: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT body_id FROM cn_inquiries WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(inquiry)
        .fetch_optional(db)
        .await
}

/// Records a 諮問.
pub async fn ask(app: &App, org: i64, actor: i64, body: i64, f: &InquiryForm) -> AppResult<i64> {
    super::bodies::get(&app.db, org, body)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let subject = errs.text("subject", &f.subject, 500);
    let asked_on = date(&mut errs, "asked_on", &f.asked_on);
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO cn_inquiries (organization_id, id, body_id, subject, asked_on) VALUES ($1, $2, $3, $4, $5)")
        .bind(org)
        .bind(id)
        .bind(body)
        .bind(&subject)
        .bind(&asked_on)
        .execute(&mut *tx)
        .await?;
    commit(
        tx,
        org,
        actor,
        "councils.ask",
        id,
        serde_json::json!({ "body": body, "subject": subject }),
    )
    .await?;
    Ok(id)
}

/// Splits pasted recommendations into their texts, one per non-empty line, numbering removed.
pub fn recommendation_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let t = l.trim();
            let digits = t
                .chars()
                .take_while(|c| {
                    c.is_ascii_digit() || ('０'..='９').contains(c) || "()（）".contains(*c)
                })
                .count();
            let rest: String = t.chars().skip(digits).collect();
            let rest = rest.trim_start_matches(['.', '．', '、', ' ', '　']).trim();
            if digits > 0 && !rest.is_empty() {
                rest.to_string()
            } else {
                t.to_string()
            }
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Records the 答申 and its recommendations (replacing earlier ones of the same inquiry).
pub async fn answer(
    app: &App,
    org: i64,
    actor: i64,
    inquiry: i64,
    f: &AnswerForm,
) -> AppResult<i64> {
    let body = body_of(&app.db, org, inquiry)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let answered_on = date(&mut errs, "answered_on", &f.answered_on);
    let summary = errs.long_text("answer_summary", &f.answer_summary, 4000);
    let lines = recommendation_lines(&f.recommendations);
    if lines.is_empty() {
        errs.add("recommendations", "field.required");
    } else if lines.len() > 200 || lines.iter().any(|l| l.chars().count() > 2000) {
        errs.add("recommendations", "field.too_long");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query("UPDATE cn_inquiries SET answered_on = $1, answer_summary = $2 WHERE organization_id = $3 AND id = $4")
        .bind(&answered_on)
        .bind(&summary)
        .bind(org)
        .bind(inquiry)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM cn_recommendations WHERE organization_id = $1 AND inquiry_id = $2")
        .bind(org)
        .bind(inquiry)
        .execute(&mut *tx)
        .await?;
    for (i, text) in lines.iter().enumerate() {
        sqlx::query("INSERT INTO cn_recommendations (organization_id, inquiry_id, number, text) VALUES ($1, $2, $3, $4)")
            .bind(org)
            .bind(inquiry)
            .bind(i as i64 + 1)
            .bind(text)
            .execute(&mut *tx)
            .await?;
    }
    commit(
        tx,
        org,
        actor,
        "councils.answer",
        inquiry,
        serde_json::json!({ "answered_on": answered_on, "recommendations": lines.len() }),
    )
    .await?;
    Ok(body)
}

/// The city's decision on one recommendation (検討結果); anything but 検討中 needs its reason.
pub async fn decide(
    app: &App,
    org: i64,
    actor: i64,
    inquiry: i64,
    f: &DecisionForm,
) -> AppResult<i64> {
    let body = body_of(&app.db, org, inquiry)
        .await?
        .ok_or(AppError::NotFound)?;
    let number = f
        .number
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let decision = f.decision.trim();
    if !DECISIONS.iter().any(|(d, _)| *d == decision) {
        errs.add("decision", "field.bad_choice");
    }
    let text = errs.long_text("decision_text", &f.decision_text, 4000);
    if decision != "pending" && text.is_empty() {
        errs.add("decision_text", "cn.decision_reason");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE cn_recommendations SET decision = $1, decision_text = $2 WHERE organization_id = $3 AND inquiry_id = $4 AND number = $5",
    )
    .bind(decision)
    .bind(&text)
    .bind(org)
    .bind(inquiry)
    .bind(number)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    commit(
        tx,
        org,
        actor,
        "councils.decide",
        inquiry,
        serde_json::json!({ "number": number, "decision": decision }),
    )
    .await?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pasted_recommendations_lose_their_numbers() {
        let lines = super::recommendation_lines(
            "１．公募委員を増やすこと。\n\n(2) 会議を公開すること\n3 議事録を早く公表する\n年度ごとに見直す",
        );
        assert_eq!(
            lines,
            [
                "公募委員を増やすこと。",
                "会議を公開すること",
                "議事録を早く公表する",
                "年度ごとに見直す"
            ]
        );
    }
}
