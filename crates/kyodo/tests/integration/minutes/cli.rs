//! `kyodo minutes import`.

use super::*;
use crate::support::*;

/// `kyodo minutes import`: every file checked first, problems printed as file:line, nothing written
/// when there is one; good files written with a progress bar on stderr (stage directions count).
#[tokio::test]
async fn the_command_line_imports_checked_files_or_nothing() {
    use crate::ops::cli::{kyodo, ok};
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let count = || {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM minutes_meetings WHERE organization_id = $1",
                )
                .bind(org)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let before = count().await;
        let good = t.data_dir.join("good.txt");
        let bad = t.data_dir.join("bad.txt");
        std::fs::write(&good, city_minutes()).unwrap();
        std::fs::write(&bad, "会議\n○議長　発言者の読めない行\n").unwrap();
        let ndl = t.data_dir.join("ndl.json");
        std::fs::write(&ndl, NDL).unwrap();
        let (g, b, n) = (
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
            ndl.to_str().unwrap(),
        );
        let out = kyodo(
            &t,
            &[
                "minutes",
                "import",
                g,
                b,
                "--org",
                "072028",
                "--body",
                "本会議",
            ],
            None,
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad.txt:2: 発言者の記号があります") && err.contains("nothing imported"),
            "{err}"
        );
        assert_eq!(count().await, before);
        let out = ok(&kyodo(
            &t,
            &[
                "minutes",
                "import",
                g,
                n,
                "--org",
                "072028",
                "--body",
                "本会議",
            ],
            None,
        ));
        assert!(out.contains("2 meetings, 32 speeches imported"), "{out}");
        assert_eq!(count().await, before + 2);
        t
    })
    .await;
}

/// A meeting's published CSV goes back in unchanged and replaces the meeting; a CSV with a bad row
/// is refused by line with nothing written.
#[tokio::test]
async fn a_published_speeches_csv_imports_back_and_replaces_its_meeting() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let text = city_minutes();
        let res = hq
            .post_multipart(
                "/hq/minutes/import",
                &[("body", "本会議"), ("issue", "第2号")],
                ("file", "r7.txt", text.as_bytes()),
            )
            .await;
        let meeting = res.location().to_string();
        let count = || {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM minutes_meetings WHERE organization_id = $1",
                )
                .bind(org)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let before = count().await;
        let csv = hq.get(&format!("{meeting}/speeches.csv")).await;
        let edited = demo_csv(&csv).replace(
            "財政調整基金は前年度より増えております。",
            "財政調整基金は3億円です。",
        );
        let res = hq
            .post_multipart(
                "/hq/minutes/import",
                &[],
                ("file", "speeches.csv", edited.as_bytes()),
            )
            .await;
        assert_eq!(
            res.status,
            axum::http::StatusCode::SEE_OTHER,
            "{}",
            res.body
        );
        assert_eq!(res.location(), meeting, "the same meeting, replaced");
        assert_eq!(count().await, before);
        let page = hq.get(&meeting).await;
        assert!(
            page.body.contains("財政調整基金は3億円です。")
                && !page.body.contains("前年度より増えております")
        );
        let bad = edited.replacen("2025-06-10", "令和7年13月1日", 1);
        let res = hq
            .post_multipart(
                "/hq/minutes/import",
                &[],
                ("file", "speeches.csv", bad.as_bytes()),
            )
            .await;
        assert_eq!(res.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body
                .contains("<td>speeches.csv</td><td class=\"num\">2</td>"),
            "{}",
            res.body
        );
        t
    })
    .await;
}
