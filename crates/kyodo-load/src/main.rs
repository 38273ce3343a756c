//! `kyodo-load --addr 127.0.0.1:8080[,127.0.0.1:8081…] [--sessions 64] [--seconds 20] [--mix staff|soak|cases] [--pid N]
//! [--max-growth-mib M] [--acknowledged FILE]` — runs the load and prints a Markdown table for docs/PERFORMANCE.md;
//! `--acknowledged` writes the text of every comment the server acknowledged, one per line.
//! Exits 1 when any request failed, or when `--max-growth-mib` is given and the server's RSS under
//! load (its highest reading after the first quarter of the run, or its last reading before the
//! load stopped) is more than that above its level at the end of the first quarter — or when no
//! reading could be taken.

use kyodo_load::{Config, Mix, run};
use std::process::ExitCode;
use std::time::Duration;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The options, or a message naming the one that is not understood.
fn config(args: &[String]) -> Result<(Config, Option<u64>), String> {
    let get = |name: &str, default: &str| arg(args, name).unwrap_or_else(|| default.into());
    fn number<T: std::str::FromStr>(name: &str, raw: &str) -> Result<T, String> {
        raw.parse()
            .map_err(|_| format!("{name} {raw:?} is not understood"))
    }
    let cfg = Config {
        addrs: get("--addr", "127.0.0.1:8080")
            .split(',')
            .map(|a| number("--addr", a))
            .collect::<Result<_, _>>()?,
        sessions: number("--sessions", &get("--sessions", "64"))?,
        duration: Duration::from_secs(number("--seconds", &get("--seconds", "20"))?),
        mix: match get("--mix", "staff").as_str() {
            "soak" => Mix::Soak,
            "cases" => Mix::Cases,
            _ => Mix::Staff,
        },
        password: get("--password", "kyodo-demo-2025"),
        server_pid: arg(args, "--pid")
            .map(|p| number("--pid", &p))
            .transpose()?,
    };
    let max_growth = arg(args, "--max-growth-mib")
        .map(|m| number("--max-growth-mib", &m))
        .transpose()?;
    Ok((cfg, max_growth))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (cfg, max_growth) = match config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kyodo-load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = match run(&cfg).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kyodo-load: {e:?}");
            return ExitCode::FAILURE;
        }
    };
    let secs = report.elapsed.as_secs_f64();
    let total = report.stats.requests();
    println!(
        "{:?} mix, {} sessions, {:.0} s: {total} requests, {:.0} req/s, {} errors",
        cfg.mix,
        cfg.sessions,
        secs,
        total as f64 / secs,
        report.stats.errors
    );
    println!("\n| request | count | p50 ms | p99 ms |\n|---|---:|---:|---:|");
    for (kind, count, p50, p99) in report.stats.summary() {
        println!("| {kind} | {count} | {p50:.1} | {p99:.1} |");
    }
    for s in &report.stats.samples {
        println!("error: {s}");
    }
    if let Some(path) = arg(&args, "--acknowledged") {
        let lines: String = report
            .stats
            .acknowledged
            .iter()
            .map(|c| format!("{c}\n"))
            .collect();
        if let Err(e) = std::fs::write(&path, lines) {
            eprintln!("kyodo-load: writing {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let mut ok = report.stats.errors == 0;
    if max_growth.is_some() && report.rss.is_empty() {
        println!("no memory readings of the server: the memory gate cannot pass");
        ok = false;
    }
    if let Some(peak) = report.peak_kib
        && !report.rss.is_empty()
    {
        let mib = |k: u64| k as f64 / 1024.0;
        let quarter = report.rss.len() / 4;
        let first = report.rss[quarter].1;
        // Under load: the highest reading after the first quarter, and the last one.
        let highest = report.rss[quarter..]
            .iter()
            .map(|r| r.1)
            .max()
            .unwrap_or(first);
        let last = report.rss.last().map_or(0, |r| r.1);
        let samples: Vec<String> = report
            .rss
            .iter()
            .map(|(s, k)| format!("{s}s:{:.0}", mib(*k)))
            .collect();
        println!(
            "\nserver memory under load: RSS after the first quarter {:.1} MiB, highest after it {:.1} MiB, last {:.1} MiB; lifetime peak (VmHWM) {:.1} MiB\nRSS samples (MiB): {}",
            mib(first),
            mib(highest),
            mib(last),
            mib(peak),
            samples.join(" ")
        );
        if let Some(max) = max_growth
            && (highest > first + max * 1024 || last > first + max * 1024)
        {
            println!("memory under load grew by more than {max} MiB");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
