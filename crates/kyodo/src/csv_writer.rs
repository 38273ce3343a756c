//! The one CSV writer: every CSV Kyodo sends (open data, exports, the audit log, survey responses)
//! is written here, so every cell is neutralised the same way. UTF-8 with a BOM (Excel in Japan
//! opens it correctly).
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel
//! and LibreOffice (`=HYPERLINK(…)` in a citizen's answer would become a live link on a staff
//! member's machine). Such a cell is written with a leading `'`, which spreadsheets show as text;
//! a plain number (`-12`, `+3.5`, `-1,200`) is data and is left alone. `kyodo_decode::sheet::read_csv`
//! removes the `'` again, so Kyodo's own exports import back unchanged.

use std::borrow::Cow;

pub const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// The cell as it is safe to write.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell
        .strip_prefix(['-', '+'])
        .unwrap_or(cell)
        .replace(',', "");
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.parse::<f64>().is_ok()
}

/// One record as a CSV line (streams write line by line).
pub fn line<S: AsRef<str>>(fields: &[S]) -> Vec<u8> {
    let mut w = Writer::plain();
    w.record(fields);
    w.into_bytes()
}

/// Records into memory; `with_bom` starts the bytes with the BOM.
pub struct Writer(csv::Writer<Vec<u8>>);

impl Writer {
    pub fn with_bom() -> Self {
        Self(
            csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(BOM.to_vec()),
        )
    }

    pub fn plain() -> Self {
        Self(
            csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new()),
        )
    }

    pub fn record<S: AsRef<str>>(&mut self, fields: &[S]) {
        // Writing into a Vec cannot fail.
        let _ = self
            .0
            .write_record(fields.iter().map(|f| neutralise(f.as_ref()).into_owned()));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        let cells = [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+81-3",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\r=1",
            "-12",
            "+3.5",
            "-1,200",
            "市民協働",
            "",
        ];
        let out: Vec<_> = cells.iter().map(|c| neutralise(c).into_owned()).collect();
        assert_eq!(
            out,
            [
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
                "'+81-3",
                "'-2+3",
                "'@SUM(A1)",
                "'\tx",
                "'\r=1",
                "-12",
                "+3.5",
                "-1,200",
                "市民協働",
                "",
            ]
        );
        let mut w = Writer::with_bom();
        w.record(&["=1+1", "a,b"]);
        assert_eq!(w.into_bytes(), "\u{feff}'=1+1,\"a,b\"\n".as_bytes());
        assert_eq!(line(&["@x"]), b"'@x\n");
    }

    /// One engine per job: no other file writes CSV. Fails naming the file that does.
    #[test]
    fn no_other_csv_writer() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("csv_writer.rs")
                    && std::fs::read_to_string(&path)
                        .unwrap()
                        .contains(concat!("csv::", "Writer"))
                {
                    found.push(path.display().to_string());
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(
            found.is_empty(),
            "CSV written outside csv_writer.rs: {found:?}"
        );
    }
}
