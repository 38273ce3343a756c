//! `kyodo survey`: generate a large synthetic survey, time its analysis, stream its export — the
//! tools behind `bench/survey-analysis.sh`.

use super::progress::{Progress, peak_rss_mib};
use crate::app::App;
use crate::surveys::demo::Synthetic;
use crate::surveys::store;
use crate::surveys::survey_writes::{self, NewQuestion, NewSurvey};
use crate::surveys::{export, results, tallies};
use anyhow::Context;
use clap::Subcommand;
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

#[derive(Subcommand)]
pub enum SurveyCommand {
    /// Create a closed survey with generated responses (marked 生成データ): two attributes and
    /// importance × satisfaction pairs. Prints the survey id.
    Generate {
        #[arg(long, default_value_t = 1_000_000)]
        responses: usize,
        #[arg(long, default_value_t = 40)]
        pairs: usize,
        #[arg(long)]
        org: Option<String>,
    },
    /// Time the analysis of a survey (counts, scores, portfolio, 改善度指数, cross-tabulation).
    Analyze {
        id: i64,
        #[arg(long)]
        org: Option<String>,
    },
    /// Stream a survey's responses to a CSV or, for a `.xlsx` path, an Excel file; report the peak memory.
    Export {
        id: i64,
        #[arg(long)]
        to: std::path::PathBuf,
        #[arg(long)]
        org: Option<String>,
    },
}

pub async fn run(app: &App, cmd: SurveyCommand) -> anyhow::Result<()> {
    match cmd {
        SurveyCommand::Generate {
            responses,
            pairs,
            org,
        } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            let id = generate(app, org, responses, pairs).await?;
            println!("{id}");
        }
        SurveyCommand::Analyze { id, org } => {
            let org = super::pick_org(app, org.as_deref()).await?.id;
            analyze(app, org, id).await?;
        }
        SurveyCommand::Export { id, to, org } => {
            let org = super::pick_org(app, org.as_deref()).await?;
            let (org, demo) = (org.id, org.is_demo);
            let form = store::form(&app.db, org, id)
                .await?
                .context("no such survey")?;
            let started = Instant::now();
            if to.extension().is_some_and(|e| e == "xlsx") {
                export::write_xlsx(app.db.clone(), org, form, to.clone(), demo).await?;
            } else {
                let mut file = std::io::BufWriter::new(
                    std::fs::File::create(&to)
                        .with_context(|| format!("creating {}", to.display()))?,
                );
                let mut stream = Box::pin(export::stream_csv(app.db.clone(), org, form));
                while let Some(chunk) = stream.next().await {
                    file.write_all(&chunk?)?;
                }
                file.flush()?;
            }
            let bytes = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
            println!(
                "exported {:.1} MiB in {:.1} s; peak RSS {:.1} MiB",
                bytes as f64 / 1_048_576.0,
                started.elapsed().as_secs_f64(),
                peak_rss_mib().unwrap_or(f64::NAN)
            );
        }
    }
    Ok(())
}

async fn generate(app: &App, org: i64, count: usize, pairs: usize) -> anyhow::Result<i64> {
    let mut tx = app.begin_write().await?;
    let title = format!("(生成データ)重要度・満足度 {pairs}項目 × {count}件");
    let id = survey_writes::insert_survey(
        &mut tx,
        org,
        &NewSurvey {
            title: &title,
            description: "ベンチマーク用に生成した回答です。",
            audience: "codes",
            status: "closed",
            fiscal_year: 2026,
            series: "",
            is_demo: true,
        },
    )
    .await?;
    let mut attributes = Vec::new();
    for (label, options) in [
        (
            "年代",
            &["10・20代", "30代", "40代", "50代", "60代", "70代以上"][..],
        ),
        ("地区", &["東", "西", "南", "北", "中央", "山間"][..]),
    ] {
        let q = NewQuestion {
            kind: "single",
            label,
            required: true,
            attribute: true,
            options,
            ..NewQuestion::default()
        };
        attributes.push(survey_writes::insert_question(&mut tx, org, id, &q).await?);
    }
    let mut pair_ids = Vec::new();
    for i in 1..=pairs {
        let subject = format!("施策{i}");
        let q = NewQuestion {
            kind: "pair",
            label: &subject,
            subject: &subject,
            ..NewQuestion::default()
        };
        pair_ids.push(
            survey_writes::insert_question(&mut tx, org, id, &q)
                .await?
                .0,
        );
    }
    tx.commit().await?;
    let spec = Synthetic {
        attributes,
        pairs: pair_ids,
        wave: 0,
        year: 2026,
    };
    let mut counts: BTreeMap<tallies::Key, i64> = BTreeMap::new();
    let mut progress = Progress::new("responses", count as u64);
    let batch = 2_000;
    let mut first = 0;
    while first < count {
        let n = batch.min(count - first);
        let mut tx = app.begin_write().await?;
        for (k, v) in spec.insert(&mut tx, org, id, first, n).await? {
            *counts.entry(k).or_insert(0) += v;
        }
        tx.commit().await?;
        first += n;
        progress.advance(n as u64);
    }
    progress.finish();
    let mut tx = app.begin_write().await?;
    tallies::apply(&mut tx, org, id, &counts).await?;
    tx.commit().await?;
    Ok(id)
}

async fn analyze(app: &App, org: i64, id: i64) -> anyhow::Result<()> {
    let started = Instant::now();
    let form = store::form(&app.db, org, id)
        .await?
        .context("no such survey")?;
    let loaded = started.elapsed();
    let tally = results::tally(&app.db, org, id).await?;
    let counted = started.elapsed();
    let items = results::portfolio(&form, &tally);
    let placed = started.elapsed();
    let attribute = form
        .questions
        .iter()
        .find(|q| q.row.attribute != 0)
        .map(|q| q.id());
    let cross = match attribute {
        Some(a) => results::crosstab(&app.db, org, id, a).await?.len(),
        None => 0,
    };
    let total = started.elapsed();
    let best = items.iter().max_by(|a, b| {
        a.placed
            .improvement_index
            .total_cmp(&b.placed.improvement_index)
    });
    println!(
        "respondents {}; {} items placed; cross-tabulation groups {cross}",
        tally.respondents,
        items.len()
    );
    if let Some(b) = best {
        println!(
            "first to improve: {} (改善度指数 {:.1})",
            b.subject, b.placed.improvement_index
        );
    }
    println!(
        "questionnaire {:.1} ms, counts and scores {:.1} ms, portfolio {:.1} ms, cross-tabulation {:.1} ms; total {:.1} ms",
        loaded.as_secs_f64() * 1e3,
        (counted - loaded).as_secs_f64() * 1e3,
        (placed - counted).as_secs_f64() * 1e3,
        (total - placed).as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    Ok(())
}
