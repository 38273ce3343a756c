//! Spreadsheets as plain text cells: xlsx read with calamine, CSV in UTF-8 (with or without BOM) or
//! Shift_JIS (what Excel in Japan saves by default). Limits keep a hostile file from using unbounded memory.

use calamine::{Data, Reader};
use std::io::Cursor;

pub const MAX_ROWS: usize = 20_000;
pub const MAX_COLUMNS: usize = 200;
const MAX_SHEETS: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// Rows of cells; row 0 is the sheet's first row (Excel row 1).
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map(|s| s.as_str())
            .unwrap_or("")
    }
}

/// Why a file could not be read at all (a catalogue key).
pub type ReadError = &'static str;

/// `A`, `B`, … `Z`, `AA` — the column name Excel shows for a 0-based index.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "1".into()
            } else {
                "0".into()
            }
        }
        Data::DateTime(dt) => {
            // Excel serial date (days since 1899-12-30).
            let days = dt.as_f64().floor() as i64;
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(chrono::Duration::days(days)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Every worksheet of an xlsx file.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let mut wb =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| "import.not_xlsx")?;
    let names = wb.sheet_names().to_vec();
    if names.len() > MAX_SHEETS {
        return Err("import.too_large");
    }
    let mut out = Vec::new();
    for name in names {
        let range = wb.worksheet_range(&name).map_err(|_| "import.not_xlsx")?;
        let (h, w) = range.get_size();
        if h > MAX_ROWS || w > MAX_COLUMNS {
            return Err("import.too_large");
        }
        let rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// A CSV file as one sheet named `name`.
pub fn read_csv(bytes: &[u8], name: &str) -> Result<Sheet, ReadError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (s, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
            if bad {
                return Err("import.bad_encoding");
            }
            s.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|_| "import.bad_csv")?;
        if rows.len() >= MAX_ROWS || rec.len() > MAX_COLUMNS {
            return Err("import.too_large");
        }
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(Sheet {
        name: name.to_string(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn csv_in_utf8_with_bom_and_in_shift_jis() {
        let utf8 = "\u{feff}番号,項目名\n1,市民協働\n".as_bytes();
        let s = read_csv(utf8, "計画").unwrap();
        assert_eq!(
            s.rows,
            vec![
                vec!["番号".to_string(), "項目名".into()],
                vec!["1".into(), "市民協働".into()]
            ]
        );
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("番号,項目名\n1,市民協働\n");
        assert_eq!(read_csv(&sjis, "計画").unwrap().rows, s.rows);
        assert_eq!(
            read_csv(&[0x82, 0x0a, 0x41], "x"), // a lead byte without its trail byte
            Err("import.bad_encoding")
        );
        assert_eq!(read_xlsx(b"not a zip"), Err("import.not_xlsx"));
    }
}
