//! Which datasets each area has published, read in one round of concurrent queries: adopted
//! plans, published evaluation years, surveys past their draft, consultations with a published
//! result (each, and all results together), the minutes archive, the council register, the
//! public facilities, the inputs of drawn facility lotteries, and the finances (`finance.rs`). Drafts and anything unpublished never appear.

use super::{Dataset, Frequency, Resource, ckan_time};
use crate::db::Db;
use crate::db::flag::Flag;
use crate::i18n::{Tr, fy};

type PlanRow = (i64, String, String, i64, i64, Flag, String, Option<String>);
type CycleRow = (i64, i64, Flag, String);
type SurveyRow = (i64, String, String, i64, Flag, String);
type ConsultationRow = (i64, String, Flag, String, Option<String>);
/// (id, facility and room, month, demonstration, drawn at)
type LotteryRow = (i64, String, String, Flag, Option<String>);
/// (rows, demonstration rows, first and last change)
type AreaRow = (i64, Flag, Option<String>, Option<String>);

pub(super) fn res(name_key: &'static str, format: &'static str, path: String) -> Resource {
    let mimetype = match format {
        "CSV" => "text/csv",
        "XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "JSON" | "API" => "application/json",
        "PDF" => "application/pdf",
        _ => "text/html",
    };
    Resource {
        name_key,
        format,
        mimetype,
        path,
    }
}

pub(super) fn title(t: Tr, is_demo: bool, text: String) -> String {
    if is_demo {
        format!("{}{text}", t.t("opendata.demo_prefix"))
    } else {
        text
    }
}

/// Every dataset of the organization, in a stable order (by area, then newest first).
pub async fn catalogue(db: &Db, org: i64, t: Tr) -> sqlx::Result<Vec<super::Dataset>> {
    let (org_created, plans, cycles, surveys, consultations, minutes, councils, facilities, lotteries, finance, cases, proposals, procedures) = tokio::try_join!(
        sqlx::query_scalar::<_, String>("SELECT created_at FROM organizations WHERE id = $1")
            .bind(org)
            .fetch_one(db),
        sqlx::query_as::<_, PlanRow>(
            "SELECT p.id, p.title, p.goal, p.first_year, p.last_year, p.is_demo, p.created_at, \
             (SELECT MAX(r.updated_at) FROM progress_reports r JOIN plan_nodes n \
                ON n.organization_id = r.organization_id AND n.id = r.node_id \
              WHERE r.organization_id = p.organization_id AND n.plan_id = p.id AND r.published_version IS NOT NULL) \
             FROM plans p WHERE p.organization_id = $1 AND p.status <> 'draft' ORDER BY p.first_year DESC, p.id",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, CycleRow>(
            "SELECT id, fiscal_year, is_demo, created_at FROM eval_cycles \
             WHERE organization_id = $1 AND published = 1 ORDER BY fiscal_year DESC",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, SurveyRow>(
            "SELECT id, title, description, fiscal_year, is_demo, COALESCE(closes_on, created_at) FROM surveys \
             WHERE organization_id = $1 AND status <> 'draft' ORDER BY fiscal_year DESC, id DESC",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, ConsultationRow>(
            "SELECT id, title, is_demo, created_at, result_published_at FROM pc_consultations \
             WHERE organization_id = $1 AND result_state = 'published' ORDER BY result_published_at DESC, id DESC",
        )
        .bind(org)
        .fetch_all(db),
        area(db, org, "SELECT COUNT(*), COALESCE(MAX(is_demo), 0), MIN(imported_at), MAX(imported_at) FROM minutes_meetings WHERE organization_id = $1"),
        area(db, org, "SELECT COUNT(*), COALESCE(MAX(is_demo), 0), CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM cn_bodies WHERE organization_id = $1"),
        area(db, org, "SELECT COUNT(*), COALESCE(MAX(is_demo), 0), CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM rsv_facilities WHERE organization_id = $1"),
        sqlx::query_as::<_, LotteryRow>(
            "SELECT l.id, f.name || ' ' || r.name, l.month, f.is_demo, l.drawn_at FROM rsv_lotteries l \
             JOIN rsv_rooms r ON r.organization_id = l.organization_id AND r.id = l.room_id \
             JOIN rsv_facilities f ON f.organization_id = r.organization_id AND f.id = r.facility_id \
             WHERE l.organization_id = $1 AND l.status = 'drawn' ORDER BY l.month DESC, l.id",
        )
        .bind(org)
        .fetch_all(db),
        super::finance::datasets(db, org, t),
        area(db, org, crate::cases::public::CATALOGUE_SQL),
        area(db, org, crate::cases::yearly::DECISIONS_CATALOGUE_SQL),
        area(db, org, crate::cases::yearly::PROCEDURES_CATALOGUE_SQL),
    )?;
    let mut out = Vec::new();
    for (id, name, goal, first, last, demo, created, reported) in plans {
        let p = format!("/plans/{id}");
        out.push(Dataset {
            name: format!("plan-{id}"),
            title: title(t, bool::from(demo), name),
            notes: format!(
                "{}\n\n{}",
                t.f("opendata.plan_notes", &[&fy(t, first), &fy(t, last)]),
                goal
            ),
            tags: tags(t, &["opendata.tag_reform", "opendata.tag_plan"]),
            frequency: Frequency::Annual,
            landing: p.clone(),
            modified: ckan_time(reported.as_deref().unwrap_or(&created)),
            created: ckan_time(&created),
            is_demo: bool::from(demo),
            resources: vec![
                res("opendata.res_items", "CSV", format!("{p}/items.csv")),
                res("opendata.res_reports", "CSV", format!("{p}/reports.csv")),
                res(
                    "opendata.res_indicators",
                    "CSV",
                    format!("{p}/indicators.csv"),
                ),
                res("opendata.res_effects", "CSV", format!("{p}/effects.csv")),
                res("opendata.res_plan_xlsx", "XLSX", format!("{p}/plan.xlsx")),
                res(
                    "opendata.res_plan_json",
                    "JSON",
                    format!("/api/v1/plans/{id}"),
                ),
                res(
                    "opendata.res_annual_pdf",
                    "PDF",
                    format!("{p}/annual-report.pdf"),
                ),
            ],
        });
    }
    for (id, year, demo, created) in cycles {
        let p = format!("/evaluation/cycles/{id}");
        out.push(Dataset {
            name: format!("evaluation-{year}"),
            title: title(
                t,
                bool::from(demo),
                t.f("opendata.evaluation_title", &[&fy(t, year)]),
            ),
            notes: t.f("opendata.evaluation_notes", &[&fy(t, year)]),
            tags: tags(t, &["opendata.tag_reform", "opendata.tag_evaluation"]),
            frequency: Frequency::Annual,
            landing: format!("/evaluation?year={year}"),
            created: ckan_time(&created),
            modified: ckan_time(&created),
            is_demo: bool::from(demo),
            resources: vec![
                res(
                    "opendata.res_programmes_csv",
                    "CSV",
                    format!("{p}/programmes.csv"),
                ),
                res(
                    "opendata.res_programmes_xlsx",
                    "XLSX",
                    format!("{p}/programmes.xlsx"),
                ),
            ],
        });
    }
    for (id, name, description, year, demo, changed) in surveys {
        let p = format!("/surveys/{id}/results");
        out.push(Dataset {
            name: format!("survey-{id}"),
            title: title(t, bool::from(demo), format!("{name}({})", fy(t, year))),
            notes: format!("{}\n\n{description}", t.t("opendata.survey_notes")),
            tags: tags(t, &["opendata.tag_survey"]),
            frequency: Frequency::Annual,
            landing: p.clone(),
            created: ckan_time(&changed),
            modified: ckan_time(&changed),
            is_demo: bool::from(demo),
            resources: vec![
                res("opendata.res_results_page", "HTML", p.clone()),
                res("opendata.res_results_pdf", "PDF", format!("{p}.pdf")),
            ],
        });
    }
    if let Some(newest) = consultations.first() {
        let demo = consultations.iter().all(|c| bool::from(c.2));
        let changed = newest.4.clone().unwrap_or_else(|| newest.3.clone());
        out.push(Dataset {
            name: "consultation-results".into(),
            title: title(t, demo, t.t("opendata.consultations_title").to_string()),
            notes: t.t("opendata.consultations_notes").to_string(),
            tags: tags(
                t,
                &["opendata.tag_participation", "opendata.tag_consultation"],
            ),
            frequency: Frequency::Irregular,
            landing: "/consultations".into(),
            created: ckan_time(
                consultations
                    .iter()
                    .map(|c| c.3.as_str())
                    .min()
                    .unwrap_or(&changed),
            ),
            modified: ckan_time(&changed),
            is_demo: demo,
            resources: vec![res(
                "opendata.res_all_results_csv",
                "CSV",
                "/consultations/results.csv".into(),
            )],
        });
    }
    for (id, name, demo, created, published) in consultations {
        let p = format!("/consultations/{id}/result");
        out.push(Dataset {
            name: format!("consultation-{id}"),
            title: title(
                t,
                bool::from(demo),
                t.f("opendata.consultation_title", &[&name]),
            ),
            notes: t.t("opendata.consultation_notes").to_string(),
            tags: tags(
                t,
                &["opendata.tag_participation", "opendata.tag_consultation"],
            ),
            frequency: Frequency::Irregular,
            landing: p.clone(),
            modified: ckan_time(published.as_deref().unwrap_or(&created)),
            created: ckan_time(&created),
            is_demo: bool::from(demo),
            resources: vec![
                res("opendata.res_result_csv", "CSV", format!("{p}.csv")),
                res("opendata.res_result_json", "JSON", format!("{p}.json")),
                res("opendata.res_result_xlsx", "XLSX", format!("{p}.xlsx")),
                res("opendata.res_result_pdf", "PDF", format!("{p}.pdf")),
            ],
        });
    }
    let fixed = [
        (
            minutes,
            "minutes",
            "opendata.minutes_title",
            "opendata.minutes_notes",
            "/minutes",
            Frequency::Irregular,
            vec![
                res(
                    "opendata.res_minutes_api",
                    "API",
                    "/api/v1/minutes/meeting_list?from=1900-01-01&maximumRecords=100".into(),
                ),
                res("opendata.res_minutes_search", "HTML", "/minutes".into()),
            ],
        ),
        (
            councils,
            "councils",
            "opendata.councils_title",
            "opendata.councils_notes",
            "/councils",
            Frequency::Irregular,
            vec![res(
                "opendata.res_councils_page",
                "HTML",
                "/councils".into(),
            )],
        ),
        (
            facilities,
            "public-facilities",
            "opendata.facilities_title",
            "opendata.facilities_notes",
            "/facilities",
            Frequency::Irregular,
            vec![res(
                "opendata.res_facilities_csv",
                "CSV",
                "/facilities/public-facilities.csv".into(),
            )],
        ),
        (
            cases,
            "voices",
            "opendata.voices_title",
            "opendata.voices_notes",
            "/cases/voices",
            Frequency::Irregular,
            vec![
                res("opendata.res_voices_csv", "CSV", "/cases/voices.csv".into()),
                res(
                    "opendata.res_voices_counts",
                    "CSV",
                    "/cases/counts.csv".into(),
                ),
            ],
        ),
        (
            proposals,
            "private-proposals",
            "opendata.proposals_title",
            "opendata.proposals_notes",
            "/cases/proposals",
            Frequency::Irregular,
            vec![res(
                "opendata.res_proposals_csv",
                "CSV",
                "/cases/proposals.csv".into(),
            )],
        ),
        (
            procedures,
            "procedures",
            "opendata.procedures_title",
            "opendata.procedures_notes",
            "/procedures",
            Frequency::Irregular,
            vec![res(
                "opendata.res_procedures_csv",
                "CSV",
                "/procedures.csv".into(),
            )],
        ),
    ];
    for ((rows, demo, first, last), name, title_key, notes_key, landing, frequency, resources) in
        fixed
    {
        if rows == 0 {
            continue;
        }
        out.push(Dataset {
            name: name.into(),
            title: title(t, bool::from(demo), t.t(title_key).to_string()),
            notes: t.t(notes_key).to_string(),
            tags: tags(t, &["opendata.tag_participation"]),
            frequency,
            landing: landing.into(),
            created: ckan_time(first.as_deref().unwrap_or(&org_created)),
            modified: ckan_time(last.as_deref().unwrap_or(&org_created)),
            is_demo: bool::from(demo),
            resources,
        });
    }
    for (id, room, month, demo, drawn) in lotteries {
        let changed = drawn.unwrap_or_else(|| org_created.clone());
        out.push(Dataset {
            name: format!("lottery-{id}"),
            title: title(
                t,
                bool::from(demo),
                t.f("opendata.lottery_title", &[&room, &month]),
            ),
            notes: t.t("opendata.lottery_notes").to_string(),
            tags: tags(t, &["opendata.tag_facilities"]),
            frequency: Frequency::Irregular,
            landing: format!("/facilities/lotteries/{id}"),
            created: ckan_time(&changed),
            modified: ckan_time(&changed),
            is_demo: bool::from(demo),
            resources: vec![res(
                "opendata.res_lottery_inputs",
                "CSV",
                format!("/facilities/lotteries/{id}/inputs.csv"),
            )],
        });
    }
    out.extend(finance);
    Ok(out)
}

async fn area(db: &Db, org: i64, sql: &'static str) -> sqlx::Result<AreaRow> {
    sqlx::query_as(sql).bind(org).fetch_one(db).await
}

pub(super) fn tags(t: Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t.t(k).to_string()).collect()
}
