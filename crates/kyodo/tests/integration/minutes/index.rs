//! The search index is derived data of each instance: two instances on one database stay in step
//! with it, and an index left behind or damaged (a crash between writes) is completed or rebuilt.

use super::*;
use kyodo::minutes::index::{MinutesIndex, eval};
use kyodo::minutes::search::{self, Filters};
use kyodo::minutes::store::{self, NewMeeting, NewSpeech};

fn meeting(key: &str, text: &str) -> NewMeeting {
    NewMeeting {
        source_key: key.into(),
        body: "総務委員会".into(),
        kind: "council".into(),
        held_on: "2025-09-10".into(),
        title: "総務委員会".into(),
        speeches: vec![NewSpeech {
            speaker_raw: "委員長（門田四郎君）".into(),
            speaker: "門田四郎".into(),
            position: "委員長".into(),
            text: text.into(),
            ..NewSpeech::default()
        }],
        ..NewMeeting::default()
    }
}

async fn write(app: &kyodo::app::App, org: i64, m: &NewMeeting) {
    let mut tx = app.begin_write().await.unwrap();
    store::replace(&mut tx, org, m, false).await.unwrap();
    tx.commit().await.unwrap();
}

async fn hits(app: &kyodo::app::App, org: i64, term: &str) -> i64 {
    let q = search::parse(term).unwrap();
    search::search(app, org, &q, &Filters::default(), 0, 10)
        .await
        .unwrap()
        .0
}

async fn count(ix: &MinutesIndex, t: &TestApp, org: i64, term: &str) -> usize {
    let ix = ix.ensure(&t.app.db, org).await.unwrap();
    eval::matches(&ix, &search::parse(term).unwrap(), &Filters::default()).len()
}

#[tokio::test]
async fn two_instances_on_one_database_stay_in_step() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (b, _) = t
            .instance_with(|c| c.data_dir = c.data_dir.join("instance-b"))
            .await;
        let a = &t.app;
        assert_eq!(
            hits(a, org, "財政").await as usize,
            naive(&t, org, &["財政"], &[], &[]).await
        );
        assert_eq!(hits(&b, org, "鶴ヶ城周辺整備構想").await, 0);
        // Written through B: A, whose index was already open, finds it on its next search.
        write(
            &b,
            org,
            &meeting("test:1", "鶴ヶ城周辺整備構想の進捗を伺います。"),
        )
        .await;
        assert_eq!(hits(a, org, "鶴ヶ城周辺整備構想").await, 1);
        // B asked before the change: its kept matches (none) are not the answer after it.
        assert_eq!(hits(&b, org, "鶴ヶ城周辺整備構想").await, 1);
        assert_eq!(hits(&b, org, "鶴ヶ城周辺整備構想").await, 1, "asked again");
        // Replaced through A: B forgets the old text and finds the new.
        write(a, org, &meeting("test:1", "市民協働条例について伺います。")).await;
        assert_eq!(hits(&b, org, "鶴ヶ城周辺整備構想").await, 0);
        assert_eq!(hits(&b, org, "市民協働条例").await, 1);
        for term in ["市", "財政", "市民協働", "伺います"] {
            let n = naive(&t, org, &[term], &[], &[]).await as i64;
            assert_eq!(
                (hits(a, org, term).await, hits(&b, org, term).await),
                (n, n),
                "{term}"
            );
            // The per-year chart counts every hit once, whatever the segments.
            let q = search::parse(term).unwrap();
            let years = search::by_year(&b, org, &q, &Filters::default())
                .await
                .unwrap();
            assert_eq!(
                years.iter().map(|(_, c)| c).sum::<i64>(),
                n,
                "{term} by year"
            );
        }
        let q = search::parse("市民協働条例").unwrap();
        let years = search::by_year(a, org, &q, &Filters::default())
            .await
            .unwrap();
        assert_eq!(years, vec![("2025".to_string(), 1)]);
        t
    })
    .await;
}

#[tokio::test]
async fn an_index_left_behind_or_damaged_is_completed_or_rebuilt() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let root = t.data_dir.join("minutes-index");
        let dir = root.join(org.to_string());
        assert!(hits(&t.app, org, "財政").await > 0);
        let manifest = || -> Vec<u64> {
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
        };
        let before = manifest();
        // The process "dies" with its index on disk; meetings are written meanwhile.
        write(
            &t.app,
            org,
            &meeting("test:late", "防災行政無線の更新について"),
        )
        .await;
        std::fs::write(dir.join("424242.seg"), b"left by an interrupted update").unwrap();
        let reopened = MinutesIndex::new(Some(root.clone()), 0);
        assert_eq!(count(&reopened, &t, org, "防災行政無線").await, 1);
        assert_eq!(
            count(&reopened, &t, org, "財政").await,
            naive(&t, org, &["財政"], &[], &[]).await
        );
        let after = manifest();
        assert_eq!(
            after.len(),
            before.len() + 1,
            "completed with one more segment, not rebuilt"
        );
        assert!(
            !dir.join("424242.seg").exists(),
            "a file no manifest names is removed"
        );
        // A segment cut short (a torn write) is refused and the index rebuilt from the database.
        let newest = dir.join(format!("{}.seg", after.last().unwrap()));
        let bytes = std::fs::read(&newest).unwrap();
        std::fs::write(&newest, &bytes[..bytes.len() / 2]).unwrap();
        let rebuilt = MinutesIndex::new(Some(root.clone()), 0);
        assert_eq!(count(&rebuilt, &t, org, "防災行政無線").await, 1);
        assert_eq!(
            count(&rebuilt, &t, org, "市").await,
            naive(&t, org, &["市"], &[], &[]).await
        );
        assert_eq!(manifest().len(), 1, "rebuilt as one segment");
        // What was written is whole again: a third process reads it without rebuilding.
        let again = MinutesIndex::new(Some(root), 0);
        assert_eq!(count(&again, &t, org, "防災行政無線").await, 1);
        t
    })
    .await;
}

#[tokio::test]
async fn an_import_is_indexed_as_it_is_written() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let dir = t.data_dir.join("minutes-index").join(org.to_string());
        assert!(hits(&t.app, org, "財政").await > 0);
        let manifest = || -> Vec<u64> {
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
        };
        let before = manifest();
        let actor = kyodo::audit::Actor::cli("test");
        let import = |m: NewMeeting| {
            let app = t.app.clone();
            let actor = actor.clone();
            async move {
                kyodo::minutes::import::apply(&app, org, &actor, vec![m], &mut |_| {})
                    .await
                    .unwrap()
            }
        };
        import(meeting(
            "test:imported",
            "鶴ヶ城周辺整備構想の進捗を伺います。",
        ))
        .await;
        // The import's own segment was adopted and saved before the import returned.
        let after = manifest();
        assert_eq!(after.len(), before.len() + 1, "one segment more");
        assert_eq!(hits(&t.app, org, "鶴ヶ城周辺整備構想").await, 1);
        // Imported again: the first import's segment holds nothing current and is dropped.
        import(meeting("test:imported", "市民協働条例について伺います。")).await;
        assert_eq!(manifest().len(), after.len(), "replaced, not piled up");
        assert!(!manifest().contains(after.last().unwrap()));
        assert_eq!(hits(&t.app, org, "鶴ヶ城周辺整備構想").await, 0);
        assert_eq!(hits(&t.app, org, "市民協働条例").await, 1);
        // An import that fails part-way writes nothing and indexes nothing.
        let mut batches = vec![
            Ok(vec![meeting("test:failed", "公共交通網形成計画について")]),
            Err(anyhow::anyhow!("a file changed since it was checked")),
        ]
        .into_iter();
        let failed =
            kyodo::minutes::import::apply_batches(&t.app, org, &actor, &mut batches, &mut |_| {})
                .await;
        assert!(failed.is_err());
        assert_eq!(hits(&t.app, org, "公共交通網形成計画").await, 0);
        for term in ["市", "財政", "伺います"] {
            let n = naive(&t, org, &[term], &[], &[]).await as i64;
            assert_eq!(hits(&t.app, org, term).await, n, "{term}");
        }
        t
    })
    .await;
}
