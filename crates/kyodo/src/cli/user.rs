//! `kyodo user add|passwd|grant|revoke`. Passwords come from `KYODO_NEW_PASSWORD` or standard input,
//! never from the command line (which other users of the machine can read).

use super::{describe, pick_org};
use crate::accounts::{departments, service, users};
use crate::app::App;
use crate::audit::Actor;
use clap::Subcommand;
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account (staff by default) with a password read from KYODO_NEW_PASSWORD or stdin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Department code (staff accounts).
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        org: Option<String>,
    },
    /// Set a password (read from KYODO_NEW_PASSWORD or stdin); ends the user's sessions.
    Passwd {
        #[arg(long)]
        email: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// Grant a role: staff, dept_manager, reform_hq, committee_member, sysadmin.
    Grant(RoleArgs),
    /// Make an API token for a user (a system's account): prints the secret, once.
    Token {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// Scopes, comma-separated: read:published, read:staff, write:admin.
        #[arg(long)]
        scopes: String,
        /// Days it works (1–365).
        #[arg(long, default_value = "90")]
        days: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// Revoke a role.
    Revoke(RoleArgs),
}

#[derive(clap::Args)]
pub struct RoleArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    role: String,
    /// Department code, for staff and dept_manager.
    #[arg(long)]
    department: Option<String>,
    /// Committee id, for committee_member.
    #[arg(long)]
    committee: Option<i64>,
    #[arg(long)]
    org: Option<String>,
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("KYODO_NEW_PASSWORD") {
        return Ok(p);
    }
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn department_id(app: &App, org: i64, code: Option<&str>) -> anyhow::Result<Option<i64>> {
    let Some(code) = code else { return Ok(None) };
    let all = departments::list(&app.db, org).await?;
    all.iter()
        .find(|d| d.code == code)
        .map(|d| Some(d.id))
        .ok_or_else(|| anyhow::anyhow!("no department with code {code}"))
}

async fn user_id(app: &App, org: i64, email: &str) -> anyhow::Result<i64> {
    let email = crate::accounts::normalize_email(email)
        .ok_or_else(|| anyhow::anyhow!("not an e-mail address: {email}"))?;
    Ok(users::by_email(&app.db, org, &email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {email}"))?
        .id)
}

pub async fn run(app: &App, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
    match cmd {
        UserCommand::Add {
            email,
            name,
            department,
            org,
        } => {
            let org = pick_org(app, org.as_deref()).await?;
            let dept = department_id(app, org.id, department.as_deref()).await?;
            let pw = read_password()?;
            let new = service::NewStaff {
                email: &email,
                display_name: &name,
                department_id: dept,
                password: Some(&pw),
            };
            let id = service::create_staff(app, org.id, &Actor::cli("user add"), tr, new)
                .await
                .map_err(|e| anyhow::anyhow!(describe(e)))?;
            println!("user {email} created (id {id})");
        }
        UserCommand::Token {
            email,
            name,
            scopes,
            days,
            org,
        } => {
            let org = pick_org(app, org.as_deref()).await?.id;
            let user = user_id(app, org, &email).await?;
            let f = crate::accounts::api_tokens::NewToken {
                name,
                days,
                scope: scopes.split(',').map(|s| s.trim().to_string()).collect(),
            };
            let actor = Actor::cli("user token");
            let (_, secret) = crate::accounts::api_tokens::create(app, org, user, &actor, &f)
                .await
                .map_err(|e| anyhow::anyhow!(describe(e)))?;
            println!("{secret}");
        }
        UserCommand::Passwd { email, org } => {
            let org = pick_org(app, org.as_deref()).await?;
            let id = user_id(app, org.id, &email).await?;
            let pw = read_password()?;
            service::set_password(app, org.id, &Actor::cli("user passwd"), id, &pw)
                .await
                .map_err(|e| anyhow::anyhow!(describe(e)))?;
            println!("password of {email} changed");
        }
        UserCommand::Grant(a) => {
            let (org, id, role) = resolve_role(app, &a).await?;
            let added = service::grant(app, org, &Actor::cli("user grant"), id, role)
                .await
                .map_err(|e| anyhow::anyhow!(describe(e)))?;
            println!("{}", if added { "granted" } else { "already granted" });
        }
        UserCommand::Revoke(a) => {
            let (org, id, role) = resolve_role(app, &a).await?;
            let removed = service::revoke(app, org, &Actor::cli("user revoke"), id, role)
                .await
                .map_err(|e| anyhow::anyhow!(describe(e)))?;
            println!("{}", if removed { "revoked" } else { "no such grant" });
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn resolve_role(
    app: &App,
    a: &RoleArgs,
) -> anyhow::Result<(i64, i64, crate::accounts::roles::Role)> {
    let org = pick_org(app, a.org.as_deref()).await?;
    let id = user_id(app, org.id, &a.email).await?;
    let scope = match a.committee {
        Some(c) => Some(c),
        None => department_id(app, org.id, a.department.as_deref()).await?,
    };
    let role = service::parse_role(app, org.id, &a.role, scope)
        .await
        .map_err(|e| anyhow::anyhow!(describe(e)))?;
    Ok((org.id, id, role))
}
