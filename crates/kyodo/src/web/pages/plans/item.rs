//! One action item's public page (timeline of published reports, indicator and fiscal-effect charts
//! with their tables, citizens' ratings, comments, committee opinions) and the forms citizens and
//! committee members post from it.

use crate::charts::{self, Series, fmt_num};
use crate::codes::{self, RATING};
use crate::councils::opinions::Opinion;
use crate::error::{AppError, AppResult};
use crate::plans::metrics;
use crate::plans::participation::{self, Comment};
use crate::plans::store::{Node, PublishedReport};
use crate::plans::view::PlanData;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::{fy, opt_amount};
use crate::web::pages::plans::item_rows::*;
use crate::web::pages::plans::tree::{EffectRow, effect_rows};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForms {
    pub(super) score: String,
    pub(super) year: String,
    pub(super) body: String,
    pub(super) opinion: String,
    pub(super) period: String,
    /// `all`: every published comment, not only the newest.
    pub(super) comments: String,
}

/// The item page's query: `?comments=all`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemQuery {
    comments: String,
}

#[derive(Template)]
#[template(path = "plans/item.html")]
struct ItemPage<'a> {
    s: Shell<'a>,
    is_demo: bool,
    trail: Vec<(String, String)>,
    node: Node,
    departments: String,
    schedule: Vec<(String, String)>,
    indicators: Vec<IndicatorView>,
    effects: Vec<EffectRow>,
    effect_total: EffectRow,
    effect_chart: String,
    effect_lines: Vec<EffectLine>,
    reports: Vec<ReportView>,
    rating_rows: Vec<RatingRow>,
    rate_years: Vec<(i64, String)>,
    comments: &'a [Comment],
    /// Published comments in all; more than shown: a link to all of them.
    comment_total: i64,
    opinions: Vec<(String, Opinion)>,
    opinion_periods: Vec<(i64, String)>,
    signed_in: bool,
    can_write_report: bool,
    can_write_opinion: bool,
    attachments: &'a [crate::plans::attachments::Attachment],
    /// 市民意識調査 results bound to this item.
    survey_results: Vec<crate::web::pages::portfolio::BoundRow>,
    /// 意見公募 linked to this item: (id, title).
    consultations: Vec<(i64, String)>,
    evaluations: Vec<EvaluationLink>,
    changes: Vec<ChangeLine>,
    form: ItemForms,
    /// 窓口: the desk's cases linked to the item (staff only; subjects may carry personal data).
    desk_cases: Vec<(i64, String, String, String, String)>,
    desk_total: i64,
}

impl ItemPage<'_> {
    fn when(&self, stored: &str) -> String {
        self.s.t.datetime(stored)
    }
}

fn report_view(t: crate::i18n::Tr, data: &PlanData, r: &PublishedReport) -> ReportView {
    ReportView {
        year: fy(t, r.fiscal_year),
        period: r.period_label.clone(),
        progress: data.label(codes::PROGRESS, &r.progress, t.lang).to_string(),
        rating: data.label(RATING, &r.rating, t.lang).to_string(),
        did: r.did.clone(),
        evaluation: r.evaluation.clone(),
        next_steps: r.next_steps.clone(),
        published_at: t.datetime(&r.published_at),
    }
}

pub(super) async fn item_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: ItemForms,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let extra = super::item_data::item_data(st, ctx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan_id = extra.plan_id;
    let all_comments =
        if form.comments == "all" && extra.comment_total > extra.comments.len() as i64 {
            Some(participation::published_comments(st.reader(ctx), ctx.org_id(), id, None).await?)
        } else {
            None
        };
    let data = crate::web::pages::plans::tree::load_visible(st, ctx, plan_id).await?;
    let node = data.node(id).cloned().ok_or(AppError::NotFound)?;
    let indicators = data
        .indicators_of(id)
        .enumerate()
        .map(|(i, ind)| {
            let values: Vec<_> = data.values_of(ind.id).collect();
            let cats: Vec<String> = values.iter().map(|v| fy(t, v.fiscal_year)).collect();
            let chart = charts::bars(
                &format!("ind-{i}"),
                &format!("{}({})", ind.name, t.t("plan.target_vs_actual")),
                &cats,
                &[
                    Series {
                        name: t.t("plan.target"),
                        values: values.iter().map(|v| v.target).collect(),
                    },
                    Series {
                        name: t.t("plan.actual"),
                        values: values.iter().map(|v| v.actual).collect(),
                    },
                ],
                &ind.unit,
            );
            let num = |v: Option<f64>| v.map(fmt_num).unwrap_or_else(|| "—".into());
            IndicatorView {
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                direction: if ind.higher_is_better {
                    "plan.higher_better"
                } else {
                    "plan.lower_better"
                },
                baseline: match (ind.baseline_year, ind.baseline_value) {
                    (Some(y), Some(v)) => format!("{} {}{}", fy(t, y), fmt_num(v), ind.unit),
                    _ => "—".into(),
                },
                chart,
                rows: values
                    .iter()
                    .map(|v| {
                        let a = v.target.zip(v.actual).and_then(|(tg, ac)| {
                            metrics::achievement(ind.higher_is_better, tg, ac)
                        });
                        IndicatorYear {
                            year: fy(t, v.fiscal_year),
                            target: num(v.target),
                            actual: num(v.actual),
                            achievement: a
                                .map(|a| format!("{a:.1}%"))
                                .unwrap_or_else(|| "—".into()),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let (effects, effect_total, effect_chart) = effect_rows(t, &data, Some(&[id]), "item-effects");
    let effect_lines = data
        .effects_of(id)
        .into_iter()
        .map(|e| EffectLine {
            year: fy(t, e.fiscal_year),
            kind: data.label(codes::EFFECT_KIND, &e.kind, t.lang).to_string(),
            account: data.label(codes::ACCOUNT, &e.account, t.lang).to_string(),
            planned: fmt_num(e.planned as f64),
            actual: opt_amount(e.actual),
            recurring: if e.recurring {
                "plan.recurring_yes"
            } else {
                "plan.recurring_no"
            },
        })
        .collect();
    let mut published: Vec<&PublishedReport> = data.reports_of(id).collect();
    published.sort_by_key(|r| std::cmp::Reverse(r.fiscal_year));
    let reports = published.iter().map(|r| report_view(t, &data, r)).collect();
    let mut rate_years: Vec<(i64, String)> = published
        .iter()
        .map(|r| (r.fiscal_year, fy(t, r.fiscal_year)))
        .collect();
    rate_years.dedup();
    let rating_rows = rate_years
        .iter()
        .map(|(y, label)| {
            let (counts, total, avg) = data.rating_summary(id, *y);
            RatingRow {
                year: label.clone(),
                counts,
                total,
                average: avg.map(|a| format!("{a:.2}")).unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    let published_periods: Vec<(i64, String)> = data
        .periods
        .iter()
        .filter(|p| published.iter().any(|r| r.fiscal_year == p.fiscal_year))
        .map(|p| (p.id, p.label.clone()))
        .collect();
    let principal = ctx.principal.as_deref();
    let depts: Vec<i64> = data.department_ids(id).collect();
    let can_write_report = node.trackable
        && principal.is_some_and(|p| p.is_staff() && crate::policy::can_write_report(p, &depts));
    let can_write_opinion = principal.is_some_and(|p| p.is_committee_member());
    let (desk, desk_total) = if principal.is_some_and(|p| p.is_staff()) {
        use crate::cases::linked::{Target, of_target};
        of_target(&st.app.db, ctx.org_id(), Target::PlanItem, id, 20).await?
    } else {
        (Vec::new(), 0)
    };
    let desk_cases = crate::web::pages::cases::linked_rows(ctx, &data.codes, desk);
    let period_label = |pid: i64| {
        data.periods
            .iter()
            .find(|p| p.id == pid)
            .map(|p| p.label.clone())
            .unwrap_or_default()
    };
    let opinions = extra
        .opinions
        .iter()
        .map(|o| (period_label(o.period_id.unwrap_or_default()), o.clone()))
        .collect();
    let mut trail: Vec<(String, String)> =
        vec![(format!("/plans/{plan_id}"), data.plan.title.clone())];
    trail.extend(
        data.ancestors(id)
            .iter()
            .map(|a| (String::new(), format!("{} {}", a.number, a.title))),
    );
    let all_codes = &data.codes;
    let evaluations = extra
        .evaluations
        .iter()
        .map(|(y, p, name, dir)| EvaluationLink {
            year: crate::web::format::fy(t, *y),
            href: format!("/evaluation/programmes/{p}"),
            name: name.clone(),
            direction: crate::codes::label(all_codes, crate::codes::EVAL_DIRECTION, dir, t.lang)
                .to_string(),
        })
        .collect();
    let survey_results =
        crate::web::pages::portfolio::result_rows(&extra.survey_results, all_codes, t);
    let changes = extra
        .changes
        .iter()
        .map(|r| {
            let what = crate::web::pages::plans::changes::summary(t, &data, r);
            ChangeLine {
                when: t.datetime(r.decided_at.as_deref().unwrap_or(&r.created_at)),
                kind: crate::web::pages::plans::changes::kind_key(&r.kind),
                status: crate::web::pages::plans::changes::status_key(&r.status),
                reason: r.reason.clone(),
                what,
                comment: r.decision_comment.clone(),
            }
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let summary = format!("{} {} — {}", node.number, node.title, node.body);
    let mut s = Shell::new(ctx, "plan.item_title")
        .with_errors(errs)
        .with_summary(&summary);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    let page = ItemPage {
        s,
        is_demo: data.plan.is_demo,
        trail,
        departments: data.department_names(id, t.lang),
        schedule: data
            .years()
            .map(|y| {
                (
                    fy(t, y),
                    data.step(id, y)
                        .map(|c| data.label(codes::SCHEDULE_STEP, c, t.lang).to_string())
                        .unwrap_or_else(|| "—".into()),
                )
            })
            .collect(),
        indicators,
        effects,
        effect_total,
        effect_chart,
        effect_lines,
        reports,
        rating_rows,
        rate_years,
        comments: all_comments.as_deref().unwrap_or(&extra.comments),
        comment_total: extra.comment_total,
        opinions,
        opinion_periods: published_periods,
        signed_in: principal.is_some(),
        can_write_report,
        can_write_opinion,
        attachments: &extra.attachments,
        survey_results,
        consultations: extra.consultations.clone(),
        evaluations,
        changes,
        form,
        desk_cases,
        desk_total,
        node,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<ItemQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let res = item_page(
        &st,
        &ctx,
        id,
        ItemForms {
            comments: q.comments,
            ..ItemForms::default()
        },
        FieldErrors::default(),
        None,
    )
    .await?;
    if ctx.principal.is_none() && res.status() == StatusCode::OK {
        let (_, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        return Ok(st
            .cache
            .store(&ctx, String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(res)
}

impl ItemPage<'_> {
    fn score_key(&self, v: &str) -> &'static str {
        match v {
            "5" => "rating.s5",
            "4" => "rating.s4",
            "3" => "rating.s3",
            "2" => "rating.s2",
            _ => "rating.s1",
        }
    }
}
