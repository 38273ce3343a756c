//! `kyodo-booking-race --addr A[,B] --room ID --days D1,D2… --slots am,pm… [--clients 1000]
//! [--users racer] [--domain bench.kyodo.jp] [--password P] [--interleave]` — many signed-in users
//! (`racer1@…` … `racerN@…`, each with an active 利用者登録) book the same room at one instant,
//! client i the (day, slot) pair i mod pairs, spread over the instances. Every answer must be
//! 303 (won) or 409 (told the slot is taken). With `--interleave` the winners then cancel while
//! every loser tries again at the same instant. Prints a Markdown table and `HELD n`, the number
//! of slots the run left booked (for the caller to compare with the database). Exits 1 on any
//! other answer, or when the first round's winners are not exactly one per pair.

use kyodo_load::client::{Client, Error, ids_after};
use kyodo_load::stats::Stats;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{Barrier, Semaphore};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[derive(Clone)]
struct Race {
    room: String,
    pairs: Vec<(String, String)>,
}

enum Outcome {
    Won,
    Taken,
    Other(String),
}

async fn book(
    c: &mut Client,
    race: &Race,
    i: usize,
    stats: &mut Stats,
    kind: &'static str,
) -> Outcome {
    let (day, slot) = &race.pairs[i % race.pairs.len()];
    let path = format!("/facilities/rooms/{}/book", race.room);
    let fields = [
        ("date", day.as_str()),
        ("slot", slot.as_str()),
        ("purpose", "練習"),
        ("attendees", "4"),
    ];
    let t0 = Instant::now();
    match c.post(&path, &fields).await {
        Ok(r) => {
            stats.record(kind, t0.elapsed());
            match r.status {
                303 => Outcome::Won,
                409 => Outcome::Taken,
                s => Outcome::Other(format!("book answered {s}")),
            }
        }
        Err(e) => Outcome::Other(format!("book failed: {e}")),
    }
}

async fn main_() -> Result<bool, Error> {
    let args: Vec<String> = std::env::args().collect();
    let addrs: Vec<SocketAddr> = arg(&args, "--addr")
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .split(',')
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let clients: usize = arg(&args, "--clients")
        .unwrap_or_else(|| "1000".into())
        .parse()?;
    let room = arg(&args, "--room").ok_or("--room is needed")?;
    let days: Vec<String> = arg(&args, "--days")
        .ok_or("--days is needed")?
        .split(',')
        .map(String::from)
        .collect();
    let slots: Vec<String> = arg(&args, "--slots")
        .ok_or("--slots is needed")?
        .split(',')
        .map(String::from)
        .collect();
    let users = arg(&args, "--users").unwrap_or_else(|| "racer".into());
    let domain = arg(&args, "--domain").unwrap_or_else(|| "bench.kyodo.jp".into());
    let password = arg(&args, "--password").unwrap_or_else(|| "kyodo-demo-2025".into());
    let interleave = args.iter().any(|a| a == "--interleave");
    let race = Race {
        room,
        pairs: days
            .iter()
            .flat_map(|d| slots.iter().map(move |s| (d.clone(), s.clone())))
            .collect(),
    };

    // Sign everyone in first (password hashing is slow on purpose; not part of the race).
    let gate = Arc::new(Semaphore::new(8));
    let mut logins = Vec::new();
    for i in 0..clients {
        let gate = gate.clone();
        let addr = addrs[i % addrs.len()];
        let (email, password) = (format!("{users}{}@{domain}", i + 1), password.clone());
        logins.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            let mut c = Client::new(addr);
            c.login(&email, &password).await?;
            Ok::<_, Error>(c)
        }));
    }
    let mut sessions = Vec::new();
    for l in logins {
        sessions.push(l.await??);
    }

    // Said on stderr so that a profiler can start here (the sign-ins are argon2 by design).
    eprintln!("kyodo-booking-race: {clients} signed in, racing");
    let barrier = Arc::new(Barrier::new(clients));
    let mut tasks = Vec::new();
    for (i, mut c) in sessions.into_iter().enumerate() {
        let (barrier, race) = (barrier.clone(), race.clone());
        tasks.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            barrier.wait().await;
            let first = book(&mut c, &race, i, &mut stats, "book").await;
            let mut second = None;
            let mut released = false;
            if interleave {
                // The winners find their booking's number to cancel; then everyone goes at once.
                let mut cancel_path = None;
                if matches!(first, Outcome::Won) {
                    let mine = c.get("/facilities/my").await?;
                    cancel_path = ids_after(&mine.body, "/facilities/bookings/")
                        .first()
                        .map(|id| format!("/facilities/bookings/{id}/cancel"));
                }
                barrier.wait().await;
                match cancel_path {
                    Some(path) => {
                        let t0 = Instant::now();
                        let r = c.post(&path, &[]).await?;
                        stats.record("cancel", t0.elapsed());
                        released = r.status == 303;
                        if !released {
                            second = Some(Outcome::Other(format!("cancel answered {}", r.status)));
                        }
                    }
                    None => second = Some(book(&mut c, &race, i, &mut stats, "rebook").await),
                }
            }
            Ok::<_, Error>((first, second, released, stats))
        }));
    }
    let (mut won, mut taken, mut rewon, mut cancelled) = (0usize, 0usize, 0usize, 0usize);
    let mut stats = Stats::default();
    for t in tasks {
        let (first, second, released, s) = t.await??;
        stats.merge(s);
        cancelled += usize::from(released);
        for (o, round) in [(Some(first), 1), (second, 2)] {
            match o {
                Some(Outcome::Won) if round == 1 => won += 1,
                Some(Outcome::Won) => rewon += 1,
                Some(Outcome::Taken) => taken += 1,
                Some(Outcome::Other(e)) => stats.error(e),
                None => {}
            }
        }
    }
    let expected = race.pairs.len().min(clients);
    println!("| run | clients | slots | won | told taken | cancelled | won again | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {clients} | {} | {won} | {taken} | {cancelled} | {rewon} | {} |",
        if interleave {
            "with cancellations"
        } else {
            "book once"
        },
        race.pairs.len(),
        stats.errors
    );
    println!();
    println!("| request | count | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    for (kind, n, p50, p99) in stats.summary() {
        println!("| {kind} | {n} | {p50:.1} | {p99:.1} |");
    }
    for s in &stats.samples {
        eprintln!("error: {s}");
    }
    println!("HELD {}", won - cancelled + rewon);
    Ok(stats.errors == 0 && won == expected)
}

#[tokio::main]
async fn main() -> ExitCode {
    match main_().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("kyodo-booking-race: {e}");
            ExitCode::FAILURE
        }
    }
}
