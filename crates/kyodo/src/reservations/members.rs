//! 構成員名簿 — a 団体登録's members, as the group lists them: who is in the city (市内在住・在勤・在学)
//! and who is not. A group counts as a city group (市内団体: the residents' fees, facilities for
//! residents only) when more than half of its members are in the city. Personal data: the group
//! and staff see it, no public page does.

use crate::db::Db;
use crate::validation::FieldErrors;
use std::collections::HashMap;

/// The most members one group lists (a form of this size still reads in one sitting).
pub const MAX_MEMBERS: usize = 300;
const MAX_NAME: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub name: String,
    /// 1: in the city.
    pub resident: i64,
}

/// The members a registration form lists: one name per line in two boxes (`members_resident`:
/// in the city, `members_other`: not), blank lines skipped. Each problem is added beside its box.
pub fn parse(errs: &mut FieldErrors, in_city: &str, other: &str, min: usize) -> Vec<Member> {
    let mut members = Vec::new();
    for (field, text, resident) in [
        ("members_resident", in_city, 1),
        ("members_other", other, 0),
    ] {
        for line in text.lines() {
            let name = line.trim_matches(|c: char| c.is_whitespace());
            if name.is_empty() {
                continue;
            }
            if name.chars().count() > MAX_NAME {
                errs.add(field, "rsv.member_too_long");
            } else if members.iter().any(|m: &Member| m.name == name) {
                errs.add(field, "rsv.member_twice");
            }
            members.push(Member {
                name: name.to_string(),
                resident,
            });
        }
    }
    if members.len() > MAX_MEMBERS {
        errs.add("members_resident", "rsv.members_too_many");
    } else if members.len() < min {
        errs.add("members_resident", "rsv.members_too_few");
    }
    members
}

/// More than half of the members are in the city (過半数が市内).
pub fn mostly_resident(members: &[Member]) -> bool {
    let residents = members.iter().filter(|m| m.resident == 1).count();
    residents * 2 > members.len()
}

/// The members back in the form's two boxes: (in the city, not).
pub fn as_lines(members: &[Member]) -> (String, String) {
    let lines = |resident: i64| {
        members
            .iter()
            .filter(|m| m.resident == resident)
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    (lines(1), lines(0))
}

/// Replaces a registration's members (none for an individual) inside the caller's transaction.
pub async fn replace(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    user: i64,
    members: &[Member],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rsv_group_members WHERE organization_id = $1 AND user_id = $2")
        .bind(org)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    if members.is_empty() {
        return Ok(());
    }
    // One statement: at most 300 rows × 5 values, well under either database's limit.
    let values: Vec<String> = (0..members.len())
        .map(|i| {
            let b = i * 5;
            format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO rsv_group_members (organization_id, user_id, position, name, resident) VALUES {}",
        values.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (i, m) in members.iter().enumerate() {
        q = q
            .bind(org)
            .bind(user)
            .bind(i as i64 + 1)
            .bind(&m.name)
            .bind(m.resident);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

pub async fn of_user(db: &Db, org: i64, user: i64) -> sqlx::Result<Vec<Member>> {
    sqlx::query_as(
        "SELECT name, resident FROM rsv_group_members WHERE organization_id = $1 AND user_id = $2 ORDER BY position",
    )
    .bind(org)
    .bind(user)
    .fetch_all(db)
    .await
}

/// Every group's members in the organization, by registration (one query for the counter's list).
pub async fn of_org(db: &Db, org: i64) -> sqlx::Result<HashMap<i64, Vec<Member>>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT user_id, name, resident FROM rsv_group_members WHERE organization_id = $1 ORDER BY user_id, position",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    let mut by_user: HashMap<i64, Vec<Member>> = HashMap::new();
    for (user, name, resident) in rows {
        by_user
            .entry(user)
            .or_default()
            .push(Member { name, resident });
    }
    Ok(by_user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_line_by_line_and_the_majority_decides() {
        let mut errs = FieldErrors::default();
        let ms = parse(
            &mut errs,
            "会津 花子\n\n　鶴ヶ城 一郎　\n",
            "郡山 次郎\r\n",
            2,
        );
        assert!(errs.is_empty());
        assert_eq!(ms.len(), 3);
        assert_eq!(ms[1].name, "鶴ヶ城 一郎");
        assert!(mostly_resident(&ms));
        assert_eq!(
            as_lines(&ms),
            ("会津 花子\n鶴ヶ城 一郎".into(), "郡山 次郎".into())
        );
        // Half is not more than half.
        let ms = parse(&mut errs, "会津 花子", "郡山 次郎", 2);
        assert!(!mostly_resident(&ms));
    }

    #[test]
    fn too_few_twice_listed_and_too_long_names_are_refused_beside_their_box() {
        let mut errs = FieldErrors::default();
        parse(&mut errs, "会津 花子", "", 2);
        assert_eq!(errs.get("members_resident"), Some("rsv.members_too_few"));
        let mut errs = FieldErrors::default();
        parse(&mut errs, "会津 花子", "会津 花子", 2);
        assert_eq!(errs.get("members_other"), Some("rsv.member_twice"));
        let mut errs = FieldErrors::default();
        parse(&mut errs, &"長".repeat(101), "郡山 次郎", 2);
        assert_eq!(errs.get("members_resident"), Some("rsv.member_too_long"));
        let mut errs = FieldErrors::default();
        parse(
            &mut errs,
            "",
            &(0..301).map(|i| format!("会員{i}\n")).collect::<String>(),
            2,
        );
        assert_eq!(errs.get("members_resident"), Some("rsv.members_too_many"));
    }
}
