//! `kyodo reservations draw --lottery ID`: draws a lottery whose application period is over (as
//! the staff page does; for a night-time timer). `kyodo reservations draw --seed S --inputs F`:
//! runs a published draw again from its seed and inputs CSV, without a database, and prints the
//! wins as CSV (entry number, wish, day, slot) — anyone can check a published result.

use crate::app::App;
use crate::audit::Actor;
use crate::reservations::draw;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ReservationsCommand {
    /// Draw a lottery (--lottery), or re-run a published draw (--seed and --inputs).
    Draw {
        #[arg(long)]
        lottery: Option<i64>,
        #[arg(long)]
        seed: Option<String>,
        /// The draw's inputs as published (lottery-N-inputs.csv).
        #[arg(long)]
        inputs: Option<std::path::PathBuf>,
        #[arg(long)]
        org: Option<String>,
    },
}

impl ReservationsCommand {
    /// The re-run needs no database.
    pub fn is_offline(&self) -> bool {
        matches!(self, ReservationsCommand::Draw { lottery: None, .. })
    }
}

/// Re-runs a published draw and prints its wins.
pub fn replay(cmd: &ReservationsCommand) -> anyhow::Result<()> {
    let ReservationsCommand::Draw { seed, inputs, .. } = cmd;
    let (Some(seed), Some(inputs)) = (seed, inputs) else {
        anyhow::bail!(
            "give --lottery ID to draw, or --seed and --inputs to re-run a published draw"
        );
    };
    let text = std::fs::read_to_string(inputs)?;
    let (wishes, excluded) = draw::parse_inputs(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("応募番号,順位,利用日,区分");
    for (entry, rank, day, slot) in draw::draw(seed, &wishes, &excluded) {
        println!("{entry},{rank},{day},{slot}");
    }
    Ok(())
}

pub async fn run(app: &App, cmd: ReservationsCommand) -> anyhow::Result<()> {
    let ReservationsCommand::Draw { lottery, org, .. } = cmd;
    let org = super::pick_org(app, org.as_deref()).await?.id;
    let id = lottery.ok_or_else(|| anyhow::anyhow!("--lottery ID is needed"))?;
    let started = std::time::Instant::now();
    let done = crate::reservations::lottery::run_draw(app, org, &Actor::system(), id)
        .await
        .map_err(|e| anyhow::anyhow!("{}", super::describe(e)))?;
    println!(
        "lottery {id}: {} applicants, {} wins booked as 仮予約 in {:.0} ms",
        done.applicants,
        done.wins,
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
