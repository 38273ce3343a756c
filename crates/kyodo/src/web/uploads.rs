//! Reading uploaded spreadsheets. Decoding is CPU work on untrusted bytes: it runs on a blocking
//! thread (never on the async workers that serve every tenant), one file at a time per
//! organization and at most two at once in the process, so the decoder's memory caps
//! (`kyodo_decode::sheet`) bound what imports can take together.

use kyodo_decode::sheet::{self, ReadError, Sheet};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

const AT_ONCE: usize = 2;

/// The message for a refused file, naming the limit it hit (「行数が上限(100,000行)を超えています」).
pub fn refusal(t: crate::i18n::Tr, key: &'static str) -> String {
    match sheet::limit_of(key) {
        Some(limit) => t.f(key, &[&limit]),
        None => t.t(key).to_string(),
    }
}

/// 「xlsx または CSV。16MBまで。」 — the hint beside a file field, with the limit the server applies.
pub fn file_hint(t: crate::i18n::Tr, key: &str) -> String {
    t.f(
        key,
        &[&sheet::limit_of("import.file_too_large").unwrap_or_default()],
    )
}

/// Why an upload cannot be read before it is decoded: no file, or over the size limit.
pub fn file_of(
    upload: &mut crate::web::extract::Upload,
) -> Result<(String, Vec<u8>), &'static str> {
    if upload.too_large {
        return Err("import.file_too_large");
    }
    match upload.file.take() {
        Some((_, b)) if b.is_empty() => Err("import.no_file"),
        Some((_, b)) if b.len() > sheet::MAX_FILE_BYTES => Err("import.file_too_large"),
        Some(f) => Ok(f),
        None => Err("import.no_file"),
    }
}

pub struct ImportGate {
    process: Semaphore,
    per_org: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for ImportGate {
    fn default() -> Self {
        Self {
            process: Semaphore::new(AT_ONCE),
            per_org: Mutex::default(),
        }
    }
}

impl ImportGate {
    /// The sheets of an uploaded file: CSV (as one sheet named `csv_sheet`) by its name, else xlsx.
    pub async fn read(
        &self,
        org: i64,
        file_name: &str,
        bytes: Vec<u8>,
        csv_sheet: &'static str,
    ) -> Result<Vec<Sheet>, ReadError> {
        let org_lock = {
            let mut map = self.per_org.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(org).or_default().clone()
        };
        let _org_turn = org_lock.lock().await;
        let _permit = self
            .process
            .acquire()
            .await
            .map_err(|_| "import.not_xlsx")?;
        let is_csv = file_name.to_lowercase().ends_with(".csv");
        tokio::task::spawn_blocking(move || {
            if is_csv {
                sheet::read_csv(&bytes, csv_sheet).map(|s| vec![s])
            } else {
                sheet::read_xlsx(&bytes)
            }
        })
        .await
        .unwrap_or(Err("import.not_xlsx"))
    }
}
