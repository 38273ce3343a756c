//! The HQ's import of a budget or settlement file with a column mapping. Files come in the layouts
//! each city's finance system writes: the reader finds the usual headers (款, 款名, 予算額 …) by
//! itself; for others the form names the file's header for each field, gives a value for the
//! whole file where it has no column (a 予算書 of one 会計 and year), and the unit. When a file
//! cannot be read, its first rows are shown so the headers to name are in sight. The mapping of
//! each successful import is saved and offered next time.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::finance::budget_file;
use crate::finance::mapping::{self, Mapping};
use crate::finance::store;
use crate::i18n::Tr;
use crate::validation::{FieldErrors, LineProblem};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::Upload;
use crate::web::notice::see_other_counted;
use crate::web::pages::line_import::{self, MapField, Spec};
use crate::web::uploads;
use axum::extract::State;
use axum::response::Response;
use kyodo_decode::finance::budget::columns::{FIELDS, FIXABLE};
use kyodo_decode::sheet::Sheet;

const BUDGET: Spec = Spec {
    title_key: "fin.import_title",
    lead_key: "fin.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/import",
    link: ("/finance", "fin.title", false),
};

/// Each field's name on the form (its column's header) and catalogue key.
const COLUMN_LABELS: [(&str, &str); 10] = [
    ("year", "fin.col_year"),
    ("account", "fin.col_account"),
    ("edition", "fin.col_edition"),
    ("side", "fin.col_side"),
    ("kan", "fin.kan"),
    ("kou", "fin.col_kou"),
    ("moku", "fin.col_moku"),
    ("setsu", "fin.col_setsu"),
    ("nature", "fin.nature"),
    ("amount", "fin.col_amount"),
];

/// The fields a file may lack, with the label of their value for the whole file.
const FIXED_LABELS: [(&str, &str); 4] = [
    ("year", "fin.fix_year"),
    ("account", "fin.fix_account"),
    ("edition", "fin.fix_edition"),
    ("side", "fin.fix_side"),
];

/// Units offered: (value, catalogue key); empty reads the unit from the file.
const UNITS: [(&str, &str); 4] = [
    ("", "fin.unit_from_file"),
    ("1", "fin.yen"),
    ("1000", "fin.unit_thousand"),
    ("1000000", "fin.unit_million"),
];

/// The mapping section of the form, filled with `m`, and the first rows of `sheet` if one was read.
fn section(t: Tr, m: &Mapping, sheet: Option<&Sheet>, errors: FieldErrors) -> line_import::Mapping {
    let mut fields = Vec::new();
    for ((field, usual), (_, key)) in FIELDS.iter().zip(COLUMN_LABELS) {
        fields.push(MapField {
            name: format!("map_{field}"),
            label: t.f("fin.map_column", &[&t.t(key)]),
            hint: t.f("fin.map_usual", &[&usual.join("、")]),
            value: m.headers.get(*field).cloned().unwrap_or_default(),
            options: Vec::new(),
        });
    }
    for (field, key) in FIXED_LABELS {
        fields.push(MapField {
            name: format!("fix_{field}"),
            label: t.t(key).to_string(),
            hint: String::new(),
            value: m.fixed.get(field).cloned().unwrap_or_default(),
            options: Vec::new(),
        });
    }
    fields.push(MapField {
        name: "unit".into(),
        label: t.t("fin.unit_label").to_string(),
        hint: String::new(),
        value: m.unit.map(|u| u.to_string()).unwrap_or_default(),
        options: UNITS
            .iter()
            .map(|(v, k)| (v.to_string(), t.t(k).to_string()))
            .collect(),
    });
    line_import::Mapping {
        legend: t.t("fin.map_legend").to_string(),
        lead: t.t("fin.map_lead").to_string(),
        fields,
        preview: sheet.map(preview).unwrap_or_default(),
        errors,
    }
}

/// The first ten rows of a sheet, twelve columns at most, each cell cut to 30 characters, all
/// rows as wide as the widest so the table has a header for every cell.
fn preview(sheet: &Sheet) -> Vec<Vec<String>> {
    let rows: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .take(10)
        .map(|r| {
            r.iter()
                .take(12)
                .map(|c| c.chars().take(30).collect())
                .collect()
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    rows.into_iter()
        .map(|mut r| {
            r.resize(width, String::new());
            r
        })
        .collect()
}

/// The mapping as the form sent it, with each wrong value refused beside its field.
fn mapping_of(upload: &Upload) -> (Mapping, FieldErrors) {
    let field = |name: &str| -> String {
        let v = upload.fields.get(name).map_or("", |v| v.trim());
        v.chars().take(100).collect()
    };
    let (mut m, mut errors) = (Mapping::default(), FieldErrors::default());
    for (f, _) in FIELDS {
        let v = field(&format!("map_{f}"));
        if !v.is_empty() {
            m.headers.insert(f.to_string(), v);
        }
    }
    for f in FIXABLE {
        let v = field(&format!("fix_{f}"));
        if v.is_empty() {
            continue;
        }
        m.fixed.insert(f.to_string(), v);
    }
    for (f, key) in m.problems() {
        errors.add(&format!("fix_{f}"), key);
    }
    match field("unit").as_str() {
        "" => {}
        u => match UNITS.iter().find(|(v, _)| *v == u) {
            Some(_) => m.unit = u.parse().ok(),
            None => errors.add("unit", "fin.bad_unit"),
        },
    }
    (m, errors)
}

pub async fn form(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let saved = mapping::saved(st.reader(&ctx), ctx.org_id()).await?;
    let map = section(ctx.tr(), &saved, None, FieldErrors::default());
    line_import::page_with(&ctx, &BUDGET, None, Vec::new(), Some(map))
}

pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = Actor::user(ctx.require_user()?.user_id);
    let t = ctx.tr();
    let (m, errors) = mapping_of(&upload);
    let page = |failure: Option<&'static str>,
                problems: Vec<LineProblem>,
                sheet: Option<&Sheet>,
                errors| {
        line_import::page_with(
            &ctx,
            &BUDGET,
            failure,
            problems,
            Some(section(t, &m, sheet, errors)),
        )
    };
    if !errors.is_empty() {
        return page(None, Vec::new(), None, errors);
    }
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return page(Some(e), Vec::new(), None, errors),
    };
    let sheet = match st.imports.read(ctx.org_id(), &name, bytes, "finance").await {
        Ok(sheets) => match sheets.into_iter().next() {
            Some(sheet) => sheet,
            None => return page(Some("import.no_file"), Vec::new(), None, errors),
        },
        Err(e) => return page(Some(e), Vec::new(), None, errors),
    };
    let editions = match budget_file::read_mapped(&sheet, &m) {
        Ok(e) => e,
        Err(problems) => return page(None, problems, Some(&sheet), errors),
    };
    let org = ctx.org_id();
    let write = async {
        let mut tx = st.app.begin_write().await?;
        let lines = store::write_in(&mut tx, org, &user, &editions, false).await?;
        mapping::save(&mut tx, org, &m).await?;
        tx.commit().await?;
        anyhow::Ok(lines)
    };
    let lines = write.await.map_err(AppError::Internal)?;
    Ok(see_other_counted(&st, "/finance", "fin.imported", lines))
}
