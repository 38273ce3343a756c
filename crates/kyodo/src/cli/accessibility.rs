//! `kyodo accessibility import FILE`: the browser suite's results (`scripts/test.sh` writes
//! `target/accessibility/results.json`) stored as the organization's newest test run, from which
//! the public JIS X 8341-3 report page is generated. The file is checked whole first.

use crate::accessibility::{report, store};
use crate::app::App;
use crate::audit::Actor;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum AccessibilityCommand {
    /// Import the browser suite's results file as the organization's newest test run.
    Import {
        file: std::path::PathBuf,
        #[arg(long)]
        org: Option<String>,
    },
}

pub async fn run(app: &App, cmd: AccessibilityCommand) -> anyhow::Result<()> {
    match cmd {
        AccessibilityCommand::Import { file, org } => {
            let org = super::pick_org(app, org.as_deref()).await?;
            if std::fs::metadata(&file)?.len() > report::MAX_BYTES as u64 {
                anyhow::bail!(
                    "{}: larger than {} bytes",
                    file.display(),
                    report::MAX_BYTES
                );
            }
            let run = report::parse(&std::fs::read(&file)?).map_err(|problems| {
                anyhow::anyhow!("{}:\n  {}", file.display(), problems.join("\n  "))
            })?;
            let actor = Actor::cli("accessibility import");
            store::save_run(app, org.id, &actor, &run)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let rows = report::rows(Some(&run), &store::manual_checks(&app.db, org.id).await?);
            let failed = rows
                .iter()
                .filter(|r| r.outcome == report::Outcome::Fail)
                .count();
            println!(
                "{}: test run of {} imported ({} pages, {} checks); criteria failing: {failed}; {}",
                org.lg_code,
                run.tested_on,
                run.pages.len(),
                run.checks.len(),
                match report::conformance(Some(&run), &rows) {
                    report::Conformance::Conforms => "AA 準拠",
                    report::Conformance::Partial => "AA 一部準拠",
                    report::Conformance::Untested => "未試験",
                }
            );
            Ok(())
        }
    }
}
