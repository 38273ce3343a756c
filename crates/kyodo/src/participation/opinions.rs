//! Submitting an opinion (意見の提出): on the web without an account (confirmed by e-mail) or
//! signed in, or entered by staff from mail, FAX, the counter or e-mail with the channel
//! recorded. Each gets a receipt number (受付番号) and a look-up key; the opinion is stored
//! before any mail is queued, in the same transaction, so a failed mail never loses it.

use super::consultations::{Consultation, Phase};
use super::{CHANNELS, Rules};
use crate::accounts::tokens::digest;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

/// What the opinion form sends (the staff's form adds the channel).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OpinionForm {
    /// A section number, or "0" for the whole draft.
    pub section: String,
    pub body: String,
    pub name: String,
    pub address: String,
    pub email: String,
    pub eligibility: String,
    pub channel: String,
}

/// Who is submitting.
#[derive(Debug, Clone, Copy)]
pub enum Submitter<'a> {
    /// Without an account, from a client address (rate-limited, confirmed by e-mail).
    Guest { address: &'a str },
    /// A signed-in citizen.
    User(i64),
    /// Staff entering an opinion that came by another channel.
    Staff(i64),
}

/// What the submitter keeps: the receipt number and the key to look the opinion up.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub id: i64,
    pub receipt_no: i64,
    pub key: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Opinion {
    pub id: i64,
    pub consultation_id: i64,
    pub receipt_no: i64,
    pub section_number: i64,
    pub body: String,
    pub published_body: String,
    pub name: String,
    pub address: String,
    pub email: String,
    pub eligibility: String,
    pub channel: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub confirmed: bool,
    pub submitted_at: String,
    pub group_id: Option<i64>,
}

pub(super) const COLUMNS: &str = "id, consultation_id, receipt_no, section_number, body, published_body, name, address, email, \
     eligibility, channel, confirmed, submitted_at, group_id";

/// The same text from the same e-mail: spacing and width do not make it new.
fn body_digest(email: &str, body: &str) -> String {
    let text: String = body
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    digest(&format!("{}\n{text}", email.trim().to_lowercase()))
}

/// Checks a form against the consultation; the values to store.
struct Checked {
    section: i64,
    body: String,
    name: String,
    address: String,
    email: String,
    eligibility: String,
    channel: &'static str,
}

fn check(
    c: &Consultation,
    sections: i64,
    who: Submitter<'_>,
    f: &OpinionForm,
    today: chrono::NaiveDate,
) -> Result<Checked, FieldErrors> {
    let mut errs = FieldErrors::default();
    let phase = c.phase(today);
    let accepting = match who {
        Submitter::Staff(_) => matches!(phase, Phase::Open | Phase::Closed),
        _ => phase == Phase::Open,
    };
    if !accepting {
        errs.add("body", "pc.not_open");
    }
    let section = match f.section.trim().parse::<i64>() {
        Ok(n) if (0..=sections).contains(&n) => n,
        _ => {
            errs.add("section", "field.bad_choice");
            0
        }
    };
    let body = errs.long_text("body", &f.body, 10_000);
    if body.is_empty() {
        errs.add("body", "field.required");
    }
    let name = errs.text("name", &f.name, 100);
    let address = errs.text("address", &f.address, 200);
    let email = errs.email("email", &f.email, matches!(who, Submitter::Guest { .. }));
    let eligibility = f.eligibility.trim().to_string();
    if !c.allows(&eligibility) {
        errs.add("eligibility", "field.bad_choice");
    }
    let channel = match who {
        Submitter::Staff(_) => match CHANNELS.iter().find(|(code, _)| *code == f.channel.trim()) {
            Some((code, _)) if *code != "web" => code,
            _ => {
                errs.add("channel", "field.bad_choice");
                "mail"
            }
        },
        _ => "web",
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Checked {
        section,
        body,
        name,
        address,
        email,
        eligibility,
        channel,
    })
}

/// Stores an opinion. A guest's opinion waits for its e-mail confirmation; others count at once.
pub async fn submit(
    app: &App,
    org: i64,
    c: &Consultation,
    who: Submitter<'_>,
    f: &OpinionForm,
) -> AppResult<Receipt> {
    let sections: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pc_sections WHERE organization_id = $1 AND consultation_id = $2",
    )
    .bind(org)
    .bind(c.id)
    .fetch_one(&app.db)
    .await?;
    let v = check(c, sections, who, f, super::today()).map_err(AppError::Invalid)?;
    if let Submitter::Guest { address } = who {
        let rules = Rules::load(&app.db, org).await?;
        let limit = rules.per_address_per_day;
        if !crate::address_limit::allow(&app.db, org, "consultation", c.id, address, limit).await? {
            return Err(AppError::TooManyRequests);
        }
    }
    let base = crate::accounts::service::base_url(app, org).await?;
    let id = new_id();
    let key = crate::accounts::tokens::random_secret();
    let confirmed = !matches!(who, Submitter::Guest { .. });
    let at = now();
    let body_digest = body_digest(&v.email, &v.body);
    let mut tx = app.begin_write().await?;
    // The counter row also serialises submissions to one consultation, so the duplicate check
    // below sees every earlier opinion.
    let receipt_no: i64 = sqlx::query_scalar(
        "UPDATE pc_consultations SET opinions = opinions + 1 WHERE organization_id = $1 AND id = $2 RETURNING opinions",
    )
    .bind(org)
    .bind(c.id)
    .fetch_one(&mut *tx)
    .await?;
    let a_minute_ago = crate::db::timestamp(chrono::Utc::now() - chrono::Duration::seconds(60));
    let duplicate: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 \
         AND body_digest = $3 AND submitted_at > $4",
    )
    .bind(org)
    .bind(c.id)
    .bind(&body_digest)
    .bind(&a_minute_ago)
    .fetch_one(&mut *tx)
    .await?;
    if duplicate > 0 && !v.email.is_empty() {
        let mut errs = FieldErrors::default();
        errs.add("body", "pc.duplicate");
        return Err(AppError::Invalid(errs));
    }
    let user_id = match who {
        Submitter::User(u) => Some(u),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO pc_opinions (organization_id, id, consultation_id, receipt_no, section_number, body, published_body, \
         name, address, email, eligibility, channel, user_id, access_digest, body_digest, confirmed, submitted_at, confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(org)
    .bind(id)
    .bind(c.id)
    .bind(receipt_no)
    .bind(v.section)
    .bind(&v.body)
    .bind(&v.name)
    .bind(&v.address)
    .bind(&v.email)
    .bind(&v.eligibility)
    .bind(v.channel)
    .bind(user_id)
    .bind(digest(&key))
    .bind(&body_digest)
    .bind(i64::from(confirmed))
    .bind(&at)
    .bind(confirmed.then(|| at.clone()))
    .execute(&mut *tx)
    .await?;
    if !v.email.is_empty() {
        let link = format!("{base}/consultations/opinions/{id}?key={key}");
        let (subject, body) = if confirmed {
            (
                "ご意見の受付 / Opinion received",
                format!(
                    "「{}」へのご意見を受け付けました。受付番号: {receipt_no}\n内容と、結果の公表後は市の考え方をこちらで確認できます:\n{link}\n\n\
                     Your opinion on \"{}\" was received (receipt {receipt_no}). See it, and later the city's answer, at the link above.\n",
                    c.title, c.title
                ),
            )
        } else {
            (
                "ご意見の確認のお願い / Please confirm your opinion",
                format!(
                    "「{}」へのご意見(受付番号: {receipt_no})を受け付けました。次のページで「確認する」を押すと提出が完了します:\n{link}\n\n\
                     Your opinion on \"{}\" (receipt {receipt_no}) is stored. Open the link and press \"Confirm\" to complete it.\n",
                    c.title, c.title
                ),
            )
        };
        app.mailer
            .enqueue(&mut tx, org, &v.email, subject, &body)
            .await?;
    }
    let actor = match who {
        Submitter::Guest { .. } => Actor::system(),
        Submitter::User(u) | Submitter::Staff(u) => Actor::user(u),
    };
    // Personal details stay out of the audit log.
    audit::record_and_commit(
        tx,
        org,
        &actor,
        Change {
            action: "consultations.opinion",
            target_type: "opinion",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "consultation": c.id, "receipt_no": receipt_no, "section": v.section,
                "channel": v.channel, "confirmed": confirmed,
            })),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(Receipt {
        id,
        receipt_no,
        key,
        confirmed,
    })
}

/// The opinion a look-up key opens; `None` for a wrong key (as for no opinion).
pub async fn by_key(db: &Db, org: i64, id: i64, key: &str) -> sqlx::Result<Option<Opinion>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM pc_opinions WHERE organization_id = $1 AND id = $2 AND access_digest = $3"
    )))
    .bind(org)
    .bind(id)
    .bind(digest(key.trim()))
    .fetch_optional(db)
    .await
}

/// Confirms a guest's opinion with its key (from the mail). Confirming twice is harmless.
pub async fn confirm(app: &App, org: i64, id: i64, key: &str) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE pc_opinions SET confirmed = 1, confirmed_at = $1 \
         WHERE organization_id = $2 AND id = $3 AND access_digest = $4 AND confirmed = 0",
    )
    .bind(now())
    .bind(org)
    .bind(id)
    .bind(digest(key.trim()))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return match by_key(&app.db, org, id, key).await? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound),
        };
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::system(),
        Change {
            action: "consultations.confirm",
            target_type: "opinion",
            target_id: id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_width_do_not_make_a_duplicate_new() {
        assert_eq!(
            body_digest("A@x.jp", "賛成です。ＡＢＣ 1"),
            body_digest("a@x.jp ", "賛成です。 ABC1\n")
        );
        assert_ne!(body_digest("a@x.jp", "賛成"), body_digest("b@x.jp", "賛成"));
        let mut errs = crate::validation::FieldErrors::default();
        assert_eq!(
            errs.email("a", " Taro@Example.jp ", true),
            "taro@example.jp"
        );
        assert!(errs.is_empty());
        errs.email("b", "taro@example", true);
        errs.email("c", "a b@x.jp", false);
        errs.email("d", "", true);
        assert_eq!(errs.get("b"), Some("pc.bad_email"));
        assert_eq!(errs.get("c"), Some("pc.bad_email"));
        assert_eq!(errs.get("d"), Some("field.required"));
        assert!(errs.email("e", "", false).is_empty() && errs.get("e").is_none());
    }
}
