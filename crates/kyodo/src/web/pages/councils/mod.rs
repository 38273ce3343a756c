//! 審議会等 pages: the public register with the participation table and a body with its members
//! (public); the HQ's dashboard of targets missed, terms ending and members over a limit, the
//! register's editing and appointments (HQ).

pub mod hq;
pub mod inquiries;
pub mod meetings;
pub mod observers;
pub mod opinions;
pub mod public;
pub mod recruitment;

use crate::councils::quotas::BodyFigures;

/// 33.3% / —
pub fn rate(f: &Option<f64>) -> String {
    f.map_or_else(|| "—".into(), |r| format!("{r:.1}%"))
}

/// A row of the participation table, in words.
pub struct TableRow {
    pub id: i64,
    pub name: String,
    pub is_demo: bool,
    pub kind: String,
    pub members: usize,
    pub women: usize,
    pub rate: String,
    pub public: String,
    pub term: String,
    pub basis: String,
    pub department: String,
    pub f: BodyFigures,
}

pub async fn table(
    st: &crate::web::WebState,
    ctx: &crate::web::ctx::Ctx,
    reg: &crate::councils::register::Register,
) -> crate::error::AppResult<Vec<TableRow>> {
    let t = ctx.tr();
    let depts = st
        .snapshots
        .departments(&st.cache, &st.app.db, ctx.org_id())
        .await?;
    Ok(reg
        .bodies
        .iter()
        .map(|(b, f)| TableRow {
            id: b.id,
            name: b.name.clone(),
            is_demo: b.is_demo,
            kind: t
                .t(if b.kind == "ordinance" {
                    "cn.kind_ordinance"
                } else {
                    "cn.kind_guideline"
                })
                .to_string(),
            members: f.members,
            women: f.women,
            rate: rate(&f.women_rate),
            public: if f.public_members > 0 {
                f.public_members.to_string()
            } else if b.no_public_reason.is_empty() {
                t.t("cn.public_none").to_string()
            } else {
                t.f("cn.public_reason", &[&b.no_public_reason])
            },
            term: t.f("cn.term_years", &[&b.term_years]),
            basis: b.basis.clone(),
            department: b
                .department_id
                .and_then(|d| depts.iter().find(|x| x.id == d))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            f: f.clone(),
        })
        .collect())
}
