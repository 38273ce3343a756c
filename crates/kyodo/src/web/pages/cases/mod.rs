//! 窓口 pages: the desk where citizens send a case and follow it (`desk`, `status`), the public's
//! 「市民の声と市の回答」 with its counts (`voices`), and the staff's work list and case page
//! (`work`, `case`).

pub mod act;
pub mod case;
pub mod catalogue;
pub mod desk;
pub mod files;
pub mod hq;
pub mod kinds;
pub mod links;
pub mod status;
pub mod voices;
pub mod work;
pub mod yearly;

use crate::codes::{self, CASE_STATUS, Code};
use crate::web::ctx::Ctx;

/// A status's words in this organization's vocabulary.
pub fn status_label(ctx: &Ctx, codes: &[Code], status: &str) -> String {
    codes::label(codes, CASE_STATUS, status, ctx.lang).to_string()
}

/// A stored date (YYYY-MM-DD or a timestamp) as 令和8年(2026年)4月1日.
pub fn day(ctx: &Ctx, stored: &str) -> String {
    crate::web::format::stored_day(ctx.tr(), stored)
}

/// Linked cases as staff lists show them: (id, number, received, status, subject).
pub fn linked_rows(
    ctx: &Ctx,
    codes: &[Code],
    cases: Vec<crate::cases::linked::LinkedCase>,
) -> Vec<(i64, String, String, String, String)> {
    cases
        .into_iter()
        .map(|c| {
            let status = status_label(ctx, codes, &c.status);
            let received = day(ctx, &c.received_at);
            (c.id, c.number, received, status, c.subject)
        })
        .collect()
}
