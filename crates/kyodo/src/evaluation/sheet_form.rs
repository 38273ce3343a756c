//! The evaluation sheet's forms as typed values. The sheet form's grid fields are named after the
//! organization's code lists (`cost-settled-general`, `fte-budget-regular`, `score-necessity`, …),
//! so the grid is kept by its keys; everything else is a named field. Values are as entered:
//! `sheets::save` and `stages::check_verdict` check them and report by the form's field names.

use std::collections::BTreeMap;

/// A verdict as entered: 実施主体 (`operator`), 方向性 (`direction`), reason, improvement plan.
#[derive(Debug, Default, Clone)]
pub struct VerdictForm {
    pub operator: String,
    pub direction: String,
    pub reason: String,
    pub improvement: String,
}

/// The department's sheet (一次評価) as entered.
#[derive(Debug, Default, Clone)]
pub struct SheetForm {
    /// 現状と課題 — the issues the programme faces.
    pub issues: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// 千円 by (cost column, funding source).
    pub costs: BTreeMap<(String, String), String>,
    /// Staff-years by (cost column, staff category).
    pub staff_years: BTreeMap<(String, String), String>,
    /// Indicator id → (target, actual) for the sheet's fiscal year.
    pub indicators: BTreeMap<i64, (String, String)>,
    /// Criterion code → (score code, reason).
    pub scores: BTreeMap<String, (String, String)>,
    pub verdict: VerdictForm,
}

/// A new indicator for the sheet's programme: 対象 `target` / 活動 `activity` / 成果 `outcome`.
#[derive(Debug, Default, Clone)]
pub struct IndicatorForm {
    pub kind: String,
    pub name: String,
    pub unit: String,
    pub higher_is_better: bool,
}

fn field<'a>(fields: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", |v| v.trim())
}

impl VerdictForm {
    pub fn from_fields(fields: &BTreeMap<String, String>) -> Self {
        Self {
            operator: field(fields, "operator").into(),
            direction: field(fields, "direction").into(),
            reason: field(fields, "reason").into(),
            improvement: field(fields, "improvement").into(),
        }
    }
}

/// Splits `prefix-a-b` into (a, b); the first part is a column name (never with a hyphen).
fn pair(name: &str, prefix: &str) -> Option<(String, String)> {
    let (a, b) = name.strip_prefix(prefix)?.split_once('-')?;
    Some((a.to_string(), b.to_string()))
}

impl SheetForm {
    /// Reads the sheet form's fields; unknown names are ignored.
    pub fn from_fields(fields: &BTreeMap<String, String>) -> Self {
        let mut form = Self {
            issues: field(fields, "issues").into(),
            contact_name: field(fields, "contact_name").into(),
            contact_phone: field(fields, "contact_phone").into(),
            verdict: VerdictForm::from_fields(fields),
            ..Self::default()
        };
        for (name, value) in fields {
            let value = value.trim().to_string();
            if let Some(key) = pair(name, "cost-") {
                form.costs.insert(key, value);
            } else if let Some(key) = pair(name, "fte-") {
                form.staff_years.insert(key, value);
            } else if let Some(id) = name.strip_prefix("target-").and_then(|i| i.parse().ok()) {
                form.indicators.entry(id).or_default().0 = value;
            } else if let Some(id) = name.strip_prefix("actual-").and_then(|i| i.parse().ok()) {
                form.indicators.entry(id).or_default().1 = value;
            } else if let Some(c) = name.strip_prefix("score-") {
                form.scores.entry(c.to_string()).or_default().0 = value;
            } else if let Some(c) = name.strip_prefix("score_reason-") {
                form.scores.entry(c.to_string()).or_default().1 = value;
            }
        }
        form
    }

    pub fn cost(&self, col: &str, source: &str) -> &str {
        self.costs
            .get(&(col.to_string(), source.to_string()))
            .map_or("", String::as_str)
    }
    pub fn staff_years(&self, col: &str, category: &str) -> &str {
        self.staff_years
            .get(&(col.to_string(), category.to_string()))
            .map_or("", String::as_str)
    }
    pub fn indicator(&self, id: i64) -> (&str, &str) {
        self.indicators
            .get(&id)
            .map_or(("", ""), |(t, a)| (t.as_str(), a.as_str()))
    }
    pub fn score(&self, criterion: &str) -> (&str, &str) {
        self.scores
            .get(criterion)
            .map_or(("", ""), |(s, r)| (s.as_str(), r.as_str()))
    }
}

impl IndicatorForm {
    /// The add-indicator form: `ind_kind`, `ind_name`, `ind_unit`, `ind_lower` (`1` = lower is better).
    pub fn from_fields(fields: &BTreeMap<String, String>) -> Self {
        Self {
            kind: field(fields, "ind_kind").into(),
            name: field(fields, "ind_name").into(),
            unit: field(fields, "ind_unit").into(),
            higher_is_better: field(fields, "ind_lower") != "1",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_fields_are_read_by_their_parts() {
        let fields: BTreeMap<String, String> = [
            ("cost-settled-general", " 2,500 "),
            ("cost-next_budget-national-grant", "1"),
            ("fte-settled-regular", "0.5"),
            ("target-42", "10"),
            ("actual-42", "9"),
            ("actual-x", "ignored"),
            ("score-necessity", "2"),
            ("score_reason-necessity", "必要"),
            ("direction", "improve"),
            ("issues", "課題"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let f = SheetForm::from_fields(&fields);
        assert_eq!(f.cost("settled", "general"), "2,500");
        assert_eq!(
            f.cost("next_budget", "national-grant"),
            "1",
            "a code may hold a hyphen"
        );
        assert_eq!(f.staff_years("settled", "regular"), "0.5");
        assert_eq!(f.indicator(42), ("10", "9"));
        assert_eq!(f.indicators.len(), 1);
        assert_eq!(f.score("necessity"), ("2", "必要"));
        assert_eq!(f.verdict.direction, "improve");
        assert_eq!(f.issues, "課題");
        assert_eq!(f.cost("settled", "national"), "");
    }
}
