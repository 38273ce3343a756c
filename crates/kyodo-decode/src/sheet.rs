//! Spreadsheets as plain text cells: xlsx read with calamine, CSV in UTF-8 (with or without BOM) or
//! Shift_JIS (what Excel in Japan saves by default). Limits keep a hostile file from using unbounded memory.

use crate::archive::check_archive;
pub use crate::archive::{MAX_PART_BYTES, MAX_PARTS, MAX_UNPACKED_BYTES};
use calamine::{Data, Reader};
use std::io::Cursor;

/// Rows of a sheet (title and header rows included).
pub const MAX_ROWS: usize = 100_000;
/// Excel's own limit (column XFD).
pub const MAX_COLUMNS: usize = 16_384;
const MAX_SHEETS: usize = 32;
/// Cells of the grid the rows make, empty ones included (each row is as long as its last value):
/// a few values far to the right on many rows must not become gigabytes of empty cells.
pub const MAX_GRID: usize = 2_000_000;
/// The largest upload an import page takes. The web server applies this very limit to the body,
/// and the pages state it.
pub const MAX_FILE_BYTES: usize = 16 << 20;

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

/// The limit a refusal names, written as its message shows it: `import.too_many_rows` → 100,000.
/// Every refusal for size says which limit was hit.
pub fn limit_of(key: ReadError) -> Option<String> {
    let (n, mb) = match key {
        "import.too_many_rows" => (MAX_ROWS, false),
        "import.too_many_columns" => (MAX_COLUMNS, false),
        "import.too_many_cells" => (MAX_CELLS, false),
        "import.too_large_grid" => (MAX_GRID, false),
        "import.too_many_sheets" => (MAX_SHEETS, false),
        "import.too_many_parts" => (MAX_PARTS, false),
        "import.part_too_large" => (MAX_PART_BYTES as usize, true),
        "import.unpacked_too_large" => (MAX_UNPACKED_BYTES as usize, true),
        "import.file_too_large" => (MAX_FILE_BYTES, true),
        _ => return None,
    };
    Some(if mb {
        format!("{}MB", n >> 20)
    } else {
        grouped(n)
    })
}

fn grouped(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

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

/// Cells with a value, over every sheet (a real evaluation workbook of 400 programmes × 210 columns
/// holds about 84,000).
pub const MAX_CELLS: usize = 1_000_000;

/// Every worksheet of an xlsx file, rows from the sheet's first row (A1) and each row only as long
/// as its last cell with a value. Memory stays bounded whatever the file says: the archive is
/// measured first, and every cell's reference is checked against the caps as it is read, before
/// any grid exists (a two-cell sheet of A1 and XFD1048576 must not become 17 billion cells).
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    check_archive(bytes)?;
    let mut wb: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| "import.not_xlsx")?;
    let names = wb.sheet_names().to_vec();
    if names.len() > MAX_SHEETS {
        return Err("import.too_many_sheets");
    }
    let mut budget = MAX_CELLS;
    let mut grid = MAX_GRID;
    let mut out = Vec::new();
    for name in names {
        if name == DEMO_SHEET {
            continue;
        }
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or macro sheet holds no cells to import.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(_) => return Err("import.not_xlsx"),
        };
        let mut rows: Vec<Vec<String>> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|_| "import.not_xlsx")? {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            if r >= MAX_ROWS {
                return Err("import.too_many_rows");
            }
            if c >= MAX_COLUMNS {
                return Err("import.too_many_columns");
            }
            let text = cell_text(&cell.get_value().clone().into());
            if text.is_empty() {
                continue;
            }
            budget = budget.checked_sub(1).ok_or("import.too_many_cells")?;
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                grid = grid
                    .checked_sub(c + 1 - row.len())
                    .ok_or("import.too_large_grid")?;
                row.resize_with(c + 1, String::new);
            }
            row[c] = text;
        }
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// A cell that Kyodo's CSV writer protected from being taken as a formula (`'=x` for `=x`) reads
/// back as it was written.
fn unquote_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The first row of every CSV a demo organization exports (one cell). The reader drops it, so a
/// demo export imports back like any other.
pub const DEMO_ROW: &str =
    "デモデータ(架空の団体・数値です) / Demonstration data: a fictitious organization";

/// The sheet every workbook a demo organization exports carries, saying so (its cell A1 is
/// [`DEMO_ROW`]). The reader leaves it out, as it drops a CSV's demo row.
pub const DEMO_SHEET: &str = "デモデータ";

/// A CSV file as one sheet named `name`: UTF-8 (with or without a BOM), else Shift_JIS.
pub fn read_csv(bytes: &[u8], name: &str) -> Result<Sheet, ReadError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    // The CSV reader checks each record is UTF-8 as it reads it, so a UTF-8 file is validated
    // once; a record that is not sends the whole file through Shift_JIS.
    let rows = match csv_rows(bytes) {
        Err(CsvError::NotUtf8) => {
            let (s, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
            if bad {
                return Err("import.bad_encoding");
            }
            csv_rows(s.as_bytes())
        }
        other => other,
    };
    let mut rows = rows.map_err(|e| match e {
        CsvError::Refused(key) => key,
        CsvError::NotUtf8 => "import.bad_encoding",
    })?;
    if rows
        .first()
        .is_some_and(|r| r.len() == 1 && r[0] == DEMO_ROW)
    {
        rows.remove(0);
    }
    Ok(Sheet {
        name: name.to_string(),
        rows,
    })
}

enum CsvError {
    NotUtf8,
    Refused(ReadError),
}

/// The records of a CSV text, within the bounds every upload has.
fn csv_rows(text: &[u8]) -> Result<Vec<Vec<String>>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut grid = MAX_GRID;
    for rec in reader.records() {
        let rec = rec.map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { .. } => CsvError::NotUtf8,
            _ => CsvError::Refused("import.bad_csv"),
        })?;
        if rows.len() >= MAX_ROWS {
            return Err(CsvError::Refused("import.too_many_rows"));
        }
        if rec.len() > MAX_COLUMNS {
            return Err(CsvError::Refused("import.too_many_columns"));
        }
        grid = grid
            .checked_sub(rec.len())
            .ok_or(CsvError::Refused("import.too_large_grid"))?;
        rows.push(
            rec.iter()
                .map(|c| unquote_formula(c.trim()).to_string())
                .collect(),
        );
    }
    Ok(rows)
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
        // A cell the CSV writer protected reads back as written; other apostrophes stay.
        let s = read_csv("'=1+1,'-x,'abc,-5\n".as_bytes(), "x").unwrap();
        assert_eq!(s.rows[0], ["=1+1", "-x", "'abc", "-5"]);
    }

    #[test]
    fn a_tidy_workbook_reads_from_a1_with_rows_as_long_as_their_values() {
        use crate::hostile::workbook;
        let wb = workbook(
            r#"<row r="2"><c r="B2" t="inlineStr"><is><t> 番号 </t></is></c><c r="C2"><v>3</v></c></row>"#,
            &[],
        );
        let sheets = read_xlsx(&wb).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].name, "Sheet1");
        assert_eq!(
            sheets[0].rows,
            vec![vec![], vec!["".to_string(), "番号".into(), "3".into()]]
        );
        assert_eq!(sheets[0].cell(1, 1), "番号");
    }

    #[test]
    fn every_hostile_workbook_is_refused_naming_the_limit_it_hit() {
        for (name, bytes) in crate::hostile::all() {
            let res = read_xlsx(&bytes);
            let want = match name {
                n if n.starts_with("garbage") => "import.not_xlsx",
                "corners" | "deep" => "import.too_many_rows",
                "wide" => "import.too_many_columns",
                "bomb" | "padded" => "import.part_too_large",
                "padded_parts" => "import.unpacked_too_large",
                "many_cells" => "import.too_many_cells",
                "sparse_wide" => "import.too_large_grid",
                n => panic!("{n}: say which limit it hits"),
            };
            assert_eq!(res.err(), Some(want), "{name}");
            if want != "import.not_xlsx" {
                assert!(limit_of(want).is_some(), "{want} names its limit");
            }
        }
        assert_eq!(limit_of("import.too_many_rows").as_deref(), Some("100,000"));
        assert_eq!(limit_of("import.file_too_large").as_deref(), Some("16MB"));
    }
}
