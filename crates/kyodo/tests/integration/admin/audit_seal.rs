//! Writes append audit entries without queueing on the chain's head; sealers on two instances,
//! running while those writes commit, chain every entry exactly once and the chain verifies.

use crate::support::*;
use kyodo::audit::{self, Actor, Change, Verdict};

#[tokio::test]
async fn two_instances_seal_concurrent_writes_into_one_intact_chain() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let Verdict::Intact { entries: before } = audit::verify(&t.app.db, org).await.unwrap()
        else {
            panic!("the demo's chain is intact")
        };
        let (b, _) = t.instance_with(|_| {}).await;
        let apps = [t.app.clone(), b];
        let mut tasks = Vec::new();
        for i in 0..48usize {
            let app = apps[i % 2].clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = app.begin_write().await.unwrap();
                let change = Change {
                    action: "test.seal",
                    target_type: "test",
                    target_id: i.to_string(),
                    before: None,
                    after: Some(serde_json::json!({ "i": i })),
                };
                if i % 8 == 7 {
                    // Rolled back: its entry goes with it.
                    audit::append(&mut tx, org, &Actor::system(), change)
                        .await
                        .unwrap();
                    tx.rollback().await.unwrap();
                } else {
                    audit::record_and_commit(tx, org, &Actor::system(), change)
                        .await
                        .unwrap();
                }
            }));
            if i % 6 == 0 {
                let app = apps[(i / 6) % 2].clone();
                tasks.push(tokio::spawn(async move {
                    audit::seal_all(&app).await.unwrap();
                }));
            }
        }
        for task in tasks {
            task.await.unwrap();
        }
        let Verdict::Intact { entries } = audit::verify(&t.app.db, org).await.unwrap() else {
            panic!("the chain breaks after concurrent sealing")
        };
        assert_eq!(
            entries,
            before + 42,
            "each committed entry sealed once, no rolled-back one"
        );
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_pending")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(waiting, 0);
        let targets: Vec<String> = sqlx::query_scalar(
            "SELECT target_id FROM audit_log WHERE organization_id = $1 AND action = 'test.seal'",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let mut targets: Vec<usize> = targets.iter().map(|s| s.parse().unwrap()).collect();
        targets.sort();
        let expected: Vec<usize> = (0..48).filter(|i| i % 8 != 7).collect();
        assert_eq!(targets, expected);
        t
    })
    .await;
}
