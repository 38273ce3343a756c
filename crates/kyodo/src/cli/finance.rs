//! `kyodo finance import FILE…`: budget and settlement files (CSV or xlsx) from the command line,
//! with progress bars — a city's twenty years of 予算書 and 決算書 at once. Every file is checked
//! first and every problem printed as `file:line: message value`; with any problem nothing is
//! written. Then the files are read again one at a time and written in one transaction, so memory
//! holds one file and the import is all or nothing.

use super::progress::Progress;
use crate::app::App;
use crate::finance::{NewEdition, budget_file, store};
use clap::Subcommand;
use kyodo_decode::sheet;

#[derive(Subcommand)]
pub enum FinanceCommand {
    /// Import budget or settlement files (.csv or .xlsx), every total checked, all or nothing.
    Import {
        files: Vec<std::path::PathBuf>,
        #[arg(long)]
        org: Option<String>,
    },
}

type Checked = Result<Vec<NewEdition>, Vec<crate::validation::LineProblem>>;

/// One file read and checked: its editions or its problems (an error when it cannot be read).
fn read_file(path: &std::path::Path) -> anyhow::Result<Checked> {
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
        Ok(Some(s)) => Ok(budget_file::read(&s)),
        Ok(None) => anyhow::bail!("{name}: {}", tr.t("import.no_file")),
        Err(e) => anyhow::bail!("{name}: {}", tr.t(e)),
    }
}

pub async fn run(app: &App, cmd: FinanceCommand) -> anyhow::Result<()> {
    let FinanceCommand::Import { files, org } = cmd;
    let org = super::pick_org(app, org.as_deref()).await?.id;
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
    let started = std::time::Instant::now();
    let (mut lines, mut problems) = (0usize, 0usize);
    let mut checking = Progress::new("checking", files.len() as u64);
    for path in &files {
        match read_file(path)? {
            Ok(editions) => lines += editions.iter().map(|e| e.lines.len()).sum::<usize>(),
            Err(ps) => {
                for p in ps {
                    problems += 1;
                    eprintln!("{}:{}: {} {}", path.display(), p.line, tr.t(p.key), p.value);
                }
            }
        }
        checking.advance(1);
    }
    checking.finish();
    if problems > 0 {
        anyhow::bail!("{problems} problems: nothing imported");
    }
    let checked = started.elapsed();
    let mut writing = Progress::new("writing", lines as u64);
    let actor = crate::audit::Actor::cli("finance import");
    let mut batches = files.iter().map(|path| match read_file(path)? {
        Ok(editions) => Ok(editions),
        Err(_) => anyhow::bail!("{}: changed since it was checked", path.display()),
    });
    let written = store::write_batches(app, org, &actor, &mut batches, false, &mut |n| {
        writing.advance(n as u64)
    })
    .await?;
    writing.finish();
    println!(
        "{written} lines from {} files imported in {:.1} s (checked in {:.1} s)",
        files.len(),
        started.elapsed().as_secs_f64(),
        checked.as_secs_f64()
    );
    Ok(())
}
