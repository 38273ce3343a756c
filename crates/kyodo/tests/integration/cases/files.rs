//! 添付ファイル of a case, on both databases: a file question of a desk form sent as multipart,
//! the file reaching the staff who may read the case and the submitter (by number and key) and
//! nobody else; staff adding a file; a refused file named beside its question with nothing
//! stored; the file kind offered for case forms only. (Open311 leaves file questions out of a
//! service's attributes: a unit test in `cases::open311`.)

use super::kinds::{self, Form};
use super::*;
use crate::surveys::id_in_location;
use axum::http::StatusCode;

const PDF: &[u8] = b"%PDF-1.7\n% identity document\n";

async fn case_documents(t: &TestApp, case: i64) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT id, filename FROM documents WHERE organization_id = $1 AND owner_kind = 'case' AND owner_id = $2 ORDER BY created_at, id",
    )
    .bind(t.demo_org().await)
    .bind(case)
    .fetch_all(&t.app.db)
    .await
    .unwrap()
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(t.demo_org().await)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sent_file_reaches_the_cases_staff_and_its_submitter_only() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let cert = Form::of(&t, "証明書郵送").await;
        let file_field = format!("q{}", cert.q[3]);
        let path = format!("/cases/types/{}", cert.type_id);

        // The form is sent as multipart, with a file field and the hint on what it takes.
        let mut guest = t.client();
        let form = guest.get(&path).await;
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        assert!(
            form.body
                .contains(&format!("name=\"{file_field}\" type=\"file\""))
        );
        assert!(form.body.contains("1.5MB"));

        let fields = cert.fields("住民票 1通", "住民票の写し", "年金の手続");
        let res = guest
            .post_form_with_files(
                &path,
                &fields,
                &[(&file_field, "C:\\Users\\会津\\本人確認.pdf", PDF)],
            )
            .await;
        let (id, number, key) = receipt(&t, &res).await;
        let docs = case_documents(&t, id).await;
        assert_eq!(docs.len(), 1);
        let (doc, ref name) = docs[0];
        assert_eq!(
            name, "本人確認.pdf",
            "the name is the server's (no directories)"
        );

        // Staff who may read the case see it among the answers and download it.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let page = hq.get(&format!("/staff/cases/{id}")).await;
        assert!(
            page.body.contains(&format!("/staff/case-files/{doc}"))
                && page.body.contains("本人確認.pdf")
        );
        let file = hq.get(&format!("/staff/case-files/{doc}")).await;
        assert_eq!((file.status, file.bytes.as_slice()), (StatusCode::OK, PDF));
        let disposition = file
            .headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(
            !disposition.contains("demo-"),
            "an uploaded file goes out as it came in: {disposition}"
        );

        // Nobody else: not the public download, not a citizen, not without a key.
        assert_eq!(
            t.client().get(&format!("/documents/{doc}")).await.status,
            StatusCode::NOT_FOUND
        );
        let anonymous = t.client().get(&format!("/staff/case-files/{doc}")).await;
        assert_ne!(anonymous.bytes.as_slice(), PDF);
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let res = citizen.get(&format!("/staff/case-files/{doc}")).await;
        assert_ne!(res.status, StatusCode::OK);
        assert_ne!(res.bytes.as_slice(), PDF);

        // The submitter, by number and key: listed on the status page and downloaded.
        let lookup = guest
            .post("/cases/status", &[("number", &number), ("key", &key)])
            .await;
        assert!(lookup.body.contains("本人確認.pdf") && lookup.body.contains("あなたが送信"));
        let doc_id = doc.to_string();
        let own = guest
            .post(
                "/cases/status/file",
                &[("number", &number), ("key", &key), ("document", &doc_id)],
            )
            .await;
        assert_eq!((own.status, own.bytes.as_slice()), (StatusCode::OK, PDF));
        assert_eq!(own.headers.get("cache-control").unwrap(), "no-store");
        let wrong = t
            .client()
            .post(
                "/cases/status/file",
                &[
                    ("number", &number),
                    ("key", "not-the-key"),
                    ("document", &doc_id),
                ],
            )
            .await;
        assert_ne!(wrong.bytes.as_slice(), PDF);
        assert!(
            wrong.body.contains("id=\"e-number\""),
            "the look-up's one answer for every miss"
        );

        // Another case's number and key do not open this case's file.
        let other = guest.post_form_with_files(&path, &fields, &[]).await;
        let (other_id, other_number, other_key) = receipt(&t, &other).await;
        assert!(
            case_documents(&t, other_id).await.is_empty(),
            "an optional file may be left out"
        );
        let res = guest
            .post(
                "/cases/status/file",
                &[
                    ("number", &other_number),
                    ("key", &other_key),
                    ("document", &doc_id),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        // Staff who may work the case add a file; the submitter sees it as the city's. Staff of
        // another department may not.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let res = staff
            .post_multipart(
                &format!("/staff/cases/{id}/files"),
                &[],
                ("document", "許可書.pdf", PDF),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = hq
            .post_multipart(
                &format!("/staff/cases/{id}/files"),
                &[("document_title", "交付通知")],
                ("document", "許可書.pdf", PDF),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(case_documents(&t, id).await.len(), 2);
        let lookup = guest
            .post("/cases/status", &[("number", &number), ("key", &key)])
            .await;
        assert!(lookup.body.contains("交付通知") && lookup.body.contains("市から"));

        // The submitter replies with the document asked for; a file that is not what its name
        // says is refused beside the field and the reply is not stored.
        let reply = |body: &str| {
            vec![
                ("number".to_string(), number.clone()),
                ("key".to_string(), key.clone()),
                ("body".to_string(), body.to_string()),
            ]
        };
        let res = guest
            .post_form_with_files(
                "/cases/status/reply",
                &reply("偽の委任状です"),
                &[("reply_file", "委任状.pdf", b"MZ\x90\x00")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-reply_file\""));
        assert!(
            !res.body.contains("偽の委任状です"),
            "the reply was not stored"
        );
        let res = guest
            .post_form_with_files(
                "/cases/status/reply",
                &reply("委任状を添付します。"),
                &[("reply_file", "委任状.pdf", PDF)],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("委任状を添付します。") && res.body.contains("委任状.pdf"));
        assert_eq!(case_documents(&t, id).await.len(), 3);

        t
    })
    .await;
}

#[tokio::test]
async fn a_refused_file_is_named_beside_its_question_and_nothing_is_stored() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let cert = Form::of(&t, "証明書郵送").await;
        let file_field = format!("q{}", cert.q[3]);
        let path = format!("/cases/types/{}", cert.type_id);
        let fields = cert.fields("戸籍 1通", "戸籍証明", "相続");
        let cases = "SELECT COUNT(*) FROM cases WHERE organization_id = $1";
        let docs =
            "SELECT COUNT(*) FROM documents WHERE organization_id = $1 AND owner_kind = 'case'";
        let before = (count(&t, cases).await, count(&t, docs).await);
        let mut guest = t.client();
        let big = [&b"%PDF-"[..], &vec![b'x'; 1536 * 1024]].concat();
        for (name, bytes, message) in [
            (
                "request.pdf",
                &b"MZ\x90\x00 a program"[..],
                "中身が拡張子と合いません",
            ),
            (
                "request.exe",
                &b"MZ\x90\x00"[..],
                "この種類のファイルは送れません",
            ),
            ("memo.txt", &b"hello"[..], "この種類のファイルは送れません"),
            ("scan.pdf", &big[..], "ファイルが大きすぎます"),
        ] {
            let res = guest
                .post_form_with_files(&path, &fields, &[(&file_field, name, bytes)])
                .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            assert!(
                res.body.contains(&format!("id=\"e-{file_field}\"")),
                "{name}: beside the question"
            );
            assert!(res.body.contains(message), "{name}: {message}");
            assert!(
                res.body.contains("住民票の写し") && res.body.contains("相続"),
                "{name}: typed text kept"
            );
        }
        // A body over the upload limit is not read at all: the form again, the message beside
        // the file question.
        let huge = vec![b'%'; 17 << 20];
        let res = guest
            .post_form_with_files(&path, &fields, &[(&file_field, "scan.pdf", &huge)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(&format!("id=\"e-{file_field}\"")));
        assert!(res.body.contains("ファイルが大きすぎます"));
        assert_eq!(
            (count(&t, cases).await, count(&t, docs).await),
            before,
            "nothing stored"
        );

        // Text typed into a file question's field is not taken for a file.
        let mut typed = fields.clone();
        typed.push((file_field.clone(), "../../etc/passwd".into()));
        let res = guest.post_form_with_files(&path, &typed, &[]).await;
        let (id, _, _) = receipt(&t, &res).await;
        assert!(!kinds::column(&t, "answers", id).await.contains("passwd"));
        assert!(case_documents(&t, id).await.is_empty());

        // The HQ makes a file required on a case form: sending without one is refused beside it.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let survey: i64 = sqlx::query_scalar(
            "SELECT form_survey_id FROM case_types WHERE organization_id = $1 AND id = $2",
        )
        .bind(t.demo_org().await)
        .bind(cert.type_id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let question = [
            ("kind", "file"),
            ("label", "委任状(代理人の場合)"),
            ("required", "1"),
        ];
        let res = hq
            .post(&format!("/hq/surveys/{survey}/questions"), &question)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = guest
            .post_form_with_files(&path, &fields, &[(&file_field, "id.pdf", PDF)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("委任状") && res.body.contains("field-error"));

        // A questionnaire's answers are counted and published: no file question there.
        let res = hq
            .post(
                "/hq/surveys",
                &[
                    ("title", "窓口アンケート"),
                    ("fiscal_year", "令和8年度"),
                    ("audience", "public"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let questionnaire = id_in_location(&res);
        let page = hq.get(&format!("/hq/surveys/{questionnaire}")).await;
        assert!(!page.body.contains("value=\"file\""), "not offered");
        let res = hq
            .post(&format!("/hq/surveys/{questionnaire}/questions"), &question)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("窓口のフォームでだけ使えます"));
        let page = hq.get(&format!("/hq/surveys/{survey}")).await;
        assert!(
            page.body.contains("value=\"file\""),
            "offered on a case form"
        );
        t
    })
    .await;
}
