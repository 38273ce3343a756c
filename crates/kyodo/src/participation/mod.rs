//! 市民参画 — participation (seed S-1.1.1, S-1.3.3, S-1.3.4). First part: 意見公募
//! (パブリックコメント), the public comment on a draft.
//!
//! - `draft`: a draft (案) as typed or pasted, divided into numbered sections by its headings;
//! - `consultations`: a consultation — its draft, period (with the organization's minimum length),
//!   eligibility, department and basis — and its phase (予告 / 募集中 / 結果公表待ち / 結果公表済);
//! - `opinions`: submitting an opinion (web, or entered by staff with its channel), the receipt
//!   number and look-up key, e-mail confirmation, redaction before publication;
//! - `answers`: the department's work — groups of opinions with 意見の概要, 市の考え方 and
//!   修正の有無, the revised draft — and the HQ's approval that publishes the result;
//! - `result`: the published result (意見と市の考え方) as data for its page, CSV, JSON, xlsx, PDF;
//! - `diff`: the revised draft against the original, by section;
//! - `subscriptions`: e-mail notice of new consultations and published results;
//! - `demo`: demonstration data.

pub mod answers;
pub mod approval;
pub mod consultations;
pub mod demo;
pub mod diff;
pub mod draft;
pub mod opinion_list;
pub mod opinions;
pub mod result;
pub mod subscriptions;

use crate::db::Db;

/// The organization's public comment rules (`org_settings` keys `consultations.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The shortest period, in days counted from its first day (行政手続法 39条: 30日以上).
    pub min_days: i64,
    /// Anonymous opinions one client address may send one consultation in a day.
    pub per_address_per_day: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_days: 30,
            per_address_per_day: 30,
        }
    }
}

impl Rules {
    pub async fn load(db: &Db, org: i64) -> sqlx::Result<Rules> {
        let mut r = Rules::default();
        for (k, n) in crate::accounts::org_settings::numbers(db, org, "consultations.").await? {
            match k.as_str() {
                "min_days" if (1..=365).contains(&n) => r.min_days = n,
                "per_address_per_day" if n >= 1 => r.per_address_per_day = n,
                _ => {}
            }
        }
        Ok(r)
    }
}

/// How an opinion arrived: the web form, or entered by staff from mail, FAX, the counter or
/// e-mail (提出方法).
pub const CHANNELS: [(&str, &str); 5] = [
    ("web", "pc.channel_web"),
    ("mail", "pc.channel_mail"),
    ("fax", "pc.channel_fax"),
    ("counter", "pc.channel_counter"),
    ("email", "pc.channel_email"),
];

/// Today in Japan, where the periods are counted.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&crate::i18n::jst())
        .date_naive()
}
