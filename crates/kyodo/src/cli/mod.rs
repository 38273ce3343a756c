//! The `kyodo` command: `serve` (default), `migrate`, `org`, `user`, `demo`, `backup`, `restore`,
//! `audit`, `check`, `survey`, `evaluation`.

mod accessibility;
mod backup;
mod cases;
mod check;
mod evaluation;
mod finance;
mod minutes;
mod org;
mod progress;
mod reservations;
mod storage;
mod survey;
mod user;

use crate::accounts::organizations::{self, Organization};
use crate::app::App;
use crate::config::Config;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kyodo",
    version,
    about = "Kyodo (協働): administration together with citizens"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Load the demo organization first and print how to sign in.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage organizations (tenants).
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage an organization's departments.
    #[command(subcommand)]
    Department(org::DepartmentCommand),
    /// Manage user accounts and roles.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Load the demo organization (会津若松市, 072028); safe to run again. Writes only into an
    /// organization it created itself.
    Demo {
        /// Turn an existing organization with the demo's code into the demo (gives it the demo
        /// accounts, whose password is published). Refused without this flag.
        #[arg(long)]
        mark_existing_as_demo: bool,
    },
    /// Write a consistent copy of the database, also while the server runs: a SQLite database
    /// file, or a pg_dump custom-format archive. Prints the format, a SHA-256 and row counts.
    Backup {
        /// Destination file (default: <data dir>/backups/kyodo-<time>.db or .dump).
        #[arg(long, conflicts_with = "dir")]
        to: Option<std::path::PathBuf>,
        /// Write a dated file into this directory (for a daily timer).
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
        /// With --dir: keep only this many newest backups there.
        #[arg(long, requires = "dir", value_parser = clap::value_parser!(u32).range(1..))]
        keep: Option<u32>,
    },
    /// Restore a backup into an empty data directory or database, then verify the audit log and
    /// print row counts. A non-empty target is refused unless --replace (which backs it up first).
    Restore {
        /// The backup file (`kyodo backup` wrote it; its format is detected).
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace a database that holds data (after writing a backup of it to <data dir>/backups).
        #[arg(long)]
        replace: bool,
    },
    /// Audit-log tools.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Check configuration and database health.
    Check,
    /// Print the OpenAPI 3.1 document of this version's JSON API (`kyodo openapi > api.json`).
    Openapi,
    /// Survey tools: generate a large synthetic survey, time its analysis, stream its export.
    #[command(subcommand)]
    Survey(survey::SurveyCommand),
    /// Evaluation tools: generate a large synthetic evaluation history for the benchmark.
    #[command(subcommand)]
    Evaluation(evaluation::EvaluationCommand),
    /// 会議録: import minutes (plain text or NDL JSON), checked whole first.
    #[command(subcommand)]
    Minutes(minutes::MinutesCommand),
    /// JIS X 8341-3 試験結果: import the browser suite's results for the report page.
    #[command(subcommand)]
    Accessibility(accessibility::AccessibilityCommand),
    /// 予算・決算 files imported from the command line.
    #[command(subcommand)]
    Finance(finance::FinanceCommand),
    /// 施設予約: draw a lottery, or re-run a published draw from its seed and inputs.
    #[command(subcommand)]
    Reservations(reservations::ReservationsCommand),
    /// 窓口: mail each department its cases due soon or overdue (daily timer).
    #[command(subcommand)]
    Cases(cases::CasesCommand),
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Register an organization.
    Add {
        /// 全国地方公共団体コード, six digits with check digit (e.g. 072028).
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        name_en: String,
    },
    /// List organizations.
    List,
    /// Serve an organization on a host name (and set the address its mail links use); running
    /// servers pick it up without a restart.
    SetHost {
        #[arg(long)]
        code: String,
        /// e.g. kyodo.city.example.jp (no scheme, no port).
        #[arg(long)]
        host: String,
        /// The address users reach it at, e.g. https://kyodo.city.example.jp (default: https://HOST
        /// with the scheme of KYODO_PUBLIC_URL).
        #[arg(long)]
        public_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify every organization's hash chain; exit 1 at the first edited, deleted or reordered entry.
    Verify,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kyodo: configuration error: {e:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kyodo: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(
        cli.command.unwrap_or(Command::Serve { demo: false }),
        config,
    )) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kyodo: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KYODO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_json {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}

async fn run(cmd: Command, config: Config) -> anyhow::Result<ExitCode> {
    // Commands that work on the database as it is: no App (which creates and migrates).
    match &cmd {
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::web::api::document())?
            );
            return Ok(ExitCode::SUCCESS);
        }
        Command::Backup { to, dir, keep } => {
            let dest = match (to, dir) {
                (Some(f), _) => backup::Destination::File(f.clone()),
                (None, Some(d)) => backup::Destination::Directory {
                    dir: d.clone(),
                    keep: keep.map(|k| k as usize),
                },
                (None, None) => backup::Destination::Default,
            };
            backup::backup(&config, dest).await?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Restore { from, replace } => {
            let intact = backup::restore(&config, from, *replace).await?;
            return Ok(if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        Command::Reservations(r) if r.is_offline() => {
            reservations::replay(r)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Audit(AuditCommand::Verify) => {
            let pool = storage::open_existing(&config).await?;
            let intact = check::verify_all(&pool).await?;
            return Ok(if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        _ => {}
    }
    let creates = matches!(
        cmd,
        Command::Serve { .. }
            | Command::Migrate
            | Command::Demo { .. }
            | Command::Org(OrgCommand::Add { .. })
    );
    if !creates {
        let pool = storage::open_existing(&config).await?;
        storage::require_current_schema(&pool).await?;
        pool.close().await;
    }
    let app = App::open(config).await?;
    let result = async {
        match cmd {
            Command::Serve { demo } => {
                if demo {
                    crate::demo::load(&app, false).await?;
                    println!("{}", crate::demo::credentials_text(&app.config.public_url));
                }
                crate::web::serve(app.clone()).await?;
            }
            Command::Migrate => println!("migrations applied"),
            Command::Org(OrgCommand::Add {
                code,
                name,
                name_en,
            }) => {
                let id =
                    crate::accounts::service::create_organization(&app, &code, &name, &name_en)
                        .await
                        .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
                println!("organization {code} created (id {id})");
            }
            Command::Org(OrgCommand::List) => {
                for o in organizations::all(&app.db).await? {
                    let host = o.hostname.as_deref().unwrap_or("-");
                    println!("{}  {}  {}  {host}", o.lg_code, o.name, o.name_en);
                }
            }
            Command::Org(OrgCommand::SetHost {
                code,
                host,
                public_url,
            }) => org::set_host(&app, &code, &host, public_url.as_deref()).await?,
            Command::Department(cmd) => org::department(&app, cmd).await?,
            Command::User(u) => return user::run(&app, u).await,
            Command::Demo {
                mark_existing_as_demo,
            } => {
                crate::demo::load(&app, mark_existing_as_demo).await?;
                println!(
                    "demo organization loaded{}",
                    crate::demo::credentials_text(&app.config.public_url)
                );
            }
            Command::Backup { .. }
            | Command::Restore { .. }
            | Command::Audit(_)
            | Command::Openapi => {
                unreachable!("handled above")
            }
            Command::Check => check::check(&app).await?,
            Command::Survey(cmd) => survey::run(&app, cmd).await?,
            Command::Evaluation(cmd) => evaluation::run(&app, cmd).await?,
            Command::Minutes(cmd) => minutes::run(&app, cmd).await?,
            Command::Accessibility(cmd) => accessibility::run(&app, cmd).await?,
            Command::Finance(cmd) => finance::run(&app, cmd).await?,
            Command::Reservations(cmd) => reservations::run(&app, cmd).await?,
            Command::Cases(cmd) => cases::run(&app, cmd).await?,
        }
        Ok(ExitCode::SUCCESS)
    }
    .await;
    // What the command (or the server, at its end) wrote joins the audit chain before exit.
    if !app.db.is_closed()
        && let Err(e) = crate::audit::seal_all(&app).await
    {
        tracing::warn!(error = %e, "audit entries left to be sealed later");
    }
    result
}

/// A domain error as the command line shows it (field errors spelled out).
pub(crate) fn describe(e: crate::error::AppError) -> String {
    let t = crate::i18n::Tr::new(crate::i18n::Lang::En);
    match e {
        crate::error::AppError::Invalid(f) => {
            f.0.iter()
                .map(|e| format!("{}: {}", e.field, t.t(e.message)))
                .collect::<Vec<_>>()
                .join("; ")
        }
        other => format!("{}", other),
    }
}

/// The organization a command acts on: `--org`, else `KYODO_ORGANIZATION`, else the only one.
pub(crate) async fn pick_org(app: &App, code: Option<&str>) -> anyhow::Result<Organization> {
    let code = code
        .map(String::from)
        .or_else(|| app.config.default_organization.clone());
    let all = organizations::all(&app.db).await?;
    match code {
        Some(c) => all
            .into_iter()
            .find(|o| o.lg_code == c)
            .ok_or_else(|| anyhow::anyhow!("no organization with code {c}")),
        None if all.len() > 1 => {
            anyhow::bail!("several organizations: choose one with --org CODE")
        }
        None => all.into_iter().next().ok_or_else(|| {
            anyhow::anyhow!("no organization yet: run `kyodo demo` or `kyodo org add`")
        }),
    }
}
