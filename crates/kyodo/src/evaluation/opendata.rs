//! The evaluation year as open data (one row per programme). Built from the public sheet read, so
//! the internal contact fields cannot appear; codes are written with their Japanese labels.

use super::costs;
use super::sheet_data::SheetData;
use super::stage::{REVIEW_STAGES, Stage};
use super::store::{Cycle, PolicyNode, Programme, UnitCost};
use crate::accounts::departments::Department;
use crate::codes::{self, Code};
use crate::i18n::Lang;

pub struct Year<'a> {
    pub cycle: &'a Cycle,
    pub programmes: &'a [Programme],
    pub nodes: &'a [PolicyNode],
    pub departments: &'a [Department],
    pub data: &'a SheetData,
    pub units: &'a [UnitCost],
    pub codes: &'a [Code],
}

pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "fiscal_year",
        "code",
        "name",
        "department",
        "policy_number",
        "policy",
        "legal_basis",
        "method",
        "first_year",
        "last_year",
        "stage",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (col, _) in costs::COLUMNS {
        for part in ["programme_cost", "general", "fte", "personnel", "total"] {
            h.push(format!("{col}_{part}"));
        }
    }
    for stage in REVIEW_STAGES.map(Stage::as_str) {
        h.push(format!("{stage}_operator"));
        h.push(format!("{stage}_direction"));
    }
    h
}

/// One row per programme that has a sheet this year, in code order.
pub fn rows(y: &Year<'_>) -> Vec<Vec<String>> {
    let label = |list: &str, c: &str| codes::label(y.codes, list, c, Lang::Ja).to_string();
    let mut out = Vec::new();
    for p in y.programmes {
        let Some(s) = y.data.sheets.iter().find(|s| s.programme_id == p.id) else {
            continue;
        };
        let node = p
            .policy_node_id
            .and_then(|id| y.nodes.iter().find(|n| n.id == id));
        let mut r = vec![
            y.cycle.fiscal_year.to_string(),
            p.code.clone(),
            p.name.clone(),
            y.departments
                .iter()
                .find(|d| d.id == p.department_id)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            node.map(|n| n.number.clone()).unwrap_or_default(),
            node.map(|n| n.title.clone()).unwrap_or_default(),
            p.legal_basis.clone(),
            label(codes::IMPL_METHOD, &p.method),
            p.first_year.to_string(),
            p.last_year.map(|y| y.to_string()).unwrap_or_default(),
            s.stage.as_str().to_string(),
        ];
        let cols = costs::columns(
            y.cycle.fiscal_year,
            &y.data.costs_of(s.id),
            &y.data.staffing_of(s.id),
            y.units,
        );
        for c in &cols {
            r.extend([
                c.programme_cost.to_string(),
                c.general.to_string(),
                format!("{}", c.fte),
                c.personnel.to_string(),
                c.total.to_string(),
            ]);
        }
        for stage in REVIEW_STAGES {
            match y
                .data
                .verdict(s.id, stage)
                .filter(|_| s.stage.verdicts_public())
            {
                Some(v) => {
                    r.push(label(codes::EVAL_OPERATOR, &v.operator));
                    r.push(label(codes::EVAL_DIRECTION, &v.direction));
                }
                None => r.extend([String::new(), String::new()]),
            }
        }
        out.push(r);
    }
    out
}
