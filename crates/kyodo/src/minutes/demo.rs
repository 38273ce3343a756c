//! Demonstration minutes: invented meetings (marked as demonstration data) so that the minutes pages
//! and search are alive after the quick start. Written as plain-text minutes and read by the same
//! parser as an import.

use super::import::{TextMeta, from_text};
use super::store;
use crate::app::App;

/// (body, kind, session, 号, text)
const MEETINGS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "本会議",
        "council",
        "令和6年2月定例会",
        "第3号",
        "令和6年2月定例会 本会議 第3号(デモデータ)\n令和6年3月5日(火曜日)\n場所　市役所本庁舎 議場\n○出席議員（2名）\n１番　鶴ヶ城花子　　２番　只見四郎\n○議事日程\n日程第１　一般質問\n━━━━━━━━━━\n〔午前10時開議〕\n○議長（会津太郎君）　ただいまから本日の会議を開きます。日程第1、一般質問を行います。\n◆１番（鶴ヶ城花子議員）　行政改革の進み具合について伺います。第2次行政改革大綱の実施計画は、市民と協働で進行管理を行うとされていますが、市民の声はどのように反映されているのでしょうか。\n◎市長（磐梯一郎君）　お答えします。行政改革の実施計画は、毎年度の実績を公表し、市民の皆様からいただいた意見を次年度の取組に反映しております。財政の健全化にも引き続き取り組みます。\n〔「了解」と呼ぶ者あり〕\n◆１番（鶴ヶ城花子議員）　防災についても伺います。地域の防災訓練への市民参加は増えていますか。\n◎危機管理課長（猪苗代次郎君）　防災訓練の参加者は前年度より増えております。\n○議長（会津太郎君）　以上で本日の日程は全部終了しました。本日はこれをもって散会します。\n",
    ),
    (
        "総務委員会",
        "council",
        "令和6年2月定例会",
        "第1号",
        "令和6年2月定例会 総務委員会 第1号(デモデータ)\n令和6年3月8日(金曜日)\n━━━━━━━━━━\n○委員長（喜多方三郎君）　ただいまから総務委員会を開会します。\n◆委員（只見四郎君）　行政評価の結果は予算編成にどう使われていますか。\n◎財務部長（大内宿五郎君）　事務事業評価の結果を踏まえ、枠配分予算の中で見直しを行っております。財政の見通しも公表しております。\n",
    ),
    (
        "庁議",
        "executive",
        "",
        "令和6年度第1回",
        "令和6年度 第1回庁議(デモデータ)\n令和6年4月10日(水曜日)\n場所　本庁舎3階 第1会議室\n出席者　市長、副市長、教育長、各部長\n議題\n１　行政改革実施計画の進行管理について（企画政策部）\n結果：各部の取組状況を取りまとめ、市民協働の観点から公表する。\n２　公共施設の予約の見直しについて（財務部）\n結果：次回の庁議で案を示す。\n━━━━━━━━━━\n○市長（磐梯一郎君）　行政改革の実施計画の進行管理について、各部の取組を報告してください。\n◎企画政策部長（飯盛六郎君）　各部の取組状況を取りまとめ、市民協働の観点から公表します。\n",
    ),
];

/// Adds the demonstration minutes once.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    let mut tx = app.begin_write().await?;
    for (body, kind, session, issue, text) in MEETINGS {
        let m = kyodo_decode::minutes::parse(text)
            .map_err(|p| anyhow::anyhow!("demo minutes do not parse: {p:?}"))?;
        let held_on = m
            .held_on
            .ok_or_else(|| anyhow::anyhow!("demo minutes without a date"))?
            .format("%Y-%m-%d")
            .to_string();
        let meta = TextMeta {
            body: body.into(),
            kind: kind.into(),
            session: session.into(),
            issue: issue.into(),
        };
        let key = format!("demo:{body}:{held_on}:{issue}");
        let meeting = from_text(m, &meta, key, held_on);
        store::replace(&mut tx, org, &meeting, true).await?;
    }
    tx.commit().await?;
    Ok(())
}
