//! What an item's page shows beyond its plan — published comments, committee opinions, report
//! attachments, linked evaluation sheets, bound survey results, decided plan changes — loaded in
//! one go (concurrently) and kept as a snapshot (`web::snapshots`) until the plans, evaluation or
//! survey areas change. Everything here is public, so every visitor and language shares it.

use crate::councils::opinions::{self, Opinion, Subject};
use crate::db::Db;
use crate::error::AppResult;
use crate::plans::attachments::{self, Attachment};
use crate::plans::changes;
use crate::plans::participation::{self, Comment};
use crate::surveys::results::{self, Binding, ItemResult};
use crate::web::WebState;
use crate::web::cache_scope::{Areas, shown_by};
use crate::web::ctx::Ctx;
use std::sync::Arc;

/// Comments an item's page shows unless asked for all (`?comments=all`): a page, and a snapshot,
/// must not grow with every comment ever written.
pub const COMMENTS_SHOWN: i64 = 50;

pub struct ItemData {
    pub plan_id: i64,
    /// The newest [`COMMENTS_SHOWN`] published comments, oldest first.
    pub comments: Vec<Comment>,
    pub comment_total: i64,
    pub opinions: Vec<Opinion>,
    pub attachments: Vec<Attachment>,
    /// (fiscal year, programme id, "code name", direction code) of the linked evaluation sheets.
    pub evaluations: Vec<(i64, i64, String, String)>,
    pub survey_results: Vec<ItemResult>,
    /// 意見公募 linked to the item: (id, title).
    pub consultations: Vec<(i64, String)>,
    pub changes: Vec<changes::Request>,
}

impl ItemData {
    /// `None` when no such node exists in the organization.
    async fn load(db: &Db, org: i64, node: i64) -> AppResult<Option<Self>> {
        let Some(plan_id) = crate::plans::store::plan_of_node(db, org, node, false).await? else {
            return Ok(None);
        };
        let (
            comments,
            comment_total,
            opinions,
            attachments,
            evaluations,
            survey_results,
            changes,
            consultations,
        ) = tokio::try_join!(
            participation::published_comments(db, org, node, Some(COMMENTS_SHOWN)),
            participation::published_comment_count(db, org, node),
            opinions::on(db, org, Subject::Item(node), true),
            attachments::published_of_node(db, org, node),
            crate::evaluation::stages::linked_to_item(db, org, node),
            results::bound_to(db, org, Binding::PlanNode(node)),
            changes::of_node(db, org, node, true),
            crate::participation::consultations::for_plan_item(db, org, node),
        )?;
        Ok(Some(Self {
            plan_id,
            comments,
            comment_total,
            opinions,
            attachments,
            evaluations,
            survey_results,
            consultations: consultations.into_iter().map(|c| (c.id, c.title)).collect(),
            changes,
        }))
    }
}

/// The item's data, from the snapshot when it is current.
pub async fn item_data(st: &WebState, ctx: &Ctx, node: i64) -> AppResult<Option<Arc<ItemData>>> {
    let areas: Areas = shown_by("/plans/items");
    let org = ctx.org_id();
    st.snapshots
        .items
        .get_or_load(&st.cache, areas, org, node, || {
            ItemData::load(st.reader(ctx), org, node)
        })
        .await
}
