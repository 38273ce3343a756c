//! Cell-level readings the import shares with its review page: the code a city's word stands for
//! (through the translation table, labels, or past list numbering) and staff on any basis as
//! staff-years.

use super::import::{Mapping, Options};
use super::lookup::{Lookup, Staff, amount, code_of};
use crate::codes;
use crate::evaluation::costs;

/// The code a word of the `method` or `direction` column stands for — the translation table's,
/// else a code or label as written, else one after its list numbering (「１　現状維持」) — and
/// whether the word belongs in the translation table (it is not a code or label as written).
pub fn code_for(
    all: &[codes::Code],
    mapping: &Mapping,
    field: &str,
    word: &str,
) -> (Option<String>, bool) {
    let list = if field == "method" {
        codes::IMPL_METHOD
    } else {
        codes::EVAL_DIRECTION
    };
    if let Some(code) = mapping.translated(field, word) {
        let known = codes::of_list(all, list).any(|x| x.code == code);
        return (known.then(|| code.to_string()), true);
    }
    match code_of(all, list, word) {
        Some(code) => (Some(code), false),
        None => (code_of(all, list, strip_numbering(word)), true),
    }
}

/// A staff cell of fiscal year `year` as (staff category, staff-years), or why not.
pub(super) fn staff_years(
    year: i64,
    basis: Staff,
    category: &str,
    v: &str,
    options: Options,
    l: &Lookup<'_>,
) -> Result<(String, f64), &'static str> {
    use kyodo_jp::numbers::parse_decimal;
    let number = |max: f64| match parse_decimal(v) {
        Ok(Some(f)) if (0.0..=max).contains(&f) => Ok(f),
        _ => Err("eval.fte_range"),
    };
    let fte = match basis {
        Staff::Years => number(1_000.0)?,
        Staff::Heads => number(100_000.0)? * options.head_factor,
        Staff::Hours => number(10_000_000.0)? / options.hours_per_year.max(1.0),
        Staff::Personnel => {
            let (amount, _) = amount(v, options.round)?;
            // 人件費 has no category: it is the first category's staff-years at its unit cost.
            let first = codes::of_list(l.codes, codes::STAFF_CATEGORY)
                .next()
                .ok_or("eval.import_no_unit_cost")?;
            let unit = costs::unit_cost(l.units, year, &first.code)
                .filter(|u| *u > 0)
                .ok_or("eval.import_no_unit_cost")?;
            return Ok((first.code.clone(), amount as f64 / unit as f64));
        }
    };
    if fte > 1_000.0 {
        return Err("eval.fte_range");
    }
    Ok((category.to_string(), fte))
}

/// 「１　現状維持」「(2) 改善」「③拡充」 → the word without its list numbering.
fn strip_numbering(v: &str) -> &str {
    let v = v.trim_start_matches(['(', '（', '[', '［']);
    let v = v.trim_start_matches(|c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || ('①'..='⑳').contains(&c)
    });
    v.trim_start_matches([')', '）', ']', '］', '.', '．', '、', ':', '：'])
        .trim()
}
