//! コードリスト — configurable vocabularies. Every organization gets the defaults (`defaults.rs`)
//! when it is created (and a list an upgrade adds at the next start) and may relabel, add or
//! reorder them.

mod defaults;

use crate::db::Db;
use crate::i18n::Lang;
use serde::Serialize;

pub const SCHEDULE_STEP: &str = "schedule_step";
pub const RATING: &str = "rating";
pub const PROGRESS: &str = "progress_status";
pub const EFFECT_KIND: &str = "effect_kind";
pub const ACCOUNT: &str = "account";
/// Names of the four quadrants of the 重要度 × 満足度 portfolio (surveys).
pub const SURVEY_QUADRANT: &str = "survey_quadrant";
/// 評価の視点 — self-evaluation criteria (default 必要性 / 有効性 / 効率性 / 公平性).
pub const EVAL_CRITERION: &str = "eval_criterion";
/// Scores on a criterion; codes are the points (higher is better).
pub const EVAL_SCORE: &str = "eval_score";
/// 実施主体 — who should run a programme.
pub const EVAL_OPERATOR: &str = "eval_operator";
/// 今後の方向性 — a programme's or 施策's direction.
pub const EVAL_DIRECTION: &str = "eval_direction";
/// 実施方法 — how a programme is carried out.
pub const IMPL_METHOD: &str = "impl_method";
/// 事業類型 — kind of programme.
pub const PROGRAMME_TYPE: &str = "programme_type";
/// 財源内訳 — funding sources of a programme's cost; `general` (一般財源) is what budget frames count.
pub const FUNDING_SOURCE: &str = "funding_source";
/// 職種 — staff categories that personnel unit costs are set for.
pub const STAFF_CATEGORY: &str = "staff_category";
/// 施策 score bands; each code is the minimum average achievement (%) of the band.
pub const POLICY_BAND: &str = "policy_band";
/// 指定管理者モニタリング評価 — the yearly rating of a designated manager's operation.
pub const FACILITY_MONITORING: &str = "facility_monitoring";
/// 委員の区分 — how a council member was chosen; `public` (公募) is what the quota counts.
pub const COUNCIL_CATEGORY: &str = "council_category";
/// 意見を提出できる者 — who may submit an opinion to a consultation (each city's 条例 words it).
pub const CONSULTATION_ELIGIBILITY: &str = "consultation_eligibility";
/// 窓口: a case's status words (受付 → 担当課確認中 → 対応中 → 回答済 / 完了, 差戻し, 取下げ, 却下). The
/// codes are fixed (the engine acts on them); each city words them.
pub const CASE_STATUS: &str = "case_status";
/// 電子申請: a fee's payment (未納 / 納付済 / 免除 / 還付), set by staff. Codes fixed, words the city's.
pub const CASE_PAYMENT: &str = "case_payment";
/// 民間提案・職員提案: the decision (採用 / 一部採用 / 不採用 / 継続検討). `adopted` and `partly`
/// are tracked to implementation.
pub const CASE_DECISION: &str = "case_decision";
/// How far an adopted proposal is carried out (実施予定 / 実施中 / 実施済).
pub const CASE_IMPLEMENTATION: &str = "case_implementation";
/// 職員提案の表彰 — the awards a year's proposals may receive.
pub const CASE_AWARD: &str = "case_award";

use defaults::DEFAULTS;

/// Ratings at or below this position (0 = best) count as "behind schedule" on the HQ dashboard:
/// the last half of the scale.
pub fn is_behind(codes: &[Code], rating: &str) -> bool {
    let ratings: Vec<&Code> = codes.iter().filter(|c| c.list == RATING).collect();
    ratings
        .iter()
        .position(|c| c.code == rating)
        .is_some_and(|i| i * 2 >= ratings.len())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Code {
    pub list: String,
    pub code: String,
    pub label: String,
    pub label_en: String,
    pub sort_order: i64,
}

impl Code {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.label_en.is_empty() => &self.label_en,
            _ => &self.label,
        }
    }
}

/// Adds, for every organization, the default codes of each list it has no code of at all: a list
/// an upgrade added, or an organization made before anything used the list. A list a city has
/// edited keeps exactly its codes. Writes nothing when nothing is missing (a read-only database
/// still opens). Returns how many (organization, list) pairs were filled.
pub async fn add_missing_lists(db: &Db) -> sqlx::Result<usize> {
    let (orgs, present): (Vec<(i64,)>, Vec<(i64, String)>) = tokio::try_join!(
        sqlx::query_as("SELECT id FROM organizations").fetch_all(db),
        sqlx::query_as(
            "SELECT organization_id, list FROM code_lists GROUP BY organization_id, list"
        )
        .fetch_all(db),
    )?;
    let mut lists: Vec<&str> = DEFAULTS.iter().map(|d| d.0).collect();
    lists.sort_unstable();
    lists.dedup();
    let missing: Vec<(i64, &str)> = orgs
        .iter()
        .flat_map(|(org,)| lists.iter().map(move |l| (*org, *l)))
        .filter(|(org, l)| !present.iter().any(|(o, p)| o == org && p == l))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    for (org, list) in &missing {
        for (i, d) in DEFAULTS.iter().enumerate().filter(|(_, d)| d.0 == *list) {
            insert_default(&mut tx, *org, i, d).await?;
        }
    }
    tx.commit().await?;
    Ok(missing.len())
}

/// Inserts the default vocabularies that the organization does not have yet.
pub async fn ensure_defaults(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
) -> sqlx::Result<()> {
    for (i, d) in DEFAULTS.iter().enumerate() {
        insert_default(conn, organization_id, i, d).await?;
    }
    Ok(())
}

/// One default code at its place in [`DEFAULTS`], unless the organization has the code.
async fn insert_default(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    position: usize,
    (list, code, label, label_en): &(&str, &str, &str, &str),
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO code_lists (organization_id, list, code, label, label_en, sort_order) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organization_id, list, code) DO NOTHING",
    )
    .bind(org)
    .bind(*list)
    .bind(*code)
    .bind(*label)
    .bind(*label_en)
    .bind(position as i64)
    .execute(conn)
    .await?;
    Ok(())
}

/// All code lists of an organization (a few dozen rows), in display order.
pub async fn all(db: &Db, organization_id: i64) -> sqlx::Result<Vec<Code>> {
    sqlx::query_as("SELECT list, code, label, label_en, sort_order FROM code_lists WHERE organization_id = $1 ORDER BY list, sort_order, code")
        .bind(organization_id)
        .fetch_all(db)
        .await
}

/// Label of `code` in `list`, or the code itself when unknown.
pub fn label<'a>(codes: &'a [Code], list: &str, code: &'a str, lang: Lang) -> &'a str {
    codes
        .iter()
        .find(|c| c.list == list && c.code == code)
        .map(|c| c.label(lang))
        .unwrap_or(code)
}

pub fn of_list<'a>(codes: &'a [Code], list: &'a str) -> impl Iterator<Item = &'a Code> + 'a {
    codes.iter().filter(move |c| c.list == list)
}

/// Every list an organization can edit on the code-list page, in that page's order, with the
/// catalogue key of its name.
pub const LISTS: [(&str, &str); 23] = [
    (SCHEDULE_STEP, "codes.schedule_step"),
    (RATING, "codes.rating"),
    (PROGRESS, "codes.progress_status"),
    (EFFECT_KIND, "codes.effect_kind"),
    (ACCOUNT, "codes.account"),
    (SURVEY_QUADRANT, "codes.survey_quadrant"),
    (EVAL_CRITERION, "codes.eval_criterion"),
    (EVAL_SCORE, "codes.eval_score"),
    (EVAL_OPERATOR, "codes.eval_operator"),
    (EVAL_DIRECTION, "codes.eval_direction"),
    (IMPL_METHOD, "codes.impl_method"),
    (PROGRAMME_TYPE, "codes.programme_type"),
    (FUNDING_SOURCE, "codes.funding_source"),
    (STAFF_CATEGORY, "codes.staff_category"),
    (POLICY_BAND, "codes.policy_band"),
    (FACILITY_MONITORING, "codes.facility_monitoring"),
    (COUNCIL_CATEGORY, "codes.council_category"),
    (CONSULTATION_ELIGIBILITY, "codes.consultation_eligibility"),
    (CASE_STATUS, "codes.case_status"),
    (CASE_PAYMENT, "codes.case_payment"),
    (CASE_DECISION, "codes.case_decision"),
    (CASE_IMPLEMENTATION, "codes.case_implementation"),
    (CASE_AWARD, "codes.case_award"),
];

/// A code as typed on the code-list page.
pub struct NewCode<'a> {
    pub list: &'a str,
    pub code: &'a str,
    pub label: &'a str,
    pub label_en: &'a str,
    pub sort_order: &'a str,
}

/// Adds a code or relabels an existing one (reports keep the code, so their meaning is kept).
/// Errors name the fields `code-<list>` and `label-<list>` (one form per list).
pub async fn save(
    app: &crate::app::App,
    org: i64,
    actor: i64,
    c: NewCode<'_>,
) -> crate::error::AppResult<()> {
    if !LISTS.iter().any(|(l, _)| *l == c.list) {
        return Err(crate::error::AppError::BadRequest("error.bad_form"));
    }
    let mut errs = crate::validation::FieldErrors::default();
    let code = errs.text(&format!("code-{}", c.list), c.code, 40);
    let label = errs.text(&format!("label-{}", c.list), c.label, 100);
    errs.into_result()?;
    let label_en: String = c.label_en.trim().chars().take(100).collect();
    let sort = c.sort_order.trim().parse::<i64>().unwrap_or(99);
    let mut tx = app.begin_write().await?;
    ensure_defaults(&mut tx, org).await?;
    sqlx::query(
        "INSERT INTO code_lists (organization_id, list, code, label, label_en, sort_order) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organization_id, list, code) DO UPDATE SET label = excluded.label, label_en = excluded.label_en, sort_order = excluded.sort_order",
    )
    .bind(org).bind(c.list).bind(&code).bind(&label).bind(&label_en).bind(sort).execute(&mut *tx).await?;
    crate::audit::record_and_commit(
        tx,
        org,
        &crate::audit::Actor::user(actor),
        crate::audit::Change {
            action: "codes.save",
            target_type: "code_list",
            target_id: format!("{}:{code}", c.list),
            before: None,
            after: Some(
                serde_json::json!({"label": label, "label_en": label_en, "sort_order": sort}),
            ),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(code: &str, i: i64) -> Code {
        Code {
            list: RATING.into(),
            code: code.into(),
            label: code.into(),
            label_en: String::new(),
            sort_order: i,
        }
    }

    #[test]
    fn the_lower_half_of_the_scale_is_behind() {
        let four = vec![
            rating("S", 0),
            rating("A", 1),
            rating("B", 2),
            rating("C", 3),
        ];
        assert!(!is_behind(&four, "S") && !is_behind(&four, "A"));
        assert!(is_behind(&four, "B") && is_behind(&four, "C"));
        let three = vec![
            rating("達成", 0),
            rating("一部達成", 1),
            rating("未達成", 2),
        ];
        assert!(!is_behind(&three, "一部達成") && is_behind(&three, "未達成"));
        assert!(!is_behind(&four, "unknown"));
    }
}
