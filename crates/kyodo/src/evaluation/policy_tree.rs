//! Growing the 総合計画's tree from a city's workbook: the 政策 and 施策 its columns name that the
//! plan lacks are added in one step (the HQ asks for it on the import page), so the plan need not
//! be typed in before the first import. Names are matched after normalisation; 「１－１　市民協働の
//! 推進」 gives the number 1-1 and the title; a name without a number gets the next one free.

use super::exchange::normalize;
use super::store::{self, PolicyNode};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{new_id, now};
use crate::error::AppResult;

/// 「１－１　市民協働の推進」→ ("1-1", "市民協働の推進"); 「市民協働の推進」→ ("", …).
pub fn split_number(text: &str) -> (String, String) {
    let text = text.trim();
    let number: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c) || "-－‐.．".contains(*c))
        .collect();
    let title = text[number.len()..].trim_matches([' ', '　']).to_string();
    let number = normalize(&number).replace('．', ".");
    if title.is_empty() {
        (String::new(), text.to_string())
    } else {
        (number, title)
    }
}

fn same(node: &PolicyNode, text: &str) -> bool {
    let n = normalize(text);
    normalize(&node.title) == n || normalize(&format!("{}{}", node.number, node.title)) == n
}

/// Adds the (政策, 施策) pairs the plan lacks to the organization's latest comprehensive plan (a
/// plan is created when there is none), in one transaction. Returns how many nodes were added.
pub async fn add_from_sheet(
    app: &App,
    org: i64,
    actor: &Actor,
    fiscal_year: i64,
    pairs: &[(String, String)],
) -> AppResult<usize> {
    let mut tx = app.begin_write().await?;
    crate::db::serialize(&mut tx, org, "policy_plan").await?;
    let plans = store::policy_plans(&app.db, org).await?;
    let plan = match plans.first() {
        Some(p) => p.id,
        None => {
            let id = new_id();
            sqlx::query("INSERT INTO policy_plans (organization_id, id, title, first_year, last_year, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(org)
                .bind(id)
                .bind("総合計画")
                .bind(fiscal_year)
                .bind(fiscal_year + 9)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    let mut nodes: Vec<PolicyNode> = store::policy_nodes(&app.db, org)
        .await?
        .into_iter()
        .filter(|n| n.plan_id == plan)
        .collect();
    let before = nodes.len();
    for (area, measure) in pairs {
        let parent = match nodes.iter().find(|n| n.level == "policy" && same(n, area)) {
            Some(n) => n.id,
            None => add(&mut tx, org, actor, plan, &mut nodes, None, area).await?,
        };
        let exists = nodes
            .iter()
            .any(|n| n.level != "policy" && same(n, measure));
        if !exists {
            add(&mut tx, org, actor, plan, &mut nodes, Some(parent), measure).await?;
        }
    }
    let added = nodes.len() - before;
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "eval.policy_tree_from_sheet",
            target_type: "policy_plan",
            target_id: plan.to_string(),
            before: None,
            after: Some(serde_json::json!({"added": added})),
        },
    )
    .await?;
    Ok(added)
}

/// Adds one node (a 政策 without a parent, a 施策 under one) with the sheet's number, or the next
/// free one when the sheet has none or it is taken.
async fn add(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    actor: &Actor,
    plan: i64,
    nodes: &mut Vec<PolicyNode>,
    parent: Option<i64>,
    text: &str,
) -> AppResult<i64> {
    let text: String = text.chars().take(200).collect();
    let (number, title) = split_number(&text);
    let number: String = number.chars().take(20).collect();
    let taken = |x: &str| nodes.iter().any(|n| n.number == x);
    let number = if !number.is_empty() && !taken(&number) {
        number
    } else {
        let prefix = parent
            .and_then(|p| nodes.iter().find(|n| n.id == p))
            .map(|p| format!("{}-", p.number))
            .unwrap_or_default();
        (1..)
            .map(|k| format!("{prefix}{k}"))
            .find(|x| !taken(x))
            .unwrap_or_default()
    };
    let level = if parent.is_some() {
        "measure"
    } else {
        "policy"
    };
    let id = new_id();
    sqlx::query("INSERT INTO policy_nodes (organization_id, id, plan_id, parent_id, level, position, number, title, goal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '')")
        .bind(org)
        .bind(id)
        .bind(plan)
        .bind(parent)
        .bind(level)
        .bind(nodes.len() as i64)
        .bind(&number)
        .bind(&title)
        .execute(&mut *tx)
        .await?;
    audit::append(
        tx,
        org,
        actor,
        Change {
            action: "eval.policy_node_add",
            target_type: "policy_node",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({"level": level, "number": number, "title": title, "from_import": true})),
        },
    )
    .await?;
    nodes.push(PolicyNode {
        id,
        plan_id: plan,
        parent_id: parent,
        level: level.into(),
        position: nodes.len() as i64,
        number,
        title,
        goal: String::new(),
    });
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_off_the_names_as_cities_write_them() {
        assert_eq!(
            split_number("１－１　市民協働の推進"),
            ("1-1".into(), "市民協働の推進".into())
        );
        assert_eq!(
            split_number("3 協働のまちづくり"),
            ("3".into(), "協働のまちづくり".into())
        );
        assert_eq!(
            split_number("市民協働の推進"),
            ("".into(), "市民協働の推進".into())
        );
        assert_eq!(split_number("2025"), ("".into(), "2025".into()));
    }
}
