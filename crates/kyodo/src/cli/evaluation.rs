//! `kyodo evaluation generate`: a large synthetic evaluation history (programmes × published years,
//! marked 生成データ) on top of the organization's comprehensive plan — the data behind
//! `bench/evaluation-pages.sh`. `kyodo evaluation remind`: the reminders of the years whose sheets
//! are due soon, for a daily timer.

use super::progress::Progress;
use crate::app::App;
use crate::db::scheduled;
use crate::db::{new_id, now};
use crate::evaluation::store;
use anyhow::Context;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum EvaluationCommand {
    /// Add `programmes` generated programmes with a final, published sheet in each of the last
    /// `years` fiscal years up to `last_year`.
    Generate {
        #[arg(long, default_value_t = 1_000)]
        programmes: usize,
        #[arg(long, default_value_t = 10)]
        years: i64,
        #[arg(long, default_value_t = 2025)]
        last_year: i64,
        #[arg(long)]
        org: Option<String>,
    },
    /// Mail the staff of every department with draft sheets in an open year whose sheets are due
    /// within `days` days or overdue — for a daily cron job or systemd timer.
    Remind {
        #[arg(long, default_value_t = 7)]
        days: i64,
        #[arg(long)]
        org: Option<String>,
    },
}

pub async fn run(app: &App, cmd: EvaluationCommand) -> anyhow::Result<()> {
    match cmd {
        EvaluationCommand::Generate {
            programmes,
            years,
            last_year,
            org,
        } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            generate(app, org, programmes, years, last_year).await
        }
        EvaluationCommand::Remind { days, org } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            let cycles = store::cycles(&app.db, org).await?;
            let today = crate::surveys::store::today();
            let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
            for c in crate::evaluation::cycles::due_soon(&cycles, &today, days) {
                // Every instance's timer may run this: one reminder per year and day.
                let job = format!("eval.remind:{}", c.id);
                if !scheduled::claim(&app.db, org, &job, &today).await? {
                    println!("{}: reminded already today", c.fiscal_year);
                    continue;
                }
                let sent = match crate::evaluation::cycles::remind(
                    app,
                    org,
                    &crate::audit::Actor::cli("evaluation remind"),
                    tr,
                    c,
                )
                .await
                {
                    Ok(sent) => sent,
                    Err(e) => {
                        scheduled::release(&app.db, org, &job, &today).await?;
                        anyhow::bail!("{}", super::describe(e));
                    }
                };
                println!(
                    "{}: {sent} reminders (sheets due {})",
                    c.fiscal_year, c.sheets_due
                );
            }
            // A command has no worker of its own: it tries the queue once, and whatever fails
            // stays queued for the servers' workers to retry.
            if app.mailer.delivers() {
                let tried = crate::mail::deliver_due(&app.db, &app.mailer).await?;
                println!("mail: {tried} messages tried");
            }
            Ok(())
        }
    }
}

async fn generate(app: &App, org: i64, n: usize, years: i64, last_year: i64) -> anyhow::Result<()> {
    let nodes: Vec<i64> = store::policy_nodes(&app.db, org)
        .await?
        .into_iter()
        .filter(|x| x.level != "policy")
        .map(|x| x.id)
        .collect();
    let depts: Vec<i64> = crate::accounts::departments::list(&app.db, org)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    anyhow::ensure!(
        !depts.is_empty(),
        "the organization has no departments (run `kyodo demo` first)"
    );
    let at = now();
    let first_year = last_year - years + 1;
    let mut tx = app.begin_write().await?;
    crate::codes::ensure_defaults(&mut tx, org).await?;
    let mut cycles = Vec::new();
    for fy in first_year..=last_year {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM eval_cycles WHERE organization_id = $1 AND fiscal_year = $2",
        )
        .bind(org)
        .bind(fy)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let id = new_id();
                sqlx::query("INSERT INTO eval_cycles (organization_id, id, fiscal_year, published, is_demo, created_at) VALUES ($1, $2, $3, 1, 1, $4)")
                    .bind(org)
                    .bind(id)
                    .bind(fy)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                id
            }
        };
        sqlx::query("UPDATE eval_cycles SET published = 1 WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        cycles.push((fy, id));
    }
    let mut progress = Progress::new("programmes", n as u64);
    for i in 0..n {
        let p = new_id();
        sqlx::query(
            "INSERT INTO programmes (organization_id, id, code, name, department_id, policy_node_id, first_year, method, kind, target, intent, means, is_demo, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'direct', 'voluntary', '市民', '生成データ', '生成データ', 1, $8)",
        )
        .bind(org)
        .bind(p)
        .bind(format!("G{i:05}"))
        .bind(format!("生成事業{i:05}(生成データ)"))
        .bind(depts[i % depts.len()])
        .bind(nodes.get(i % nodes.len().max(1)).copied())
        .bind(first_year)
        .bind(&at)
        .execute(&mut *tx)
        .await
        .context("inserting a programme (was `generate` run twice?)")?;
        let ind = new_id();
        sqlx::query("INSERT INTO eval_indicators (organization_id, id, owner_kind, owner_id, kind, name, unit, position) VALUES ($1, $2, 'programme', $3, 'activity', '実施件数', '件', 0)")
            .bind(org)
            .bind(ind)
            .bind(p)
            .execute(&mut *tx)
            .await?;
        for (k, (fy, cycle)) in cycles.iter().enumerate() {
            let sheet = new_id();
            sqlx::query("INSERT INTO eval_sheets (organization_id, id, cycle_id, programme_id, stage, issues, updated_at) VALUES ($1, $2, $3, $4, 'final', '生成データ', $5)")
                .bind(org)
                .bind(sheet)
                .bind(cycle)
                .bind(p)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            let base = 500 + ((i * 7919 + k * 104_729) % 50_000) as i64;
            for (c, col) in ["prev_settled", "budget", "settled", "next_budget"]
                .iter()
                .enumerate()
            {
                for (source, amount) in [("general", base + c as i64 * 10), ("national", base / 3)]
                {
                    sqlx::query("INSERT INTO eval_costs (organization_id, sheet_id, col, source, amount) VALUES ($1, $2, $3, $4, $5)")
                        .bind(org)
                        .bind(sheet)
                        .bind(*col)
                        .bind(source)
                        .bind(amount)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("INSERT INTO eval_staffing (organization_id, sheet_id, col, category, fte) VALUES ($1, $2, $3, 'regular', $4)")
                    .bind(org)
                    .bind(sheet)
                    .bind(*col)
                    .bind(0.5 + (i % 4) as f64 * 0.25)
                    .execute(&mut *tx)
                    .await?;
            }
            for stage in ["first", "second", "final"] {
                sqlx::query("INSERT INTO eval_verdicts (organization_id, sheet_id, stage, operator, direction, reason, decided_at) VALUES ($1, $2, $3, 'city', $4, '生成データ', $5)")
                    .bind(org)
                    .bind(sheet)
                    .bind(stage)
                    .bind(["continue", "improve", "reduce", "expand"][(i + k) % 4])
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("INSERT INTO eval_indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, 100, $4)")
                .bind(org)
                .bind(ind)
                .bind(fy)
                .bind(80.0 + ((i + k) % 30) as f64)
                .execute(&mut *tx)
                .await?;
        }
        progress.advance(1);
    }
    tx.commit().await?;
    // Fresh statistics after a bulk load, as an operator would run: without them PostgreSQL's first
    // plans for the summed list are scans (seconds), until autovacuum gets round to it.
    // (PostgreSQL also gets the vacuum that autovacuum would otherwise run during the benchmark.)
    if sqlx::query("VACUUM ANALYZE")
        .execute(&app.db)
        .await
        .is_err()
    {
        sqlx::query("ANALYZE").execute(&app.db).await?;
    }
    progress.finish();
    println!("{n} programmes × {years} years ({first_year}–{last_year}) generated");
    Ok(())
}
