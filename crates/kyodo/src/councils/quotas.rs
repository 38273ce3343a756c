//! The participation targets, checked: per body and overall, women's share (女性登用率), 公募
//! members, years in office and concurrent bodies (兼職), terms ending soon. Pure arithmetic over
//! the current appointments, so the public table and the HQ's dashboard say the same thing.

use super::Rules;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One current appointment, as the checks need it.
#[derive(Debug, Clone)]
pub struct Seat {
    pub body_id: i64,
    pub person_id: i64,
    pub female: bool,
    pub public: bool,
    pub chair: bool,
    pub term_ends_on: NaiveDate,
    pub first_appointed_on: NaiveDate,
}

/// A body's figures (総委員数 / 女性 / 参画率 / 公募) and what it misses.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BodyFigures {
    pub members: usize,
    pub women: usize,
    /// 参画率 in percent (one decimal), `None` without members.
    pub women_rate: Option<f64>,
    pub public_members: usize,
    pub chair_is_woman: bool,
    pub below_women_target: bool,
    /// No 公募 member and no reason recorded.
    pub missing_public: bool,
    pub over_max_members: bool,
}

/// Whole-organization figures and the people over a limit.
#[derive(Debug, Clone, Default)]
pub struct Overall {
    pub members: usize,
    pub women: usize,
    pub women_rate: Option<f64>,
    pub below_target: bool,
    /// (person, bodies) for people on more bodies than allowed.
    pub over_concurrent: Vec<(i64, usize)>,
    /// (body, person, years) for appointments past the years-in-office limit.
    pub over_years: Vec<(i64, i64, i64)>,
    /// (body, person, term end) for terms ending within the warning window.
    pub ending_soon: Vec<(i64, i64, NaiveDate)>,
}

fn rate(women: usize, members: usize) -> Option<f64> {
    (members > 0).then(|| (women as f64 * 1000.0 / members as f64).round() / 10.0)
}

/// Whole years from `from` to `to`.
fn years_between(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let mut y = i64::from(to.year() - from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        y -= 1;
    }
    y.max(0)
}

/// The figures of one body from its current seats.
pub fn body(
    rules: &Rules,
    seats: &[&Seat],
    max_members: i64,
    no_public_reason: &str,
) -> BodyFigures {
    let members = seats.len();
    let women = seats.iter().filter(|s| s.female).count();
    let public_members = seats.iter().filter(|s| s.public).count();
    let women_rate = rate(women, members);
    BodyFigures {
        members,
        women,
        women_rate,
        public_members,
        chair_is_woman: seats.iter().any(|s| s.chair && s.female),
        below_women_target: women_rate.is_some_and(|r| r < rules.women_target_body as f64),
        missing_public: rules.require_public
            && members > 0
            && public_members == 0
            && no_public_reason.trim().is_empty(),
        over_max_members: members as i64 > max_members,
    }
}

/// Whole-organization figures and per-person limits on `today`.
pub fn overall(rules: &Rules, seats: &[Seat], today: NaiveDate) -> Overall {
    let members = seats.len();
    let women = seats.iter().filter(|s| s.female).count();
    let women_rate = rate(women, members);
    let mut per_person: HashMap<i64, usize> = HashMap::new();
    for s in seats {
        *per_person.entry(s.person_id).or_default() += 1;
    }
    let mut over_concurrent: Vec<(i64, usize)> = per_person
        .into_iter()
        .filter(|(_, n)| *n as i64 > rules.max_concurrent)
        .collect();
    over_concurrent.sort_unstable();
    let over_years = seats
        .iter()
        .map(|s| {
            (
                s.body_id,
                s.person_id,
                years_between(s.first_appointed_on, today),
            )
        })
        .filter(|(_, _, y)| *y >= rules.max_years)
        .collect();
    let horizon = today + chrono::Duration::days(rules.warn_days);
    let mut ending_soon: Vec<(i64, i64, NaiveDate)> = seats
        .iter()
        .filter(|s| s.term_ends_on <= horizon)
        .map(|s| (s.body_id, s.person_id, s.term_ends_on))
        .collect();
    ending_soon.sort_by_key(|e| e.2);
    Overall {
        members,
        women,
        women_rate,
        below_target: women_rate.is_some_and(|r| r < rules.women_target_overall as f64),
        over_concurrent,
        over_years,
        ending_soon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn seat(body: i64, person: i64, female: bool, public: bool, ends: &str, first: &str) -> Seat {
        Seat {
            body_id: body,
            person_id: person,
            female,
            public,
            chair: false,
            term_ends_on: d(ends),
            first_appointed_on: d(first),
        }
    }

    #[test]
    fn a_body_below_its_target_and_without_public_members_is_flagged() {
        let r = Rules::default();
        let seats = [
            seat(1, 1, true, false, "2027-03-31", "2025-04-01"),
            seat(1, 2, false, false, "2027-03-31", "2025-04-01"),
            seat(1, 3, false, false, "2027-03-31", "2025-04-01"),
            seat(1, 4, false, false, "2027-03-31", "2025-04-01"),
        ];
        let refs: Vec<&Seat> = seats.iter().collect();
        let f = body(&r, &refs, 10, "");
        assert_eq!((f.members, f.women, f.women_rate), (4, 1, Some(25.0)));
        assert!(f.below_women_target && f.missing_public && !f.over_max_members);
        let f = body(&r, &refs, 3, "個人情報を扱うため");
        assert!(!f.missing_public && f.over_max_members);
        // 1 of 3 is 33.3 %: at or above 30 % is not below.
        assert!(!body(&r, &refs[..3], 10, "").below_women_target);
    }

    #[test]
    fn people_over_the_limits_and_terms_ending_soon_are_listed() {
        let r = Rules::default();
        let today = d("2026-12-03");
        let seats = [
            seat(1, 7, false, true, "2027-01-15", "2016-12-03"),
            seat(2, 7, false, false, "2027-06-30", "2024-04-01"),
            seat(3, 7, false, false, "2027-06-30", "2024-04-01"),
            seat(4, 7, false, false, "2027-06-30", "2024-04-01"),
            seat(4, 8, true, false, "2027-03-03", "2016-12-04"),
        ];
        let o = overall(&r, &seats, today);
        assert_eq!(o.over_concurrent, vec![(7, 4)]);
        assert_eq!(
            o.over_years,
            vec![(1, 7, 10)],
            "ten full years reached; a day short is not"
        );
        assert_eq!(
            o.ending_soon,
            vec![(1, 7, d("2027-01-15")), (4, 8, d("2027-03-03"))]
        );
        assert_eq!(o.women_rate, Some(20.0));
        assert!(o.below_target);
    }
}
