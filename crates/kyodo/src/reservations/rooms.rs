//! Adding a room with its fee table, typed as a city keeps it: one slot per line, `code, label,
//! start, end, 市内, 市外, 営利` (commas, or tabs as pasted from a sheet; full-width digits, 円, and
//! thousands separators in tab-separated lines). A line with a missing fee, a time that cannot be read, an end before its start or
//! slots that overlap is reported by line, and nothing is saved.

use super::facilities::{self, insert_room};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RoomForm {
    pub facility: String,
    pub name: String,
    pub capacity: String,
    pub equipment: String,
    /// One slot per line: code, label, start, end, 市内, 市外, 営利.
    pub slots: String,
}

/// A slot line as read: (code, label, start, end, [fees]).
pub type SlotLine = (String, String, String, String, [i64; 3]);

/// "9:00", "９：００", "9時" → "09:00".
fn time(raw: &str) -> Option<String> {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' | '時' => ':',
            c => c,
        })
        .collect();
    let s = s.trim_end_matches(':');
    let (h, m) = s.split_once(':').unwrap_or((s, "0"));
    let (h, m): (u32, u32) = (
        h.trim().parse().ok()?,
        if m.trim().is_empty() {
            0
        } else {
            m.trim().parse().ok()?
        },
    );
    (h <= 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Reads the fee table; every problem as (line, message key).
pub fn read_slots(text: &str) -> Result<Vec<SlotLine>, Vec<(usize, &'static str)>> {
    let mut out: Vec<SlotLine> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        // Tab-separated (pasted from a sheet, thousands separators kept) or comma-separated.
        let cells: Vec<String> = if line.contains('\t') {
            line.split('\t').map(|c| c.trim().to_string()).collect()
        } else {
            line.split([',', '，'])
                .map(|c| c.trim().to_string())
                .collect()
        };
        if cells.len() < 7 || cells.iter().take(7).any(String::is_empty) {
            problems.push((n, "rsv.slot_missing"));
            continue;
        }
        let (Some(start), Some(end)) = (time(&cells[2]), time(&cells[3])) else {
            problems.push((n, "rsv.slot_bad_time"));
            continue;
        };
        if end <= start {
            problems.push((n, "rsv.slot_reversed"));
            continue;
        }
        let fee = |c: &str| {
            kyodo_jp::numbers::parse_amount(c.trim_end_matches('円'))
                .ok()
                .flatten()
                .filter(|v| *v >= 0)
        };
        let (Some(a), Some(b), Some(c)) = (fee(&cells[4]), fee(&cells[5]), fee(&cells[6])) else {
            problems.push((n, "rsv.slot_bad_fee"));
            continue;
        };
        if out.iter().any(|o| o.0 == cells[0]) {
            problems.push((n, "rsv.slot_duplicate"));
            continue;
        }
        if out.iter().any(|o| o.2 < end && start < o.3) {
            problems.push((n, "rsv.slot_overlap"));
            continue;
        }
        out.push((cells[0].clone(), cells[1].clone(), start, end, [a, b, c]));
    }
    if out.is_empty() && problems.is_empty() {
        problems.push((1, "rsv.slot_none"));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Adds a room with its slots. A fee table with problems is refused on the field `slots` with
/// the first line's message (the page lists every line, from [`read_slots`]).
pub async fn add(app: &App, org: i64, staff: i64, f: &RoomForm) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let facility = f.facility.trim().parse::<i64>().unwrap_or(0);
    if facilities::get(&app.db, org, facility).await?.is_none() {
        errs.add("facility", "field.bad_choice");
    }
    let name = errs.text("name", &f.name, 100);
    let capacity = kyodo_jp::numbers::parse_amount(&f.capacity)
        .ok()
        .flatten()
        .filter(|c| *c >= 1);
    if capacity.is_none() {
        errs.add("capacity", "rsv.bad_capacity");
    }
    let equipment = errs.optional_text("equipment", &f.equipment, 200);
    let slots = read_slots(&f.slots);
    if let Err(p) = &slots {
        errs.add("slots", p.first().map_or("rsv.slot_none", |x| x.1));
    }
    errs.into_result()?;
    let slots = slots.unwrap_or_default();
    let refs: Vec<(&str, &str, &str, &str, [i64; 3])> = slots
        .iter()
        .map(|(c, l, a, b, fees)| (c.as_str(), l.as_str(), a.as_str(), b.as_str(), *fees))
        .collect();
    let mut tx = app.begin_write().await?;
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM rsv_rooms WHERE organization_id = $1 AND facility_id = $2 AND name = $3",
    )
    .bind(org)
    .bind(facility)
    .bind(&name)
    .fetch_optional(&mut *tx)
    .await?;
    if exists.is_some() {
        let mut e = FieldErrors::default();
        e.add("name", "rsv.room_exists");
        return Err(AppError::Invalid(e));
    }
    let id = insert_room(
        &mut tx,
        org,
        facility,
        (&name, capacity.unwrap_or(1), None, &equipment, 99),
        &refs,
    )
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.room_add",
            target_type: "room",
            target_id: id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({ "facility": facility, "name": name, "slots": slots.len() }),
            ),
        },
    )
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_tables_as_typed_with_each_problem_by_line() {
        let ok = "am,午前,9:00,12:00,2100,4200,6300\npm\t午後\t１３：００\t１７時\t2,800円\t5,600\t8,400\n";
        let slots = read_slots(ok).unwrap();
        assert_eq!(
            slots[1],
            (
                "pm".into(),
                "午後".into(),
                "13:00".into(),
                "17:00".into(),
                [2_800, 5_600, 8_400]
            )
        );
        let bad = "am,午前,9:00,12:00,2100,,6300\npm,午後,13:00,12:00,1,2,3\nev,夜,18:00,21:00,1,2,△3\nx,x,10:00,13:00,1,2,3\nx,再,22:00,23:00,1,2,3\n";
        assert_eq!(
            read_slots(bad).unwrap_err(),
            vec![
                (1, "rsv.slot_missing"),
                (2, "rsv.slot_reversed"),
                (3, "rsv.slot_bad_fee"),
                (5, "rsv.slot_duplicate")
            ]
        );
        assert_eq!(
            read_slots("am,午前,9:00,12:00,1,2,3\npm,午後,11:00,13:00,1,2,3").unwrap_err(),
            vec![(2, "rsv.slot_overlap")]
        );
        assert_eq!(read_slots("").unwrap_err(), vec![(1, "rsv.slot_none")]);
    }
}
