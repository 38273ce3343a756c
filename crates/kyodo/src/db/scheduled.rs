//! Daily jobs started by a timer on every instance (each server's cron running
//! `kyodo evaluation remind`): the first to claim the day's row acts, the others see it taken.

use super::{Db, now};

/// Claims `job` of the organization for `run_on` (YYYY-MM-DD); false when another run has it.
pub async fn claim(db: &Db, org: i64, job: &str, run_on: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO scheduled_runs (organization_id, job, run_on, claimed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organization_id, job, run_on) DO NOTHING",
    )
    .bind(org)
    .bind(job)
    .bind(run_on)
    .bind(now())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a claimed day back after the job failed, so that a retry (or the next timer) runs it.
pub async fn release(db: &Db, org: i64, job: &str, run_on: &str) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM scheduled_runs WHERE organization_id = $1 AND job = $2 AND run_on = $3",
    )
    .bind(org)
    .bind(job)
    .bind(run_on)
    .execute(db)
    .await?;
    Ok(())
}
