//! Demonstration data: a comprehensive plan (総合計画) with its policy hierarchy, ~30 programmes
//! across the demo departments, personnel unit costs, two published evaluation years (令和5・6年度)
//! and the current one (令和7年度) with sheets at every stage, budget frames for 令和8年度, and one
//! reform verdict linked to the seed plan. Everything is marked デモ. Loaded once.

use super::costs::COLUMNS;
use crate::db::{new_id, now};

use super::demo_data::{NODES, PROGRAMMES};

const DIRECTIONS: [&str; 7] = [
    "continue", "improve", "expand", "reduce", "continue", "merge", "stop",
];
const OPERATORS: [&str; 5] = ["city", "outsource", "city", "partnership", "designated"];

/// A small deterministic spread so the demo looks like real data.
fn vary(i: usize, salt: usize, span: i64) -> i64 {
    ((i * 7919 + salt * 104_729) % 97) as i64 * span / 97
}

/// The programme of 企画調整課 (the demo 所属長's department) whose current sheet waits for them.
const AWAITS_DEMO_MANAGER: &str = "0304";

pub async fn load(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    departments: &[(String, i64)],
    committee: i64,
    reform_item: Option<i64>,
) -> anyhow::Result<()> {
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM policy_plans WHERE organization_id = $1 AND is_demo = 1",
    )
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_some() {
        return Ok(());
    }
    crate::codes::ensure_defaults(conn, org).await?;
    let at = now();
    let plan = new_id();
    sqlx::query("INSERT INTO policy_plans (organization_id, id, title, first_year, last_year, is_demo, created_at) VALUES ($1, $2, $3, 2017, 2026, 1, $4)")
        .bind(org)
        .bind(plan)
        .bind("(デモ)会津若松市 第7次総合計画")
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    let mut node_ids: Vec<(&str, i64)> = Vec::new();
    for (pos, (number, level, title, parent)) in NODES.iter().enumerate() {
        let id = new_id();
        let parent_id = node_ids
            .iter()
            .find(|(n, _)| n == parent)
            .map(|(_, id)| *id);
        sqlx::query("INSERT INTO policy_nodes (organization_id, id, plan_id, parent_id, level, position, number, title, goal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(org)
            .bind(id)
            .bind(plan)
            .bind(parent_id)
            .bind(*level)
            .bind(pos as i64)
            .bind(*number)
            .bind(*title)
            .bind(format!("{title}を進め、市民が成果を実感できる状態をめざします。(デモ)"))
            .execute(&mut *conn)
            .await?;
        node_ids.push((number, id));
        if *level == "measure" {
            let ind = new_id();
            sqlx::query("INSERT INTO eval_indicators (organization_id, id, owner_kind, owner_id, kind, name, unit, higher_is_better, position) VALUES ($1, $2, 'policy', $3, 'outcome', $4, '%', 1, 0)")
                .bind(org)
                .bind(ind)
                .bind(id)
                .bind(format!("{title}に満足している市民の割合"))
                .execute(&mut *conn)
                .await?;
            for (k, year) in (2023..=2025).enumerate() {
                let target = 50.0 + 5.0 * k as f64;
                let actual = 40.0 + vary(pos, k, 25) as f64;
                insert_value(conn, org, ind, year, target, actual).await?;
            }
        }
    }
    for (year, cat, cost) in [
        (2020, "regular", 8_200),
        (2020, "reappointed", 5_100),
        (2020, "fixed_term", 3_000),
        (2025, "regular", 8_400),
        (2025, "fixed_term", 3_200),
    ] {
        sqlx::query("INSERT INTO personnel_unit_costs (organization_id, fiscal_year, category, unit_cost) VALUES ($1, $2, $3, $4)")
            .bind(org)
            .bind(year as i64)
            .bind(cat)
            .bind(cost as i64)
            .execute(&mut *conn)
            .await?;
    }
    let dept = |code: &str| {
        departments
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| *id)
            .unwrap_or_default()
    };
    let mut programmes = Vec::new();
    for (i, (code, name, d, node, method, law, ind_name, unit)) in PROGRAMMES.iter().enumerate() {
        let id = new_id();
        let node_id = node_ids.iter().find(|(n, _)| n == node).map(|(_, id)| *id);
        sqlx::query(
            "INSERT INTO programmes (organization_id, id, code, name, department_id, policy_node_id, legal_basis, first_year, is_new, kind, method, target, intent, means, is_demo, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15)",
        )
        .bind(org)
        .bind(id)
        .bind(*code)
        .bind(format!("{name}(デモ)"))
        .bind(dept(d))
        .bind(node_id)
        .bind(*law)
        .bind(2005 + (i % 15) as i64)
        .bind(i64::from(i % 11 == 0))
        .bind(if law.is_empty() { "voluntary" } else { "mandatory" })
        .bind(*method)
        .bind("市民・市内の団体")
        .bind(format!("{name}により、市民サービスの質を高める"))
        .bind(format!("{name}を計画的に実施する"))
        .bind(&at)
        .execute(&mut *conn)
        .await?;
        let mut inds = Vec::new();
        for (k, (kind, iname, iunit)) in [
            ("activity", *ind_name, *unit),
            ("outcome", "目標の達成度", "%"),
        ]
        .into_iter()
        .enumerate()
        {
            let ind = new_id();
            sqlx::query("INSERT INTO eval_indicators (organization_id, id, owner_kind, owner_id, kind, name, unit, higher_is_better, position) VALUES ($1, $2, 'programme', $3, $4, $5, $6, 1, $7)")
                .bind(org)
                .bind(ind)
                .bind(id)
                .bind(kind)
                .bind(iname)
                .bind(iunit)
                .bind(k as i64)
                .execute(&mut *conn)
                .await?;
            inds.push(ind);
        }
        programmes.push((id, i, inds));
    }
    for (fy, published, mixed) in [
        (2023, true, false),
        (2024, true, false),
        (2025, false, true),
    ] {
        let cycle = new_id();
        sqlx::query(
            "INSERT INTO eval_cycles (organization_id, id, fiscal_year, committee_id, sheets_due, hearings_from, hearings_to, publish_on, published, is_demo, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)",
        )
        .bind(org)
        .bind(cycle)
        .bind(fy as i64)
        .bind(committee)
        .bind(format!("{}-05-31", fy + 1))
        .bind(format!("{}-07-15", fy + 1))
        .bind(format!("{}-08-31", fy + 1))
        .bind(format!("{}-11-30", fy + 1))
        .bind(i64::from(published))
        .bind(&at)
        .execute(&mut *conn)
        .await?;
        for (pid, i, inds) in &programmes {
            let i = *i;
            // Current year: every stage is present (draft, submitted, 二次, chosen for 外部, 外部, final).
            let (stage, external) = if mixed && PROGRAMMES[i].0 == AWAITS_DEMO_MANAGER {
                ("first", false)
            } else if mixed {
                match i % 6 {
                    0 => ("draft", false),
                    1 => ("first", false),
                    2 => ("second", false),
                    3 => ("second", true),
                    4 => ("external", true),
                    _ => ("final", false),
                }
            } else {
                ("final", i % 4 == 0)
            };
            let sheet = new_id();
            // 所属長承認: every sheet past 一次 had it; of the submitted ones, half still wait for it.
            let manager_approved = stage != "draft"
                && (stage != "first" || (i % 12 == 7 && PROGRAMMES[i].0 != AWAITS_DEMO_MANAGER));
            sqlx::query(
                "INSERT INTO eval_sheets (organization_id, id, cycle_id, programme_id, stage, external, issues, contact_name, contact_phone, submitted_at, updated_at, manager_approved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
            )
            .bind(org)
            .bind(sheet)
            .bind(cycle)
            .bind(pid)
            .bind(stage)
            .bind(i64::from(external))
            .bind("利用者の高齢化と事務量の増加が課題です。(デモ)")
            .bind(format!("デモ 担当{:02}", i + 1))
            .bind(format!("0242-39-{:04}", 1200 + i))
            .bind(&at)
            .bind(manager_approved.then_some(&at))
            .execute(&mut *conn)
            .await?;
            let base = 2_000 + vary(i, 1, 40_000) + (fy as i64 - 2023) * vary(i, 2, 1_500);
            for (c, (col, _)) in COLUMNS.iter().enumerate() {
                if stage == "draft" && *col == "settled" {
                    continue;
                }
                let general = base + c as i64 * vary(i, c + 3, 900) - 300;
                let mut rows = vec![("general", general)];
                if i % 3 == 0 {
                    rows.push(("national", base / 3));
                }
                if i % 5 == 1 {
                    rows.push(("prefectural", base / 6));
                }
                for (source, amount) in rows {
                    sqlx::query("INSERT INTO eval_costs (organization_id, sheet_id, col, source, amount) VALUES ($1, $2, $3, $4, $5)")
                        .bind(org)
                        .bind(sheet)
                        .bind(*col)
                        .bind(source)
                        .bind(amount.max(0))
                        .execute(&mut *conn)
                        .await?;
                }
                for (cat, fte) in [
                    ("regular", 0.2 + vary(i, 7, 25) as f64 / 10.0),
                    ("fixed_term", if i % 2 == 0 { 0.5 } else { 0.0 }),
                ] {
                    if fte > 0.0 {
                        sqlx::query("INSERT INTO eval_staffing (organization_id, sheet_id, col, category, fte) VALUES ($1, $2, $3, $4, $5)")
                            .bind(org)
                            .bind(sheet)
                            .bind(*col)
                            .bind(cat)
                            .bind(fte)
                            .execute(&mut *conn)
                            .await?;
                    }
                }
            }
            let year_k = (fy - 2023) as f64;
            let output = 100.0 + vary(i, 11, 900) as f64;
            insert_value(
                conn,
                org,
                inds[0],
                fy as i64,
                output,
                output * (0.85 + 0.05 * year_k),
            )
            .await?;
            insert_value(
                conn,
                org,
                inds[1],
                fy as i64,
                100.0,
                70.0 + vary(i, 13, 35) as f64,
            )
            .await?;
            let reached: &[&str] = match stage {
                "draft" => &["first"],
                "first" => &["first"],
                "second" => &["first", "second"],
                "external" => &["first", "second", "external"],
                _ if external => &["first", "second", "external", "final"],
                _ => &["first", "second", "final"],
            };
            for (k, st) in reached.iter().enumerate() {
                let direction = DIRECTIONS[(i + k / 2) % DIRECTIONS.len()];
                let operator = if direction == "stop" {
                    "abolish"
                } else {
                    OPERATORS[(i + k) % OPERATORS.len()]
                };
                sqlx::query(
                    "INSERT INTO eval_verdicts (organization_id, sheet_id, stage, operator, direction, reason, improvement, decided_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(org)
                .bind(sheet)
                .bind(*st)
                .bind(if stage == "draft" { "" } else { operator })
                .bind(if stage == "draft" { "" } else { direction })
                .bind(if stage == "draft" { String::new() } else { "成果指標の推移と費用対効果から判断しました。(デモ)".to_string() })
                .bind(if direction == "continue" { "" } else { "事務の手順を見直し、委託の範囲を広げます。(デモ)" })
                .bind(&at)
                .execute(&mut *conn)
                .await?;
            }
            if stage != "draft" {
                for (k, criterion) in ["necessity", "effectiveness", "efficiency", "fairness"]
                    .iter()
                    .enumerate()
                {
                    sqlx::query("INSERT INTO eval_scores (organization_id, sheet_id, stage, criterion, score, reason) VALUES ($1, $2, 'first', $3, $4, $5)")
                        .bind(org)
                        .bind(sheet)
                        .bind(*criterion)
                        .bind((1 + (i + k) % 3).to_string())
                        .bind("所管課の自己評価です。(デモ)")
                        .execute(&mut *conn)
                        .await?;
                }
            }
            if fy == 2024
                && i == 15
                && let Some(item) = reform_item
            {
                sqlx::query("INSERT INTO eval_plan_links (organization_id, sheet_id, node_id, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(org)
                    .bind(sheet)
                    .bind(item)
                    .bind(&at)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    // 令和8年度 frames: last year's general revenue of each department, cut by 3 %.
    for code in ["110", "120", "210", "220", "230", "310", "320"] {
        let n = PROGRAMMES.iter().filter(|p| p.2 == code).count() as i64;
        sqlx::query("INSERT INTO budget_frames (organization_id, department_id, fiscal_year, frame) VALUES ($1, $2, 2026, $3)")
            .bind(org)
            .bind(dept(code))
            .bind(n * 21_000)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn insert_value(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    ind: i64,
    year: i64,
    target: f64,
    actual: f64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO eval_indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, $4, $5)")
        .bind(org)
        .bind(ind)
        .bind(year)
        .bind(target)
        .bind(actual)
        .execute(conn)
        .await?;
    Ok(())
}
