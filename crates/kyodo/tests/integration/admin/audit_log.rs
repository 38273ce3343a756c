//! The hash-chained audit log detects edited, deleted and reordered entries.

use crate::support::*;
use kyodo::audit::{self, Verdict};

#[tokio::test]
async fn tampering_is_detected_at_the_first_bad_entry() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let db = &t.app.db;
        let Verdict::Intact { entries } = audit::verify(db, org).await.unwrap() else { panic!("fresh chain must be intact") };
        assert!(entries > 10, "demo load is audited ({entries} entries)");

        // Edit: change who did entry 5.
        sqlx::query("UPDATE audit_log SET actor_label = 'someone-else' WHERE organization_id = $1 AND seq = 5").bind(org).execute(db).await.unwrap();
        assert_eq!(audit::verify(db, org).await.unwrap(), Verdict::Broken { seq: 5, reason: "content edited" });
        sqlx::query("UPDATE audit_log SET actor_label = 'cli:demo' WHERE organization_id = $1 AND seq = 5").bind(org).execute(db).await.unwrap();
        assert!(matches!(audit::verify(db, org).await.unwrap(), Verdict::Intact { .. }));

        // Reorder: entries 3 and 4 trade places.
        let swap = "UPDATE audit_log SET seq = CASE seq WHEN 3 THEN -4 ELSE -3 END WHERE organization_id = $1 AND seq IN (3, 4)";
        let settle = "UPDATE audit_log SET seq = -seq WHERE organization_id = $1 AND seq < 0";
        for sql in [swap, settle] {
            sqlx::query(sql).bind(org).execute(db).await.unwrap();
        }
        assert!(matches!(audit::verify(db, org).await.unwrap(), Verdict::Broken { seq: 3, .. }));
        for sql in [swap, settle] {
            sqlx::query(sql).bind(org).execute(db).await.unwrap();
        }
        assert!(matches!(audit::verify(db, org).await.unwrap(), Verdict::Intact { .. }));

        // Delete one in the middle, then the last one.
        sqlx::query("DELETE FROM audit_log WHERE organization_id = $1 AND seq = 7").bind(org).execute(db).await.unwrap();
        assert!(matches!(audit::verify(db, org).await.unwrap(), Verdict::Broken { seq: 7, .. }));
        t
    })
    .await;
}

#[tokio::test]
async fn deleting_the_newest_entry_is_detected() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let Verdict::Intact { entries } = audit::verify(&t.app.db, org).await.unwrap() else { panic!() };
        sqlx::query("DELETE FROM audit_log WHERE organization_id = $1 AND seq = $2").bind(org).bind(entries).execute(&t.app.db).await.unwrap();
        assert!(matches!(audit::verify(&t.app.db, org).await.unwrap(), Verdict::Broken { seq, .. } if seq == entries));
        t
    })
    .await;
}

#[tokio::test]
async fn every_admin_change_is_recorded_with_before_and_after() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let citizen = t.user_id(org, "citizen@demo.kyodo.jp").await;
        kyodo::audit::seal_all(&t.app).await.unwrap();
        let committees = kyodo::audit::list(&t.app.db, org, &Default::default(), 500)
            .await
            .unwrap();
        let committee_id = committees
            .iter()
            .find(|e| e.action == "committee.create")
            .unwrap()
            .target_id
            .clone();
        admin
            .post(
                &format!("/admin/users/{citizen}/grant"),
                &[("role", "committee_member"), ("scope_id", &committee_id)],
            )
            .await;
        admin
            .post(
                &format!("/admin/users/{citizen}/revoke"),
                &[("role", "committee_member"), ("scope_id", &committee_id)],
            )
            .await;
        audit::seal_all(&t.app).await.unwrap();
        let rows = audit::list(&t.app.db, org, &Default::default(), 2)
            .await
            .unwrap();
        assert_eq!(rows[0].action, "role.revoke");
        assert!(
            rows[0]
                .before_json
                .as_deref()
                .unwrap()
                .contains("committee_member")
        );
        assert_eq!(rows[1].action, "role.grant");
        assert!(
            rows[1]
                .after_json
                .as_deref()
                .unwrap()
                .contains("committee_member")
        );
        // Filter and CSV export (with BOM for Excel).
        let page = admin.get("/admin/audit?action=role.grant").await;
        assert!(page.body.contains("role.grant") && !page.body.contains("role.revoke</td>"));
        let csv = admin.get("/admin/audit.csv?action=role.revoke").await;
        let body = demo_csv(&csv);
        assert_eq!(body.lines().count(), 2, "{body}");
        assert!(matches!(
            audit::verify(&t.app.db, org).await.unwrap(),
            Verdict::Intact { .. }
        ));
        t
    })
    .await;
}
