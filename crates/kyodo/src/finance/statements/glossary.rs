//! A short explanation of each standard line (統一的な基準 §4.2) for citizens, as catalogue keys
//! (`fst_note.*`, ja and en). Lines are found by their printed name; a city's own extra lines
//! simply have none.

use super::checks::bare;

/// (printed name, key under `fst_note`).
const NOTES: [(&str, &str); 52] = [
    ("資産合計", "fst_note.assets"),
    ("固定資産", "fst_note.fixed_assets"),
    ("有形固定資産", "fst_note.tangible"),
    ("事業用資産", "fst_note.business_assets"),
    ("インフラ資産", "fst_note.infrastructure"),
    ("物品", "fst_note.goods"),
    ("無形固定資産", "fst_note.intangible"),
    ("投資その他の資産", "fst_note.investments"),
    ("基金", "fst_note.funds"),
    ("流動資産", "fst_note.current_assets"),
    ("現金預金", "fst_note.cash"),
    ("未収金", "fst_note.receivable"),
    ("長期延滞債権", "fst_note.overdue"),
    ("徴収不能引当金", "fst_note.doubtful"),
    ("負債合計", "fst_note.liabilities"),
    ("固定負債", "fst_note.fixed_liabilities"),
    ("地方債", "fst_note.bonds"),
    ("退職手当引当金", "fst_note.retirement"),
    ("流動負債", "fst_note.current_liabilities"),
    ("1年内償還予定地方債", "fst_note.bonds_due"),
    ("賞与等引当金", "fst_note.bonus"),
    ("預り金", "fst_note.deposits"),
    ("純資産合計", "fst_note.net_assets"),
    ("固定資産等形成分", "fst_note.fixed_share"),
    ("余剰分(不足分)", "fst_note.surplus_share"),
    ("負債及び純資産合計", "fst_note.liabilities_and_net"),
    ("経常費用", "fst_note.ordinary_cost"),
    ("業務費用", "fst_note.operating_cost"),
    ("人件費", "fst_note.personnel"),
    ("物件費等", "fst_note.goods_cost"),
    ("減価償却費", "fst_note.depreciation"),
    ("移転費用", "fst_note.transfers"),
    ("補助金等", "fst_note.subsidies"),
    ("社会保障給付", "fst_note.social_security"),
    ("他会計への繰出金", "fst_note.to_other_accounts"),
    ("経常収益", "fst_note.ordinary_income"),
    ("使用料及び手数料", "fst_note.fees"),
    ("純経常行政コスト", "fst_note.net_ordinary"),
    ("臨時損失", "fst_note.extra_loss"),
    ("臨時利益", "fst_note.extra_gain"),
    ("純行政コスト", "fst_note.net_cost"),
    ("前年度末純資産残高", "fst_note.nw_opening"),
    ("財源", "fst_note.revenue_sources"),
    ("税収等", "fst_note.taxes"),
    ("国県等補助金", "fst_note.grants"),
    ("本年度差額", "fst_note.difference"),
    ("固定資産等の変動(内部変動)", "fst_note.internal"),
    ("本年度末純資産残高", "fst_note.nw_closing"),
    ("業務活動収支", "fst_note.cf_business"),
    ("投資活動収支", "fst_note.cf_investment"),
    ("財務活動収支", "fst_note.cf_financing"),
    ("本年度末現金預金残高", "fst_note.cf_cash"),
];

/// The key of a line's explanation, if the line is a standard one; every 〜減価償却累計額 shares one.
pub fn note(name: &str) -> Option<&'static str> {
    let b = bare(name);
    if b.ends_with("減価償却累計額") {
        return Some("fst_note.accumulated_depreciation");
    }
    NOTES.iter().find(|(n, _)| *n == b).map(|(_, k)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_lines_have_notes_however_printed() {
        assert_eq!(note("現金預金"), Some("fst_note.cash"));
        assert_eq!(note("純行政コスト（△）"), Some("fst_note.net_cost"));
        assert_eq!(note("余剰分（不足分）"), Some("fst_note.surplus_share"));
        assert_eq!(
            note("建物減価償却累計額"),
            Some("fst_note.accumulated_depreciation")
        );
        assert_eq!(note("市独自の科目"), None);
    }
}
