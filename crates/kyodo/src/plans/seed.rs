//! The seed plan (会津若松市 第2次行政システム改革プラン, FY2008–2012) loaded into an organization,
//! with demonstration schedules, the staff-number indicator of S-2.2.4 (1,027 staff on 2010-04-01),
//! fiscal effects and published reports — all marked as demonstration data (plans.is_demo = 1).

use crate::audit::{self, Actor, Change};
use crate::codes;
use crate::db::new_id;
use serde::Deserialize;
use sqlx::AnyConnection;

const SEED: &str = include_str!("../../seed/aizu-reform-plan.toml");

#[derive(Deserialize)]
struct SeedPlan {
    title: String,
    goal: String,
    first_year: i64,
    last_year: i64,
    viewpoints: Vec<SeedNode>,
}

#[derive(Deserialize)]
struct SeedNode {
    no: i64,
    title: String,
    text: String,
    #[serde(default)]
    areas: Vec<SeedNode>,
    #[serde(default)]
    measures: Vec<SeedNode>,
}

const CIRCLED: [&str; 10] = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"];

/// Department code (demo organization) responsible for a measure.
fn department_for(seed_ref: &str) -> &'static str {
    match seed_ref {
        s if s.starts_with("S-1.1.") => "120",
        s if s.starts_with("S-1.2.") => "210",
        "S-2.2.4" | "S-2.3.3" | "S-2.3.4" => "220",
        s if s.starts_with("S-2.2.") => "310",
        "S-2.3.1" | "S-2.3.2" | "S-3.1.6" => "230",
        "S-2.3.5" | "S-3.1.7" => "320",
        s if s.starts_with("S-3.1.") => "400",
        "S-3.2.1" => "110",
        s if s.starts_with("S-3.2.") => "220",
        _ => "110",
    }
}

/// Demonstration schedules: three patterns over the five years.
fn schedule_for(i: usize) -> [&'static str; 5] {
    match i % 3 {
        0 => ["study", "study", "implement", "continue", "continue"],
        1 => ["study", "implement", "continue", "continue", "continue"],
        _ => ["implement", "continue", "continue", "continue", "done"],
    }
}

/// Demonstration fiscal effects (千円): (seed ref, kind, new effect planned in each year from FY2008,
/// recurring).
const EFFECTS: [(&str, &str, [i64; 5], bool); 4] = [
    (
        "S-2.1.2",
        "cut",
        [10_000, 20_000, 5_000, 5_000, 5_000],
        true,
    ),
    (
        "S-2.2.3",
        "revenue",
        [2_000, 3_000, 3_000, 3_500, 3_500],
        false,
    ),
    (
        "S-2.2.4",
        "cut",
        [80_000, 70_000, 70_000, 20_000, 20_000],
        true,
    ),
    (
        "S-2.3.5",
        "cut",
        [15_000, 20_000, 20_000, 20_000, 20_000],
        false,
    ),
];

struct Ctx<'a> {
    conn: &'a mut AnyConnection,
    org: i64,
    plan: i64,
    departments: &'a [(String, i64)],
    measures: Vec<(i64, String)>,
}

async fn insert_node(
    c: &mut Ctx<'_>,
    parent: Option<i64>,
    depth: i64,
    position: i64,
    number: &str,
    seed_ref: &str,
    n: &SeedNode,
) -> sqlx::Result<i64> {
    let id = new_id();
    let trackable = i64::from(depth == 2);
    sqlx::query(
        "INSERT INTO plan_nodes (organization_id, id, plan_id, parent_id, depth, position, number, seed_ref, title, body, issues, trackable) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11)",
    )
    .bind(c.org).bind(id).bind(c.plan).bind(parent).bind(depth).bind(position).bind(number).bind(seed_ref)
    .bind(&n.title).bind(&n.text).bind(trackable)
    .execute(&mut *c.conn).await?;
    if trackable == 1 {
        c.measures.push((id, seed_ref.to_string()));
        let code = department_for(seed_ref);
        if let Some((_, dept)) = c.departments.iter().find(|(cd, _)| cd == code) {
            sqlx::query("INSERT INTO plan_node_departments (organization_id, node_id, department_id) VALUES ($1, $2, $3)")
                .bind(c.org).bind(id).bind(*dept).execute(&mut *c.conn).await?;
        }
    }
    Ok(id)
}

/// Loads the seed plan into `org` unless a plan with its title exists. Returns the plan id.
pub async fn load(
    conn: &mut AnyConnection,
    org: i64,
    departments: &[(String, i64)],
) -> anyhow::Result<i64> {
    let seed: SeedPlan = toml::from_str(SEED)?;
    let existing: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM plans WHERE organization_id = $1 AND title = $2")
            .bind(org)
            .bind(&seed.title)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((id,)) = existing {
        return Ok(id);
    }
    codes::ensure_defaults(conn, org).await?;
    let plan = new_id();
    sqlx::query(
        "INSERT INTO plans (organization_id, id, title, goal, first_year, last_year, status, is_demo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'adopted', 1, $7)",
    )
    .bind(org).bind(plan).bind(&seed.title).bind(&seed.goal).bind(seed.first_year).bind(seed.last_year).bind(crate::db::now())
    .execute(&mut *conn).await?;
    let mut c = Ctx {
        conn,
        org,
        plan,
        departments,
        measures: Vec::new(),
    };
    for (vi, v) in seed.viewpoints.iter().enumerate() {
        let vid = insert_node(
            &mut c,
            None,
            0,
            vi as i64,
            &v.no.to_string(),
            &format!("S-{}", v.no),
            v,
        )
        .await?;
        for (ai, a) in v.areas.iter().enumerate() {
            let number = format!("{}-({})", v.no, a.no);
            let aid = insert_node(
                &mut c,
                Some(vid),
                1,
                ai as i64,
                &number,
                &format!("S-{}.{}", v.no, a.no),
                a,
            )
            .await?;
            for (mi, m) in a.measures.iter().enumerate() {
                let circled = CIRCLED
                    .get((m.no - 1).max(0) as usize)
                    .copied()
                    .unwrap_or("");
                let r = format!("S-{}.{}.{}", v.no, a.no, m.no);
                insert_node(
                    &mut c,
                    Some(aid),
                    2,
                    mi as i64,
                    &format!("{number}-{circled}"),
                    &r,
                    m,
                )
                .await?;
            }
        }
    }
    let measures = std::mem::take(&mut c.measures);
    let conn = c.conn;
    for (i, (node, _)) in measures.iter().enumerate() {
        for (y, step) in schedule_for(i).iter().enumerate() {
            sqlx::query("INSERT INTO plan_schedule (organization_id, node_id, fiscal_year, step) VALUES ($1, $2, $3, $4)")
                .bind(org).bind(*node).bind(seed.first_year + y as i64).bind(*step).execute(&mut *conn).await?;
        }
    }
    let node_of = |r: &str| measures.iter().find(|(_, s)| s == r).map(|(id, _)| *id);
    // S-2.2.4: staff numbers, target 1,027 on 2010-04-01 (start of FY2010). Other values are demonstration data.
    if let Some(node) = node_of("S-2.2.4") {
        let ind = new_id();
        sqlx::query(
            "INSERT INTO indicators (organization_id, id, node_id, name, unit, baseline_year, baseline_value, higher_is_better, position) \
             VALUES ($1, $2, $3, '職員数(各年度4月1日現在)', '人', 2007, 1102, 0, 0)",
        )
        .bind(org).bind(ind).bind(node).execute(&mut *conn).await?;
        for (year, target, actual) in [
            (2008, 1075.0, Some(1080.0)),
            (2009, 1050.0, Some(1046.0)),
            (2010, 1027.0, Some(1025.0)),
            (2011, 1020.0, None),
            (2012, 1010.0, None),
        ] {
            sqlx::query("INSERT INTO indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, $4, $5)")
                .bind(org).bind(ind).bind(year as i64).bind(target).bind(crate::db::Real(actual)).execute(&mut *conn).await?;
        }
    }
    for (r, kind, planned, recurring) in EFFECTS {
        let Some(node) = node_of(r) else { continue };
        for (y, amount) in planned.iter().enumerate() {
            // Demonstration actuals for the first three years: 90–110 % of plan.
            let actual =
                (y < 3).then(|| amount * (90 + ((y as i64 * 7 + r.len() as i64) % 21)) / 100);
            sqlx::query(
                "INSERT INTO fiscal_effects (organization_id, id, node_id, fiscal_year, kind, account, planned, actual, recurring) \
                 VALUES ($1, $2, $3, $4, $5, 'general', $6, $7, $8)",
            )
            .bind(org).bind(new_id()).bind(node).bind(seed.first_year + y as i64).bind(kind).bind(*amount).bind(actual).bind(i64::from(recurring))
            .execute(&mut *conn).await?;
        }
    }
    let periods =
        super::periods::create_yearly(conn, org, plan, seed.first_year, seed.last_year).await?;
    // Published demonstration reports for the first two years of every measure.
    let ratings = ["A", "A", "B", "S", "A", "C", "A", "B"];
    for (i, (node, r)) in measures.iter().enumerate() {
        for (p, (period, year)) in periods.iter().take(2).enumerate() {
            let report = new_id();
            let rating = ratings[(i + p) % ratings.len()];
            let progress = if p == 0 {
                "in_progress"
            } else if i % 5 == 0 {
                "completed"
            } else {
                "in_progress"
            };
            // Demonstration reports are dated as if published at the end of June after the year closed.
            let now = format!("{}-06-30T01:00:00.000000Z", year + 1);
            sqlx::query(
                "INSERT INTO progress_reports (organization_id, id, node_id, period_id, status, current_version, published_version, updated_at) \
                 VALUES ($1, $2, $3, $4, 'published', 1, 1, $5)",
            )
            .bind(org).bind(report).bind(*node).bind(*period).bind(&now).execute(&mut *conn).await?;
            let fy = kyodo_jp::FiscalYear(*year as i32).label_ja();
            sqlx::query(
                "INSERT INTO progress_report_versions (organization_id, report_id, version, progress, rating, did, evaluation, next_steps, created_at) \
                 VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8)",
            )
            .bind(org).bind(report).bind(progress).bind(rating)
            .bind(format!("(デモデータ){fy}は {r} の取組として、関係課と検討会議を開き、実施方法を整理しました。"))
            .bind("(デモデータ)おおむね計画どおり進んでいますが、市民への周知に課題があります。")
            .bind("(デモデータ)次年度は市民意見を取り入れながら取組を進めます。")
            .bind(&now)
            .execute(&mut *conn).await?;
            sqlx::query("INSERT INTO report_events (organization_id, id, report_id, version, action, comment, at) VALUES ($1, $2, $3, 1, 'publish', '', $4)")
                .bind(org).bind(new_id()).bind(report).bind(&now).execute(&mut *conn).await?;
        }
    }
    audit::append(
        conn,
        org,
        &Actor::cli("demo"),
        Change {
            action: "plan.import",
            target_type: "plan",
            target_id: plan.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"title": seed.title, "items": measures.len(), "demo": true}),
            ),
        },
    )
    .await?;
    Ok(plan)
}
