//! The checks a set of statements must pass: each line with lines under it (by `parent_code`)
//! equals their sum, each NW row's 合計 equals its two columns, and the identities within and
//! across the statements. The import refuses a set failing any; the page shows each identity
//! with both sides, so a citizen sees the statements agree.

use super::{FIXED, SURPLUS, StLine, Statement, TOTAL};
use crate::finance::cells::fold;
use std::collections::HashMap;

/// A term of an identity: a line found by its printed names, added or subtracted; `abs` for the
/// NW's 純行政コスト, which some cities print as △ and some as a positive cost.
struct Term {
    statement: Statement,
    names: &'static [&'static str],
    sign: i64,
    abs: bool,
}

const fn term(statement: Statement, names: &'static [&'static str], sign: i64) -> Term {
    Term {
        statement,
        names,
        sign,
        abs: false,
    }
}

use Statement::{Bs, Cf, Nw, Pl};

const ASSETS: &[&str] = &["資産合計", "資産の部合計"];
const LIABILITIES: &[&str] = &["負債合計", "負債の部合計"];
const NET_ASSETS: &[&str] = &["純資産合計", "純資産の部合計"];
const NET_COST: &[&str] = &["純行政コスト"];
const NET_ORDINARY: &[&str] = &["純経常行政コスト"];
const NW_CLOSING: &[&str] = &["本年度末純資産残高", "期末純資産残高"];
const CF_CLOSING: &[&str] = &["本年度末資金残高", "期末資金残高"];

/// Each identity: its catalogue key, the line on the left, the terms summed on the right.
const IDENTITIES: [(&str, Term, &[Term]); 8] = [
    (
        "fst.id_bs_balance",
        term(Bs, ASSETS, 1),
        &[term(Bs, LIABILITIES, 1), term(Bs, NET_ASSETS, 1)],
    ),
    (
        "fst.id_pl_ordinary",
        term(Pl, NET_ORDINARY, 1),
        &[term(Pl, &["経常費用"], 1), term(Pl, &["経常収益"], -1)],
    ),
    (
        "fst.id_pl_net",
        term(Pl, NET_COST, 1),
        &[
            term(Pl, NET_ORDINARY, 1),
            term(Pl, &["臨時損失"], 1),
            term(Pl, &["臨時利益"], -1),
        ],
    ),
    (
        "fst.id_pl_nw",
        term(Pl, NET_COST, 1),
        &[Term {
            statement: Nw,
            names: NET_COST,
            sign: 1,
            abs: true,
        }],
    ),
    (
        "fst.id_nw_closing",
        term(Nw, NW_CLOSING, 1),
        &[
            term(Nw, &["前年度末純資産残高", "期首純資産残高"], 1),
            term(Nw, &["本年度純資産変動額"], 1),
        ],
    ),
    (
        "fst.id_nw_bs",
        term(Nw, NW_CLOSING, 1),
        &[term(Bs, NET_ASSETS, 1)],
    ),
    (
        "fst.id_cf_closing",
        term(Cf, CF_CLOSING, 1),
        &[
            term(Cf, &["前年度末資金残高", "期首資金残高"], 1),
            term(Cf, &["本年度資金収支額"], 1),
        ],
    ),
    (
        "fst.id_cf_bs",
        term(Cf, CF_CLOSING, 1),
        &[
            term(Bs, &["現金預金"], 1),
            term(Cf, &["本年度末歳計外現金残高", "期末歳計外現金残高"], -1),
        ],
    ),
];

/// A name as printed, without spaces, full-width letters or a 「(△)」 marking a subtraction.
pub fn bare(name: &str) -> String {
    fold(name).replace("(△)", "").replace('△', "")
}

/// An identity's outcome: both sides, and the index of its left line (for the problem's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub key: &'static str,
    pub left: i64,
    pub right: i64,
    pub at: usize,
}

impl Identity {
    pub fn holds(&self) -> bool {
        self.left == self.right
    }
}

/// Each identity checked, or the first line it needs that the set lacks: (statement, name).
pub fn identities(lines: &[StLine]) -> Vec<Result<Identity, (Statement, &'static str)>> {
    let index: HashMap<(Statement, String), usize> = lines
        .iter()
        .enumerate()
        .rev() // the first line of a name wins
        .filter(|(_, l)| l.column == TOTAL)
        .map(|(i, l)| ((l.statement, bare(&l.name)), i))
        .collect();
    let find = |t: &Term| {
        t.names
            .iter()
            .find_map(|n| index.get(&(t.statement, (*n).to_string())).copied())
            .ok_or((t.statement, t.names[0]))
    };
    let value = |t: &Term, i: usize| {
        let v = i128::from(lines[i].amount);
        (if t.abs { v.abs() } else { v }) * i128::from(t.sign)
    };
    IDENTITIES
        .iter()
        .map(|(key, left, right)| {
            let at = find(left)?;
            let mut sum = 0i128;
            for t in right.iter() {
                sum += value(t, find(t)?);
            }
            Ok(Identity {
                key,
                left: lines[at].amount,
                // Within i64: every amount is bounded by MAX_AMOUNT, and at most three summed.
                right: i64::try_from(sum).unwrap_or(i64::MAX),
                at,
            })
        })
        .collect()
}

/// A line whose stated amount is not what the lines under it (or, for an NW 合計, its two
/// columns) sum to: (index, stated, sum).
pub fn totals(lines: &[StLine]) -> Vec<(usize, i64, i128)> {
    let mut children: HashMap<(Statement, &str, &str), i128> = HashMap::new();
    let mut columns: HashMap<(&str, &str), i128> = HashMap::new();
    for l in lines {
        if !l.parent.is_empty() {
            *children
                .entry((l.statement, l.column, l.parent.as_str()))
                .or_default() += i128::from(l.amount);
        }
        if l.statement == Nw && (l.column == FIXED || l.column == SURPLUS) {
            *columns
                .entry((l.code.as_str(), l.name.as_str()))
                .or_default() += i128::from(l.amount);
        }
    }
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let stated = i128::from(l.amount);
        if let Some(sum) = children.get(&(l.statement, l.column, l.code.as_str()))
            && *sum != stated
        {
            out.push((i, l.amount, *sum));
        }
        if l.statement == Nw
            && l.column == TOTAL
            && let Some(sum) = columns.get(&(l.code.as_str(), l.name.as_str()))
            && *sum != stated
        {
            out.push((i, l.amount, *sum));
        }
    }
    out
}
