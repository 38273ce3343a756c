//! A bidding-results list as cities publish it, in either of two shapes: one row per tender
//! (案件番号, 件名, 種別, 入札方式, 開札日, 予定価格, 落札者, 落札額, 入札者数, 落札率), or one row per bid
//! (… 入札者, 入札額, 結果 「落札」「辞退」), where a tender's own cells may be left blank on its
//! later rows as merged cells print. Header on any of the first ten rows; 円 or 千円; 和暦 dates;
//! △, full-width digits. Each row is checked — a 落札額 above the 予定価格 in a competitive
//! tender, a 落札率 column that is not 落札額 ÷ 予定価格, a per-bid tender with two winners — and
//! nothing is read unless every row is right.

use super::{Entry, Method, NewBid};
use crate::LineProblem as Problem;
use crate::finance::cells::{self, find_header, fold, unit_in};
use crate::sheet::Sheet;
use std::collections::BTreeMap;

const NAMES: [(&str, &[&str]); 13] = [
    ("case", &["案件番号", "入札番号", "契約番号", "番号"]),
    (
        "title",
        &["件名", "案件名", "工事名", "業務名", "工事・業務名"],
    ),
    ("kind", &["種別", "業種", "工種"]),
    (
        "method",
        &["入札方式", "契約方法", "方式", "入札・契約方法"],
    ),
    ("date", &["開札日", "入札日", "契約日", "開札年月日"]),
    ("department", &["担当課", "所管課", "発注課", "担当部署"]),
    ("planned", &["予定価格"]),
    ("bidder", &["入札者", "入札業者", "業者名", "商号"]),
    ("bid", &["入札額", "入札金額"]),
    ("result", &["結果", "落札", "備考"]),
    ("winner", &["落札者", "落札業者", "契約者", "契約の相手方"]),
    ("amount", &["落札額", "落札金額", "契約金額"]),
    ("count", &["入札者数", "参加者数", "入札参加者数"]),
];

type Header = (BTreeMap<&'static str, usize>, Option<i64>, Option<usize>);

fn header(row: &[String]) -> Option<Header> {
    let mut cols = BTreeMap::new();
    let (mut unit, mut rate) = (None, None);
    for (i, cell) in row.iter().enumerate() {
        let name = fold(cell);
        let bare = name.split(['(', '（']).next().unwrap_or_default();
        if bare == "落札率" {
            rate = Some(i);
        }
        for (field, names) in NAMES {
            if names.contains(&bare) && !cols.contains_key(field) {
                cols.insert(field, i);
                if unit.is_none() {
                    unit = unit_in(&name);
                }
            }
        }
    }
    let per_bid = cols.contains_key("bidder") && cols.contains_key("bid");
    let per_case = cols.contains_key("winner") && cols.contains_key("amount");
    (["case", "title", "method", "date"]
        .iter()
        .all(|f| cols.contains_key(f))
        && (per_bid || per_case))
        .then_some((cols, unit, rate))
}

/// Reads every tender in the file, or every problem in it.
pub fn read(sheet: &Sheet) -> Result<Vec<NewBid>, Vec<Problem>> {
    let problem = |line: usize, key: &'static str, value: String| Problem { line, key, value };
    let Some((at, (cols, header_unit, rate_col))) = find_header(&sheet.rows, header) else {
        return Err(vec![problem(1, "bids.no_header", String::new())]);
    };
    let title_unit = sheet.rows[..at].iter().flatten().find_map(|c| unit_in(c));
    let unit = header_unit.or(title_unit).unwrap_or(1);
    let per_bid = cols.contains_key("bidder") && cols.contains_key("bid");
    let mut problems = Vec::new();
    // Tenders in file order, and the line each started on.
    let mut bids: Vec<(usize, NewBid, Option<i64>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut last_case = String::new();
    for (i, r) in sheet.rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        let cell = |f: &str| {
            cols.get(f)
                .and_then(|c| r.get(*c))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let money = |f: &str, problems: &mut Vec<Problem>| -> Option<i64> {
            let raw = cell(f);
            if raw.is_empty() || raw == "非公表" {
                return None;
            }
            let v = cells::amount(&raw, unit);
            if v.is_none() {
                problems.push(problem(line, "bids.bad_amount", raw));
            }
            v
        };
        let mut case = cell("case");
        if case.is_empty() && per_bid {
            case = last_case.clone(); // a later bid of the tender above, its cells merged
        }
        if case.is_empty() {
            problems.push(problem(line, "bids.no_case", String::new()));
            continue;
        }
        last_case = case.clone();
        let planned = money("planned", &mut problems);
        let k = match index.get(&case) {
            Some(k) if per_bid => *k,
            Some(_) => {
                problems.push(problem(line, "bids.duplicate_case", case));
                continue;
            }
            None => {
                let method = Method::parse(&cell("method"));
                let date = kyodo_jp::wareki::parse_date(&cell("date")).ok();
                let title = cell("title");
                for (bad, key, value) in [
                    (method.is_none(), "bids.bad_method", cell("method")),
                    (date.is_none(), "bids.bad_date", cell("date")),
                    (title.is_empty(), "bids.no_title", String::new()),
                ] {
                    if bad {
                        problems.push(problem(line, key, value));
                    }
                }
                let (Some(method), Some(opened_on)) = (method, date) else {
                    continue;
                };
                let count = cell("count");
                let bidders = match count.as_str() {
                    "" => 0,
                    c => kyodo_jp::numbers::parse_amount(c)
                        .ok()
                        .flatten()
                        .filter(|n| (0..10_000).contains(n))
                        .unwrap_or_else(|| {
                            problems.push(problem(line, "bids.bad_count", c.to_string()));
                            0
                        }),
                };
                let rate = rate_col
                    .and_then(|c| r.get(c))
                    .map(|v| v.trim().trim_end_matches(['%', '％']).to_string());
                let rate = rate.filter(|v| !v.is_empty()).map(|v| {
                    kyodo_jp::numbers::parse_decimal(&v)
                        .ok()
                        .flatten()
                        .map(|x| (x * 10.0).round() as i64)
                });
                let rate = match rate {
                    Some(None) => {
                        problems.push(problem(line, "bids.bad_rate", String::new()));
                        None
                    }
                    Some(v) => v,
                    None => None,
                };
                bids.push((
                    line,
                    NewBid {
                        case_no: case.clone(),
                        title,
                        kind: cell("kind"),
                        method,
                        department: cell("department"),
                        opened_on,
                        planned_price: planned,
                        winner: cell("winner"),
                        amount: if per_bid {
                            None
                        } else {
                            money("amount", &mut problems)
                        },
                        bidders,
                        entries: Vec::new(),
                    },
                    rate,
                ));
                index.insert(case, bids.len() - 1);
                bids.len() - 1
            }
        };
        if per_bid {
            let bidder = cell("bidder");
            if bidder.is_empty() {
                problems.push(problem(line, "bids.no_bidder", String::new()));
            }
            let amount = money("bid", &mut problems);
            let result = cell("result");
            let b = &mut bids[k].1;
            if fold(&result).contains("落札") {
                if !b.winner.is_empty() {
                    problems.push(problem(line, "bids.two_winners", bidder.clone()));
                }
                b.winner = bidder.clone();
                b.amount = amount;
            }
            b.entries.push(Entry {
                bidder,
                amount,
                result,
            });
            b.bidders = b.entries.len() as i64;
        }
    }
    if bids.is_empty() && problems.is_empty() {
        problems.push(problem(at + 1, "bids.no_rows", String::new()));
    }
    for (line, b, rate) in &bids {
        let competitive = b.method != Method::Negotiated;
        if let (Some(a), Some(p), true) = (b.amount, b.planned_price, competitive)
            && a > p
        {
            problems.push(problem(
                *line,
                "bids.over_planned",
                format!("{}: {a} > {p}", b.case_no),
            ));
        }
        if let (Some(given), Some(computed)) = (rate, b.rate_pm())
            && (given - computed).abs() > 1
        {
            problems.push(problem(
                *line,
                "bids.rate_mismatch",
                format!(
                    "{}: {:.1}% ≠ {:.1}%",
                    b.case_no,
                    *given as f64 / 10.0,
                    computed as f64 / 10.0
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(bids.into_iter().map(|(_, b, _)| b).collect())
    } else {
        Err(problems)
    }
}
