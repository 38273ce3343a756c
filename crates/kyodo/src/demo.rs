//! The demo organization: 会津若松市 (072028) with departments, committees and one account per role.
//! Everything is marked デモ / demo. Loading twice changes nothing.

use crate::accounts::roles::Role;
use crate::accounts::service::{self, NewDepartment, NewStaff};
use crate::accounts::{departments, organizations, users};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::i18n::{Lang, Tr};

pub const CODE: &str = "072028";
pub const PASSWORD: &str = "kyodo-demo-2025";

/// (email, display name, role description) of the demo accounts, for printing.
pub const ACCOUNTS: [(&str, &str, &str); 8] = [
    (
        "admin@demo.kyodo.jp",
        "デモ 管理者",
        "system administrator / システム管理者",
    ),
    (
        "hq@demo.kyodo.jp",
        "デモ 行革本部",
        "reform HQ / 行政改革推進本部",
    ),
    (
        "manager@demo.kyodo.jp",
        "デモ 課長",
        "department manager / 所属長 (企画調整課)",
    ),
    (
        "staff@demo.kyodo.jp",
        "デモ 職員",
        "staff / 職員 (企画調整課)",
    ),
    (
        "committee@demo.kyodo.jp",
        "デモ 委員",
        "committee member / 委員 (行政改革推進委員会)",
    ),
    ("citizen@demo.kyodo.jp", "デモ 市民", "citizen / 市民"),
    (
        "adviser@demo.kyodo.jp",
        "デモ 有識者",
        "adviser / 外部有識者 (assigned to the reform plan and a council)",
    ),
    (
        "compliance@demo.kyodo.jp",
        "デモ コンプライアンス担当",
        "compliance officer / コンプライアンス担当 (総務課; keeps the 働きかけ記録)",
    ),
];

/// (code, parent code, name, English name, level)
const DEPARTMENTS: [(&str, &str, &str, &str, &str); 12] = [
    (
        "100",
        "",
        "企画政策部",
        "Planning and Policy Department",
        "bu",
    ),
    (
        "110",
        "100",
        "企画調整課",
        "Planning Coordination Division",
        "ka",
    ),
    (
        "111",
        "110",
        "行政改革推進グループ",
        "Administrative Reform Section",
        "kakari",
    ),
    (
        "120",
        "100",
        "協働推進課",
        "Civic Collaboration Division",
        "ka",
    ),
    ("200", "", "総務部", "General Affairs Department", "bu"),
    ("210", "200", "総務課", "General Affairs Division", "ka"),
    ("220", "200", "人事課", "Personnel Division", "ka"),
    (
        "230",
        "200",
        "情報政策課",
        "Information Policy Division",
        "ka",
    ),
    ("300", "", "財務部", "Finance Department", "bu"),
    ("310", "300", "財政課", "Budget Division", "ka"),
    (
        "320",
        "300",
        "契約検査課",
        "Contracts and Inspection Division",
        "ka",
    ),
    ("400", "", "市民部", "Citizens' Affairs Department", "bu"),
];

const COMMITTEES: [(&str, &str); 2] = [
    (
        "行政改革推進委員会(デモ)",
        "Administrative Reform Committee (demo)",
    ),
    (
        "行政評価委員会(外部評価・デモ)",
        "External Evaluation Committee (demo)",
    ),
];

/// The flag of `kyodo demo` that lets the loader take over an organization it did not create.
pub const TAKE_OVER_FLAG: &str = "--mark-existing-as-demo";

/// Loads (or completes) the demo organization and returns its id. Writes only into an
/// organization the loader created and marked as a demo: on a data directory where a real city
/// has the demo's code (072028) it refuses, naming the flag that would turn that organization into
/// a demo one (`take_over`) — the demo accounts' password is published.
pub async fn load(app: &App, take_over: bool) -> anyhow::Result<i64> {
    let actor = Actor::cli("demo");
    let org = match organizations::by_code(&app.db, CODE).await? {
        Some(o) if o.is_demo => o.id,
        Some(o) if take_over => {
            let mut tx = app.begin_write().await?;
            organizations::mark_demo(&mut tx, o.id).await?;
            audit::record_and_commit(
                tx,
                o.id,
                &actor,
                Change {
                    action: "organization.mark_demo",
                    target_type: "organization",
                    target_id: o.id.to_string(),
                    before: Some(serde_json::json!({"is_demo": false})),
                    after: Some(serde_json::json!({"is_demo": true})),
                },
            )
            .await?;
            o.id
        }
        Some(o) => anyhow::bail!(
            "organization {CODE} ({}) exists and is not a demo organization: the demo loads only \
             into an organization it created itself. To turn this one into a demo (its data gets demo \
             accounts whose password is published), run `kyodo demo {TAKE_OVER_FLAG}`; otherwise use \
             another data directory or database (KYODO_DATA_DIR, KYODO_DATABASE_URL)",
            o.name
        ),
        None => {
            let id = service::create_organization(
                app,
                CODE,
                "会津若松市(デモ)",
                "Aizu-Wakamatsu City (demo)",
            )
            .await
            .map_err(|e| anyhow::anyhow!("creating demo organization: {e}"))?;
            let mut tx = app.begin_write().await?;
            organizations::mark_demo(&mut tx, id).await?;
            tx.commit().await?;
            id
        }
    };
    let existing = departments::list(&app.db, org).await?;
    let mut ids: Vec<(String, i64)> = existing.iter().map(|d| (d.code.clone(), d.id)).collect();
    for (code, parent, name, name_en, level) in DEPARTMENTS {
        if ids.iter().any(|(c, _)| c == code) {
            continue;
        }
        let parent_id = ids.iter().find(|(c, _)| c == parent).map(|(_, id)| *id);
        let id = service::create_department(
            app,
            org,
            &actor,
            NewDepartment {
                parent_id,
                code,
                name,
                name_en,
                level,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo department {code}: {e}"))?;
        ids.push((code.to_string(), id));
    }
    let dept = |code: &str| {
        ids.iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| *id)
            .unwrap_or_default()
    };
    let mut committee_ids = Vec::new();
    for (name, name_en) in COMMITTEES {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM committees WHERE organization_id = $1 AND name = $2")
                .bind(org)
                .bind(name)
                .fetch_optional(&app.db)
                .await?;
        let id = match found {
            Some((id,)) => id,
            None => service::create_committee(app, org, &actor, name, name_en)
                .await
                .map_err(|e| anyhow::anyhow!("demo committee: {e}"))?,
        };
        committee_ids.push(id);
    }
    let planning = dept("110");
    let roles_of = |email: &str| -> Vec<Role> {
        match email {
            "admin@demo.kyodo.jp" => vec![Role::SysAdmin],
            "hq@demo.kyodo.jp" => vec![Role::ReformHq, Role::Staff(dept("111"))],
            "manager@demo.kyodo.jp" => vec![Role::DeptManager(planning)],
            "compliance@demo.kyodo.jp" => vec![Role::ComplianceOfficer],
            // Member of the reform committee and of the external evaluation committee.
            "committee@demo.kyodo.jp" => vec![
                Role::CommitteeMember(committee_ids[0]),
                Role::CommitteeMember(committee_ids[1]),
            ],
            _ => vec![],
        }
    };
    let tr = Tr::new(Lang::Ja);
    for (email, name, _) in ACCOUNTS {
        let id = match users::by_email(&app.db, org, email).await? {
            Some(u) => u.id,
            None if email.starts_with("citizen")
                || email.starts_with("committee")
                || email.starts_with("adviser") =>
            {
                let hash = crate::accounts::password::hash(PASSWORD.into()).await?;
                let mut tx = app.begin_write().await?;
                let id = users::insert(
                    &mut tx,
                    org,
                    &users::NewUser {
                        email,
                        display_name: name,
                        kind: users::Kind::Citizen,
                        department_id: None,
                        password_hash: &hash,
                        email_verified: true,
                    },
                )
                .await?;
                audit::record_and_commit(
                    tx,
                    org,
                    &actor,
                    Change {
                        action: "user.register",
                        target_type: "user",
                        target_id: id.to_string(),
                        before: None,
                        after: Some(serde_json::json!({"kind": "citizen", "display_name": name})),
                    },
                )
                .await?;
                id
            }
            None => {
                let department_id = Some(if email.starts_with("admin") {
                    dept("230")
                } else if email.starts_with("hq") {
                    dept("111")
                } else if email.starts_with("compliance") {
                    dept("210")
                } else {
                    planning
                });
                service::create_staff(
                    app,
                    org,
                    &actor,
                    tr,
                    NewStaff {
                        email,
                        display_name: name,
                        department_id,
                        password: Some(PASSWORD),
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo user {email}: {e}"))?
            }
        };
        for role in roles_of(email) {
            service::grant(app, org, &actor, id, role)
                .await
                .map_err(|e| anyhow::anyhow!("demo role: {e}"))?;
        }
    }
    // The seed plan with demonstration progress (marked as such on every page that shows it).
    let mut tx = app.begin_write().await?;
    let plan = crate::plans::seed::load(&mut tx, org, &ids).await?;
    tx.commit().await?;
    crate::plans::demo_participation::load(app, org, plan, committee_ids[0]).await?;
    surveys(app, org, plan).await?;
    // 行政評価: the reform verdict on 補助金の見直し is carried out as the seed's S-2.2.1 item.
    let item: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM plan_nodes WHERE organization_id = $1 AND plan_id = $2 AND trackable = 1 AND seed_ref = 'S-2.2.1'",
    )
    .bind(org)
    .bind(plan)
    .fetch_optional(&app.db)
    .await?;
    let mut tx = app.begin_write().await?;
    crate::evaluation::demo::load(&mut tx, org, &ids, committee_ids[1], item).await?;
    tx.commit().await?;
    crate::minutes::demo::load(app, org).await?;
    crate::reservations::demo::load(app, org).await?;
    crate::participation::demo::load(app, org).await?;
    crate::councils::demo::load(app, org).await?;
    crate::finance::demo::load(app, org).await?;
    crate::finance::statements::demo::load(app, org).await?;
    crate::finance::indicators_demo::load(app, org).await?;
    crate::finance::outlook::demo::load(app, org).await?;
    crate::finance::bids::demo::load(app, org).await?;
    crate::advisers::demo::load(app, org, plan).await?;
    crate::cases::demo::load(app, org).await?;
    crate::cases::demo_kinds::load(app, org).await?;
    Ok(org)
}

/// The demo surveys, bound to the seed plan's areas (中項目).
async fn surveys(app: &App, org: i64, plan: i64) -> anyhow::Result<()> {
    let data = crate::plans::view::PlanData::load(&app.db, org, plan)
        .await?
        .ok_or_else(|| anyhow::anyhow!("seed plan missing"))?;
    let areas: Vec<(i64, String, String)> = data
        .preorder()
        .into_iter()
        .filter(|n| n.depth == 1)
        .map(|n| (n.id, n.number.clone(), n.title.clone()))
        .collect();
    crate::surveys::demo::load(app, org, &areas).await
}

/// What `kyodo serve --demo` and `kyodo demo` print.
pub fn credentials_text(url: &str) -> String {
    let mut s =
        format!("\nKyodo demo: {url}\nSign in at {url}/login with password {PASSWORD:?} as:\n");
    for (email, _, role) in ACCOUNTS {
        s.push_str(&format!("  {email:<26} {role}\n"));
    }
    s
}
