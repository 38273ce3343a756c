//! What a write changes and what a cached page shows, by area, so that a write drops only the
//! pages that can show it: a progress report drops plan pages and the home page, not the
//! evaluation or survey pages. Paths decide (one place, beside the route table's prefixes); a path
//! not named here counts as touching everything of its organization, so a new area is safe
//! before it is listed.

/// A set of areas, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas(pub u16);

impl Areas {
    pub const NONE: Areas = Areas(0);
    pub const PLANS: Areas = Areas(1);
    pub const EVALUATION: Areas = Areas(2);
    pub const SURVEYS: Areas = Areas(4);
    /// 会議録 — minutes.
    pub const MINUTES: Areas = Areas(8);
    /// 施設予約 — facilities and their availability.
    pub const FACILITIES: Areas = Areas(16);
    /// 市民参画 — public comment (意見公募) and councils (審議会等).
    pub const PARTICIPATION: Areas = Areas(32);
    /// 財政 — budgets and settlements.
    pub const FINANCE: Areas = Areas(64);
    /// 窓口 — the case desk (市民の声 and its published answers).
    pub const CASES: Areas = Areas(128);
    /// Every area, and what belongs to none (departments, codes, settings): the whole organization.
    pub const ALL: Areas = Areas(0xFFFF);

    pub fn with(self, other: Areas) -> Areas {
        Areas(self.0 | other.0)
    }
    pub fn contains(self, other: Areas) -> bool {
        self.0 & other.0 == other.0
    }
    /// The bit positions of the single areas (the `ALL` extra bits are not areas).
    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..8).filter(move |i| self.0 & (1 << i) != 0)
    }
}

fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
}

/// The areas whose data a cached page at `path` (with its query) shows.
pub fn shown_by(path: &str) -> Areas {
    // The API's reads show what the page of the same path shows.
    if let Some(rest) = path.strip_prefix("/api/v1").filter(|r| r.starts_with('/')) {
        return shown_by(rest);
    }
    if under(path, "/plans/items") {
        // The item page lists the evaluation sheets linked to it, the results of surveys bound
        // to it and the consultations linked to it.
        Areas::PLANS
            .with(Areas::EVALUATION)
            .with(Areas::SURVEYS)
            .with(Areas::PARTICIPATION)
    } else if under(path, "/plans") {
        Areas::PLANS
    } else if under(path, "/evaluation/policies") {
        // A 施策's page shows the satisfaction survey bound to it and the consultations linked to it.
        Areas::EVALUATION
            .with(Areas::SURVEYS)
            .with(Areas::PARTICIPATION)
    } else if under(path, "/evaluation") {
        Areas::EVALUATION
    } else if under(path, "/surveys") {
        Areas::SURVEYS
    } else if under(path, "/minutes") {
        Areas::MINUTES
    } else if under(path, "/facilities") {
        Areas::FACILITIES
    } else if under(path, "/councils") {
        // A council's page shows its committee's follow-up opinions on plan items.
        Areas::PARTICIPATION.with(Areas::PLANS)
    } else if under(path, "/consultations") {
        Areas::PARTICIPATION
    } else if under(path, "/finance") {
        Areas::FINANCE
    } else if under(path, "/cases") || under(path, "/procedures") {
        Areas::CASES
    } else {
        // The home page and everything else show (or may show) any area.
        Areas::ALL
    }
}

/// What a handler says its write changed for anonymous visitors, when it knows better than its
/// path (a comment held for moderation changes nothing public). Set it on the response with
/// [`unchanged`]; the metrics middleware reads it.
#[derive(Debug, Clone, Copy)]
pub struct PublicChange(pub Areas);

/// Marks a write's response as changing nothing anonymous visitors see.
pub fn unchanged(mut res: axum::response::Response) -> axum::response::Response {
    res.extensions_mut().insert(PublicChange(Areas::NONE));
    res
}

/// The areas a successful write to `path` may change for anonymous visitors.
pub fn changed_by(path: &str) -> Areas {
    const PLAN_HQ: [&str; 8] = [
        "/hq/plans",
        "/hq/nodes",
        "/hq/periods",
        "/hq/indicators",
        "/hq/effects",
        "/hq/changes",
        "/hq/comments",
        "/comments",
    ];
    if [
        "/login",
        "/logout",
        "/password/forgot",
        "/register",
        "/account/password",
    ]
    .iter()
    .any(|p| under(path, p))
    {
        // Sessions, mail and accounts: nothing a public page shows.
        Areas::NONE
    } else if under(path, "/hq/opinions") {
        // A response publishes a committee opinion on a plan, an item (plan pages, the council's
        // page) or a 施策 (evaluation pages).
        Areas::PLANS.with(Areas::EVALUATION)
    } else if under(path, "/plans/items") && unpublished_report_step(path) {
        // A report's drafts and reviews are the staff's until it is published.
        Areas::NONE
    } else if under(path, "/plans") || PLAN_HQ.iter().any(|p| under(path, p)) {
        Areas::PLANS
    } else if under(path, "/hq/evaluation/sheets") && path.ends_with("/plan-link") {
        // Linking a sheet to a plan item shows on the item's page too.
        Areas::EVALUATION.with(Areas::PLANS)
    } else if [
        "/hq/evaluation",
        "/staff/evaluation",
        "/committee/evaluation",
    ]
    .iter()
    .any(|p| under(path, p))
    {
        Areas::EVALUATION
    } else if under(path, "/surveys") || under(path, "/hq/surveys") {
        Areas::SURVEYS
    } else if under(path, "/hq/minutes") {
        Areas::MINUTES
    } else if under(path, "/hq/finance") {
        Areas::FINANCE
    } else if under(path, "/staff/cases")
        && (path.ends_with("/facility") || path.ends_with("/merge"))
    {
        // Linking a case to a facility, or merging one, changes the facility page's desk count.
        Areas::CASES.with(Areas::FACILITIES)
    } else if under(path, "/cases") || under(path, "/staff/cases") || under(path, "/api/open311") {
        // A case sent, replied to or withdrawn changes no public page until staff publish its
        // answer; the desk's statistics count every case, so its pages are dropped.
        Areas::CASES
    } else if under(path, "/facilities") || under(path, "/staff/facilities") {
        Areas::FACILITIES
    } else if under(path, "/staff/documents") {
        // Removing a document: a consultation's or a council's, or a procedure's form (手続一覧).
        Areas::PARTICIPATION.with(Areas::CASES)
    } else if under(path, "/hq/councils/meetings") && path.ends_with("/minutes") {
        // A council meeting's minutes go into the minutes archive too.
        Areas::PARTICIPATION.with(Areas::MINUTES)
    } else if [
        "/consultations",
        "/staff/consultations",
        "/hq/consultations",
        "/hq/councils",
        "/councils",
        "/hq/advisers",
        "/advisers",
    ]
    .iter()
    .any(|p| under(path, p))
    {
        Areas::PARTICIPATION
    } else {
        // Departments, users, codes, settings, the API and anything new: the whole organization.
        Areas::ALL
    }
}

/// Saving, submitting, attaching to and reviewing a report, short of publishing it.
fn unpublished_report_step(path: &str) -> bool {
    [
        "/report",
        "/report/submit",
        "/report/attachments",
        "/report/review/confirm",
        "/report/review/return",
        "/report/review/approve",
    ]
    .iter()
    .any(|s| path.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linking_a_case_to_a_facility_drops_the_facility_pages_other_case_steps_do_not() {
        let both = Areas::CASES.with(Areas::FACILITIES);
        assert_eq!(changed_by("/staff/cases/9/facility"), both);
        assert_eq!(changed_by("/staff/cases/9/merge"), both);
        assert_eq!(changed_by("/staff/cases/9/answer"), Areas::CASES);
    }

    #[test]
    fn a_published_report_changes_plan_pages_and_the_home_page_only() {
        for step in ["", "/submit", "/review/return", "/review/approve"] {
            let path = format!("/plans/items/7/report{step}");
            assert_eq!(changed_by(&path), Areas::NONE, "{path}");
        }
        let w = changed_by("/plans/items/7/report/review/publish");
        assert_eq!(w, Areas::PLANS);
        for page in ["/plans/3", "/plans/items/7", "/plans", "/"] {
            assert!(shown_by(page).contains(w), "{page}");
        }
        for page in [
            "/evaluation",
            "/evaluation/programmes/4",
            "/surveys/2/results",
        ] {
            assert!(!shown_by(page).contains(w), "{page}");
        }
    }

    #[test]
    fn a_response_to_a_committee_opinion_reaches_every_page_that_shows_it() {
        let w = changed_by("/hq/opinions/9");
        let touches = |page: &str| shown_by(page).0 & w.0 != 0;
        for page in [
            "/plans/3",
            "/plans/items/7",
            "/evaluation/policies/2",
            "/councils/4",
            "/",
        ] {
            assert!(touches(page), "{page}");
        }
        assert!(!touches("/surveys/2/results"));
        assert!(!touches("/minutes"));
    }

    #[test]
    fn a_minutes_import_changes_the_minutes_pages_and_the_home_page_only() {
        let w = changed_by("/hq/minutes/import");
        assert_eq!(w, Areas::MINUTES);
        for page in ["/minutes", "/minutes?q=a", "/minutes/meetings/3", "/"] {
            assert!(shown_by(page).contains(w), "{page}");
        }
        for page in ["/plans/3", "/evaluation", "/surveys/2/results"] {
            assert!(!shown_by(page).contains(w), "{page}");
        }
        assert_eq!(
            shown_by("/minutesx"),
            Areas::ALL,
            "prefixes are whole segments"
        );
        assert!(!changed_by("/surveys/5").contains(Areas::MINUTES));
    }

    #[test]
    fn council_pages_follow_plan_opinions_and_council_minutes_reach_the_minutes_pages() {
        // A cached page is dropped when what it shows and what a write changes meet.
        let meet = |page: &str, write: &str| shown_by(page).0 & changed_by(write).0 != 0;
        assert!(meet("/councils/5", "/hq/opinions/3"));
        assert!(!meet("/consultations/5", "/hq/opinions/3"));
        assert!(meet("/minutes", "/hq/councils/meetings/9/minutes"));
        assert!(meet(
            "/councils/meetings/9",
            "/hq/councils/meetings/9/minutes"
        ));
        assert!(!meet("/evaluation", "/consultations/5/opinion"));
        assert!(!meet("/minutes", "/hq/councils/5/members"));
    }

    #[test]
    fn cross_area_pages_follow_what_they_show() {
        let answer = changed_by("/surveys/5");
        assert!(shown_by("/plans/items/7").contains(answer));
        assert!(shown_by("/evaluation/policies/2").contains(answer));
        assert!(!shown_by("/plans/3").contains(answer));
        assert!(!shown_by("/evaluation/programmes/4").contains(answer));
        let link = changed_by("/hq/evaluation/sheets/9/plan-link");
        assert!(shown_by("/plans/items/7").contains(Areas::PLANS) && link.contains(Areas::PLANS));
    }

    #[test]
    fn unknown_and_shared_writes_change_everything_and_prefixes_are_whole_segments() {
        for w in [
            "/admin/departments",
            "/hq/codes",
            "/hq/settings/approval",
            "/new-area/x",
        ] {
            assert_eq!(changed_by(w), Areas::ALL, "{w}");
        }
        assert_eq!(changed_by("/login"), Areas::NONE);
        assert_eq!(changed_by("/plansx"), Areas::ALL);
        assert_eq!(shown_by("/plans?page=2"), Areas::PLANS);
        assert_eq!(shown_by("/evaluationx"), Areas::ALL);
    }
}
