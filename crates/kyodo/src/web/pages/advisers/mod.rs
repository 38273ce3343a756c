//! 外部有識者 pages: the HQ's register (register, assign, publish comments), the adviser's own
//! pages (what is assigned, the work in progress, comments) and the public register.

pub mod hq;
pub mod mine;
pub mod public;

use crate::advisers::assignments::{KINDS, Target};
use crate::i18n::Tr;

/// "計画: 第2次行政改革実施計画", "評価年度: 令和7年度 …" — a target as lists show it.
pub fn target_label(t: Tr, target: &Target) -> String {
    let kind = KINDS
        .iter()
        .find(|(k, _)| *k == target.kind)
        .map_or("", |(_, key)| t.t(key));
    let title = if target.kind == "evaluation_cycle" {
        crate::i18n::fy(t, target.fiscal_year)
    } else {
        target.title.clone()
    };
    format!("{kind}: {title}")
}

/// The words for a material row's state (a report status, a sheet's stage, 修正の有無, a decision).
pub fn state_label(t: Tr, kind: &str, state: &str) -> String {
    let key = match kind {
        "plan" => crate::plans::reports::ReportStatus::key(
            crate::plans::reports::ReportStatus::parse(state),
        )
        .to_string(),
        "consultation" if state == "revised" => "pc.revised_yes".into(),
        "consultation" => "pc.revised_no".into(),
        "evaluation_cycle" => format!("eval.stage_{state}"),
        _ => crate::councils::inquiries::DECISIONS
            .iter()
            .find(|(d, _)| *d == state)
            .map_or_else(String::new, |(_, k)| (*k).to_string()),
    };
    if crate::i18n::has_key(&key) {
        t.t(&key).to_string()
    } else {
        state.to_string()
    }
}
