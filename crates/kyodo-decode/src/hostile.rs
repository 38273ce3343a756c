//! Hostile workbooks, built byte by byte: the shapes an attacker (or a broken exporter) sends to
//! an import. Tests of the decoder and of the running server, and the fuzz seeds, use the same set.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A one-sheet workbook whose sheet XML is `sheet_data` (the inside of `<sheetData>`), with any
/// extra parts added as given.
pub fn workbook(sheet_data: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    workbook_at("worksheets/sheet1.xml", sheet_data, extra)
}

/// As [`workbook`], with the sheet at `xl/<path>` (a workbook's relationships may put it anywhere).
fn workbook_at(path: &str, sheet_data: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let rels = WORKBOOK_RELS.replace("worksheets/sheet1.xml", path);
    let part = format!("xl/{path}");
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        (part.as_str(), sheet.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    zip_of(&parts)
}

#[expect(
    clippy::expect_used,
    reason = "a zip written into a Vec in memory has no I/O to fail; these are test fixtures"
)]
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).expect("in memory");
        zip.write_all(bytes).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}

fn inline(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Every hostile workbook, by name. None may take more than a bounded amount of memory to refuse.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    // The probe's file: two cells at opposite corners of the largest sheet Excel allows.
    let corners = workbook(
        &format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            inline("A1", "x"),
            inline("XFD1048576", "y")
        ),
        &[],
    );
    // A cell far down in the first column, and one far to the right in the first row.
    let deep = workbook(
        &format!(r#"<row r="900000">{}</row>"#, inline("A900000", "x")),
        &[],
    );
    // One column past Excel's last (XFD).
    let wide = workbook(&format!(r#"<row r="1">{}</row>"#, inline("XFE1", "x")), &[]);
    // A value at the far right of each of 150 rows: few values, a grid of 2.4 million cells.
    let sparse: String = (1..=150)
        .map(|r| format!(r#"<row r="{r}">{}</row>"#, inline(&format!("XFA{r}"), "x")))
        .collect();
    let sparse_wide = workbook(&sparse, &[]);
    // 1 GiB of sheet XML that deflates to about a megabyte.
    let mut bomb_sheet = String::with_capacity(64 << 20);
    let cell = inline("A1", "x");
    while bomb_sheet.len() < (48 << 20) {
        bomb_sheet.push_str(&cell);
    }
    let bomb = workbook(&format!("<row r=\"1\">{bomb_sheet}</row>"), &[]);
    // A part beside the sheet that unpacks to 40 MiB of nothing (counted, never kept).
    let filler = vec![b' '; 40 << 20];
    let padded = workbook(
        &format!(r#"<row r="1">{}</row>"#, inline("A1", "x")),
        &[("xl/filler.bin", &filler), ("xl/filler2.bin", &filler)],
    );
    // Parts each within the part limit that together unpack past the total.
    let third = vec![b' '; 30 << 20];
    let padded_parts = workbook(
        &format!(r#"<row r="1">{}</row>"#, inline("A1", "x")),
        &[
            ("xl/a.bin", &third),
            ("xl/b.bin", &third),
            ("xl/c.bin", &third),
        ],
    );
    // A row or column reference that is not a number at all.
    let garbage_ref = workbook(
        r#"<row r="1"><c r="A99999999999999999999"><v>1</v></c></row>"#,
        &[],
    );
    // The same, with the sheet outside xl/worksheets/.
    let garbage_elsewhere = workbook_at(
        "data/s.xml",
        r#"<row r="1"><c r="ZZZZZZZZ1"><v>1</v></c></row>"#,
        &[],
    );
    // More cells with values than any city's workbook has, each inside the row and column caps
    // (cells may omit their reference: they follow the one before).
    let row = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(180));
    let many = row.repeat(6_000);
    let many_cells = workbook(&many, &[]);
    vec![
        ("corners", corners),
        ("deep", deep),
        ("wide", wide),
        ("bomb", bomb),
        ("padded", padded),
        ("padded_parts", padded_parts),
        ("sparse_wide", sparse_wide),
        ("garbage_ref", garbage_ref),
        ("garbage_elsewhere", garbage_elsewhere),
        ("many_cells", many_cells),
    ]
}
