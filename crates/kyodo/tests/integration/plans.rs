//! Plans and progress management: the seed plan, the report workflow, citizens' ratings and comments,
//! committee opinions, open data and the anonymous page cache — on both backends.

use crate::support::*;
use axum::http::StatusCode;

/// (plan id, node id of a seed measure).
async fn ids(t: &TestApp, seed_ref: &str) -> (i64, i64) {
    let org = t.demo_org().await;
    sqlx::query_as(
        "SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = $2",
    )
    .bind(org)
    .bind(seed_ref)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

async fn period(t: &TestApp, plan: i64, year: i64) -> i64 {
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM reporting_periods WHERE plan_id = $1 AND fiscal_year = $2")
            .bind(plan)
            .bind(year)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
    id
}

/// Form fields as the client takes them.
fn refs<'a>(v: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn count(t: &TestApp, sql: &str, id: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn the_demo_organization_has_the_seed_plan_with_its_staff_indicator() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        // Loading the demo twice adds nothing.
        kyodo::demo::load(&t.app, false).await.unwrap();
        let (plan, staff_node) = ids(&t, "S-2.2.4").await;
        let depths: Vec<(i64, i64)> = sqlx::query_as("SELECT depth, COUNT(*) FROM plan_nodes WHERE plan_id = $1 GROUP BY depth ORDER BY depth")
            .bind(plan)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert_eq!(depths, vec![(0, 3), (1, 8), (2, 37)]);
        let (target,): (f64,) = sqlx::query_as(
            "SELECT v.target FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE i.node_id = $1 AND v.fiscal_year = 2010",
        )
        .bind(staff_node)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(target, 1027.0);

        let mut c = t.client();
        let list = c.get("/plans").await;
        assert!(list.body.contains("第2次行政システム改革プラン") && list.body.contains("平成20年度(2008年度)〜平成24年度(2012年度)"));
        let page = c.get(&format!("/plans/{plan}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body.matches("href=\"/plans/items/").count(), 37, "every measure is listed");
        assert!(page.body.contains("デモンストレーション用のデータ"), "demo data is marked");
        assert!(page.body.contains("職員数と給与等の適正化") && page.body.contains("住民自治への取り組み"));
        let item = c.get(&format!("/plans/items/{staff_node}")).await;
        assert!(item.body.contains("1,027") && item.body.contains("<svg") && item.body.contains("<table"));
        assert!(item.body.contains("職員数(各年度4月1日現在)"));
        // Filters: one viewpoint, and a rating.
        let (vp,): (i64,) = sqlx::query_as("SELECT id FROM plan_nodes WHERE plan_id = $1 AND seed_ref = 'S-3'").bind(plan).fetch_one(&t.app.db).await.unwrap();
        let filtered = c.get(&format!("/plans/{plan}?viewpoint={vp}")).await;
        assert_eq!(filtered.body.matches("href=\"/plans/items/").count(), 13, "viewpoint 3 has 7 + 6 measures");
        assert!(!filtered.body.contains("自治基本条例の検討"));
        let rated = c.get(&format!("/plans/{plan}?rating=C&year=2009")).await;
        // Counted apart from the page: items whose published 2009 report is rated C.
        let (rated_c,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT r.node_id) FROM progress_reports r \
             JOIN reporting_periods p ON p.organization_id = r.organization_id AND p.id = r.period_id \
             JOIN progress_report_versions v ON v.organization_id = r.organization_id AND v.report_id = r.id AND v.version = r.published_version \
             WHERE p.plan_id = $1 AND p.fiscal_year = 2009 AND v.rating = 'C'",
        )
        .bind(plan)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert!(rated_c > 0, "the demo has C-rated items in 2009");
        assert_eq!(rated.body.matches("href=\"/plans/items/").count() as i64, rated_c);
        assert_eq!(c.get(&format!("/plans/{plan}?year=1999")).await.status, StatusCode::BAD_REQUEST);
        // Another organization does not see the plan.
        let mut foreign = t.foreign_client();
        assert_eq!(foreign.get(&format!("/plans/{plan}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(foreign.get(&format!("/plans/items/{staff_node}")).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test]
async fn a_report_goes_from_draft_to_publication_with_every_version_kept() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        // S-1.3.1 belongs to 企画調整課, the demo staff member's division.
        let (plan, node) = ids(&t, "S-1.3.1").await;
        let fy2010 = period(&t, plan, 2010).await.to_string();
        let report_url = format!("/plans/items/{node}/report");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let form = staff.get(&format!("{report_url}?period={fy2010}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("下書き保存"));
        let fields = |action: &'static str, did: &'static str| {
            vec![
                ("period", fy2010.clone()),
                ("action", action.to_string()),
                ("progress", "in_progress".into()),
                ("rating", "A".into()),
                ("did", did.into()),
                ("evaluation", "市民参加の委員会を3回開催した。".into()),
                ("next_steps", "評価結果を公表する。".into()),
            ]
        };
        // Submitting with an empty Do field is refused beside the field.
        let bad = staff.post(&report_url, &refs(&fields("submit", ""))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-did\""));
        let saved = staff
            .post(
                &report_url,
                &refs(&fields(
                    "save",
                    "進行管理に市民委員が参加する仕組みを試行した。",
                )),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let submitted = staff
            .post(
                &report_url,
                &refs(&fields(
                    "submit",
                    "進行管理に市民委員が参加する仕組みを導入した。",
                )),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::SEE_OTHER);
        // Locked while in review.
        let locked = staff
            .post(&report_url, &refs(&fields("save", "変更")))
            .await;
        assert_eq!(locked.status, StatusCode::BAD_REQUEST);
        // Staff cannot review, and cannot write another division's item.
        let review_url = format!("{report_url}/review");
        assert_eq!(
            staff
                .post(&format!("{review_url}/approve"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let (_, other_node) = ids(&t, "S-2.2.4").await;
        assert_eq!(
            staff
                .get(&format!("/plans/items/{other_node}/report"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let dash = hq.get(&format!("/hq/plans/{plan}")).await;
        assert!(
            dash.body.contains("審査待ちの報告")
                && dash.body.contains("重点施策等の進行管理への市民参加の推進")
        );
        // Returning needs a reason.
        let no_reason = hq
            .post(
                &format!("{review_url}/return"),
                &[("period", &fy2010), ("comment", "")],
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            hq.post(
                &format!("{review_url}/return"),
                &[
                    ("period", &fy2010),
                    ("comment", "参加人数を追記してください。")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let returned = staff.get(&format!("{report_url}?period={fy2010}")).await;
        assert!(
            returned.body.contains("参加人数を追記してください。")
                && returned.body.contains("差し戻し")
        );
        assert_eq!(
            staff
                .post(
                    &report_url,
                    &refs(&fields(
                        "submit",
                        "市民委員12名が参加する進行管理を導入した。"
                    ))
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // Publishing before approval is refused.
        assert_eq!(
            hq.post(&format!("{review_url}/publish"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let mut public = t.client();
        let before = public.get(&format!("/plans/items/{node}")).await;
        assert!(
            !before.body.contains("市民委員12名"),
            "drafts and submitted versions stay private"
        );
        // 所属長承認 comes before the HQ's: approving a report the manager has not is refused.
        assert_eq!(
            hq.post(&format!("{review_url}/approve"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let waiting = hq.get(&format!("{report_url}?period={fy2010}")).await;
        assert!(
            waiting
                .body
                .contains("この報告は所属長の承認を待っています"),
            "the HQ sees what it waits for"
        );
        manager_confirms(&t, node, &fy2010).await;
        assert!(
            staff
                .get(&format!("{report_url}?period={fy2010}"))
                .await
                .body
                .contains("所属長承認済み")
        );
        assert_eq!(
            hq.post(&format!("{review_url}/approve"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            hq.post(&format!("{review_url}/publish"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let after = public.get(&format!("/plans/items/{node}")).await;
        assert!(
            after
                .body
                .contains("市民委員12名が参加する進行管理を導入した。"),
            "the anonymous cache was refreshed"
        );
        assert!(
            !after.body.contains("デモ 職員"),
            "staff names stay off public pages"
        );
        let (report,): (i64,) =
            sqlx::query_as("SELECT id FROM progress_reports WHERE node_id = $1 AND period_id = $2")
                .bind(node)
                .bind(fy2010.parse::<i64>().unwrap())
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM progress_report_versions WHERE report_id = $1",
                report
            )
            .await,
            3
        );
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM report_events WHERE report_id = $1",
                report
            )
            .await,
            9,
            "save, save+submit, return, save+submit, confirm, approve, publish"
        );
        // A revision after publication keeps the published version public.
        assert_eq!(
            staff
                .post(&report_url, &refs(&fields("save", "改訂中の下書き")))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let still = public.get(&format!("/plans/items/{node}")).await;
        assert!(still.body.contains("市民委員12名") && !still.body.contains("改訂中の下書き"));
        let history = staff.get(&format!("{report_url}?period={fy2010}")).await;
        assert!(
            history.body.contains("デモ 職員") && history.body.contains("デモ 行革本部"),
            "staff see who did what"
        );
        let audit = count(
            &t,
            "SELECT COUNT(*) FROM audit_log WHERE organization_id = $1 AND action LIKE 'report.%'",
            t.demo_org().await,
        )
        .await;
        assert_eq!(
            audit, 8,
            "save, submit, return, submit, confirm, approve, publish, save"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn publishing_applies_indicator_and_effect_actuals_and_bad_numbers_are_refused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = ids(&t, "S-2.2.4").await;
        let fy2011 = period(&t, plan, 2011).await.to_string();
        let (ind,): (i64,) = sqlx::query_as("SELECT id FROM indicators WHERE node_id = $1").bind(node).fetch_one(&t.app.db).await.unwrap();
        let (eff,): (i64,) = sqlx::query_as("SELECT id FROM fiscal_effects WHERE node_id = $1 AND fiscal_year = 2011").bind(node).fetch_one(&t.app.db).await.unwrap();
        let url = format!("/plans/items/{node}/report");
        let (ind_f, eff_f) = (format!("ind_{ind}"), format!("eff_{eff}"));
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        // This item's department has no 所属長 account in the demo: the HQ reviews directly.
        let off = hq.post("/hq/settings/approval", &[("manager_approval", "off")]).await;
        assert_eq!(off.status, StatusCode::OK);
        let base = |ind_v: &'static str, eff_v: &'static str| {
            vec![("period", fy2011.clone()), ("action", "submit".to_string()), ("progress", "in_progress".into()), ("rating", "A".into()), ("did", "定員適正化計画を実施".into()), ("evaluation", "目標を達成".into()), ("next_steps", "継続".into()), (ind_f.as_str(), ind_v.into()), (eff_f.as_str(), eff_v.into())]
        };
        let bad = hq.post(&url, &refs(&base("千二十", "1.5"))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(&format!("id=\"e-{ind_f}\"")) && bad.body.contains("数値で入力してください"));
        assert!(bad.body.contains(&format!("id=\"e-{eff_f}\"")) && bad.body.contains("金額は整数で入力してください"));
        assert_eq!(count(&t, "SELECT COUNT(*) FROM progress_reports WHERE node_id = $1 AND status <> 'published'", node).await, 0, "nothing saved");
        assert_eq!(hq.post(&url, &refs(&base("１，０１８", "21,500"))).await.status, StatusCode::SEE_OTHER);
        let review = format!("{url}/review");
        assert_eq!(hq.post(&format!("{review}/approve"), &[("period", &fy2011),]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(hq.post(&format!("{review}/publish"), &[("period", &fy2011),]).await.status, StatusCode::SEE_OTHER);
        let (actual,): (Option<f64>,) = sqlx::query_as("SELECT actual FROM indicator_values WHERE indicator_id = $1 AND fiscal_year = 2011").bind(ind).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(actual, Some(1018.0));
        let (eff_actual,): (Option<i64>,) = sqlx::query_as("SELECT actual FROM fiscal_effects WHERE id = $1").bind(eff).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(eff_actual, Some(21_500));
        let page = t.client().get(&format!("/plans/items/{node}")).await;
        assert!(page.body.contains("1,018") && page.body.contains("21,500"));
        t
    })
    .await;
}

#[tokio::test]
async fn citizens_rate_and_comment_and_the_hq_moderates_and_answers() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (_, node) = ids(&t, "S-3.1.1").await;
        let item = format!("/plans/items/{node}");
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        assert_eq!(
            citizen
                .post(
                    &format!("{item}/rating"),
                    &[("year", "2008"), ("score", "4")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // Rating again replaces the first rating.
        assert_eq!(
            citizen
                .post(
                    &format!("{item}/rating"),
                    &[("year", "2008"), ("score", "5")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            citizen
                .post(
                    &format!("{item}/rating"),
                    &[("year", "2011"), ("score", "3")]
                )
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no published report that year"
        );
        let bad = citizen
            .post(
                &format!("{item}/rating"),
                &[("year", "2008"), ("score", "9")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-score\""));
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM citizen_ratings WHERE node_id = $1",
                node
            )
            .await,
            1
        );
        let page = t.client().get(&item).await;
        assert!(
            page.body.contains("<td class=\"num\">5.00</td>"),
            "average of the one rating"
        );

        let empty = citizen
            .post(&format!("{item}/comments"), &[("body", "  ")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"e-body\""));
        let sent = citizen
            .post(
                &format!("{item}/comments"),
                &[(
                    "body",
                    "窓口の待ち時間が短くなりました。<script>alert(1)</script>",
                )],
            )
            .await;
        assert!(sent.body.contains("担当が内容を確認してから公開します"));
        assert!(
            !t.client().get(&item).await.body.contains("窓口の待ち時間"),
            "moderated before publication by default"
        );
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let queue = hq.get("/hq/comments").await;
        assert!(
            queue.body.contains("窓口の待ち時間")
                && queue.body.contains("alert(1)")
                && !queue.body.contains("<script>alert")
        );
        let (comment,): (i64,) =
            sqlx::query_as("SELECT id FROM citizen_comments WHERE node_id = $1")
                .bind(node)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let hide = hq
            .post(&format!("/hq/comments/{comment}/hide"), &[("reason", "")])
            .await;
        assert_eq!(hide.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(hide.body.contains(&format!("id=\"e-reason-{comment}\"")));
        assert_eq!(
            hq.post(
                &format!("/hq/comments/{comment}/publish"),
                &[("answer", "ご意見ありがとうございます。")]
            )
            .await
            .status,
            StatusCode::OK
        );
        let public = t.client().get(&item).await;
        assert!(
            public.body.contains("窓口の待ち時間")
                && public.body.contains("ご意見ありがとうございます。")
        );
        assert!(
            !public.body.contains("<script>alert(1)</script>")
                && !public.body.contains("デモ 市民"),
            "escaped, and no commenter names"
        );
        // A reader reports it; the HQ hides it with a reason.
        assert_eq!(
            citizen
                .post(&format!("/comments/{comment}/flag"), &[])
                .await
                .status,
            StatusCode::OK
        );
        assert!(hq.get("/hq/comments").await.body.contains("窓口の待ち時間"));
        assert_eq!(
            hq.post(
                &format!("/hq/comments/{comment}/hide"),
                &[("reason", "個人情報を含むため")]
            )
            .await
            .status,
            StatusCode::OK
        );
        assert!(!t.client().get(&item).await.body.contains("窓口の待ち時間"));
        // Switched to moderation after publication, a comment appears at once.
        assert_eq!(
            hq.post("/hq/settings/comments", &[("mode", "after")])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            hq.post("/hq/settings/comments", &[("mode", "never")])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        citizen
            .post(
                &format!("{item}/comments"),
                &[("body", "すぐに公開される意見")],
            )
            .await;
        assert!(
            t.client()
                .get(&item)
                .await
                .body
                .contains("すぐに公開される意見")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn committee_opinions_are_published_with_the_citys_response() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = ids(&t, "S-2.1.2").await;
        let fy2009 = period(&t, plan, 2009).await.to_string();
        let fy2012 = period(&t, plan, 2012).await.to_string();
        let url = format!("/plans/items/{node}/opinions");
        let mut member = t.signed_in("committee@demo.kyodo.jp").await;
        assert!(
            member
                .get(&format!("/plans/items/{node}"))
                .await
                .body
                .contains(&format!("action=\"{url}\""))
        );
        let bad = member
            .post(&url, &[("period", &fy2012), ("opinion", "未公表の期間")])
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "only periods with a published report"
        );
        assert_eq!(
            member
                .post(
                    &url,
                    &[
                        ("period", &fy2009),
                        ("opinion", "委託の効果を数値で示すべきである。")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert!(
            !t.client()
                .get(&format!("/plans/items/{node}"))
                .await
                .body
                .contains("委託の効果を数値で"),
            "not public before the response"
        );
        // Citizens cannot write opinions.
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        assert_eq!(
            citizen
                .post(&url, &[("period", &fy2009), ("opinion", "x")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert!(
            hq.get(&format!("/hq/plans/{plan}"))
                .await
                .body
                .contains("委託の効果を数値で示すべきである。")
        );
        let (opinion,): (i64,) =
            sqlx::query_as("SELECT id FROM committee_opinions WHERE node_id = $1")
                .bind(node)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let empty = hq
            .post(
                &format!("/hq/opinions/{opinion}"),
                &[("response", ""), ("plan", &plan.to_string())],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            hq.post(
                &format!("/hq/opinions/{opinion}"),
                &[
                    ("response", "次年度から削減額を公表します。"),
                    ("plan", &plan.to_string())
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let public = t.client().get(&format!("/plans/items/{node}")).await;
        assert!(
            public.body.contains("委託の効果を数値で示すべきである。")
                && public.body.contains("次年度から削減額を公表します。")
        );
        assert!(
            !public.body.contains("デモ 委員"),
            "members' names are not published"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn open_data_and_the_api_carry_published_content_only() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = ids(&t, "S-1.3.1").await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let fy2010 = period(&t, plan, 2010).await.to_string();
        let saved = staff
            .post(
                &format!("/plans/items/{node}/report"),
                &[
                    ("period", &fy2010),
                    ("action", "save"),
                    ("progress", "in_progress"),
                    ("rating", "A"),
                    ("did", "秘密の下書き"),
                    ("evaluation", ""),
                    ("next_steps", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // The draft exists, so its absence below means something.
        let (drafts,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM progress_report_versions WHERE did = '秘密の下書き'",
        )
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(drafts, 1);
        let mut c = t.client();
        for name in ["items", "reports", "indicators", "effects"] {
            let res = c.get(&format!("/plans/{plan}/{name}.csv")).await;
            assert_eq!(res.status, StatusCode::OK);
            assert!(res.body.starts_with('\u{feff}'), "{name}: BOM for Excel");
            assert!(
                res.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            assert!(!res.body.contains("秘密の下書き"));
        }
        let items = c.get(&format!("/plans/{plan}/items.csv")).await;
        assert_eq!(
            demo_csv(&items).lines().count(),
            1 + 48,
            "header and every node"
        );
        let json = c.get(&format!("/api/v1/plans/{plan}")).await;
        let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(
            v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["trackable"] == true)
                .count(),
            37
        );
        assert_eq!(v["reports"].as_array().unwrap().len(), 74);
        assert!(!json.body.contains("秘密の下書き"));
        let annual = c
            .get(&format!("/plans/{plan}/annual-report?year=2009"))
            .await;
        assert!(
            annual.body.contains("平成21年度(2009年度)")
                && annual.body.contains("自治基本条例の検討")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn attachments_become_public_with_the_report() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = ids(&t, "S-1.3.3").await;
        let fy2010 = period(&t, plan, 2010).await.to_string();
        let url = format!("/plans/items/{node}/report");
        let attach = format!("{url}/attachments");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let early = staff
            .post_multipart(
                &attach,
                &[("period", &fy2010)],
                ("file", "会議録.pdf", b"%PDF-1.4 minutes"),
            )
            .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "save a draft first"
        );
        let fields = [
            ("period", fy2010.as_str()),
            ("action", "save"),
            ("progress", "in_progress"),
            ("rating", "A"),
            ("did", "審議会を公開した"),
            ("evaluation", "傍聴者が増えた"),
            ("next_steps", "議事録を公開する"),
        ];
        staff.post(&url, &fields).await;
        let evil = staff
            .post_multipart(
                &attach,
                &[("period", &fy2010)],
                ("file", "evil.html", b"<script>alert(1)</script>"),
            )
            .await;
        assert_eq!(evil.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(evil.body.contains("id=\"e-file\""));
        let ok = staff
            .post_multipart(
                &attach,
                &[("period", &fy2010)],
                ("file", "C:\\docs\\会議録.pdf", b"%PDF-1.4 minutes"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let (att,): (i64,) = sqlx::query_as("SELECT id FROM report_attachments")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut public = t.client();
        assert_eq!(
            public.get(&format!("/attachments/{att}")).await.status,
            StatusCode::NOT_FOUND,
            "not public before publication"
        );
        assert_eq!(
            staff.get(&format!("/attachments/{att}")).await.bytes,
            b"%PDF-1.4 minutes"
        );
        let mut submit = fields.to_vec();
        submit[1] = ("action", "submit");
        staff.post(&url, &submit).await;
        manager_confirms(&t, node, &fy2010).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        hq.post(&format!("{url}/review/approve"), &[("period", &fy2010)])
            .await;
        hq.post(&format!("{url}/review/publish"), &[("period", &fy2010)])
            .await;
        let file = public.get(&format!("/attachments/{att}")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert!(
            public
                .get(&format!("/plans/items/{node}"))
                .await
                .body
                .contains("会議録.pdf")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn anonymous_pages_come_precompressed_from_the_cache() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, _) = ids(&t, "S-1.1.1").await;
        let path = format!("/plans/{plan}?viewpoint=");
        let mut c = t.client();
        let gzip = |c: &Client| {
            c.request("GET", &path)
                .header("accept-encoding", "br;q=1, gzip;q=0.8")
                .body(axum::body::Body::empty())
                .unwrap()
        };
        // The first request renders and fills the cache, the second is served from it: both gzip.
        let first = c.send(gzip(&c)).await;
        let second = c.send(gzip(&c)).await;
        // The hit comes from the outermost fast path: the same headers as the full stack's answer
        // (security headers, cache policy, type, encoding, vary) and the same bytes.
        assert_eq!(first.headers, second.headers);
        assert_eq!(first.bytes, second.bytes);
        assert!(second.headers.contains_key("content-security-policy"));
        assert_eq!(second.headers["cache-control"], "no-cache");
        let plain = c.get(&path).await;
        assert_eq!(plain.status, StatusCode::OK);
        assert!(plain.headers.get("content-encoding").is_none());
        for gz in [first, second] {
            assert_eq!(gz.headers["content-encoding"], "gzip");
            let mut html = String::new();
            std::io::Read::read_to_string(
                &mut flate2::read::GzDecoder::new(&gz.bytes[..]),
                &mut html,
            )
            .unwrap();
            assert_eq!(html, plain.body);
            assert!(gz.bytes.len() * 3 < plain.bytes.len(), "compressed");
        }
        let refused = c
            .request("GET", &path)
            .header("accept-encoding", "gzip;q=0")
            .body(axum::body::Body::empty())
            .unwrap();
        assert!(
            c.send(refused)
                .await
                .headers
                .get("content-encoding")
                .is_none()
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_long_report_history_opens_with_the_newest_entries_and_shows_all_on_request() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = ids(&t, "S-1.3.1").await;
        let fy2011 = period(&t, plan, 2011).await.to_string();
        let report_url = format!("/plans/items/{node}/report");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        for i in 1..=32 {
            let did = format!("保存その{i}番");
            let saved = staff
                .post(
                    &report_url,
                    &[
                        ("period", fy2011.as_str()),
                        ("action", "save"),
                        ("progress", "in_progress"),
                        ("rating", "A"),
                        ("did", &did),
                        ("evaluation", "評価"),
                        ("next_steps", "次"),
                    ],
                )
                .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER);
        }
        let page = staff.get(&format!("{report_url}?period={fy2011}")).await;
        // The newest 30 versions (32 … 3) and a link to the rest.
        assert!(page.body.contains("保存その32番") && page.body.contains("保存その3番"));
        assert!(!page.body.contains("保存その2番<") && !page.body.contains("保存その1番<"));
        assert!(page.body.contains("history=all"));
        let all = staff
            .get(&format!("{report_url}?period={fy2011}&history=all"))
            .await;
        assert!(all.body.contains("保存その2番<") && all.body.contains("保存その1番<"));
        assert!(!all.body.contains("history=all"));
        t
    })
    .await;
}
