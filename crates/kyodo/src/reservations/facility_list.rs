//! 公共施設一覧 — the national recommended open-data layout for public facilities (推奨データセット),
//! written for export and read for import. Files as cities have them: a title row above the
//! headers, full-width digits, opening days written 月～金 or 月火水木金土, free-text hours kept
//! as written. Every row is checked first (a missing 名称 or 住所 is reported by line); nothing is
//! written unless all are good, then all in one transaction. A facility already in Kyodo (same
//! 名称) is updated, never duplicated.

use super::facilities::{Facility, NewFacility};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use kyodo_decode::sheet::Sheet;
use std::collections::HashMap;

/// The columns of the 公共施設一覧 (original format), in order.
pub const COLUMNS: [&str; 24] = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "名称_通称",
    "POIコード",
    "住所",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "法人番号",
    "団体名",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "説明",
    "バリアフリー情報",
    "URL",
    "備考",
];

const WEEKDAYS: [char; 7] = ['月', '火', '水', '木', '金', '土', '日'];

/// One row of the list for a facility.
pub fn row(org_code: &str, city: &str, n: usize, f: &Facility) -> Vec<String> {
    let open: String = WEEKDAYS
        .iter()
        .enumerate()
        .filter(|(i, _)| !f.closed_on_weekday(*i as u32 + 1))
        .map(|(_, c)| *c)
        .collect();
    let (start, end) = f
        .hours
        .split_once(['〜', '~', '～', '-'])
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .unwrap_or_default();
    let manager = if f.manager_kind == "designated" {
        f.manager_name.clone()
    } else {
        String::new()
    };
    let mut cells = vec![String::new(); COLUMNS.len()];
    for (col, value) in [
        (0, org_code.to_string()),
        (1, n.to_string()),
        (3, city.to_string()),
        (4, f.name.clone()),
        (5, f.kana.clone()),
        (8, f.address.clone()),
        (12, f.contact.clone()),
        (15, manager),
        (16, open),
        (17, start),
        (18, end),
    ] {
        cells[col] = value;
    }
    if f.hours.is_empty() || cells[17].is_empty() {
        cells[19] = f.hours.clone();
    }
    cells
}

pub use crate::validation::LineProblem as Problem;

/// Full-width ASCII to half-width and trimmed (headers, digits, times).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The weekdays a facility is closed, from its opening days as written: `月火水木金`, `月～金`,
/// `火曜日から日曜日`, `毎日` (empty: not stated, nothing closed); `None` when it cannot be read.
pub fn closed_weekdays(open: &str) -> Option<String> {
    let s = fold(open).replace("曜日", "").replace("曜", "");
    if s.is_empty() || s.contains("毎日") || s.contains("全日") {
        return Some(String::new());
    }
    let idx = |c: char| WEEKDAYS.iter().position(|w| *w == c);
    let mut open_days = [false; 7];
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut i = 0;
    while i < chars.len() {
        match idx(chars[i]) {
            Some(a) => {
                // A range: 月～金, 月-金, 火から日.
                let rest: String = chars[i + 1..].iter().collect();
                let after = ["～", "〜", "~", "-", "から", "−", "ー"]
                    .iter()
                    .find_map(|sep| rest.strip_prefix(sep).map(|r| (sep.chars().count(), r)));
                if let Some((skip, r)) = after
                    && let Some(b) = r.chars().next().and_then(idx)
                {
                    let mut d = a;
                    loop {
                        open_days[d] = true;
                        if d == b {
                            break;
                        }
                        d = (d + 1) % 7;
                    }
                    i += 1 + skip + 1;
                    continue;
                }
                open_days[a] = true;
            }
            None if "・、,/祝休日".contains(chars[i]) => {}
            None => return None,
        }
        i += 1;
    }
    Some(
        (0..7)
            .filter(|d| !open_days[*d])
            .map(|d| (d + 1).to_string())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// Checks every row; the facilities to write (with their lines) or every problem.
pub fn plan(sheet: &Sheet) -> Result<Vec<(usize, NewFacility)>, Vec<Problem>> {
    let problem = |line, key, value: &str| Problem {
        line,
        key,
        value: value.to_string(),
    };
    let header = |row: &[String]| -> HashMap<String, usize> {
        row.iter()
            .enumerate()
            .map(|(i, c)| (fold(c).replace(' ', ""), i))
            .collect()
    };
    let Some((at, cols)) = sheet.rows.iter().take(10).enumerate().find_map(|(i, r)| {
        let h = header(r);
        (h.contains_key("名称") && h.contains_key("住所")).then_some((i, h))
    }) else {
        return Err(vec![problem(1, "rsv.import_no_header", "")]);
    };
    let get = |row: &[String], name: &str| {
        cols.get(name)
            .and_then(|i| row.get(*i))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut out: Vec<(usize, NewFacility)> = Vec::new();
    for (i, row) in sheet.rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = get(row, "名称");
        let address = get(row, "住所");
        if name.is_empty() {
            problems.push(problem(line, "rsv.import_no_name", &address));
            continue;
        }
        if address.is_empty() {
            problems.push(problem(line, "rsv.import_no_address", &name));
            continue;
        }
        if out.iter().any(|(_, f)| f.name == name) {
            problems.push(problem(line, "rsv.import_duplicate", &name));
            continue;
        }
        let days = get(row, "利用可能曜日");
        let Some(closed) = closed_weekdays(&days) else {
            problems.push(problem(line, "rsv.import_bad_days", &days));
            continue;
        };
        let (start, end) = (fold(&get(row, "開始時間")), fold(&get(row, "終了時間")));
        let hours = match (start.is_empty(), end.is_empty()) {
            (false, false) => format!("{start}〜{end}"),
            _ => get(row, "利用可能日時特記事項"),
        };
        let manager = get(row, "団体名");
        out.push((
            line,
            NewFacility {
                name,
                kana: get(row, "名称_カナ"),
                address: [address, get(row, "方書")].join(" ").trim().to_string(),
                hours,
                closed_weekdays: closed,
                contact: fold(&get(row, "電話番号")),
                manager_kind: if manager.is_empty() {
                    "direct"
                } else {
                    "designated"
                }
                .into(),
                manager_name: manager,
            },
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Writes the checked facilities in one transaction: new names are added, known ones updated.
/// Returns (added, updated).
pub async fn apply(
    app: &App,
    org: i64,
    actor: &Actor,
    rows: &[(usize, NewFacility)],
) -> anyhow::Result<(usize, usize)> {
    let mut tx = app.begin_write().await?;
    crate::db::serialize(&mut tx, org, "import.facilities").await?;
    let (mut added, mut updated) = (0, 0);
    for (_, f) in rows {
        let done = sqlx::query(
            "UPDATE rsv_facilities SET kana = $1, address = $2, hours = $3, closed_weekdays = $4, contact = $5, \
             manager_kind = $6, manager_name = $7 WHERE organization_id = $8 AND name = $9",
        )
        .bind(&f.kana)
        .bind(&f.address)
        .bind(&f.hours)
        .bind(&f.closed_weekdays)
        .bind(&f.contact)
        .bind(&f.manager_kind)
        .bind(&f.manager_name)
        .bind(org)
        .bind(&f.name)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            super::facilities::insert_facility(&mut tx, org, f, false).await?;
            added += 1;
        } else {
            updated += 1;
        }
    }
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "reservations.import_facilities",
            target_type: "organization",
            target_id: org.to_string(),
            before: None,
            after: Some(serde_json::json!({ "added": added, "updated": updated })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((added, updated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_days_as_cities_write_them() {
        assert_eq!(closed_weekdays("月火水木金").unwrap(), "6,7");
        assert_eq!(closed_weekdays("月～金").unwrap(), "6,7");
        assert_eq!(closed_weekdays("火曜日から日曜日").unwrap(), "1");
        assert_eq!(closed_weekdays("火〜日・祝日").unwrap(), "1");
        assert_eq!(closed_weekdays("金～月").unwrap(), "2,3,4");
        assert_eq!(closed_weekdays("毎日").unwrap(), "");
        assert_eq!(closed_weekdays("").unwrap(), "");
        assert!(closed_weekdays("平日のみ").is_none());
    }
}
