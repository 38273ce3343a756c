//! Every count the search reports is checked against a naive scan: each speech's text normalised
//! (NFKC, lower case) and searched for each normalised term, so a missed or a false hit fails.

use super::*;
use crate::support::*;
use axum::http::StatusCode;
use kyodo::minutes::text::normalize;

#[tokio::test]
async fn minutes_are_imported_whole_and_found_exactly() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let meetings = |t: &TestApp| {
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
        let before = meetings(&t).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(hq.get("/hq/minutes/import").await.status, StatusCode::OK);

        // A speaker mark the parser cannot place: named by file and line, nothing imported.
        let bad = city_minutes().replace("◆２番(湊花子議員)　市の財政", "◆２番　市の財政");
        let res = hq
            .post_multipart(
                "/hq/minutes/import",
                &[("body", "本会議")],
                ("file", "r7-06.txt", bad.as_bytes()),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("発言者(役職と（氏名）)を読み取れません")
                && res
                    .body
                    .contains("<td>r7-06.txt</td><td class=\"num\">6</td>"),
            "{}",
            res.body
        );
        assert_eq!(meetings(&t).await, before);
        // In Shift_JIS, as many city systems write it; twice: the second replaces the first.
        let text = city_minutes();
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        for _ in 0..2 {
            let res = hq
                .post_multipart(
                    "/hq/minutes/import",
                    &[
                        ("body", "本会議"),
                        ("kind", "council"),
                        ("session", "令和7年6月定例会"),
                        ("issue", "第2号"),
                    ],
                    ("file", "r7-06.txt", &sjis),
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        assert_eq!(
            meetings(&t).await,
            before + 1,
            "a re-import replaces, never duplicates"
        );
        let res = hq
            .post_multipart(
                "/hq/minutes/import",
                &[],
                ("file", "ndl.json", NDL.as_bytes()),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = hq.get(res.location()).await;
        assert!(
            page.body.contains("防災の予算について伺います。")
                && page.body.contains("予算特別委員会"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("会議録情報"),
            "speech 0 is front matter"
        );
        let broken = hq
            .post_multipart(
                "/hq/minutes/import",
                &[],
                ("file", "ndl.json", &NDL.as_bytes()[..200]),
            )
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(broken.body.contains("JSONとして読めません"));

        // Exact counts, anonymous: 1- and 2-character terms, width and case variants, AND, OR,
        // NOT, phrases, and characters that are wildcards to SQL.
        let mut c = t.client();
        for term in [
            "行政改革",
            "財政",
            "市",
            "予算",
            "abc",
            "ＡＢＣ",
            "ガイドライン",
            "ｶﾞｲﾄﾞ",
            "100%",
            "%",
            "_",
        ] {
            assert_eq!(
                total(&mut c, &format!("q={}", q(term))).await,
                naive(&t, org, &[term], &[], &[]).await,
                "{term}"
            );
        }
        assert_eq!(
            total(&mut c, &format!("q={}", q("財政　基金"))).await,
            naive(&t, org, &["財政", "基金"], &[], &[]).await
        );
        assert_eq!(
            total(&mut c, &format!("q={}", q("防災 OR 基金"))).await,
            naive(&t, org, &[], &["防災", "基金"], &[]).await
        );
        assert_eq!(
            total(&mut c, &format!("q={}", q("財政 -基金"))).await,
            naive(&t, org, &["財政"], &[], &["基金"]).await
        );
        assert_eq!(
            total(&mut c, &format!("q={}", q("\"市民協働の観点 から\""))).await,
            0,
            "a phrase keeps its space"
        );
        assert_eq!(
            total(&mut c, &format!("q={}", q("\"市民協働の観点\""))).await,
            naive(&t, org, &["市民協働の観点"], &[], &[]).await
        );

        // The frequency by year, as a chart with its table: 財政 in 2024 (demo) and 2025 (imported).
        let years = c.get(&format!("/minutes?q={}", q("財政"))).await;
        assert!(
            years.body.contains("<svg")
                && years
                    .body
                    .contains("<th scope=\"row\">2025</th><td class=\"num\">2</td>"),
            "{}",
            years.body
        );
        // Snippets mark every hit; the permalink opens the speech with hits marked.
        let res = c.get(&format!("/minutes?q={}", q("行政改革"))).await;
        assert!(res.body.contains("<mark>行政改革</mark>"), "{}", res.body);
        let res = c.get(&format!("/minutes?q={}", q("ｶﾞｲﾄﾞﾗｲﾝ"))).await;
        assert!(
            res.body.contains("<mark>ｶﾞｲﾄﾞﾗｲﾝ</mark>"),
            "the original text is marked"
        );
        let link = res
            .body
            .split("href=\"/minutes/meetings/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&");
        let meeting = c.get(&format!("/minutes/meetings/{link}")).await;
        assert_eq!(meeting.status, StatusCode::OK);
        assert!(
            meeting.body.contains("<mark>ｶﾞｲﾄﾞﾗｲﾝ</mark>") && meeting.body.contains("id=\"hit-1\"")
        );

        // Filters and paging: 項目 is said 25 times by one speaker in one meeting.
        assert_eq!(
            total(&mut c, &format!("q={}&speaker={}", q("項目"), q("北会津"))).await,
            25
        );
        assert_eq!(
            total(&mut c, &format!("q={}&speaker={}", q("項目"), q("湊"))).await,
            0
        );
        // The chair opens the 予算特別委員会; a member asks about the 予算 for 防災.
        assert_eq!(
            total(
                &mut c,
                &format!("q={}&body={}", q("予算"), q("予算特別委員会"))
            )
            .await,
            2
        );
        assert_eq!(
            total(&mut c, &format!("q={}&kind=executive", q("行政改革"))).await,
            naive_executive(&t, org, "行政改革").await
        );
        assert_eq!(
            total(
                &mut c,
                &format!("q={}&from={}", q("財政"), q("令和7年6月1日"))
            )
            .await,
            2
        );
        assert_eq!(
            total(
                &mut c,
                &format!("q={}&until={}", q("財政"), q("2025-05-31"))
            )
            .await,
            naive(&t, org, &["財政"], &[], &[]).await - 2
        );
        let first = c.get(&format!("/minutes?q={}&sort=old", q("項目"))).await;
        assert!(
            first.body.contains("<mark>項目</mark>1について")
                && first.body.contains("rel=\"next\"")
        );
        assert!(
            !first.body.contains("<mark>項目</mark>21について"),
            "20 hits a page"
        );
        let second = c
            .get(&format!("/minutes?q={}&sort=old&page=1", q("項目")))
            .await;
        assert!(
            second.body.contains("<mark>項目</mark>21について")
                && second.body.contains("rel=\"prev\"")
        );

        // 役職: the answers of the 財務部長 only.
        let by_position: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM minutes_speeches WHERE organization_id = $1 AND position = '財務部長' AND text LIKE '%財政%'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert!(by_position >= 1);
        assert_eq!(total(&mut c, &format!("q={}&position={}", q("財政"), q("財務部長"))).await, by_position as usize);
        // Bad input is answered beside its field, never a 500.
        let long = c.get(&format!("/minutes?q={}", q(&"あ".repeat(201)))).await;
        assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(long.body.contains("検索語は200文字までにしてください"));
        let date = c
            .get(&format!("/minutes?q=a&from={}", q("令和99年13月")))
            .await;
        assert_eq!(date.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(date.body.contains("id=\"e-from\""));
        t
    })
    .await;
}

async fn naive_executive(t: &TestApp, org: i64, term: &str) -> usize {
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT s.text FROM minutes_speeches s JOIN minutes_meetings m ON m.organization_id = s.organization_id AND m.id = s.meeting_id \
         WHERE s.organization_id = $1 AND s.speaker_raw <> '' AND m.kind = 'executive'",
    )
    .bind(org)
    .fetch_all(&t.app.db)
    .await
    .unwrap();
    texts
        .iter()
        .filter(|x| normalize(x).contains(&normalize(term)))
        .count()
}
