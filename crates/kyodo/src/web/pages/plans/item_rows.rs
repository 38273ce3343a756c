//! The rows an item's page shows, each a named, formatted view (the template reads fields by
//! name, not tuple positions).

pub struct IndicatorView {
    pub name: String,
    pub unit: String,
    pub direction: &'static str,
    pub baseline: String,
    pub chart: String,
    pub rows: Vec<IndicatorYear>,
}

/// One fiscal year of an indicator, formatted.
pub struct IndicatorYear {
    pub year: String,
    pub target: String,
    pub actual: String,
    /// 達成率, e.g. `98.5%`, or `—`.
    pub achievement: String,
}

/// One fiscal effect (財政効果) line of the item, formatted.
pub struct EffectLine {
    pub year: String,
    pub kind: String,
    pub account: String,
    pub planned: String,
    pub actual: String,
    /// Catalogue key: recurring or one-off.
    pub recurring: &'static str,
}

/// A 行政評価 verdict carried out as this item.
pub struct EvaluationLink {
    pub year: String,
    pub href: String,
    pub name: String,
    pub direction: String,
}

/// A decided change request (計画変更).
pub struct ChangeLine {
    pub when: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub reason: String,
    pub what: String,
    pub comment: String,
}

pub struct ReportView {
    pub year: String,
    pub period: String,
    pub progress: String,
    pub rating: String,
    pub did: String,
    pub evaluation: String,
    pub next_steps: String,
    pub published_at: String,
}

pub struct RatingRow {
    pub year: String,
    pub counts: [i64; 5],
    pub total: i64,
    pub average: String,
}
