//! The NDL-shaped minutes API.

use super::*;
use crate::support::*;
use axum::http::StatusCode;

/// Tools written for the NDL 会議録検索 API work against Kyodo: its three outputs, parameter names,
/// record fields, paging, XML, and its error shape.
#[tokio::test]
async fn the_ndl_api_answers_with_the_ndl_field_names() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut c = t.client();
        let json = |r: &Res| serde_json::from_str::<serde_json::Value>(&r.body).unwrap();
        let res = c
            .get(&format!(
                "/api/v1/minutes/speech?any={}&recordPacking=json",
                q("財政")
            ))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let v = json(&res);
        let n = naive(&t, org, &["財政"], &[], &[]).await;
        assert!(n >= 2);
        assert_eq!(v["numberOfRecords"], n as i64);
        let first = &v["speechRecord"][0];
        for field in [
            "speechID",
            "issueID",
            "speechOrder",
            "speaker",
            "speakerPosition",
            "speech",
            "date",
            "nameOfMeeting",
            "speechURL",
            "meetingURL",
        ] {
            assert!(first.get(field).is_some(), "{field}: {first}");
        }
        assert!(first["speech"].as_str().unwrap().contains("財政"));
        // Paging as the NDL pages.
        let one = json(
            &c.get(&format!(
                "/api/v1/minutes/speech?any={}&maximumRecords=1&startRecord=2",
                q("財政")
            ))
            .await,
        );
        assert_eq!(
            (one["numberOfReturn"].as_i64(), one["startRecord"].as_i64()),
            (Some(1), Some(2))
        );
        assert_eq!(
            one["speechRecord"][0]["speechID"],
            v["speechRecord"][1]["speechID"]
        );
        // Speakers, space = OR.
        let by = json(
            &c.get(&format!(
                "/api/v1/minutes/speech?speaker={}",
                q("鶴ヶ城 磐梯")
            ))
            .await,
        );
        assert!(by["numberOfRecords"].as_i64().unwrap() >= 4, "{by}");
        // Meetings: the list gives speech numbers only, the full output every speech.
        let list = json(
            &c.get(&format!(
                "/api/v1/minutes/meeting_list?any={}",
                q("行政改革")
            ))
            .await,
        );
        let m = &list["meetingRecord"][0];
        assert!(
            m["speechRecord"][0].get("speech").is_none()
                && m["speechRecord"][0]["speechOrder"].is_i64(),
            "{m}"
        );
        let full = json(
            &c.get(&format!(
                "/api/v1/minutes/meeting?any={}&maximumRecords=1",
                q("行政改革")
            ))
            .await,
        );
        let speeches = full["meetingRecord"][0]["speechRecord"].as_array().unwrap();
        assert!(
            speeches.len() > m["speechRecord"].as_array().unwrap().len() || speeches.len() >= 2
        );
        // XML.
        let xml = c
            .get(&format!(
                "/api/v1/minutes/speech?any={}&recordPacking=xml",
                q("財政")
            ))
            .await;
        assert!(
            xml.body.starts_with("<?xml")
                && xml
                    .body
                    .contains(&format!("<numberOfRecords>{n}</numberOfRecords>")),
            "{}",
            xml.body
        );
        // A meeting's speeches as open data: the demo says so in the file name and first row.
        let id = m["meetingURL"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let csv = c.get(&format!("/minutes/meetings/{id}/speeches.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        let text = demo_csv(&csv);
        assert!(
            text.trim_start_matches('\u{feff}')
                .starts_with("会議名,開催日,会期,号,発言番号")
                && text.contains("行政改革"),
            "{text}"
        );
        // Errors in the NDL's shape.
        for bad in [
            "/api/v1/minutes/meeting?any=a&maximumRecords=11",
            "/api/v1/minutes/speech",
            "/api/v1/minutes/speech?any=a&from=2024-13-01",
        ] {
            let r = c.get(bad).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            let e = json(&r);
            assert!(
                e["message"].is_string() && e["details"].is_array(),
                "{bad}: {e}"
            );
        }
        t
    })
    .await;
}
