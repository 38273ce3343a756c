//! Two editions of the demonstration city's outlook — made in 令和6年度 for 令和7〜9年度 and in
//! 令和7年度 for 令和8〜10年度 — written as the table a city publishes (百万円, 合計 rows, a blank
//! 区分 under the first item of each section) and read through the importer, so the demo is what
//! an import of such a file gives. Loaded once.

use crate::app::App;
use crate::audit::Actor;

/// (区分, 項目, 百万円 for the three years from the edition's first).
type Item = (&'static str, &'static str, [i64; 3]);

const REVENUE: [Item; 6] = [
    ("歳入", "市税", [15_250, 15_310, 15_340]),
    ("", "地方譲与税等", [2_650, 2_660, 2_660]),
    ("", "地方交付税", [11_400, 11_250, 11_100]),
    ("", "国県支出金", [11_900, 12_000, 12_100]),
    ("", "その他収入", [3_200, 3_100, 3_050]),
    ("", "市債", [4_100, 3_900, 3_800]),
];

const SPENDING: [Item; 8] = [
    ("歳出", "人件費", [7_100, 7_150, 7_200]),
    ("", "扶助費", [16_900, 17_200, 17_500]),
    ("", "公債費", [5_400, 5_300, 5_250]),
    ("", "補助費等", [4_300, 4_300, 4_300]),
    ("", "繰出金", [4_200, 4_300, 4_400]),
    ("", "物件費", [5_700, 5_750, 5_800]),
    ("", "その他", [1_500, 1_500, 1_500]),
    ("", "投資的経費", [4_900, 4_500, 4_300]),
];

/// The table for the edition made in `made_in`; `shift` moves every figure (百万円) so the two
/// editions differ as a year's new estimate does.
pub fn table(made_in: i64, shift: i64) -> String {
    let era = |y: i64| format!("令和{}年度", y - 2018);
    let years: Vec<i64> = (made_in + 1..=made_in + 3).collect();
    let mut out = format!(
        "中期財政見通し({}作成)(デモデータ),,,,\n（単位：百万円）,,,,\n区分,項目,{}\n",
        era(made_in),
        years.iter().map(|y| era(*y)).collect::<Vec<_>>().join(",")
    );
    let mut totals = [[0i64; 3]; 2];
    for (side, items) in [&REVENUE[..], &SPENDING[..]].into_iter().enumerate() {
        for (section, label, v) in items {
            let v: Vec<i64> = v.iter().map(|x| x + shift).collect();
            for k in 0..3 {
                totals[side][k] += v[k];
            }
            out.push_str(&format!("{section},{label},{},{},{}\n", v[0], v[1], v[2]));
        }
        let name = if side == 0 {
            "歳入合計"
        } else {
            "歳出合計"
        };
        let t = totals[side];
        out.push_str(&format!(",{name},{},{},{}\n", t[0], t[1], t[2]));
    }
    let gap: Vec<i64> = (0..3).map(|k| totals[0][k] - totals[1][k]).collect();
    out.push_str(&format!(
        "収支差,収支差(財源不足額),{},{},{}\n",
        gap[0], gap[1], gap[2]
    ));
    out.push_str(&format!(
        "基金残高,財政調整基金,{},{},{}\n",
        4_200 + gap[0],
        4_200 + gap[0] + gap[1],
        4_200 + gap[0] + gap[1] + gap[2]
    ));
    out.push_str(",減債基金,1800,1750,1700\n");
    out.push_str(&format!(
        "市債残高,市債残高,{},{},{}\n",
        52_600 - shift * 10,
        51_300 - shift * 10,
        50_100 - shift * 10
    ));
    out
}

pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    if !super::store::editions(&app.db, org).await?.is_empty() {
        return Ok(());
    }
    for (made_in, shift) in [(2024, 40), (2025, 0)] {
        let sheet = kyodo_decode::sheet::read_csv(table(made_in, shift).as_bytes(), "outlook.csv")
            .map_err(anyhow::Error::msg)?;
        let outlook = super::file::read(&sheet)
            .map_err(|p| anyhow::anyhow!("the demo outlook does not read: {p:?}"))?;
        super::store::write(app, org, &Actor::cli("demo"), &outlook, true).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Section, file};

    fn sheet(text: &str) -> kyodo_decode::sheet::Sheet {
        kyodo_decode::sheet::read_csv(text.as_bytes(), "outlook.csv").unwrap()
    }

    #[test]
    fn the_table_as_published_reads_with_its_edition_units_and_sections() {
        let o = file::read(&sheet(&super::table(2025, 0))).unwrap();
        assert_eq!((o.made_in, o.years.clone()), (2025, vec![2026, 2027, 2028]));
        assert!(o.title.starts_with("中期財政見通し"));
        let tax = &o.rows[0];
        assert_eq!(
            (tax.section, tax.label.as_str(), tax.amounts[0]),
            (Section::Revenue, "市税", 15_250_000_000)
        );
        let welfare = o.rows.iter().find(|r| r.label == "扶助費").unwrap();
        assert_eq!(
            welfare.section,
            Section::Expenditure,
            "a blank 区分 continues the one above"
        );
        assert!(o.rows.iter().any(|r| r.label == "歳入合計" && r.is_total));
        let gap = o
            .rows
            .iter()
            .find(|r| r.section == Section::Balance)
            .unwrap();
        assert!(gap.amounts[0] < 0, "a 財源不足");
    }

    #[test]
    fn a_total_or_gap_that_does_not_add_up_is_named_by_line_and_year() {
        let text = super::table(2025, 0).replace("市税,15250", "市税,15251");
        let p = file::read(&sheet(&text)).unwrap_err();
        let keys: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.key)).collect();
        // 歳入合計 (line 10) and 収支差 (line 20) for the first year.
        assert_eq!(
            keys,
            vec![
                (10, "outlook.total_mismatch"),
                (20, "outlook.total_mismatch")
            ]
        );
        assert!(p[0].value.starts_with("2026 歳入合計"), "{}", p[0].value);
        let bad = super::table(2025, 0)
            .replace("市税,15250", "市税,たくさん")
            .replace("基金残高,", "雑,");
        let p = file::read(&sheet(&bad)).unwrap_err();
        let keys: Vec<&str> = p.iter().map(|p| p.key).collect();
        assert_eq!(keys, vec!["outlook.bad_amount", "outlook.bad_section"]);
        assert_eq!(
            file::read(&sheet("a,b\n1,2\n")).unwrap_err()[0].key,
            "outlook.no_header"
        );
    }
}
