//! The register with its figures: each body with its current members' figures, the whole
//! organization's, and who is over a limit — loaded in two queries for the public table and the
//! HQ's dashboard alike.

use super::Rules;
use super::bodies::{self, Body};
use super::members::{self, MemberRow};
use super::quotas::{self, BodyFigures, Overall, Seat};
use crate::db::Db;
use chrono::NaiveDate;
use std::collections::HashMap;

pub struct Register {
    pub rules: Rules,
    pub bodies: Vec<(Body, BodyFigures)>,
    pub overall: Overall,
    /// Current appointments by id of person: (name, body) for the dashboard's lists.
    pub seats: Vec<MemberRow>,
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

pub async fn load(db: &Db, org: i64, today: NaiveDate) -> sqlx::Result<Register> {
    let iso = today.format("%Y-%m-%d").to_string();
    let (rules, list, seats) = tokio::try_join!(
        Rules::load(db, org),
        bodies::list(db, org),
        members::all_current(db, org, &iso),
    )?;
    let flat: Vec<Seat> = seats
        .iter()
        .map(|m| Seat {
            body_id: m.body_id,
            person_id: m.person_id,
            female: m.gender == "female",
            public: m.category == "public",
            chair: m.role == "chair",
            term_ends_on: day(&m.term_ends_on),
            first_appointed_on: day(&m.first_appointed_on),
        })
        .collect();
    let mut by_body: HashMap<i64, Vec<&Seat>> = HashMap::new();
    for s in &flat {
        by_body.entry(s.body_id).or_default().push(s);
    }
    let bodies = list
        .into_iter()
        .map(|b| {
            let mine = by_body.get(&b.id).map(Vec::as_slice).unwrap_or(&[]);
            let f = quotas::body(&rules, mine, b.max_members, &b.no_public_reason);
            (b, f)
        })
        .collect();
    let overall = quotas::overall(&rules, &flat, today);
    Ok(Register {
        rules,
        bodies,
        overall,
        seats,
    })
}

impl Register {
    pub fn body_name(&self, id: i64) -> &str {
        self.bodies
            .iter()
            .find(|(b, _)| b.id == id)
            .map_or("", |(b, _)| b.name.as_str())
    }
    pub fn person_name(&self, id: i64) -> &str {
        self.seats
            .iter()
            .find(|m| m.person_id == id)
            .map_or("", |m| m.name.as_str())
    }
}
