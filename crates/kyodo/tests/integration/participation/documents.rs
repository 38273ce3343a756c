//! 関連資料 on both databases: a consultation's documents are public with it; a meeting's only when
//! the meeting is; an essay sent with an application only to the HQ. Bad files are refused beside
//! their field with nothing stored, and nothing crosses organizations.

use super::*;
use axum::http::StatusCode;

const PDF: &[u8] = b"%PDF-1.4\n% Kyodo test document\n";

async fn first_consultation(t: &TestApp, org: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM pc_consultations WHERE organization_id = $1 ORDER BY id")
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap()[0]
}

async fn documents(t: &TestApp, org: i64, kind: &str) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM documents WHERE organization_id = $1 AND owner_kind = $2 ORDER BY created_at, id")
        .bind(org)
        .bind(kind)
        .fetch_all(&t.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_consultations_documents_are_public_and_bad_files_are_refused_beside_the_field() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let c = first_consultation(&t, org).await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let add = format!("/staff/consultations/{c}/documents");
        let res = staff
            .post_multipart(
                &add,
                &[("document_title", "")],
                ("document", "script.html", b"<script>"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("この種類のファイルは添付できません")
                && res.body.contains("id=\"e-document\""),
            "{}",
            res.body
        );
        let big = vec![b'x'; 1536 * 1024 + 1];
        let res = staff
            .post_multipart(
                &add,
                &[("document_title", "")],
                ("document", "big.pdf", &big),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("ファイルが大きすぎます"), "{}", res.body);
        assert!(
            documents(&t, org, "consultation").await.is_empty(),
            "nothing stored for refused files"
        );

        let res = staff
            .post_multipart(
                &add,
                &[("document_title", "条例案の概要")],
                ("document", "C:\\tmp\\概要.pdf", PDF),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let doc = documents(&t, org, "consultation").await[0];
        let mut guest = t.client();
        let page = guest.get(&format!("/consultations/{c}")).await;
        assert!(
            page.body.contains("条例案の概要") && page.body.contains(&format!("/documents/{doc}")),
            "{}",
            page.body
        );
        let file = guest.get(&format!("/documents/{doc}")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(file.bytes, PDF);
        assert_eq!(
            t.foreign_client()
                .get(&format!("/documents/{doc}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Only those who manage it remove it; the public page then no longer lists it.
        let remove = format!("/staff/documents/{doc}/remove");
        assert_eq!(
            t.signed_in("citizen@demo.kyodo.jp")
                .await
                .post(&remove, &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(staff.post(&remove, &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(
            guest.get(&format!("/documents/{doc}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            !guest
                .get(&format!("/consultations/{c}"))
                .await
                .body
                .contains("条例案の概要")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_closed_meetings_documents_and_an_applicants_essay_stay_with_the_hq() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let body: i64 = sqlx::query_scalar("SELECT id FROM cn_bodies WHERE organization_id = $1 AND name = '行政改革推進委員会(デモ)'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let day = day(7);
        let announce = format!("/hq/councils/{body}/meetings");
        let public = hq.post(&announce, &[("held_on", &day), ("starts_at", "14:00"), ("place", "第2会議室"), ("agenda", "諮問"), ("is_public", "1"), ("capacity", "0")]).await;
        let closed = hq.post(&announce, &[("held_on", &day), ("starts_at", "16:00"), ("place", "第3会議室"), ("agenda", "人事"), ("closed_reason", "個人情報を扱うため")]).await;
        let (public, closed) = (public.location().rsplit('/').next().unwrap().to_string(), closed.location().rsplit('/').next().unwrap().to_string());
        for (m, title) in [(&public, "資料1 諮問書"), (&closed, "資料 候補者名簿")] {
            let res = hq.post_multipart(&format!("/hq/councils/meetings/{m}/documents"), &[("document_title", title)], ("document", "資料.pdf", PDF)).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let docs = documents(&t, org, "council_meeting").await;
        let mut guest = t.client();
        let page = guest.get(&format!("/councils/meetings/{public}")).await;
        assert!(page.body.contains("資料1 諮問書") && page.body.contains("配布資料"), "{}", page.body);
        assert_eq!(guest.get(&format!("/documents/{}", docs[0])).await.status, StatusCode::OK);
        assert!(!guest.get(&format!("/councils/meetings/{closed}")).await.body.contains("候補者名簿"));
        assert_eq!(guest.get(&format!("/documents/{}", docs[1])).await.status, StatusCode::NOT_FOUND);
        assert_eq!(hq.get(&format!("/documents/{}", docs[1])).await.status, StatusCode::OK);
        // Staff outside the HQ neither read nor remove a closed meeting's document.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get(&format!("/documents/{}", docs[1])).await.status, StatusCode::NOT_FOUND);
        assert_eq!(staff.post(&format!("/staff/documents/{}/remove", docs[1]), &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(staff.post_multipart(&format!("/hq/councils/meetings/{closed}/documents"), &[], ("document", "x.pdf", PDF)).await.status, StatusCode::FORBIDDEN);

        // An essay sent as a file: the HQ sees and downloads it, nobody else.
        let call: i64 = sqlx::query_scalar("SELECT id FROM cn_calls WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let apply = format!("/councils/calls/{call}/apply");
        let fields = [("name", "応募 一郎"), ("gender", "male"), ("address", "会津若松市追手町"), ("email", "ichiro@example.jp"), ("essay", "")];
        let res = guest.post_multipart(&apply, &fields, ("essay_file", "", b"")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("作文を入力するか、ファイルを添付してください。"), "{}", res.body);
        let res = guest.post_multipart(&apply, &fields, ("essay_file", "作文.exe", b"MZ")).await;
        assert!(res.body.contains("この種類のファイルは添付できません") && res.body.contains("応募 一郎"), "typed fields kept: {}", res.body);
        let res = guest.post_multipart(&apply, &fields, ("essay_file", "作文.pdf", PDF)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let essay = documents(&t, org, "council_application").await;
        assert_eq!(essay.len(), 1);
        // The same address again: refused, and the second file is neither recorded nor left on disk.
        let res = guest.post_multipart(&apply, &fields, ("essay_file", "作文.pdf", PDF)).await;
        assert!(res.body.contains("応募済み"), "{}", res.body);
        assert_eq!(documents(&t, org, "council_application").await.len(), 1);
        let stored = std::fs::read_dir(t.app.config.data_dir.join("attachments").join(org.to_string())).unwrap().count();
        assert_eq!(stored, 3, "two meeting documents and one essay");
        let page = hq.get(&format!("/hq/councils/calls/{call}")).await;
        assert!(page.body.contains(&format!("/documents/{}", essay[0])), "{}", page.body);
        assert_eq!(hq.get(&format!("/documents/{}", essay[0])).await.status, StatusCode::OK);
        assert_eq!(guest.get(&format!("/documents/{}", essay[0])).await.status, StatusCode::NOT_FOUND);
        assert_eq!(staff.get(&format!("/documents/{}", essay[0])).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}
