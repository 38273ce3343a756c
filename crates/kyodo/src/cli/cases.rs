//! `kyodo cases generate --cases N`: N generated 市民の声 (marked 生成データ) over the last twelve
//! months, routed over the departments, in every status — the data behind `bench/cases-storm.sh`.
//! `kyodo cases api-key --name APP`: an Open311 client's API key. `kyodo cases remind`: the daily mail of open cases due within `--days` office-calendar days or
//! overdue, to the staff of each case's department — for a cron job or systemd timer. Every
//! instance's timer may run it: the day is claimed in the database, so one instance sends.

use crate::app::App;
use crate::db::scheduled;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum CasesCommand {
    /// Add `cases` generated cases to the organization's first publishable kind (the demo's 市民の声).
    Generate {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        #[arg(long)]
        org: Option<String>,
    },
    /// Issue an Open311 API key for a client app (printed once; only its digest is kept).
    ApiKey {
        #[arg(long)]
        name: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// Mail each department's staff its cases due within `days` days or overdue.
    Remind {
        #[arg(long, default_value_t = 2)]
        days: i64,
        #[arg(long)]
        org: Option<String>,
    },
}

pub async fn run(app: &App, cmd: CasesCommand) -> anyhow::Result<()> {
    let (days, org) = match cmd {
        CasesCommand::Generate { cases, org } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            return generate(app, org, cases).await;
        }
        CasesCommand::ApiKey { name, org } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            anyhow::ensure!(!name.trim().is_empty(), "give the client's --name");
            let key = crate::cases::open311::issue_key(app, org, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{}", super::describe(e)))?;
            println!("{key}");
            return Ok(());
        }
        CasesCommand::Remind { days, org } => (days, org),
    };
    let org = super::pick_org(app, org.as_deref()).await?.id;
    let today = crate::surveys::store::today();
    if !scheduled::claim(&app.db, org, "cases.remind", &today).await? {
        println!("reminded already today");
        return Ok(());
    }
    let actor = crate::audit::Actor::cli("cases remind");
    let sent = match crate::cases::reminders::remind(app, org, &actor, &today, days).await {
        Ok(sent) => sent,
        Err(e) => {
            scheduled::release(&app.db, org, "cases.remind", &today).await?;
            anyhow::bail!("{}", super::describe(e));
        }
    };
    println!("{sent} reminders");
    // Whatever fails stays queued for the servers' workers to retry.
    if app.mailer.delivers() {
        let tried = crate::mail::deliver_due(&app.db, &app.mailer).await?;
        println!("mail: {tried} messages tried");
    }
    Ok(())
}

const STATUSES: [&str; 6] = [
    "received",
    "checking",
    "in_progress",
    "answered",
    "answered",
    "closed",
];
const CATEGORIES: [&str; 4] = ["苦情", "意見", "要望", "提案"];

/// Writes `n` cases in one transaction, 500 rows a statement, numbers continuing each year's counter.
async fn generate(app: &App, org: i64, n: usize) -> anyhow::Result<()> {
    let ty = crate::cases::store::types(&app.db, org)
        .await?
        .into_iter()
        .find(|t| t.publishable)
        .ok_or_else(|| anyhow::anyhow!("no publishable kind of case (run `kyodo demo` first)"))?;
    let depts: Vec<i64> = crate::accounts::departments::list(&app.db, org)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    anyhow::ensure!(!depts.is_empty(), "the organization has no departments");
    let today = chrono::Utc::now().date_naive();
    let digest = crate::accounts::tokens::digest("generated-cases-have-no-key");
    let mut progress = super::progress::Progress::new("cases", n as u64);
    let mut tx = app.begin_write().await?;
    let mut seqs: std::collections::HashMap<i64, i64> = Default::default();
    let mut i = 0;
    while i < n {
        let batch = (n - i).min(500);
        let mut sql = String::from(
            "INSERT INTO cases (organization_id, id, type_id, fiscal_year, seq, number, access_digest, subject, \
             answers, category, department_id, status, received_at, due_on, answered_at, answer, publish_consent, \
             public_text, public_answer, published_at, is_demo) VALUES ",
        );
        let mut rows = Vec::new();
        for k in 0..batch {
            let j = i + k;
            let day = today - chrono::Duration::days((j * 7919 % 365) as i64);
            let fy = kyodo_jp::FiscalYear::containing(day, 4).0;
            let seq = match seqs.get_mut(&i64::from(fy)) {
                Some(s) => s,
                None => {
                    // Numbers continue after whatever the year's counter has given.
                    let base: i64 = sqlx::query_scalar(
                        "SELECT COALESCE(MAX(last_seq), 0) FROM case_counters WHERE organization_id = $1 AND type_id = $2 AND fiscal_year = $3",
                    )
                    .bind(org)
                    .bind(ty.id)
                    .bind(i64::from(fy))
                    .fetch_one(&mut *tx)
                    .await?;
                    seqs.entry(i64::from(fy)).or_insert(base)
                }
            };
            *seq += 1;
            let status = STATUSES[j % STATUSES.len()];
            let answered = matches!(status, "answered" | "closed");
            let published = answered && j % 3 == 0;
            let received = format!("{day}T09:{:02}:00Z", j % 60);
            let answered_at = answered.then(|| {
                format!(
                    "{}T15:00:00Z",
                    day + chrono::Duration::days((j % 20) as i64)
                )
            });
            rows.push((j, fy, *seq, status, received, answered_at, published, day));
        }
        for (idx, _) in rows.iter().enumerate() {
            let p = idx * 21;
            sql.push_str(&format!(
                "{}(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                if idx == 0 { "" } else { ", " },
                p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8, p + 9, p + 10, p + 11,
                p + 12, p + 13, p + 14, p + 15, p + 16, p + 17, p + 18, p + 19, p + 20, p + 21
            ));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (j, fy, seq, status, received, answered_at, published, day) in &rows {
            q = q
                .bind(org)
                .bind(crate::db::new_id())
                .bind(ty.id)
                .bind(i64::from(*fy))
                .bind(seq)
                .bind(crate::cases::numbering::number(*fy, &ty.code, *seq))
                .bind(digest.clone())
                .bind(format!("生成された案件 {j}(生成データ)"))
                .bind(r#"[["内容","生成データ"]]"#)
                .bind(CATEGORIES[j % CATEGORIES.len()])
                .bind(depts[j % depts.len()])
                .bind(*status)
                .bind(received.clone())
                .bind((*day + chrono::Duration::days(14)).to_string())
                .bind(answered_at.clone())
                .bind(if answered_at.is_some() {
                    "生成された回答(生成データ)"
                } else {
                    ""
                })
                .bind(i64::from(*published))
                .bind(published.then_some("生成された声(生成データ)"))
                .bind(published.then_some("生成された回答(生成データ)"))
                .bind(published.then(|| received.clone()))
                .bind(1i64);
        }
        q.execute(&mut *tx).await?;
        i += batch;
        progress.advance(batch as u64);
    }
    for (fy, last) in &seqs {
        sqlx::query(
            "INSERT INTO case_counters (organization_id, type_id, fiscal_year, last_seq) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (organization_id, type_id, fiscal_year) DO UPDATE SET last_seq = $4",
        )
        .bind(org)
        .bind(ty.id)
        .bind(fy)
        .bind(last)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    progress.finish();
    // Counted once for the whole load rather than case by case.
    crate::cases::tallies::rebuild(&app.db, &app.writes, org).await?;
    // PostgreSQL plans from table statistics, which autovacuum refreshes only some time after a
    // bulk load: until then the public list scanned a whole year (98 ms at 100,000 cases, 0.2 ms
    // after). SQLite keeps no such statistics unless asked and plans well without them.
    if crate::db::backend_of(&app.config.database_url) == crate::db::Backend::Postgres {
        sqlx::query("ANALYZE cases").execute(&app.db).await?;
    }
    println!("{n} cases generated");
    Ok(())
}
