//! Who has a case: 転送 to another department (with the reason, kept as an internal event; the
//! assignee is cleared) and 担当 — a staff member takes the case or gives it back.

use super::store;
use super::work::{finish, invalid, staff_step};
use crate::app::App;
use crate::audit::Actor;
use crate::error::AppResult;
use crate::policy::Principal;
use crate::validation::FieldErrors;

/// 転送: to another department, with the reason (kept as an internal event).
pub async fn transfer(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    department: i64,
    reason: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let reason = errs.text("reason", reason, 400);
    if crate::accounts::departments::get(&app.db, org, department)
        .await?
        .is_none()
    {
        errs.add("department", "field.bad_choice");
    }
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    if case.department_id == Some(department) {
        return Err(invalid("department", "case.same_department"));
    }
    sqlx::query("UPDATE cases SET department_id = $3, assignee_id = NULL WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(department)
        .execute(&mut *tx)
        .await?;
    if case.merged_into.is_none() {
        use super::tallies::{Counted, received};
        received(&mut tx, org, &Counted::from(&case), -1).await?;
        let moved = Counted {
            department_id: Some(department),
            ..Counted::from(&case)
        };
        received(&mut tx, org, &moved, 1).await?;
    }
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "transfer",
        None,
        Some(department),
        &reason,
    )
    .await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.transfer",
        &case,
        serde_json::json!({ "department": department }),
    )
    .await
}

/// 担当者: takes the case (the staff member themselves), names another active staff member of the
/// case's department, or gives it back (`None`). The history keeps the assignee's name.
pub async fn assign(app: &App, org: i64, p: &Principal, id: i64, to: Option<i64>) -> AppResult<()> {
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    let name = match to {
        Some(user) => {
            // Oneself may always take a case one may work; another must be of its department.
            let named: Option<String> = sqlx::query_scalar(
                "SELECT display_name FROM users WHERE organization_id = $1 AND id = $2 AND kind = 'staff' \
                 AND disabled = 0 AND (id = $3 OR department_id = $4 OR $4 IS NULL)",
            )
            .bind(org)
            .bind(user)
            .bind(p.user_id)
            .bind(case.department_id)
            .fetch_optional(&mut *tx)
            .await?;
            named.ok_or_else(|| invalid("assignee", "field.bad_choice"))?
        }
        None => String::new(),
    };
    let set = Set {
        column: "assignee_id",
        value: to,
        event: "assign",
        key: "assignee",
        action: "cases.assign",
    };
    set_and_finish(tx, org, p, &case, set, &name).await
}

/// 関連施設: the public facility the case is about (`None` unlinks), so the facility's designated
/// manager's monthly report counts it. An internal event keeps the facility's name.
pub async fn link_facility(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    facility: Option<i64>,
) -> AppResult<()> {
    let name = match facility {
        Some(f) => match crate::reservations::facilities::get(&app.db, org, f).await? {
            Some(f) => f.name,
            None => return Err(invalid("facility", "field.bad_choice")),
        },
        None => String::new(),
    };
    let (tx, case) = staff_step(app, org, p, id).await?;
    let set = Set {
        column: "facility_id",
        value: facility,
        event: "facility",
        key: "facility",
        action: "cases.facility",
    };
    set_and_finish(tx, org, p, &case, set, &name).await
}

/// 関連する事務事業: the programme the case shows a problem of, by its code (empty unlinks), so
/// the programme's evaluation sheet lists it. An internal event keeps the programme's name.
pub async fn link_programme(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    code: &str,
) -> AppResult<()> {
    // Full-width digits as typed in Japanese input become the code's own (NFKC).
    let code: String = unicode_normalization::UnicodeNormalization::nfkc(code.trim()).collect();
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    let (programme, name) = if code.is_empty() {
        (None, String::new())
    } else {
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM programmes WHERE organization_id = $1 AND code = $2",
        )
        .bind(org)
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?;
        let (pid, name) = found.ok_or_else(|| invalid("programme", "case.no_such_programme"))?;
        (Some(pid), name)
    };
    let set = Set {
        column: "programme_id",
        value: programme,
        event: "programme",
        key: "programme",
        action: "cases.programme",
    };
    set_and_finish(tx, org, p, &case, set, &name).await
}

/// 関連する計画項目: the plan item the case concerns (one of [`super::linked::plan_items`]; empty
/// unlinks), so the item's page lists it for staff. An internal event keeps the item's name.
pub async fn link_plan_item(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    chosen: Option<i64>,
) -> AppResult<()> {
    let name = match chosen {
        None => String::new(),
        Some(node) => super::linked::plan_items(&app.db, org)
            .await?
            .into_iter()
            .find(|(n, _)| *n == node)
            .map(|(_, name)| name)
            .ok_or_else(|| invalid("plan_item", "field.bad_choice"))?,
    };
    let (tx, case) = staff_step(app, org, p, id).await?;
    let set = Set {
        column: "plan_node_id",
        value: chosen,
        event: "plan_item",
        key: "plan_item",
        action: "cases.plan_item",
    };
    set_and_finish(tx, org, p, &case, set, &name).await
}

/// What a step sets on the case: one column, the event kept in its history (with the name of what
/// was chosen as its text) and the audit action with `{key: value}`.
struct Set {
    column: &'static str,
    value: Option<i64>,
    event: &'static str,
    key: &'static str,
    action: &'static str,
}

async fn set_and_finish(
    mut tx: crate::db::write::WriteTx,
    org: i64,
    p: &Principal,
    case: &super::store::Case,
    set: Set,
    name: &str,
) -> AppResult<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET {} = $3 WHERE organization_id = $1 AND id = $2",
        set.column
    )))
    .bind(org)
    .bind(case.id)
    .bind(set.value)
    .execute(&mut *tx)
    .await?;
    store::add_event(
        &mut tx,
        org,
        case.id,
        Some(p.user_id),
        set.event,
        None,
        None,
        name,
    )
    .await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        set.action,
        case,
        serde_json::json!({ set.key: set.value }),
    )
    .await
}
