//! The xlsx archive checked before calamine opens it: the number of parts, what each unpacks to
//! and in all (a zip bomb is refused while it is counted), and every cell reference in its XML
//! (calamine's arithmetic overflows on one such as `A99999999999999999999`).

use crate::sheet::ReadError;
use std::io::Cursor;

/// Unpacked bytes one part of a workbook may hold, and all parts together: a zip bomb (a small file
/// that unpacks to gigabytes) is refused while it is counted, before anything is unpacked into memory.
pub const MAX_PART_BYTES: u64 = 32 << 20;
pub const MAX_UNPACKED_BYTES: u64 = 64 << 20;
/// Parts an archive may have.
pub const MAX_PARTS: usize = 1_000;

/// Refuses an archive with too many parts, or parts that unpack to more than the caps. Sizes the
/// archive declares can lie, so each part is unpacked into nothing and counted.
pub(crate) fn check_archive(bytes: &[u8]) -> Result<(), ReadError> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| "import.not_xlsx")?;
    if zip.len() > MAX_PARTS {
        return Err("import.too_many_parts");
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| "import.not_xlsx")?;
        if part.size() > MAX_PART_BYTES {
            return Err("import.part_too_large");
        }
        // Every XML part, not only xl/worksheets/: the workbook's relationships may place a sheet
        // anywhere in the archive.
        let is_xml = part.name().is_ok_and(|n| n.ends_with(".xml"));
        let mut refs = is_xml.then(RefCheck::default);
        let mut limited = (&mut part).take(MAX_PART_BYTES + 1);
        let mut buf = [0u8; 16 * 1024];
        let mut n = 0u64;
        loop {
            let got = limited.read(&mut buf).map_err(|_| "import.not_xlsx")?;
            if got == 0 {
                break;
            }
            n += got as u64;
            if let Some(r) = refs.as_mut() {
                buf[..got].iter().try_for_each(|&b| r.feed(b))?;
            }
        }
        total += n;
        if n > MAX_PART_BYTES {
            return Err("import.part_too_large");
        }
        if total > MAX_UNPACKED_BYTES {
            return Err("import.unpacked_too_large");
        }
    }
    Ok(())
}

/// Checks the cell references of a worksheet (`r="B7"`, `ref="A1:C9"`) as its bytes stream by:
/// calamine's arithmetic overflows on a reference such as `A99999999999999999999`, so such a file
/// is refused before calamine sees it.
#[derive(Default)]
struct RefCheck {
    state: RefState,
    name: Vec<u8>,
    value: Vec<u8>,
    after_space: bool,
}

#[derive(Default, PartialEq)]
enum RefState {
    #[default]
    Text,
    Name,
    Equals,
    Quote,
    Value(u8),
}

impl RefCheck {
    fn feed(&mut self, b: u8) -> Result<(), ReadError> {
        let space = b.is_ascii_whitespace();
        match self.state {
            RefState::Text => {
                if self.after_space && b.is_ascii_alphabetic() {
                    self.name.clear();
                    self.name.push(b);
                    self.state = RefState::Name;
                }
            }
            RefState::Name if b.is_ascii_alphabetic() && self.name.len() < 4 => self.name.push(b),
            RefState::Name | RefState::Equals => {
                let wanted = self.name == b"r" || self.name == b"ref";
                self.state = match b {
                    b'=' if wanted => RefState::Quote,
                    _ if space && wanted => RefState::Equals,
                    _ => RefState::Text,
                };
            }
            RefState::Quote => {
                self.state = match b {
                    b'"' | b'\'' => {
                        self.value.clear();
                        RefState::Value(b)
                    }
                    _ if space => RefState::Quote,
                    _ => RefState::Text,
                };
            }
            RefState::Value(q) if b == q => {
                self.state = RefState::Text;
                if !self.value.split(|&c| c == b':').all(plausible_reference) {
                    return Err("import.not_xlsx");
                }
            }
            RefState::Value(_) => {
                if self.value.len() >= 24 {
                    return Err("import.not_xlsx");
                }
                self.value.push(b);
            }
        }
        self.after_space = space;
        Ok(())
    }
}

/// Letters then digits, no more than Excel has (XFD, 1048576).
fn plausible_reference(r: &[u8]) -> bool {
    let letters = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    !r.is_empty() && letters <= 3 && digits.len() <= 7 && digits.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_checked_however_they_are_written() {
        let check = |xml: &str| {
            let mut r = RefCheck::default();
            xml.bytes().try_for_each(|b| r.feed(b))
        };
        assert!(
            check(r#"<dimension ref="A1:XFD1048576"/><row r="3"><c r='B3' s="1"><v>1</v></c>"#)
                .is_ok()
        );
        assert!(check(r#"<c r = "A99999999999999999999">"#).is_err());
        assert!(check("<c\n r=\"ZZZZZZZZ1\">").is_err());
        assert!(check(r#"<dimension ref="A1:A123456789"/>"#).is_err());
        // Other attributes, and text that looks like one, are left alone.
        assert!(check(r#"<c t="s" spans="1:99999999999"><t>r="XXXXX"</t>"#).is_ok());
    }
}
