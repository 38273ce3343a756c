//! Writers that share one commit (SQLite's group commit; PostgreSQL's own transactions): each is
//! all or nothing on its own — committed, rolled back, failed or dropped midway — and a commit
//! that returned is visible to every other connection.

use crate::support::*;

async fn holiday(tx: &mut kyodo::db::write::WriteTx, org: i64, day: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO org_holidays (organization_id, day, name) VALUES ($1, $2, 'test')")
        .bind(org)
        .bind(day)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

async fn stored(db: &kyodo::db::Db, org: i64, day: &str) -> bool {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM org_holidays WHERE organization_id = $1 AND day = $2",
    )
    .bind(org)
    .bind(day)
    .fetch_one(db)
    .await
    .unwrap()
        == 1
}

#[tokio::test]
async fn each_writer_of_a_group_stands_alone() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut tasks = Vec::new();
        for i in 0..60 {
            let app = t.app.clone();
            tasks.push(tokio::spawn(async move {
                let day = format!("2031-01-{:02}-{i}", i % 28 + 1);
                let mut tx = app.begin_write().await.unwrap();
                holiday(&mut tx, org, &day).await.unwrap();
                match i % 5 {
                    0 => {
                        tx.rollback().await.unwrap();
                        (day, false)
                    }
                    1 => {
                        drop(tx); // a handler that returned early with `?`
                        (day, false)
                    }
                    2 => {
                        // A statement fails (the same day twice); the writer stops there.
                        let again = holiday(&mut tx, org, &day).await;
                        assert!(again.is_err(), "a second row for one day is refused");
                        drop(tx);
                        (day, false)
                    }
                    _ => {
                        tx.commit().await.unwrap();
                        // Committed means readable on any other connection, at once.
                        assert!(
                            stored(&app.db, org, &day).await,
                            "{day} visible after commit"
                        );
                        (day, true)
                    }
                }
            }));
        }
        let mut kept = 0;
        for task in tasks {
            let (_, committed) = task.await.unwrap();
            kept += i64::from(committed);
        }
        assert_eq!(kept, 24);
        // A lone writer after them: it waits for the dropped writers' rollbacks (they keep the
        // turn until done) and commits at once.
        let mut tx = t.app.begin_write().await.unwrap();
        holiday(&mut tx, org, "2032-01-01").await.unwrap();
        tx.commit().await.unwrap();
        assert!(stored(&t.app.db, org, "2032-01-01").await);
        let rows: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM org_holidays WHERE organization_id = $1 AND day LIKE '2031-%'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(rows, kept, "exactly the committed writers' rows are stored");
        t
    })
    .await;
}
