//! `kyodo-opinion-burst --addr A[,B] --consultation ID [--opinions 10000] [--clients 64]
//! [--seconds 600]` — a consultation that goes viral: `clients` guests (no account) send
//! `opinions` opinions between them, paced to arrive evenly within `seconds` (0: as fast as they
//! can), spread over the instances. Every answer must be 303 (stored, receipt given). Prints a
//! Markdown table of the submissions' latency and `SENT n`; exits 1 on any other answer.

use kyodo_load::client::{Client, Error};
use kyodo_load::stats::Stats;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

async fn main_() -> Result<bool, Error> {
    let args: Vec<String> = std::env::args().collect();
    let addrs: Vec<SocketAddr> = arg(&args, "--addr", "127.0.0.1:8080")
        .split(',')
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let consultation = arg(&args, "--consultation", "");
    if consultation.is_empty() {
        return Err("--consultation is needed".into());
    }
    let opinions: usize = arg(&args, "--opinions", "10000").parse()?;
    let clients: usize = arg(&args, "--clients", "64").parse()?;
    let seconds: f64 = arg(&args, "--seconds", "600").parse()?;
    let path = format!("/consultations/{consultation}/opinion");
    // Each client sends every `clients`-th opinion at its own slot of the even schedule.
    let interval = Duration::from_secs_f64(seconds / opinions.max(1) as f64);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..clients {
        let (addr, path) = (addrs[k % addrs.len()], path.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Client::new(addr);
            c.open_form(&path).await?;
            let mut stats = Stats::default();
            let mut sent = 0usize;
            for i in (k..opinions).step_by(clients) {
                let due = start + interval * i as u32;
                tokio::time::sleep_until(due.into()).await;
                let email = format!("guest{i}@bench.kyodo.jp");
                let body = format!("ベンチマークの意見 {i}: 第2条の公表を毎年度にしてください。");
                let section = (i % 3).to_string();
                let t0 = Instant::now();
                let r = c
                    .post(
                        &path,
                        &[
                            ("section", section.as_str()),
                            ("body", &body),
                            ("name", "ベンチ 太郎"),
                            ("address", "会津若松市"),
                            ("email", &email),
                            ("eligibility", "resident"),
                        ],
                    )
                    .await?;
                stats.record("opinion", t0.elapsed());
                if r.status == 303 {
                    sent += 1;
                } else {
                    stats.error(format!("opinion {i} answered {}", r.status));
                }
            }
            Ok::<_, Error>((sent, stats))
        }));
    }
    let mut stats = Stats::default();
    let mut sent = 0;
    for t in tasks {
        let (n, s) = t.await??;
        sent += n;
        stats.merge(s);
    }
    let took = start.elapsed().as_secs_f64();
    println!("| opinions | clients | instances | took s | errors |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {sent} | {clients} | {} | {took:.1} | {} |",
        addrs.len(),
        stats.errors
    );
    println!();
    println!("| request | count | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    for (kind, n, p50, p99) in stats.summary() {
        if kind != "all" {
            println!("| {kind} | {n} | {p50:.1} | {p99:.1} |");
        }
    }
    for s in stats.samples.iter().take(10) {
        eprintln!("error: {s}");
    }
    println!("SENT {sent}");
    Ok(stats.errors == 0 && sent == opinions)
}

#[tokio::main]
async fn main() -> ExitCode {
    match main_().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("kyodo-opinion-burst: {e}");
            ExitCode::FAILURE
        }
    }
}
