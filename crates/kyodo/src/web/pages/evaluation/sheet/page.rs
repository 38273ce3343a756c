//! The evaluation sheet inside the city: the department fills it in and submits (一次評価), the HQ
//! gives 二次評価 and the final decision (or returns it, chooses it for 外部評価, links it to a plan
//! item), committee members give 外部評価. One page, whose forms depend on who is looking.

use crate::codes::{self, Code};
use crate::error::{AppError, AppResult};
use crate::evaluation::costs;
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::sheet_view::{self, SheetView};
use crate::evaluation::sheets::{self, cost_field, fte_field};
use crate::evaluation::stage::{Awaiting, Stage};
use crate::evaluation::stages;
use crate::evaluation::store::{self, Cycle, Indicator, Programme, Scope, Sheet};
use crate::evaluation::year::department_name;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::format::fy;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// Whose page it is: staff see contact details and the department's form; committee members see
/// the sheet without them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Staff,
    Committee,
}

/// (field, label, options as (code, label)).
type Select = (String, String, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "evaluation/sheet.html")]
struct SheetPage<'a> {
    s: Shell<'a>,
    mode_staff: bool,
    action: String,
    programme: Programme,
    department: String,
    year_label: String,
    sheet: Sheet,
    v: SheetView,
    editable: bool,
    /// The stage this principal may decide now, with its name.
    decide: Option<(Stage, String)>,
    /// The viewer is the 所属長 the sheet waits for.
    manager: bool,
    /// The sheet waits for its 所属長 and the viewer is someone else (say so instead of a form).
    awaiting_manager: bool,
    hq: bool,
    form: BTreeMap<String, String>,
    columns: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    criteria: Vec<(String, String)>,
    scores: Vec<(String, String)>,
    /// Verdict selects: (field, label, options); verdict texts and contact fields: (field, label, required).
    selects: Vec<Select>,
    texts: Vec<(String, String, bool)>,
    contact: Vec<(String, String, bool)>,
    value_kinds: Vec<(String, String)>,
    indicators: Vec<Indicator>,
    plan_items: Vec<(i64, String)>,
    /// Staff only: the desk's cases linked to the programme (id, number, received, status,
    /// subject), newest first, and how many there are in all.
    desk_cases: Vec<(i64, String, String, String, String)>,
    desk_total: i64,
}

impl SheetPage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn is(&self, k: &str, v: &str) -> bool {
        self.value(k) == v
    }
    fn cost_field(&self, col: &str, src: &str) -> String {
        cost_field(col, src)
    }
    fn fte_field(&self, col: &str, cat: &str) -> String {
        fte_field(col, cat)
    }
}

fn pairs(all: &[Code], list: &str, lang: crate::i18n::Lang) -> Vec<(String, String)> {
    codes::of_list(all, list)
        .map(|c| (c.code.clone(), c.label(lang).to_string()))
        .collect()
}

/// The stored sheet as form values, for the first view of the form.
fn stored_form(
    sheet: &Sheet,
    data: &SheetData,
    inds: &[Indicator],
    values: &[store::IndicatorValue],
    fy: i64,
) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("issues".into(), sheet.issues.clone());
    f.insert("contact_name".into(), sheet.contact_name.clone());
    f.insert("contact_phone".into(), sheet.contact_phone.clone());
    for c in data.costs_of(sheet.id) {
        f.insert(cost_field(&c.col, &c.source), c.amount.to_string());
    }
    for s in data.staffing_of(sheet.id) {
        f.insert(fte_field(&s.col, &s.category), s.fte.to_string());
    }
    for i in inds {
        if let Some(v) = values
            .iter()
            .find(|v| v.indicator_id == i.id && v.fiscal_year == fy)
        {
            let show = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
            f.insert(format!("target-{}", i.id), show(v.target));
            f.insert(format!("actual-{}", i.id), show(v.actual));
        }
    }
    for s in data.scores_of(sheet.id, Stage::First) {
        f.insert(format!("score-{}", s.criterion), s.score.clone());
        f.insert(format!("score_reason-{}", s.criterion), s.reason.clone());
    }
    if let Some(v) = data.verdict(sheet.id, Stage::First) {
        for (k, x) in [
            ("operator", &v.operator),
            ("direction", &v.direction),
            ("reason", &v.reason),
            ("improvement", &v.improvement),
        ] {
            f.insert(k.into(), x.clone());
        }
    }
    f
}

pub(super) async fn load(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
) -> AppResult<(Sheet, Programme, Cycle)> {
    let (sheet, programme) = sheets::load(&st.app, ctx.org_id(), id).await?;
    let cycle = store::cycle(&st.app.db, ctx.org_id(), sheet.cycle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((sheet, programme, cycle))
}

/// A committee member sees only sheets chosen for 外部評価 in cycles of their committee.
pub(super) fn committee_may_see(ctx: &Ctx, sheet: &Sheet, cycle: &Cycle) -> AppResult<()> {
    let p = ctx.require_user()?;
    if p.is_reform_hq()
        || (sheet.external
            && crate::policy::may_decide_stage(p, Stage::External, cycle.committee_id))
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub(super) async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    mode: Mode,
    form: Option<BTreeMap<String, String>>,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let (mut sheet, programme, cycle) = load(st, ctx, id).await?;
    if mode == Mode::Committee {
        committee_may_see(ctx, &sheet, &cycle)?;
        sheet.contact_name.clear();
        sheet.contact_phone.clear();
    }
    let p = ctx.require_user()?;
    // Another department's sheet (a draft names its contact and phone) is not there for staff.
    if mode == Mode::Staff && !crate::policy::can_read_department_data(p, programme.department_id) {
        return Err(AppError::NotFound);
    }
    let mut data = SheetData::load(
        db,
        org,
        Scope::Programme(programme.id),
        mode == Mode::Committee,
    )
    .await?;
    data.sheets.retain(|s| s.id == id);
    let all_codes = codes::all(db, org).await?;
    let (desk, desk_total) = if mode == Mode::Staff {
        crate::cases::linked::of_target(
            db,
            org,
            crate::cases::linked::Target::Programme,
            programme.id,
            20,
        )
        .await?
    } else {
        (Vec::new(), 0)
    };
    let desk_cases = crate::web::pages::cases::linked_rows(ctx, &all_codes, desk);
    let units = store::unit_costs(db, org).await?;
    let (inds, values) = store::indicators(db, org, "programme", Some(programme.id)).await?;
    let cols = costs::columns(
        cycle.fiscal_year,
        &data.costs_of(id),
        &data.staffing_of(id),
        &units,
    );
    let sources = sheet_view::Sources {
        fiscal_year: cycle.fiscal_year,
        sheet: &sheet,
        data: &data,
        cols: &cols,
        inds: &inds,
        values: &values,
        all_codes: &all_codes,
    };
    let v = sheet_view::build(t, sources);
    let editable = mode == Mode::Staff
        && crate::policy::can_edit_sheet(p, sheet.stage, programme.department_id);
    let manager_step = crate::accounts::approval::required(db, org).await?;
    let awaiting = stages::awaiting(&sheet, manager_step);
    let decide = match awaiting {
        Some(Awaiting::Verdict(st)) => Some(st),
        _ => None,
    }
    .filter(|st| crate::policy::may_decide_stage(p, *st, cycle.committee_id))
    .filter(|st| (*st == Stage::External) == (mode == Mode::Committee))
    .map(|st| (st, t.t(st.key()).to_string()));
    // 所属長承認 is not a verdict: the department's manager gets two buttons instead of the form.
    let manager = mode == Mode::Staff
        && awaiting == Some(Awaiting::Manager)
        && crate::policy::can_approve_department_data(p, programme.department_id);
    let hq = mode == Mode::Staff && p.is_reform_hq();
    let plan_items: Vec<(i64, String)> = if hq {
        crate::plans::store::trackable_items(db, org).await?
    } else {
        Vec::new()
    };
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "eval.sheet_title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let form = form.unwrap_or_else(|| {
        let mut f = stored_form(&sheet, &data, &inds, &values, cycle.fiscal_year);
        if decide.is_some() {
            // Reviewers start from an empty verdict, not the department's.
            for k in ["operator", "direction", "reason", "improvement"] {
                f.remove(k);
            }
        }
        f
    });
    let lang = t.lang;
    let page = SheetPage {
        s,
        mode_staff: mode == Mode::Staff,
        desk_cases,
        desk_total,
        action: match mode {
            Mode::Staff if decide.is_some() => format!("/hq/evaluation/sheets/{id}/verdict"),
            Mode::Staff => format!("/staff/evaluation/sheets/{id}"),
            Mode::Committee => format!("/committee/evaluation/sheets/{id}"),
        },
        department: department_name(
            &crate::accounts::departments::list(db, org).await?,
            programme.department_id,
            lang,
        ),
        year_label: fy(t, cycle.fiscal_year),
        columns: costs::COLUMNS
            .iter()
            .zip(&cols)
            .map(|((c, k), ct)| (c.to_string(), format!("{} {}", fy(t, ct.year), t.t(k))))
            .collect(),
        sources: pairs(&all_codes, codes::FUNDING_SOURCE, lang),
        categories: pairs(&all_codes, codes::STAFF_CATEGORY, lang),
        criteria: pairs(&all_codes, codes::EVAL_CRITERION, lang),
        scores: pairs(&all_codes, codes::EVAL_SCORE, lang),
        selects: vec![
            (
                "operator".into(),
                t.t("eval.operator").into(),
                pairs(&all_codes, codes::EVAL_OPERATOR, lang),
            ),
            (
                "direction".into(),
                t.t("eval.direction").into(),
                pairs(&all_codes, codes::EVAL_DIRECTION, lang),
            ),
        ],
        texts: vec![
            ("reason".into(), t.t("eval.reason").into(), true),
            ("improvement".into(), t.t("eval.improvement").into(), false),
        ],
        contact: vec![
            (
                "contact_name".into(),
                t.t("eval.contact_name").into(),
                false,
            ),
            (
                "contact_phone".into(),
                t.t("eval.contact_phone").into(),
                false,
            ),
        ],
        value_kinds: vec![
            ("target".into(), t.t("eval.target").into()),
            ("actual".into(), t.t("eval.actual").into()),
        ],
        indicators: inds,
        programme,
        sheet,
        v,
        editable,
        decide,
        manager,
        awaiting_manager: mode == Mode::Staff && awaiting == Some(Awaiting::Manager) && !manager,
        hq,
        form,
        plan_items,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(
        &st,
        &ctx,
        id,
        Mode::Staff,
        None,
        FieldErrors::default(),
        None,
    )
    .await
}

pub async fn committee_show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    page(
        &st,
        &ctx,
        id,
        Mode::Committee,
        None,
        FieldErrors::default(),
        None,
    )
    .await
}
