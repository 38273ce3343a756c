//! `kyodo minutes import FILE…`: minutes as plain text or NDL JSON from the command line, with a
//! progress bar. Every file is checked first and every problem printed as `file:line: message`;
//! with any problem nothing is written. Good files are written in one transaction.
//! `kyodo minutes reindex`: the search index rebuilt from the database, with a progress bar.

use super::progress::Progress;
use crate::app::App;
use crate::minutes::import::{self, TextMeta};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum MinutesCommand {
    /// Import minutes files (plain text: give --body; .json: NDL records).
    Import {
        files: Vec<std::path::PathBuf>,
        /// 会議名 of plain-text minutes (本会議, 総務委員会, 庁議 …).
        #[arg(long, default_value = "")]
        body: String,
        /// council or executive (庁議).
        #[arg(long, default_value = "council")]
        kind: String,
        #[arg(long, default_value = "")]
        session: String,
        #[arg(long, default_value = "")]
        issue: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// Rebuild the search index of an organization's minutes from the database.
    Reindex {
        #[arg(long)]
        org: Option<String>,
    },
}

type Checked = Result<Vec<crate::minutes::store::NewMeeting>, Vec<import::Problem>>;

/// One file checked: its meetings or its problems (an error when it cannot be read at all).
fn read_file(path: &std::path::Path, meta: &TextMeta) -> anyhow::Result<Checked> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if std::fs::metadata(path)?.len() > kyodo_decode::minutes::MAX_TEXT_BYTES as u64 {
        let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
        anyhow::bail!("{name}: {}", tr.t("import.file_too_large"));
    }
    Ok(import::check(&name, &std::fs::read(path)?, meta))
}

pub async fn run(app: &App, cmd: MinutesCommand) -> anyhow::Result<()> {
    match cmd {
        MinutesCommand::Reindex { org } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            let started = std::time::Instant::now();
            let mut bar: Option<Progress> = None;
            let mut reported = 0;
            let ix = app
                .minutes_index
                .rebuild(&app.db, org, &mut |done, total| {
                    bar.get_or_insert_with(|| Progress::new("indexing", total))
                        .advance(done.saturating_sub(reported));
                    reported = done;
                })
                .await?;
            if let Some(bar) = bar {
                bar.finish();
            }
            println!(
                "{} speeches indexed in {:.1} s ({:.1} MiB of postings)",
                ix.len(),
                started.elapsed().as_secs_f64(),
                ix.size() as f64 / (1024.0 * 1024.0)
            );
            Ok(())
        }
        MinutesCommand::Import {
            files,
            body,
            kind,
            session,
            issue,
            org,
        } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            let meta = TextMeta {
                body,
                kind,
                session,
                issue,
            };
            let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
            // Checked whole first, but kept as counts only: the files are read again one at a
            // time while writing (memory is one file's meetings, not the archive's).
            let (mut imported, mut speeches, mut problems) = (0usize, 0usize, 0);
            let mut checking = Progress::new("checking", files.len() as u64);
            for path in &files {
                match read_file(path, &meta)? {
                    Ok(m) => {
                        imported += m.len();
                        speeches += m.iter().map(|m| m.speeches.len()).sum::<usize>();
                    }
                    Err(ps) => {
                        for p in ps {
                            problems += 1;
                            eprintln!("{}:{}: {} {}", p.file, p.line, tr.t(p.message), p.value);
                        }
                    }
                }
                checking.advance(1);
            }
            checking.finish();
            if problems > 0 {
                anyhow::bail!("{problems} problems: nothing imported");
            }
            let mut writing = Progress::new("writing", speeches as u64);
            let actor = crate::audit::Actor::cli("minutes import");
            let mut batches = files.iter().map(|path| match read_file(path, &meta)? {
                Ok(meetings) => Ok(meetings),
                Err(_) => anyhow::bail!("{}: changed since it was checked", path.display()),
            });
            import::apply_batches(app, org, &actor, &mut batches, &mut |n| {
                writing.advance(n as u64)
            })
            .await
            .map_err(|e| anyhow::anyhow!("{}", super::describe(e)))?;
            writing.finish();
            println!("{imported} meetings, {speeches} speeches imported and indexed");
            Ok(())
        }
    }
}
