//! Where a progress report is in its workflow, as stored in `progress_reports.status`.

use serde::Serialize;

/// A report's status. `Returned` is a draft with the reviewer's comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    Draft,
    Submitted,
    /// 所属長確認済 — confirmed by the department's manager, waiting for the HQ.
    Confirmed,
    Returned,
    Approved,
    Published,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 6] = [
        ReportStatus::Draft,
        ReportStatus::Submitted,
        ReportStatus::Confirmed,
        ReportStatus::Returned,
        ReportStatus::Approved,
        ReportStatus::Published,
    ];

    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Confirmed => "confirmed",
            ReportStatus::Returned => "returned",
            ReportStatus::Approved => "approved",
            ReportStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The catalogue key of its name; `None` (no report yet) has one too.
    pub fn key(status: Option<Self>) -> &'static str {
        match status {
            None => "report.status_none",
            Some(ReportStatus::Draft) => "report.status_draft",
            Some(ReportStatus::Submitted) => "report.status_submitted",
            Some(ReportStatus::Confirmed) => "report.status_confirmed",
            Some(ReportStatus::Returned) => "report.status_returned",
            Some(ReportStatus::Approved) => "report.status_approved",
            Some(ReportStatus::Published) => "report.status_published",
        }
    }

    /// Waiting for a reviewer (the department's manager or the HQ).
    pub fn in_review(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Confirmed)
    }
}

crate::text_column!(ReportStatus);

#[cfg(test)]
mod tests {
    use super::ReportStatus;

    #[test]
    fn every_status_reads_back_from_its_word() {
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::json!(s.as_str()))
            );
        }
        assert_eq!(ReportStatus::parse("deleted"), None);
    }
}
