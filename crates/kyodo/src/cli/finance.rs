//! `kyodo finance import FILE…`: budget and settlement files (CSV or xlsx) from the command line,
//! with a progress bar — a city's twenty years of 予算書 and 決算書 at once.
//!
//! Files are read and checked on one thread per core while the transaction writes those already
//! checked: reading is most of the work, so the two overlap. Every problem of every file is printed
//! as `file:line: message value`; with any problem (or one edition in two files) the transaction is
//! rolled back and nothing is written. Memory holds the few files between reader and writer.

use super::progress::Progress;
use crate::app::App;
use crate::finance::{NewEdition, budget_file, store};
use crate::validation::LineProblem;
use clap::Subcommand;
use kyodo_decode::finance::budget::columns::{FIELDS, FIXABLE, Mapping};
use kyodo_decode::sheet;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Subcommand)]
pub enum FinanceCommand {
    /// Import budget or settlement files (.csv or .xlsx), every total checked, all or nothing.
    Import {
        files: Vec<PathBuf>,
        #[arg(long)]
        org: Option<String>,
        /// The file's header for a field, e.g. `--map kan=款の名称` (fields: year, account,
        /// edition, side, kan, kou, moku, setsu, nature, amount); the usual names otherwise.
        #[arg(long = "map", value_name = "FIELD=HEADER")]
        headers: Vec<String>,
        /// A value for every row of a file without that column, e.g. `--fixed account=一般会計`
        /// (year, account, edition, side).
        #[arg(long = "fixed", value_name = "FIELD=VALUE")]
        fixed: Vec<String>,
        /// The unit of the amounts (円, 千円, 百万円) when the files do not say it.
        #[arg(long)]
        unit: Option<String>,
    },
}

/// The mapping the options give, or why it cannot be used.
fn mapping_of(headers: &[String], fixed: &[String], unit: Option<&str>) -> anyhow::Result<Mapping> {
    let mut m = Mapping::default();
    let pair = |raw: &str, allowed: &[&str]| -> anyhow::Result<(String, String)> {
        match raw.split_once('=') {
            Some((f, v)) if allowed.contains(&f.trim()) => Ok((f.trim().into(), v.trim().into())),
            _ => anyhow::bail!(
                "{raw}: expected FIELD=VALUE with FIELD one of {}",
                allowed.join(", ")
            ),
        }
    };
    let fields: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
    for raw in headers {
        let (f, v) = pair(raw, &fields)?;
        m.headers.insert(f, v);
    }
    for raw in fixed {
        let (f, v) = pair(raw, &FIXABLE)?;
        m.fixed.insert(f, v);
    }
    if let Some(u) = unit {
        m.unit = Some(match kyodo_decode::finance::cells::unit_in(u) {
            Some(v) => v,
            None => anyhow::bail!("--unit {u}: expected 円, 千円 or 百万円"),
        });
    }
    if let Some((f, _)) = m.problems().first() {
        anyhow::bail!(
            "--fixed {f}={}: not a value the field can take",
            m.fixed(f).unwrap_or_default()
        );
    }
    Ok(m)
}

type Checked = Result<Vec<NewEdition>, Vec<LineProblem>>;

/// One file read and checked: its editions or its problems (an error when it cannot be read).
fn read_file(path: &std::path::Path, mapping: &Mapping) -> anyhow::Result<Checked> {
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
    let name = path.display().to_string();
    if std::fs::metadata(path)?.len() > sheet::MAX_FILE_BYTES as u64 {
        anyhow::bail!("{name}: {}", tr.t("import.file_too_large"));
    }
    let bytes = std::fs::read(path)?;
    let first = if name.to_lowercase().ends_with(".xlsx") {
        sheet::read_xlsx(&bytes).map(|s| s.into_iter().next())
    } else {
        sheet::read_csv(&bytes, &name).map(Some)
    };
    match first {
        Ok(Some(s)) => Ok(budget_file::read_mapped(&s, mapping)),
        Ok(None) => anyhow::bail!("{name}: {}", tr.t("import.no_file")),
        Err(e) => anyhow::bail!("{name}: {}", tr.t(e)),
    }
}

/// A file once read, as the readers hand it to the writer.
struct Read {
    path: PathBuf,
    bytes: u64,
    checked: anyhow::Result<Checked>,
}

/// Starts one reader thread per core (at most four) over `files`; they stop early when the
/// writer hangs up.
fn start_readers(files: Vec<PathBuf>, mapping: Mapping) -> tokio::sync::mpsc::Receiver<Read> {
    let (send, receive) = tokio::sync::mpsc::channel(2);
    let files = std::sync::Arc::new(files);
    let next = std::sync::Arc::new(AtomicUsize::new(0));
    let mapping = std::sync::Arc::new(mapping);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    for _ in 0..threads {
        let (files, next, send) = (files.clone(), next.clone(), send.clone());
        let mapping = mapping.clone();
        std::thread::spawn(move || {
            while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
                let checked = read_file(path, &mapping);
                let read = Read {
                    path: path.clone(),
                    bytes,
                    checked,
                };
                if send.blocking_send(read).is_err() {
                    break;
                }
            }
        });
    }
    receive
}

pub async fn run(app: &App, cmd: FinanceCommand) -> anyhow::Result<()> {
    let FinanceCommand::Import {
        files,
        org,
        headers,
        fixed,
        unit,
    } = cmd;
    let mapping = mapping_of(&headers, &fixed, unit.as_deref())?;
    let org = super::pick_org(app, org.as_deref()).await?.id;
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
    let started = std::time::Instant::now();
    let total: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let count = files.len();
    let mut progress = Progress::new("importing", total);
    let mut readers = start_readers(files, mapping);
    let actor = crate::audit::Actor::cli("finance import");
    let mut tx = app.begin_write().await?;
    let (mut written, mut problems) = (0usize, 0usize);
    // Which file each edition came from: the same edition in two files is a problem, never a
    // replacement that depends on which reader finished first.
    let mut seen: BTreeMap<(i64, String, String), PathBuf> = BTreeMap::new();
    while let Some(read) = readers.recv().await {
        match read.checked? {
            Ok(editions) => {
                for e in &editions {
                    let key = (e.fiscal_year, e.account.clone(), e.edition.clone());
                    if let Some(first) = seen.insert(key, read.path.clone()) {
                        problems += 1;
                        eprintln!(
                            "{}: {} {} {} {} ({})",
                            read.path.display(),
                            tr.t("fin.edition_twice"),
                            e.fiscal_year,
                            e.account,
                            e.edition,
                            first.display()
                        );
                    }
                }
                if problems == 0 {
                    written += store::write_in(&mut tx, org, &actor, &editions, false).await?;
                }
            }
            Err(ps) => {
                for p in ps {
                    problems += 1;
                    eprintln!(
                        "{}:{}: {} {}",
                        read.path.display(),
                        p.line,
                        tr.t(p.key),
                        p.value
                    );
                }
            }
        }
        progress.advance(read.bytes);
    }
    progress.finish();
    if problems > 0 {
        tx.rollback().await?;
        anyhow::bail!("{problems} problems: nothing imported");
    }
    tx.commit().await?;
    println!(
        "{written} lines from {count} files imported in {:.1} s",
        started.elapsed().as_secs_f64(),
    );
    Ok(())
}
