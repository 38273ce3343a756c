//! Uploaded plan sheets: any bytes read as xlsx (a zip of XML) or as CSV (UTF-8 or Shift_JIS) either
//! give cells within the row and column limits or a clear error — never a panic or unbounded memory.
#![no_main]
use kyodo_decode::sheet::{MAX_COLUMNS, MAX_ROWS, Sheet, read_csv, read_xlsx};
use libfuzzer_sys::fuzz_target;

fn bounded(s: &Sheet) {
    assert!(s.rows.len() <= MAX_ROWS + 1);
    assert!(s.rows.iter().all(|r| r.len() <= MAX_COLUMNS));
    // Out-of-range cells read as empty rather than panicking.
    assert_eq!(s.cell(usize::MAX, usize::MAX), "");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(sheets) = read_xlsx(data) {
        sheets.iter().for_each(bounded);
    }
    if let Ok(sheet) = read_csv(data, "fuzz") {
        bounded(&sheet);
    }
});
