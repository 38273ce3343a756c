//! Kyodo's load generator: sessions on keep-alive connections, each signed in and doing a realistic
//! mix until the deadline, with latency per kind of request, errors, and the server's memory.
//!
//! - `staff`: every session is a reform-HQ account (it may write and review any item) working on a
//!   progress report of its own: dashboards and work lists, the plan and item pages, the report form,
//!   draft saves, submission and return — the cycle a department and the HQ go through.
//! - `soak`: a half of anonymous visitors on the public pages, a quarter of citizens commenting and a
//!   quarter of staff sessions as above, with the server's memory sampled over the run.
//! - `cases`: every session a guest sending 市民の声 through the desk's form (窓口), as fast as the
//!   receipts come back — the submission storm of `bench/cases-storm.sh`.

pub mod client;
mod scenario;
pub mod stats;

use client::{Client, Error, ids_after};
use stats::Stats;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mix {
    Staff,
    Soak,
    Cases,
}

pub struct Config {
    /// The instances to load; session `i` uses `addrs[i % len]` (one instance: all of them).
    pub addrs: Vec<SocketAddr>,
    pub sessions: usize,
    pub duration: Duration,
    pub mix: Mix,
    pub password: String,
    /// The server's process id, to sample its memory.
    pub server_pid: Option<u32>,
}

pub struct Report {
    pub stats: Stats,
    pub elapsed: Duration,
    /// (seconds since start, RSS KiB) samples of the server, all taken while the load ran.
    pub rss: Vec<(u64, u64)>,
    /// The server's peak RSS in KiB at the end.
    pub peak_kib: Option<u64>,
}

/// What the sessions work on: the plan, its trackable items and, per session, an (item, period) pair.
#[derive(Clone)]
pub struct Targets {
    pub plan: String,
    pub items: Vec<String>,
    pub pairs: Vec<(String, String)>,
    /// The desk's first form and the answers a guest sends (`q…` fields), if the desk has one.
    pub case_form: Option<(String, Vec<(String, String)>)>,
}

/// The desk's first kind of case and a complete set of answers to its form: the first option of
/// each choice, a short text for each text field.
async fn case_form(c: &mut Client) -> Result<Option<(String, Vec<(String, String)>)>, Error> {
    let desk = c.get("/cases").await?;
    let Some(id) = ids_after(&desk.body, "href=\"/cases/types/")
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let path = format!("/cases/types/{id}");
    let form = c.get(&path).await?.body;
    let mut fields: Vec<(String, String)> = Vec::new();
    // Each tag with a `q…` name: a choice keeps its first option's value, a text field gets text.
    for tag in form.split('<').map(|t| t.split('>').next().unwrap_or("")) {
        let attr = |a: &str| {
            let rest = tag.split_once(&format!(" {a}=\"")).map(|x| x.1)?;
            rest.split('"').next().map(String::from)
        };
        let Some(name) = attr("name").filter(|n| n.starts_with('q')) else {
            continue;
        };
        if fields.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let choice = matches!(attr("type").as_deref(), Some("radio" | "checkbox"));
        let value = match (choice, attr("value")) {
            (true, Some(v)) => v,
            _ => "負荷試験の市民の声".to_string(),
        };
        fields.push((name, value));
    }
    Ok(Some((path, fields)))
}

/// Finds the seed plan, its items and enough report slots for `sessions` sessions.
pub async fn discover(addr: SocketAddr, password: &str, sessions: usize) -> Result<Targets, Error> {
    let mut c = Client::new(addr);
    let plans = c.get("/plans").await?.body;
    let plan = ids_after(&plans, "href=\"/plans/")
        .into_iter()
        .next()
        .ok_or("no plan on /plans")?;
    let tree = c.get(&format!("/plans/{plan}")).await?.body;
    let items = ids_after(&tree, "/plans/items/");
    c.login("hq@demo.kyodo.jp", password).await?;
    let mut pairs = Vec::new();
    for item in &items {
        let form = c.get(&format!("/plans/items/{item}/report")).await?;
        if form.status != 200 {
            continue;
        }
        for period in ids_after(&form.body, "?period=") {
            pairs.push((item.clone(), period));
        }
        if pairs.len() >= sessions {
            break;
        }
    }
    if pairs.is_empty() {
        return Err("no report slots found".into());
    }
    let case_form = case_form(&mut Client::new(addr)).await?;
    Ok(Targets {
        plan,
        items,
        pairs,
        case_form,
    })
}

pub async fn run(cfg: &Config) -> Result<Report, Error> {
    let first = *cfg.addrs.first().ok_or("no address to load")?;
    let targets = discover(first, &cfg.password, cfg.sessions).await?;
    // Sessions sign in first; the measured window starts when all have.
    let ready = Arc::new(Barrier::new(cfg.sessions + 1));
    let mut tasks = Vec::new();
    for i in 0..cfg.sessions {
        let role = scenario::role(cfg.mix, i);
        let addr = cfg.addrs[i % cfg.addrs.len()];
        let (password, targets) = (cfg.password.clone(), targets.clone());
        let (ready, duration) = (ready.clone(), cfg.duration);
        tasks.push(tokio::spawn(async move {
            scenario::session(addr, &password, role, i, &targets, &ready, duration).await
        }));
    }
    ready.wait().await;
    let started = Instant::now();
    let deadline = started + cfg.duration;
    let mut rss = Vec::new();
    if let Some(pid) = cfg.server_pid {
        while Instant::now() < deadline {
            if let Some((now, _)) = stats::memory_kib(pid) {
                rss.push((started.elapsed().as_secs(), now));
            }
            let step =
                (cfg.duration / 20).clamp(Duration::from_millis(200), Duration::from_secs(10));
            tokio::time::sleep(step.min(deadline.saturating_duration_since(Instant::now()))).await;
        }
    }
    let mut stats = Stats::default();
    for t in tasks {
        stats.merge(t.await?);
    }
    let elapsed = started.elapsed();
    // The lifetime peak (VmHWM). No RSS reading is added here: the load has stopped, and a gate
    // on memory must judge readings taken under load.
    let peak_kib = cfg
        .server_pid
        .and_then(stats::memory_kib)
        .map(|(_, peak)| peak);
    Ok(Report {
        stats,
        elapsed,
        rss,
        peak_kib,
    })
}
