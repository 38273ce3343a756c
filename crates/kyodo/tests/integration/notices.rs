//! Post/Redirect/Get: a successful form answers `303 See Other`, and the page it leads to shows what
//! was done once — not on reload, not to anyone else, not from the anonymous page cache.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_saved_form_redirects_and_its_notice_shows_once() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let path = "/hq/settings/approval";
        let before = hq.get(path).await;
        assert!(!before.body.contains("保存しました。"));
        let res = hq.post(path, &[("manager_approval", "on")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(res.location(), path);
        let page = hq.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(r#"role="status""#) && page.body.contains("保存しました。"),
            "{}",
            page.body
        );
        let reload = hq.get(path).await;
        assert!(!reload.body.contains("保存しました。"), "shown once");
        // A form with errors is shown again in place, with no redirect.
        let bad = hq.post(path, &[("manager_approval", "maybe")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        t
    })
    .await;
}

#[tokio::test]
async fn a_planted_notice_shows_only_the_sites_own_words() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        for planted in ["<b>owned</b>", "no.such_key", "eval.imported~abc"] {
            c.cookies.insert("kyodo_notice".into(), planted.into());
            let page = c.get("/plans").await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(!page.body.contains("owned") && !page.body.contains("no.such_key"));
            assert!(!page.body.contains(r#"class="notice""#), "{planted}");
        }
        c.cookies
            .insert("kyodo_notice".into(), "eval.imported~12".into());
        let page = c.get("/plans").await;
        assert!(page.body.contains("12事業の評価シートを取り込みました"));
        t
    })
    .await;
}

#[tokio::test]
async fn an_anonymous_answer_is_thanked_once_and_the_cached_list_stays_plain() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (survey,): (i64,) = sqlx::query_as(
            "SELECT id FROM surveys WHERE organization_id = $1 AND audience = 'public' AND status = 'open'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        // Another visitor's view of the list is cached before and after.
        let mut other = t.client();
        assert!(!other.get("/surveys").await.body.contains("ありがとうございました"));
        let mut c = t.client();
        let path = format!("/surveys/{survey}");
        let form = c.get(&path).await;
        let nonce = crate::surveys::nonce_in(&form.body);
        // The bot trap answers exactly as a stored answer would: thanks on the list.
        let res = c
            .post(&path, &[("nonce", &nonce), ("website", "http://spam.example")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/surveys");
        let list = c.get("/surveys").await;
        assert!(list.body.contains("ありがとうございました"), "{}", list.body);
        assert!(!c.get("/surveys").await.body.contains("ありがとうございました"));
        assert!(
            !other.get("/surveys").await.body.contains("ありがとうございました"),
            "the notice is never cached for others"
        );
        t
    })
    .await;
}
