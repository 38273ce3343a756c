//! NDL records in XML (`recordPacking=xml`) imported through the HQ's page, and the 会派 filter on
//! the search page and the API.

use super::*;

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<data><numberOfRecords>1</numberOfRecords><records><record><recordData><meetingRecord>\
<issueID>121704254X00320251201</issueID><session>218</session><nameOfHouse>市議会</nameOfHouse>\
<nameOfMeeting>建設委員会</nameOfMeeting><issue>第3号</issue><date>2025-12-01</date>\
<speechRecord><speechOrder>0</speechOrder><speaker>会議録情報</speaker><speech>令和7年12月1日 建設委員会</speech></speechRecord>\
<speechRecord><speechOrder>1</speechOrder><speaker>湊 花子</speaker><speakerGroup>未来会議</speakerGroup>\
<speech>○湊花子委員　除雪&#38;融雪の計画について伺います。</speech></speechRecord>\
<speechRecord><speechOrder>2</speechOrder><speaker>北会津 三郎</speaker><speakerGroup>未来会議</speakerGroup>\
<speech>○北会津三郎委員　除雪の委託について伺います。</speech></speechRecord>\
<speechRecord><speechOrder>3</speechOrder><speaker>一箕 五郎</speaker><speakerGroup>市民クラブ</speakerGroup>\
<speech>○一箕五郎委員　除雪車の更新について伺います。</speech></speechRecord>\
</meetingRecord></recordData></record></records></data>";

#[tokio::test]
async fn ndl_xml_records_import_and_groups_filter() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post_multipart(
                "/hq/minutes/import",
                &[],
                ("file", "ndl.xml", XML.as_bytes()),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = hq.get(res.location()).await;
        assert!(
            page.body.contains("除雪&#38;融雪の計画") && page.body.contains("建設委員会"),
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
                ("file", "ndl.xml", &XML.as_bytes()[..300]),
            )
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            broken.body.contains("XMLとして読めません"),
            "{}",
            broken.body
        );

        let mut c = t.client();
        assert_eq!(total(&mut c, &format!("q={}", q("除雪"))).await, 3);
        let group = |g: &str| format!("q={}&group={}", q("除雪"), q(g));
        assert_eq!(total(&mut c, &group("未来会議")).await, 2);
        assert_eq!(total(&mut c, &group("市民クラブ")).await, 1);
        let form = c.get("/minutes?q=x").await;
        assert!(
            form.body.contains("<option value=\"未来会議\""),
            "the page offers the groups"
        );
        let api = c
            .get(&format!(
                "/api/v1/minutes/speech?any={}&speakerGroup={}",
                q("除雪"),
                q("未来会議")
            ))
            .await;
        assert_eq!(api.status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
        assert_eq!(v["numberOfRecords"], 2);
        assert!(
            v["speechRecord"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["speakerGroup"] == "未来会議")
        );
        t
    })
    .await;
}
