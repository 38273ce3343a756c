//! 会議録: importing minutes from the HQ's page (plain text and NDL JSON, checked whole, replaced on
//! re-import) and searching them with exact substring semantics, on both databases.

mod api;
mod cli;
mod details;
mod index;
mod integrity;
mod ndl_xml;
mod search;
mod snippets;

use crate::support::*;
use axum::http::StatusCode;
use kyodo::minutes::text::normalize;

/// Plain-text minutes as a city publishes them, with width variants and 25 speeches about 項目.
pub fn city_minutes() -> String {
    let mut t = String::from(
        "令和7年6月定例会 本会議 第2号\n令和7年6月10日(火曜日)\n━━━━━━━━━━━━\n〔午前10時開議〕\n",
    );
    t.push_str("○議長（若松一郎君）　ただいまから会議を開きます。ＡＢＣ方式とｶﾞｲﾄﾞﾗｲﾝについて、100%の達成を目指します。\n");
    t.push_str(
        "◆２番(湊花子議員)　市の財政について伺います。\n　財政調整基金の残高はいくらですか。\n",
    );
    t.push_str("◎財務部長（河東次郎君）　財政調整基金は前年度より増えております。\n〔「了解」と呼ぶ者あり〕\n");
    for i in 1..=25 {
        t.push_str(&format!(
            "◆３番（北会津三郎議員）　項目{i}について、市民協働の観点から伺います。\n"
        ));
    }
    t
}

/// How many speeches (not stage directions) of the organization contain every term of `all`, any
/// of `any` (when given) and none of `none`, after normalisation.
pub async fn naive(t: &TestApp, org: i64, all: &[&str], any: &[&str], none: &[&str]) -> usize {
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT text FROM minutes_speeches WHERE organization_id = $1 AND speaker_raw <> ''",
    )
    .bind(org)
    .fetch_all(&t.app.db)
    .await
    .unwrap();
    texts
        .iter()
        .map(|x| normalize(x))
        .filter(|n| all.iter().all(|a| n.contains(&normalize(a))))
        .filter(|n| any.is_empty() || any.iter().any(|a| n.contains(&normalize(a))))
        .filter(|n| !none.iter().any(|a| n.contains(&normalize(a))))
        .count()
}

pub async fn total(c: &mut Client, query: &str) -> usize {
    let res = c.get(&format!("/minutes?{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.body);
    let at = res
        .body
        .find("件の発言が見つかりました")
        .unwrap_or_else(|| panic!("{query}: {}", res.body));
    let digits: String = res.body[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    digits
        .chars()
        .rev()
        .filter(|c| *c != ',')
        .collect::<String>()
        .parse()
        .unwrap()
}

pub fn q(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub const NDL: &str = r#"{"numberOfRecords":1,"meetingRecord":[{"issueID":"121704254X00220250612","session":217,"nameOfHouse":"市議会","nameOfMeeting":"予算特別委員会","issue":"第2号","date":"2025-06-12","speechRecord":[
 {"speechOrder":0,"speaker":"会議録情報","speech":"令和7年6月12日 予算特別委員会"},
 {"speechOrder":1,"speaker":"門田 四郎","speakerPosition":"委員長","speakerGroup":"","speech":"○委員長（門田四郎君）　ただいまから予算特別委員会を開きます。"},
 {"speechOrder":2,"speaker":"一箕 五郎","speakerPosition":"","speakerGroup":"市民クラブ","speech":"○一箕五郎委員　防災の予算について伺います。"}]}]}"#;
