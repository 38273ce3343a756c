//! A demonstration set of the four statements for 令和5年度 (2023) 一般会計等, shaped like the
//! demonstration city's budget (some 400億円 of cost a year) and built so every total and identity
//! holds: the NW's closing balance is the BS's net assets, the CF's closing cash the BS's 現金預金.
//! Leaves are given in 千円; every parent line is the sum of its leaves. Loaded once, with the
//! population of the year.

use super::demo_builder::{Builder, line};
use super::{FIXED, NewSet, SURPLUS, StLine, Statement, TOTAL};
use crate::app::App;
use crate::audit::Actor;

/// The year's population (住民基本台帳, 31 March 2024) for 一人当たり figures.
pub const POPULATION: i64 = 116_254;

use Statement::{Bs, Cf, Nw, Pl};

fn cost(b: &mut Builder) {
    b.group(Pl, "PL-1", "", "経常費用");
    b.group(Pl, "PL-1-1", "PL-1", "業務費用");
    b.group(Pl, "PL-1-1-1", "PL-1-1", "人件費");
    b.leaves(
        Pl,
        "PL-1-1-1",
        &[
            ("職員給与費", 6_800_000),
            ("賞与等引当金繰入額", 520_000),
            ("退職手当引当金繰入額", 380_000),
            ("その他", 240_000),
        ],
    );
    b.group(Pl, "PL-1-1-2", "PL-1-1", "物件費等");
    b.leaves(
        Pl,
        "PL-1-1-2",
        &[
            ("物件費", 5_600_000),
            ("維持補修費", 700_000),
            ("減価償却費", 5_900_000),
            ("その他", 60_000),
        ],
    );
    b.group(Pl, "PL-1-1-3", "PL-1-1", "その他の業務費用");
    b.leaves(
        Pl,
        "PL-1-1-3",
        &[
            ("支払利息", 310_000),
            ("徴収不能引当金繰入額", 40_000),
            ("その他", 120_000),
        ],
    );
    b.group(Pl, "PL-1-2", "PL-1", "移転費用");
    b.leaves(
        Pl,
        "PL-1-2",
        &[
            ("補助金等", 4_800_000),
            ("社会保障給付", 12_400_000),
            ("他会計への繰出金", 4_100_000),
            ("その他", 90_000),
        ],
    );
    b.group(Pl, "PL-2", "", "経常収益");
    b.leaves(
        Pl,
        "PL-2",
        &[("使用料及び手数料", 900_000), ("その他", 650_000)],
    );
    b.group(Pl, "PL-4", "", "臨時損失");
    b.leaves(
        Pl,
        "PL-4",
        &[("災害復旧事業費", 120_000), ("資産除売却損", 80_000)],
    );
    b.group(Pl, "PL-5", "", "臨時利益");
    b.leaves(Pl, "PL-5", &[("資産売却益", 60_000), ("その他", 10_000)]);
    b.fill();
    let ordinary = b.get(Pl, "経常費用") - b.get(Pl, "経常収益");
    let net = ordinary + b.get(Pl, "臨時損失") - b.get(Pl, "臨時利益");
    // In print the two results sit between the groups: 純経常 after 経常収益, 純行政コスト last.
    let at = b.lines.iter().position(|l| l.code == "PL-4").unwrap_or(0);
    b.lines
        .insert(at, line(Pl, "PL-3", "純経常行政コスト", TOTAL, ordinary));
    b.add(Pl, "PL-6", "", "純行政コスト", TOTAL, net);
}

fn cash(b: &mut Builder) -> i64 {
    b.group(Cf, "CF-1", "", "業務支出");
    b.leaves(
        Cf,
        "CF-1",
        &[
            ("人件費支出", 7_900_000),
            ("物件費等支出", 6_300_000),
            ("支払利息支出", 310_000),
            ("補助金等支出", 4_800_000),
            ("社会保障給付支出", 12_400_000),
            ("他会計への繰出支出", 4_100_000),
            ("その他の支出", 190_000),
        ],
    );
    b.group(Cf, "CF-2", "", "業務収入");
    b.leaves(
        Cf,
        "CF-2",
        &[
            ("税収等収入", 27_450_000),
            ("国県等補助金収入", 10_500_000),
            ("使用料及び手数料収入", 900_000),
            ("その他の収入", 640_000),
        ],
    );
    b.group(Cf, "CF-3", "", "臨時支出");
    b.leaves(Cf, "CF-3", &[("災害復旧事業費支出", 120_000)]);
    b.group(Cf, "CF-5", "", "投資活動支出");
    b.leaves(
        Cf,
        "CF-5",
        &[
            ("公共施設等整備費支出", 6_200_000),
            ("基金積立金支出", 1_100_000),
            ("貸付金支出", 150_000),
        ],
    );
    b.group(Cf, "CF-6", "", "投資活動収入");
    b.leaves(
        Cf,
        "CF-6",
        &[
            ("国県等補助金収入", 1_900_000),
            ("基金取崩収入", 1_400_000),
            ("貸付金元金回収収入", 160_000),
            ("資産売却収入", 90_000),
        ],
    );
    b.group(Cf, "CF-8", "", "財務活動支出");
    b.leaves(Cf, "CF-8", &[("地方債償還支出", 5_100_000)]);
    b.group(Cf, "CF-9", "", "財務活動収入");
    b.leaves(Cf, "CF-9", &[("地方債発行収入", 4_300_000)]);
    b.fill();
    let g = |b: &Builder, n| b.get(Cf, n);
    let business = g(b, "業務収入") - g(b, "業務支出") - g(b, "臨時支出");
    let investment = g(b, "投資活動収入") - g(b, "投資活動支出");
    let financing = g(b, "財務活動収入") - g(b, "財務活動支出");
    let flow = business + investment + financing;
    let (opening, off_budget) = (2_420_000, 180_000);
    let closing = opening + flow;
    // Each activity's balance follows its lines, as printed.
    let before = |b: &Builder, code: &str| b.lines.iter().position(|l| l.code == code).unwrap_or(0);
    let at = before(b, "CF-5");
    b.lines
        .insert(at, line(Cf, "CF-4", "業務活動収支", TOTAL, business));
    let at = before(b, "CF-8");
    b.lines
        .insert(at, line(Cf, "CF-7", "投資活動収支", TOTAL, investment));
    for (code, name, k) in [
        ("CF-10", "財務活動収支", financing),
        ("CF-11", "本年度資金収支額", flow),
        ("CF-12", "前年度末資金残高", opening),
        ("CF-13", "本年度末資金残高", closing),
        ("CF-14", "前年度末歳計外現金残高", 170_000),
        ("CF-15", "本年度歳計外現金増減額", 10_000),
        ("CF-16", "本年度末歳計外現金残高", off_budget),
        ("CF-17", "本年度末現金預金残高", closing + off_budget),
    ] {
        b.lines.push(line(Cf, code, name, TOTAL, k));
    }
    closing + off_budget
}

/// The balance sheet with 現金預金 from the CF; returns (net assets, 固定資産等形成分) in 千円.
fn balance(b: &mut Builder, cash: i64) -> (i64, i64) {
    b.group(Bs, "BS-1", "", "資産合計");
    b.group(Bs, "BS-1-1", "BS-1", "固定資産");
    b.group(Bs, "BS-1-1-1", "BS-1-1", "有形固定資産");
    b.group(Bs, "BS-1-1-1-1", "BS-1-1-1", "事業用資産");
    b.leaves(
        Bs,
        "BS-1-1-1-1",
        &[
            ("土地", 30_000_000),
            ("建物", 60_000_000),
            ("建物減価償却累計額", -35_000_000),
            ("工作物", 8_000_000),
            ("工作物減価償却累計額", -4_500_000),
            ("建設仮勘定", 600_000),
        ],
    );
    b.group(Bs, "BS-1-1-1-2", "BS-1-1-1", "インフラ資産");
    b.leaves(
        Bs,
        "BS-1-1-1-2",
        &[
            ("土地", 25_000_000),
            ("工作物", 150_000_000),
            ("工作物減価償却累計額", -80_000_000),
            ("建設仮勘定", 1_200_000),
        ],
    );
    b.add(Bs, "BS-1-1-1-3", "BS-1-1-1", "物品", TOTAL, 4_000_000);
    b.add(
        Bs,
        "BS-1-1-1-4",
        "BS-1-1-1",
        "物品減価償却累計額",
        TOTAL,
        -2_800_000,
    );
    b.group(Bs, "BS-1-1-2", "BS-1-1", "無形固定資産");
    b.leaves(
        Bs,
        "BS-1-1-2",
        &[("ソフトウェア", 300_000), ("その他", 50_000)],
    );
    b.group(Bs, "BS-1-1-3", "BS-1-1", "投資その他の資産");
    b.leaves(
        Bs,
        "BS-1-1-3",
        &[
            ("投資及び出資金", 1_800_000),
            ("長期延滞債権", 600_000),
            ("長期貸付金", 400_000),
            ("基金", 6_500_000),
            ("徴収不能引当金", -90_000),
        ],
    );
    b.group(Bs, "BS-1-2", "BS-1", "流動資産");
    b.leaves(
        Bs,
        "BS-1-2",
        &[
            ("現金預金", cash),
            ("未収金", 350_000),
            ("基金", 4_200_000),
            ("徴収不能引当金", -20_000),
        ],
    );
    b.group(Bs, "BS-2", "", "負債合計");
    b.group(Bs, "BS-2-1", "BS-2", "固定負債");
    b.leaves(
        Bs,
        "BS-2-1",
        &[
            ("地方債", 48_000_000),
            ("退職手当引当金", 6_200_000),
            ("その他", 150_000),
        ],
    );
    b.group(Bs, "BS-2-2", "BS-2", "流動負債");
    b.leaves(
        Bs,
        "BS-2-2",
        &[
            ("1年内償還予定地方債", 4_900_000),
            ("未払金", 300_000),
            ("賞与等引当金", 520_000),
            ("預り金", 180_000),
        ],
    );
    b.fill();
    let net = b.get(Bs, "資産合計") - b.get(Bs, "負債合計");
    let fixed = b.get(Bs, "固定資産") + 4_200_000;
    b.add(Bs, "BS-3", "", "純資産合計", TOTAL, 0);
    b.add(Bs, "BS-3-1", "BS-3", "固定資産等形成分", TOTAL, fixed);
    b.add(Bs, "BS-3-2", "BS-3", "余剰分（不足分）", TOTAL, net - fixed);
    b.fill();
    b.add(
        Bs,
        "BS-4",
        "",
        "負債及び純資産合計",
        TOTAL,
        b.get(Bs, "負債合計") + net,
    );
    (net, fixed)
}

/// The NW in its three columns, ending at the BS's net assets.
fn net_assets(b: &mut Builder, net: i64, fixed: i64) {
    let cost = b.get(Pl, "純行政コスト");
    let (taxes, grants, internal, transfers) = (27_500_000, 12_400_000, 500_000, 50_000);
    let surplus = net - fixed;
    // (code, parent, name, 固定資産等形成分, 余剰分（不足分）) in 千円; 合計 is their sum.
    let change = (internal + transfers, taxes + grants - cost - internal);
    let rows = [
        (
            "NW-1",
            "",
            "前年度末純資産残高",
            fixed - change.0,
            surplus - change.1,
        ),
        ("NW-2", "", "純行政コスト（△）", 0, -cost),
        ("NW-3", "", "財源", 0, taxes + grants),
        ("NW-3-1", "NW-3", "税収等", 0, taxes),
        ("NW-3-2", "NW-3", "国県等補助金", 0, grants),
        ("NW-4", "", "本年度差額", 0, taxes + grants - cost),
        (
            "NW-5",
            "",
            "固定資産等の変動（内部変動）",
            internal,
            -internal,
        ),
        ("NW-6", "", "資産評価差額", 0, 0),
        ("NW-7", "", "無償所管換等", transfers, 0),
        ("NW-8", "", "本年度純資産変動額", change.0, change.1),
        ("NW-9", "", "本年度末純資産残高", fixed, surplus),
    ];
    for (code, parent, name, f, s) in rows {
        b.add(Nw, code, parent, name, TOTAL, f + s);
        b.add(Nw, code, parent, name, FIXED, f);
        b.add(Nw, code, parent, name, SURPLUS, s);
    }
}

/// The demonstration set, in statement order.
pub fn set() -> NewSet {
    let mut pl = Builder { lines: Vec::new() };
    cost(&mut pl);
    let mut cf = Builder { lines: Vec::new() };
    let cash = cash(&mut cf);
    let mut bs = Builder { lines: Vec::new() };
    let (net, fixed) = balance(&mut bs, cash);
    let mut nw = Builder {
        lines: pl.lines.clone(),
    };
    net_assets(&mut nw, net, fixed);
    let nw_lines: Vec<StLine> = nw.lines.into_iter().filter(|l| l.statement == Nw).collect();
    let mut lines = bs.lines;
    lines.extend(pl.lines);
    lines.extend(nw_lines);
    lines.extend(cf.lines);
    NewSet {
        fiscal_year: 2023,
        scope: "一般会計等",
        lines,
    }
}

pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    if !super::store::sets(&app.db, org).await?.is_empty() {
        return Ok(());
    }
    let actor = Actor::cli("demo");
    super::store::write(app, org, &actor, &[set()], true).await?;
    super::store::set_population(app, org, &actor, 2023, POPULATION).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::statements::checks;

    #[test]
    fn the_demonstration_set_passes_every_check() {
        let s = set();
        assert_eq!(checks::totals(&s.lines), vec![]);
        let ids = checks::identities(&s.lines);
        assert_eq!(ids.len(), 8);
        for id in ids {
            let id = id.unwrap();
            assert!(id.holds(), "{id:?}");
        }
        // Breaking one line breaks the identity it is in, and the total above it.
        let mut broken = s.clone();
        let cash = broken
            .lines
            .iter_mut()
            .find(|l| l.name == "現金預金")
            .unwrap();
        cash.amount += 1000;
        let totals = checks::totals(&broken.lines);
        assert_eq!(totals.len(), 1);
        assert_eq!(broken.lines[totals[0].0].name, "流動資産");
        let failing: Vec<_> = checks::identities(&broken.lines)
            .into_iter()
            .filter_map(|i| i.ok().filter(|i| !i.holds()).map(|i| i.key))
            .collect();
        assert_eq!(failing, vec!["fst.id_cf_bs"]);
    }
}
