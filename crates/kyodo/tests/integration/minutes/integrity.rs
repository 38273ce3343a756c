//! A speech belongs to a meeting in the database itself (a foreign key), checked at once by every
//! write; an import on PostgreSQL has it checked at its commit instead (migration 0063), where the
//! check is planned when the meetings are there.

use super::*;
use kyodo::minutes::store::{self, NewMeeting, NewSpeech};

/// A meeting id no test writes.
const MISSING: i64 = 987_654_321;

async fn orphan(conn: &mut sqlx::AnyConnection, org: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO minutes_speeches (organization_id, meeting_id, seq, text) VALUES ($1, $2, 1, $3)",
    )
    .bind(org)
    .bind(MISSING)
    .bind("会議のない発言")
    .execute(conn)
    .await
    .map(|_| ())
}

async fn speeches_of_missing(t: &TestApp, org: i64) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) FROM minutes_speeches WHERE organization_id = $1 AND meeting_id = {MISSING}"
    );
    scalar(t, &sql, org).await
}

#[tokio::test]
async fn a_speech_without_its_meeting_is_refused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        // Any write: refused by the statement itself.
        let mut tx = t.app.begin_write().await.unwrap();
        assert!(orphan(&mut tx, org).await.is_err(), "{}", t.backend);
        drop(tx);
        assert_eq!(speeches_of_missing(&t, org).await, 0);

        if t.backend == "postgres" {
            // An import's transaction: the statement passes, the commit refuses it, and the
            // meeting written beside it in the same transaction is gone with it.
            let mut tx = t.app.begin_write().await.unwrap();
            store::check_meetings_at_commit(&mut tx).await.unwrap();
            let meeting = NewMeeting {
                source_key: "integrity-test".into(),
                body: "本会議".into(),
                kind: "council".into(),
                held_on: "2025-06-10".into(),
                title: "本会議".into(),
                speeches: vec![NewSpeech {
                    text: "会議のある発言".into(),
                    ..NewSpeech::default()
                }],
                ..NewMeeting::default()
            };
            store::replace(&mut tx, org, &meeting, false).await.unwrap();
            orphan(&mut tx, org).await.unwrap();
            assert!(tx.commit().await.is_err());
            assert_eq!(speeches_of_missing(&t, org).await, 0);
            let kept = scalar(
                &t,
                "SELECT COUNT(*) FROM minutes_meetings WHERE organization_id = $1 AND source_key = 'integrity-test'",
                org,
            )
            .await;
            assert_eq!(kept, 0);

            // Without the orphan the same import commits, its speech checked at the commit.
            let mut tx = t.app.begin_write().await.unwrap();
            store::check_meetings_at_commit(&mut tx).await.unwrap();
            store::replace(&mut tx, org, &meeting, false).await.unwrap();
            tx.commit().await.unwrap();
        }
        t
    })
    .await;
}
