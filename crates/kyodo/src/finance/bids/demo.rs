//! Two years of the demonstration city's tenders (令和5・6年度): 工事, 委託 and 物品 by 一般競争,
//! 指名競争 and 随意契約, each with its bids, written as a per-bid results list (a tender's own
//! cells blank on its later rows, as merged cells print) and read through the importer. The
//! figures come from a fixed sequence, so every load gives the same tenders. Loaded once.

use crate::app::App;
use crate::audit::Actor;

/// Company names for the demonstration (fictitious; 「(デモ)」 marks them).
const FIRMS: [&str; 8] = [
    "鶴ヶ城建設(デモ)",
    "磐梯土木(デモ)",
    "猪苗代設備(デモ)",
    "会津電気工業(デモ)",
    "白虎舗装(デモ)",
    "七日町測量設計(デモ)",
    "大町事務機(デモ)",
    "飯盛山造園(デモ)",
];

const WORKS: [(&str, &str); 6] = [
    ("工事", "市道{}号線舗装補修工事"),
    ("工事", "第{}小学校屋上防水改修工事"),
    ("委託", "{}地区側溝清掃業務委託"),
    ("委託", "公共施設{}番設備保守点検業務委託"),
    ("物品", "庁用パソコン{}台購入"),
    ("物品", "消防用ホース{}本購入"),
];

/// The list as a city publishes it, in 千円.
pub fn list() -> String {
    let mut seed: u64 = 20_240_401;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut out = String::from(
        "入札結果一覧(デモデータ),,,,,,,,,\n（単位：千円）,,,,,,,,,\n案件番号,件名,種別,入札方式,開札日,担当課,予定価格,入札者,入札額,結果\n",
    );
    for year in [2023, 2024] {
        for n in 0..36u64 {
            let (kind, name) = WORKS[(n % 6) as usize];
            let method = match next(10) {
                0 => "随意契約",
                1..=3 => "指名競争入札",
                _ => "一般競争入札",
            };
            let month = 4 + (n % 12);
            let (y, m) = if month > 12 {
                (year + 1, month - 12)
            } else {
                (year, month)
            };
            let planned = (5 + next(60)) * 1000 + next(10) * 100;
            let title = name.replace("{}", &(n + 1).to_string());
            let count = if method == "随意契約" {
                1
            } else {
                2 + next(4)
            };
            let first = next(8) as usize;
            // Each bid a share of the planned price; the lowest wins.
            let mut bids: Vec<(usize, u64)> = (0..count)
                .map(|k| {
                    (
                        (first + k as usize * 3) % 8,
                        planned * (780 + next(215)) / 1000,
                    )
                })
                .collect();
            bids.sort_by_key(|b| b.1);
            for (k, (firm, amount)) in bids.iter().enumerate() {
                let case = if k == 0 {
                    format!("R{}-{:03}", year - 2018, n + 1)
                } else {
                    String::new()
                };
                let own = if k == 0 {
                    format!(
                        "{title},{kind},{method},{y}-{m:02}-{:02},契約検査課,{planned}",
                        5 + n % 20
                    )
                } else {
                    ",,,,,".to_string()
                };
                let result = if k == 0 { "落札" } else { "" };
                out.push_str(&format!(
                    "{case},{own},{},{amount},{result}\n",
                    FIRMS[*firm]
                ));
            }
        }
    }
    out
}

pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    let (rows, _) = super::store::search(&app.db, org, &Default::default(), 0, None).await?;
    if !rows.is_empty() {
        return Ok(());
    }
    let sheet =
        kyodo_decode::sheet::read_csv(list().as_bytes(), "bids.csv").map_err(anyhow::Error::msg)?;
    let bids = super::file::read(&sheet)
        .map_err(|p| anyhow::anyhow!("the demo tenders do not read: {p:?}"))?;
    super::store::write(app, org, &Actor::cli("demo"), &bids, true).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Method, file};

    fn sheet(text: &str) -> kyodo_decode::sheet::Sheet {
        kyodo_decode::sheet::read_csv(text.as_bytes(), "bids.csv").unwrap()
    }

    #[test]
    fn a_per_bid_list_with_merged_cells_reads() {
        let bids = file::read(&sheet(&super::list())).unwrap();
        assert_eq!(bids.len(), 72);
        for b in &bids {
            assert_eq!(b.entries.len() as i64, b.bidders);
            assert!(b.amount.unwrap() <= b.planned_price.unwrap(), "{b:?}");
            assert_eq!(
                Some(b.winner.as_str()),
                b.entries.first().map(|e| e.bidder.as_str())
            );
        }
        assert!(bids.iter().any(|b| b.method == Method::Negotiated));
        assert_eq!(
            bids[0].planned_price.map(|p| p % 1000),
            Some(0),
            "千円 from the title"
        );
    }

    #[test]
    fn a_per_tender_list_and_its_problems_by_line() {
        let head =
            "案件番号,件名,種別,入札方式,開札日,予定価格(円),落札者,落札額(円),落札率,入札者数\n";
        let good = format!(
            "{head}A-1,道路補修工事,工事,一般競争,令和6年5月10日,\"１，０００，０００\",会津建設,950000,95.0%,3\n"
        );
        let bids = file::read(&sheet(&good)).unwrap();
        assert_eq!(
            (bids[0].bidders, bids[0].rate_pm(), bids[0].method),
            (3, Some(950), Method::General)
        );
        let bad = format!(
            "{head}A-1,道路補修工事,工事,一般競争,令和6年5月10日,1000000,会津建設,1100000,,3\n\
             A-2,橋梁点検,委託,くじ,2024-13-01,500000,磐梯,400000,70.0,2\n\
             A-3,物品購入,物品,指名競争,2024-06-01,500000,磐梯,400000,70.0,2\n\
             A-3,物品購入,物品,指名競争,2024-06-01,500000,磐梯,400000,80.0,2\n"
        );
        let p = file::read(&sheet(&bad)).unwrap_err();
        let keys: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.key)).collect();
        assert_eq!(
            keys,
            vec![
                (3, "bids.bad_method"),
                (3, "bids.bad_date"),
                (5, "bids.duplicate_case"),
                (2, "bids.over_planned"),
                (4, "bids.rate_mismatch"),
            ]
        );
        assert_eq!(
            file::read(&sheet("a,b\n1,2\n")).unwrap_err()[0].key,
            "bids.no_header"
        );
    }
}
