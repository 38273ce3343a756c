//! `kyodo-import-crawl --addr 127.0.0.1:8080 --pid N [--programmes 400]` — the HQ imports a city's
//! evaluation workbook of `--programmes` rows and 210 columns (title row, four year blocks,
//! departments by name, free-text columns nobody maps) through the import pages, then an anonymous
//! visitor crawls every public page reachable from `/` (sheet PDFs and workbooks included). Prints
//! the server's peak memory (VmHWM) after the import and after the crawl. Exits 1 on any failed
//! step or request.

use kyodo_load::client::{Client, Error};
use kyodo_load::stats::memory_kib;
use std::collections::{BTreeSet, VecDeque};
use std::process::ExitCode;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// A workbook as a city keeps it: a title row, the header on row 2, `n` programmes.
fn workbook(n: usize) -> Result<Vec<u8>, Error> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("事務事業評価")?;
    ws.write_string(0, 0, "令和8年度 事務事業評価シート一覧")?;
    let mut header: Vec<String> = [
        "事業コード",
        "事務事業名",
        "所管課コード",
        "実施方法",
        "根拠法令",
    ]
    .map(String::from)
    .to_vec();
    for block in [
        "令和7年度決算",
        "令和8年度予算",
        "令和8年度決算",
        "令和9年度予算",
    ] {
        for part in ["一般財源", "国庫支出金", "人工 正規職員"] {
            header.push(format!("{block} {part}"));
        }
    }
    while header.len() < 210 {
        header.push(format!("備考{}", header.len()));
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, h)?;
    }
    for i in 0..n {
        let r = i as u32 + 2;
        ws.write_string(r, 0, format!("7{i:03}"))?;
        ws.write_string(r, 1, format!("取り込み事業{i:03}"))?;
        ws.write_string(
            r,
            2,
            if i % 2 == 0 {
                "企画調整課"
            } else {
                "協働推進課"
            },
        )?;
        ws.write_string(r, 3, "直営")?;
        ws.write_string(r, 4, "地方自治法")?;
        for b in 0..4u16 {
            ws.write_number(r, 5 + b * 3, 1_000.0 + i as f64)?;
            ws.write_number(r, 6 + b * 3, 200.0)?;
            ws.write_number(r, 7 + b * 3, 0.5)?;
        }
        for c in 17..210u16 {
            ws.write_string(r, c, format!("メモ{i}-{c}"))?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

async fn import(client: &mut Client, programmes: usize) -> Result<(), Error> {
    client.login("hq@demo.kyodo.jp", "kyodo-demo-2025").await?;
    let res = client
        .post("/hq/evaluation/cycles", &[("fiscal_year", "2026")])
        .await?;
    let cycle = res.location.ok_or("no new year")?;
    let book = workbook(programmes)?;
    println!(
        "workbook: {programmes} programmes, 210 columns, {} KiB",
        book.len() / 1024
    );
    let res = client
        .post_file(&format!("{cycle}/import"), "評価.xlsx", &book)
        .await?;
    let review = res
        .location
        .ok_or_else(|| format!("upload answered {}", res.status))?;
    let res = client
        .post(&review, &[("accept_flagged", "1"), ("action", "apply")])
        .await?;
    if res.status != 303 {
        return Err(format!("apply answered {}", res.status).into());
    }
    Ok(())
}

/// Every same-site link of a page (`href="/…"`), without its fragment.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|l| format!("/{}", l.split('#').next().unwrap_or("")).replace("&amp;", "&"))
        .collect()
}

async fn crawl(client: &mut Client, limit: usize, pid: u32) -> Result<(usize, usize), Error> {
    let mut seen = BTreeSet::from(["/".to_string()]);
    let mut queue = VecDeque::from(["/".to_string()]);
    let (mut pages, mut failed) = (0, 0);
    while let Some(path) = queue.pop_front() {
        if pages >= limit {
            break;
        }
        let before = peak(pid);
        let res = client.get(&path).await?;
        pages += 1;
        // The pages that raise the peak, so what holds memory can be found.
        let after = peak(pid);
        if after - before >= 2.0 {
            println!("  {path} raised the peak {before:.1} → {after:.1} MiB");
        }
        if res.status >= 400 && res.status != 404 {
            failed += 1;
            eprintln!("{path}: {}", res.status);
        }
        for l in links(&res.body) {
            let skip = l.starts_with("/login")
                || l.starts_with("/logout")
                || l.starts_with("/register")
                || l.starts_with("/password")
                || l.starts_with("/prefs")
                || l.starts_with("/assets");
            if !skip && seen.insert(l.clone()) {
                queue.push_back(l);
            }
        }
    }
    Ok((pages, failed))
}

fn peak(pid: u32) -> f64 {
    memory_kib(pid).map_or(0.0, |(_, hwm)| hwm as f64 / 1024.0)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let addr = arg(&args, "--addr").unwrap_or_else(|| "127.0.0.1:8080".into());
    let (Ok(addr), Some(Ok(pid))) = (addr.parse(), arg(&args, "--pid").map(|p| p.parse::<u32>()))
    else {
        eprintln!("usage: kyodo-import-crawl --addr HOST:PORT --pid N [--programmes 400]");
        return ExitCode::FAILURE;
    };
    let programmes = arg(&args, "--programmes")
        .and_then(|n| n.parse().ok())
        .unwrap_or(400);
    println!("server peak before: {:.1} MiB", peak(pid));
    if let Err(e) = import(&mut Client::new(addr), programmes).await {
        eprintln!("import failed: {e}");
        return ExitCode::FAILURE;
    }
    println!("server peak after the import: {:.1} MiB", peak(pid));
    match crawl(&mut Client::new(addr), 5_000, pid).await {
        Ok((pages, 0)) => {
            println!("crawl: {pages} public pages, 0 failed");
            println!("server peak after the crawl: {:.1} MiB", peak(pid));
            ExitCode::SUCCESS
        }
        Ok((pages, failed)) => {
            eprintln!("crawl: {pages} public pages, {failed} failed");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("crawl stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
