//! `kyodo org set-host` and `kyodo department add|import|list`: what several organizations in one
//! installation need from the command line (host names used to be settable only with SQL).

use super::{describe, pick_org};
use crate::accounts::service::{self, NewDepartment};
use crate::accounts::{departments, organizations};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use anyhow::Context;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum DepartmentCommand {
    /// Add a department (部, 課 or 係) to an organization.
    Add {
        /// The organization's 団体コード (needed when there are several).
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        name_en: String,
        /// bu (部), ka (課) or kakari (係).
        #[arg(long)]
        level: String,
        /// The code of the department above it.
        #[arg(long)]
        parent: Option<String>,
    },
    /// Add departments from a city's list (CSV or xlsx: code, name, parent code, level; headers
    /// in Japanese or English on any of the first ten rows). Checked first; all or nothing.
    Import {
        #[arg(long)]
        org: Option<String>,
        /// The .csv (UTF-8 or Shift_JIS) or .xlsx file; its first sheet is read.
        file: std::path::PathBuf,
    },
    /// List an organization's departments as a tree.
    List {
        #[arg(long)]
        org: Option<String>,
    },
}

/// Serves the organization on `host` (lower-cased); its mail links use `public_url`, else
/// `<scheme>://host`. Running servers pick the change up without a restart.
pub async fn set_host(
    app: &App,
    code: &str,
    host: &str,
    public_url: Option<&str>,
) -> anyhow::Result<()> {
    let org = organizations::by_code(&app.db, code)
        .await?
        .with_context(|| format!("no organization with code {code}"))?;
    let host = host.trim().to_ascii_lowercase();
    anyhow::ensure!(
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
        "{host:?} is not a host name (letters, digits, dots and hyphens, no port or scheme)"
    );
    let public_url = public_url.unwrap_or("").trim().trim_end_matches('/');
    anyhow::ensure!(
        public_url.is_empty()
            || url::Url::parse(public_url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()),
        "--public-url {public_url:?} is not an http(s) URL"
    );
    if let Some(other) = organizations::all(&app.db)
        .await?
        .into_iter()
        .find(|o| o.hostname.as_deref() == Some(host.as_str()) && o.id != org.id)
    {
        anyhow::bail!(
            "{host} is already the host of {} ({})",
            other.lg_code,
            other.name
        );
    }
    let mut tx = app.begin_write().await?;
    organizations::set_host(&mut tx, org.id, Some(&host), public_url).await?;
    audit::record_and_commit(
        tx,
        org.id,
        &Actor::cli("org set-host"),
        Change {
            action: "organization.set_host",
            target_type: "organization",
            target_id: org.id.to_string(),
            before: Some(json!({"hostname": org.hostname, "public_url": org.public_url})),
            after: Some(json!({"hostname": host, "public_url": public_url})),
        },
    )
    .await?;
    println!("{code} is served at {host}");
    Ok(())
}

/// Files larger than this are not a department list.
const MAX_IMPORT_BYTES: u64 = 8 * 1024 * 1024;

async fn import(app: &App, org: Option<&str>, file: &std::path::Path) -> anyhow::Result<()> {
    use crate::accounts::department_import;
    use crate::i18n::{Lang, Tr};
    let org = pick_org(app, org).await?;
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    anyhow::ensure!(
        size <= MAX_IMPORT_BYTES,
        "{} is larger than 8 MB",
        file.display()
    );
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let (ja, en) = (Tr::new(Lang::Ja), Tr::new(Lang::En));
    let sheet = if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        kyodo_decode::sheet::read_xlsx(&bytes).map(|s| s.into_iter().next())
    } else {
        kyodo_decode::sheet::read_csv(&bytes, "departments").map(Some)
    }
    .map_err(|k| anyhow::anyhow!("{} / {}", ja.t(k), en.t(k)))?
    .context("the workbook has no sheet")?;
    let existing = departments::list(&app.db, org.id).await?;
    let plan = match department_import::plan(&sheet, &existing) {
        Ok(plan) => plan,
        Err(problems) => {
            for p in &problems {
                let value = if p.value.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", p.value)
                };
                eprintln!(
                    "{}:{}: {} / {}{value}",
                    file.display(),
                    p.line,
                    ja.t(p.key),
                    en.t(p.key)
                );
            }
            anyhow::bail!("{} problem(s); nothing was imported", problems.len());
        }
    };
    department_import::apply(app, org.id, &Actor::cli("department import"), &plan).await?;
    println!(
        "{} department(s) added to {}, {} already there",
        plan.add.len(),
        org.lg_code,
        plan.unchanged
    );
    Ok(())
}

pub async fn department(app: &App, cmd: DepartmentCommand) -> anyhow::Result<()> {
    match cmd {
        DepartmentCommand::Add {
            org,
            code,
            name,
            name_en,
            level,
            parent,
        } => {
            let org = pick_org(app, org.as_deref()).await?;
            let parent_id = match parent {
                Some(p) => Some(
                    departments::list(&app.db, org.id)
                        .await?
                        .into_iter()
                        .find(|d| d.code == p)
                        .map(|d| d.id)
                        .with_context(|| {
                            format!("no department with code {p} in {}", org.lg_code)
                        })?,
                ),
                None => None,
            };
            let id = service::create_department(
                app,
                org.id,
                &Actor::cli("department add"),
                NewDepartment {
                    parent_id,
                    code: &code,
                    name: &name,
                    name_en: &name_en,
                    level: &level,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            println!(
                "department {code} {name} added to {} (id {id})",
                org.lg_code
            );
        }
        DepartmentCommand::Import { org, file } => import(app, org.as_deref(), &file).await?,
        DepartmentCommand::List { org } => {
            let org = pick_org(app, org.as_deref()).await?;
            let all = departments::list(&app.db, org.id).await?;
            // Parents before children, indented by depth.
            fn print(all: &[departments::Department], parent: Option<i64>, depth: usize) {
                for d in all.iter().filter(|d| d.parent_id == parent) {
                    println!(
                        "{}{}  {}  {}  ({})",
                        "  ".repeat(depth),
                        d.code,
                        d.name,
                        d.name_en,
                        d.level
                    );
                    print(all, Some(d.id), depth + 1);
                }
            }
            print(&all, None, 0);
        }
    }
    Ok(())
}
