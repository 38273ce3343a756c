//! 審議会等 — councils (seed S-1.3.3): the register of bodies (附属機関 by ordinance, bodies set up
//! by guideline), their members and terms, and the participation targets checked per body and
//! overall (women's share, 公募 members, years in office, 兼職).
//!
//! - `opinions`: 委員意見 — a committee's follow-up opinions on a plan, a plan item or a 施策, and
//!   the city's responses; `follow_up`: the committee a body works as, and its published opinions;
//! - `inquiries`: 諮問 → 答申 → the city's decision on each recommendation (検討結果);
//! - `recruitment`: 委員公募 — calls, applications (staff only), the published result;
//! - `meetings`: meetings announced, 傍聴 with a capacity and a waiting list, the minutes;
//! - `bodies`: the register; `members`: people and their appointments (no contact data kept);
//! - `quotas`: the targets checked (pure); `register`: the figures every page shows, loaded once;
//! - `demo`: demonstration bodies.

pub mod bodies;
pub mod demo;
pub mod follow_up;
pub mod inquiries;
pub mod meetings;
pub mod members;
pub mod observers;
pub mod opinions;
pub mod quotas;
pub mod recruitment;
pub mod register;

use crate::db::Db;

/// The organization's targets (`org_settings` keys `councils.*`, each with a default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Women's share of all members, percent (男女共同参画計画の目標).
    pub women_target_overall: i64,
    /// Women's share in each body, percent.
    pub women_target_body: i64,
    /// Every body has 公募 members unless it records a reason.
    pub require_public: bool,
    /// Years in office on one body (through reappointments) that count as too long.
    pub max_years: i64,
    /// Bodies one person may sit on at once.
    pub max_concurrent: i64,
    /// Terms ending within this many days are listed on the dashboard.
    pub warn_days: i64,
    /// 傍聴 registrations to one meeting, or applications to one call, from one client address a day.
    pub per_address_per_day: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            women_target_overall: 40,
            women_target_body: 30,
            require_public: true,
            max_years: 10,
            max_concurrent: 3,
            warn_days: 90,
            per_address_per_day: 10,
        }
    }
}

impl Rules {
    pub async fn load(db: &Db, org: i64) -> sqlx::Result<Rules> {
        let mut r = Rules::default();
        for (k, n) in crate::accounts::org_settings::numbers(db, org, "councils.").await? {
            match k.as_str() {
                "women_target_overall" if (0..=100).contains(&n) => r.women_target_overall = n,
                "women_target_body" if (0..=100).contains(&n) => r.women_target_body = n,
                "require_public" => r.require_public = n != 0,
                "max_years" if n >= 1 => r.max_years = n,
                "max_concurrent" if n >= 1 => r.max_concurrent = n,
                "warn_days" if n >= 0 => r.warn_days = n,
                "per_address_per_day" if n >= 1 => r.per_address_per_day = n,
                _ => {}
            }
        }
        Ok(r)
    }
}

/// Genders as recorded (self-declared); only `female` counts toward the women's share.
pub const GENDERS: [(&str, &str); 4] = [
    ("female", "cn.gender_female"),
    ("male", "cn.gender_male"),
    ("other", "cn.gender_other"),
    ("unstated", "cn.gender_unstated"),
];

/// Roles on a body.
pub const ROLES: [(&str, &str); 3] = [
    ("chair", "cn.role_chair"),
    ("vice", "cn.role_vice"),
    ("member", "cn.role_member"),
];
