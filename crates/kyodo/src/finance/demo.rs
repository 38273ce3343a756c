//! A demonstration 一般会計 for 令和6年度 (2024): the 当初予算 (balanced) and its 決算, with the
//! 令和5年度 当初予算 and 決算 for the year-on-year change, shaped
//! like a city of about 120,000 (some 500億円), every line marked as demonstration data. Loaded
//! once.

use super::{Line, NewEdition, Side};
use crate::app::App;
use crate::audit::Actor;

/// Expenditure: (款, 項, 性質, 千円).
const SPENDING: [(&str, &str, &str, i64); 24] = [
    ("議会費", "議会費", "人件費", 420_000),
    ("総務費", "総務管理費", "人件費", 3_050_000),
    ("総務費", "総務管理費", "物件費", 1_480_000),
    ("総務費", "徴税費", "人件費", 610_000),
    ("総務費", "戸籍住民基本台帳費", "人件費", 390_000),
    ("民生費", "社会福祉費", "扶助費", 6_020_000),
    ("民生費", "社会福祉費", "繰出金", 2_540_000),
    ("民生費", "児童福祉費", "扶助費", 7_130_000),
    ("民生費", "児童福祉費", "人件費", 1_460_000),
    ("民生費", "生活保護費", "扶助費", 3_480_000),
    ("衛生費", "保健衛生費", "物件費", 1_790_000),
    ("衛生費", "清掃費", "物件費", 2_230_000),
    ("農林水産業費", "農業費", "補助費等", 910_000),
    ("商工費", "商工費", "補助費等", 1_240_000),
    ("土木費", "道路橋りょう費", "普通建設事業費", 2_810_000),
    ("土木費", "都市計画費", "普通建設事業費", 2_020_000),
    ("消防費", "消防費", "人件費", 1_530_000),
    ("消防費", "消防費", "物件費", 480_000),
    ("教育費", "教育総務費", "人件費", 1_210_000),
    ("教育費", "小学校費", "普通建設事業費", 1_640_000),
    ("教育費", "中学校費", "物件費", 620_000),
    ("教育費", "社会教育費", "物件費", 730_000),
    ("公債費", "公債費", "公債費", 5_480_000),
    ("予備費", "予備費", "予備費", 50_000),
];

/// Revenue: (款, 項, 千円); 諸収入 takes what balances the budget.
const INCOME: [(&str, &str, i64); 9] = [
    ("市税", "市民税", 8_200_000),
    ("市税", "固定資産税", 6_900_000),
    ("地方譲与税", "地方揮発油譲与税", 310_000),
    ("地方交付税", "地方交付税", 11_600_000),
    ("国庫支出金", "国庫負担金", 8_450_000),
    ("県支出金", "県負担金", 3_320_000),
    ("繰入金", "基金繰入金", 1_150_000),
    ("市債", "市債", 4_280_000),
    ("使用料及び手数料", "使用料", 920_000),
];

fn edition(fiscal_year: i64, name: &str, spend_rate: i64, income_rate: i64) -> NewEdition {
    let mut lines: Vec<Line> = Vec::new();
    // 千円 at the given rate (per mille of the budget), rounded down to the 千円.
    let thousand = |v: i64, rate: i64| v * rate / 1000;
    let spent: i64 = SPENDING.iter().map(|s| thousand(s.3, spend_rate)).sum();
    let mut income: i64 = 0;
    for (kan, kou, v) in INCOME {
        let amount = thousand(v, income_rate);
        income += amount;
        lines.push(line(Side::Revenue, kan, kou, "", amount));
    }
    // 諸収入 balances a budget; in the 決算 it is what came in beyond it (the 形式収支).
    let surplus = if name.contains("決算") { 180_000 } else { 0 };
    let rest = spent - income + surplus;
    lines.push(line(Side::Revenue, "諸収入", "雑入", "", rest));
    for (kan, kou, nature, v) in SPENDING {
        lines.push(line(
            Side::Expenditure,
            kan,
            kou,
            nature,
            thousand(v, spend_rate),
        ));
    }
    NewEdition {
        fiscal_year,
        account: "一般会計".into(),
        edition: name.into(),
        lines,
    }
}

fn line(side: Side, kan: &str, kou: &str, nature: &str, thousands: i64) -> Line {
    Line {
        side,
        kan: kan.into(),
        kou: kou.into(),
        moku: String::new(),
        setsu: String::new(),
        nature: nature.into(),
        amount: thousands * 1000,
    }
}

pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    if !super::store::editions(&app.db, org).await?.is_empty() {
        return Ok(());
    }
    // The year before at 97 %, so the pages have a year-on-year column.
    let editions = [
        edition(2023, "当初", 970, 970),
        edition(2023, "決算", 931, 955),
        edition(2024, "当初", 1000, 1000),
        edition(2024, "決算", 962, 985),
    ];
    super::store::write(app, org, &Actor::cli("demo"), &editions, true).await?;
    Ok(())
}
