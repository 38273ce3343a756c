//! 窓口 — the case desk: one engine for everything that arrives at the city and must be answered.
//! 市民の声 (complaints, opinions, requests), 電子申請 (applications with status), 民間提案, 職員提案
//! and 働きかけ記録 are *case types* the HQ sets up (`case_types`). A case arrives through its type's
//! form (the survey question kinds, [`crate::surveys::answers`]), gets a number (整理番号, per type
//! and 年度: 令和8-市民の声-00001), is routed to a department, gets a deadline in office days over
//! the organization's calendar, is worked on (status steps, internal notes, messages with the
//! submitter, transfer), answered, and — for a publishable type, after staff redact it — shown to
//! the public.
//!
//! - [`setup`]: the HQ sets up a type (with an empty form) and its routing rules;
//! - [`store`]: the types and cases as stored, read by organization;
//! - [`calendar`]: office days (国民の祝日, 年末年始 and the organization's own closed days);
//! - [`submit`]: a submission checked, numbered, routed and stored before any mail is queued;
//!   [`files`] the files sent with it (a file question) and those staff add later;
//! - [`lookup`]: 申請状況の確認 — a guest's look-up by number and access key, rate-limited;
//! - [`open311`]: Open311 GeoReport v2 — services from the public kinds, requests as cases;
//! - [`public`]: the published answers and the public counts;
//! - [`reminders`]: the daily mail of cases due soon or overdue to their departments;
//! - [`work`]: what staff do with a case; [`assignment`] transfer and take; [`outcome`] merging a duplicate and publishing;
//!   [`submitter`] the submitter's reply and withdrawal;
//! - [`worklist`]: the staff's list of cases with its filters;
//! - [`kind`]: the five kinds; [`payment`] a fee's payment (電子申請); [`review`] decisions, scores and
//!   awards of proposals; [`yearly`] the lists by fiscal year;
//! - [`demo`]: the demonstration organization's 市民の声; [`demo_kinds`] its other four kinds.

pub mod assignment;
pub mod calendar;
pub mod demo;
pub mod demo_kinds;
pub mod files;
pub mod linked;
pub mod lookup;
pub mod numbering;
pub mod open311;
pub mod outcome;
pub mod payment;
pub mod public;
pub mod reminders;
pub mod replies;
pub mod review;
pub mod setup;
pub mod store;
pub mod submit;
pub mod submitter;
pub mod tallies;
pub mod work;
pub mod worklist;
pub mod yearly;

/// Status codes (code list `case_status`; each city words them). Open cases are the first four.
pub const RECEIVED: &str = "received";
pub const CHECKING: &str = "checking";
pub const IN_PROGRESS: &str = "in_progress";
/// 差戻し — the submitter is asked for more information.
pub const RETURNED: &str = "returned";
pub const ANSWERED: &str = "answered";
pub const CLOSED: &str = "closed";
pub const WITHDRAWN: &str = "withdrawn";
pub const REJECTED: &str = "rejected";

/// Every status, in the order a case moves through them.
pub const STATUSES: [&str; 8] = [
    RECEIVED,
    CHECKING,
    IN_PROGRESS,
    RETURNED,
    ANSWERED,
    CLOSED,
    WITHDRAWN,
    REJECTED,
];

/// Statuses of a case still to be dealt with (a work list's default, deadlines count).
pub const OPEN: [&str; 4] = [RECEIVED, CHECKING, IN_PROGRESS, RETURNED];

/// Statuses staff may set directly (answering, asking and withdrawing have their own steps).
pub const STAFF_SETS: [&str; 4] = [CHECKING, IN_PROGRESS, CLOSED, REJECTED];

pub fn is_open(status: &str) -> bool {
    OPEN.contains(&status)
}

/// The kinds of case (`case_types.kind`). The engine is one; a kind adds its panels.
pub mod kind {
    /// 市民の声 — complaints, opinions, requests, proposals.
    pub const VOICE: &str = "voice";
    /// 電子申請 — a procedure of the 手続一覧, possibly with a fee.
    pub const APPLICATION: &str = "application";
    /// 民間提案 — a company's or NPO's proposal; the decision and its reason are published.
    pub const PRIVATE_PROPOSAL: &str = "private_proposal";
    /// 職員提案 — staff's improvement proposals, scored by the review committee, awarded.
    pub const STAFF_PROPOSAL: &str = "staff_proposal";
    /// 働きかけ記録 — approaches to staff; restricted to the HQ and the compliance officer.
    pub const APPROACH: &str = "approach";
    pub const ALL: [&str; 5] = [
        VOICE,
        APPLICATION,
        PRIVATE_PROPOSAL,
        STAFF_PROPOSAL,
        APPROACH,
    ];
    /// Kinds whose cases get a decision (採用・不採用 …) with a reason.
    pub fn is_proposal(kind: &str) -> bool {
        kind == PRIVATE_PROPOSAL || kind == STAFF_PROPOSAL
    }
}

/// Who may submit a type of case and see it in the desk's list.
pub mod audience {
    pub const PUBLIC: &str = "public";
    pub const SIGNED_IN: &str = "signed_in";
    pub const STAFF: &str = "staff";
    /// The HQ and the compliance officer only (働きかけ記録); never public.
    pub const RESTRICTED: &str = "restricted";
}
