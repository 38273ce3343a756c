//! 添付ファイル — the one place where an uploaded file is checked and stored: the name and type are
//! decided by the server (never the browser's), the size is bounded, and the bytes live under
//! `<data dir>/attachments/<organization>/<id>`, written under a temporary name and renamed so a
//! crash never leaves half a file under a real id. Report attachments (`plans::attachments`) and
//! the documents of consultations and councils ([`documents`]) both store through here.

pub mod documents;

use crate::app::App;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

pub const MAX_BYTES: usize = 1536 * 1024;

/// Allowed extensions and the content type served for them (never the one the browser sent).
const TYPES: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("csv", "text/csv; charset=utf-8"),
    ("txt", "text/plain; charset=utf-8"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
];

/// A file as posted with a form: the field it came in, the name the browser gave, its bytes.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub field: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A file that passed [`check`]: its cleaned name, the type it is served as, and its digest.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    pub content_type: &'static str,
    pub sha256: String,
}

/// The file's name without directories or control characters, at most 100 characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect::<String>()
        .trim()
        .to_string()
}

pub fn content_type_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    TYPES.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Checks a file for `field`: present, of an allowed type, within [`MAX_BYTES`]. A problem is added
/// to `errs` beside the field.
pub fn check(errs: &mut FieldErrors, field: &str, filename: &str, bytes: &[u8]) -> Option<Checked> {
    let name = clean_name(filename);
    let content_type = content_type_of(&name);
    if name.is_empty() || bytes.is_empty() {
        errs.add(field, "attachment.missing");
    } else if bytes.len() > MAX_BYTES {
        errs.add(field, "attachment.too_large");
    } else if let Some(content_type) = content_type {
        return Some(Checked {
            name,
            content_type,
            sha256: hex::encode(Sha256::digest(bytes)),
        });
    } else {
        errs.add(field, "attachment.bad_type");
    }
    None
}

/// What a file sent to the case desk may be: PDF, images, xlsx and docx.
pub const CASE_FILE_TYPES: [&str; 6] = ["pdf", "png", "jpg", "jpeg", "xlsx", "docx"];

/// How each of [`CASE_FILE_TYPES`] begins.
fn starts_as(ext: &str, bytes: &[u8]) -> bool {
    match ext {
        "pdf" => bytes.starts_with(b"%PDF-"),
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => bytes.starts_with(b"\xFF\xD8\xFF"),
        "xlsx" | "docx" => bytes.starts_with(b"PK\x03\x04"),
        _ => false,
    }
}

/// [`check`] for a file from anyone (the case desk): only the `allowed` extensions, and the bytes
/// must begin as that type does, so a renamed program is refused rather than stored.
pub fn check_among(
    errs: &mut FieldErrors,
    field: &str,
    filename: &str,
    bytes: &[u8],
    allowed: &[&str],
) -> Option<Checked> {
    let name = clean_name(filename);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !name.is_empty() && !bytes.is_empty() && bytes.len() <= MAX_BYTES {
        if !allowed.contains(&ext.as_str()) {
            errs.add(field, "attachment.bad_type_case");
            return None;
        }
        if !starts_as(&ext, bytes) {
            errs.add(field, "attachment.not_what_it_says");
            return None;
        }
    }
    check(errs, field, filename, bytes)
}

fn path(app: &App, org: i64, id: i64) -> PathBuf {
    app.config
        .data_dir
        .join("attachments")
        .join(org.to_string())
        .join(id.to_string())
}

/// Writes the bytes of file `id`. Call before the transaction that records it; on a failed commit
/// call [`remove`].
pub async fn store(app: &App, org: i64, id: i64, bytes: &[u8]) -> AppResult<()> {
    let target = path(app, org, id);
    let dir = target.parent().map(PathBuf::from).unwrap_or_default();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    let tmp = dir.join(format!(".{id}.part"));
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(anyhow::Error::from)?;
    tokio::fs::rename(&tmp, &target)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(())
}

/// The bytes of file `id`; a file missing on disk is "not found", never an error page.
pub async fn read(app: &App, org: i64, id: i64) -> AppResult<Vec<u8>> {
    tokio::fs::read(path(app, org, id))
        .await
        .map_err(|_| AppError::NotFound)
}

/// Removes the bytes of file `id` (a failed commit, or a removed document); a missing file is fine.
pub async fn remove(app: &App, org: i64, id: i64) {
    let _ = tokio::fs::remove_file(path(app, org, id)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_are_decided_by_the_server() {
        assert_eq!(clean_name("C:\\Users\\x\\会議録.pdf"), "会議録.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\u{0}.txt"), "ab.txt");
        assert_eq!(content_type_of("会議録.PDF"), Some("application/pdf"));
        assert_eq!(content_type_of("x.html"), None);
        assert_eq!(content_type_of("x.svg"), None, "SVG can carry scripts");
        assert_eq!(content_type_of("noext"), None);
    }

    #[test]
    fn check_reports_each_problem_beside_the_field() {
        let mut errs = FieldErrors::default();
        assert!(check(&mut errs, "a", "", b"x").is_none());
        assert!(check(&mut errs, "b", "x.exe", b"x").is_none());
        assert!(check(&mut errs, "c", "x.pdf", &vec![0; MAX_BYTES + 1]).is_none());
        let ok = check(&mut errs, "d", "dir/資料.pdf", b"%PDF").expect("a small PDF passes");
        assert_eq!(
            (ok.name.as_str(), ok.content_type),
            ("資料.pdf", "application/pdf")
        );
        assert_eq!(errs.get("a"), Some("attachment.missing"));
        assert_eq!(errs.get("b"), Some("attachment.bad_type"));
        assert_eq!(errs.get("c"), Some("attachment.too_large"));
        assert_eq!(errs.get("d"), None);
    }

    #[test]
    fn a_case_file_must_be_of_the_allowed_types_and_look_like_one() {
        let mut errs = FieldErrors::default();
        let types = &CASE_FILE_TYPES;
        assert!(check_among(&mut errs, "a", "memo.txt", b"hello", types).is_none());
        assert!(check_among(&mut errs, "b", "invoice.pdf", b"MZ\x90\x00", types).is_none());
        assert!(
            check_among(&mut errs, "c", "big.pdf", &vec![b'%'; MAX_BYTES + 1], types).is_none()
        );
        assert!(check_among(&mut errs, "d", "", b"", types).is_none());
        let pdf = check_among(&mut errs, "e", "申請書.PDF", b"%PDF-1.7", types);
        let png = check_among(&mut errs, "f", "p.png", b"\x89PNG\r\n\x1a\n..", types);
        let xlsx = check_among(&mut errs, "g", "表.xlsx", b"PK\x03\x04..", types);
        assert_eq!(errs.get("a"), Some("attachment.bad_type_case"));
        assert_eq!(errs.get("b"), Some("attachment.not_what_it_says"));
        assert_eq!(errs.get("c"), Some("attachment.too_large"));
        assert_eq!(errs.get("d"), Some("attachment.missing"));
        assert_eq!(pdf.map(|c| c.content_type), Some("application/pdf"));
        assert_eq!(png.map(|c| c.content_type), Some("image/png"));
        assert!(xlsx.is_some());
        assert_eq!(
            (errs.get("e"), errs.get("f"), errs.get("g")),
            (None, None, None)
        );
    }
}
