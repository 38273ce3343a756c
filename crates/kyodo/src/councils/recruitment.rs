//! 委員公募 — recruiting members publicly: a call with its conditions, seats and period; anyone
//! applies in the period (name, address, e-mail and the essay, 作文); the HQ records who is
//! selected and publishes the result (応募者数 and 選任数, or why no one was). Applications are
//! personal data and never public.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: i64,
    pub body_id: i64,
    pub conditions: String,
    pub seats: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub result: String,
}

impl Call {
    pub fn is_open(&self, today: &str) -> bool {
        self.opens_on.as_str() <= today
            && today <= self.closes_on.as_str()
            && self.result.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub gender: String,
    pub address: String,
    pub email: String,
    pub essay: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub selected: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CallForm {
    pub conditions: String,
    pub seats: String,
    pub opens_on: String,
    pub closes_on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub name: String,
    pub kana: String,
    pub gender: String,
    pub address: String,
    pub email: String,
    pub essay: String,
}

pub async fn of_body(db: &Db, org: i64, body: i64) -> sqlx::Result<Vec<Call>> {
    sqlx::query_as(
        "SELECT id, body_id, conditions, seats, opens_on, closes_on, result FROM cn_calls \
         WHERE organization_id = $1 AND body_id = $2 ORDER BY opens_on DESC",
    )
    .bind(org)
    .bind(body)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Call>> {
    sqlx::query_as(
        "SELECT id, body_id, conditions, seats, opens_on, closes_on, result FROM cn_calls \
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn applications(db: &Db, org: i64, call: i64) -> sqlx::Result<Vec<Application>> {
    sqlx::query_as(
        "SELECT id, name, kana, gender, address, email, essay, selected FROM cn_applications \
         WHERE organization_id = $1 AND call_id = $2 ORDER BY submitted_at",
    )
    .bind(org)
    .bind(call)
    .fetch_all(db)
    .await
}

fn audit_change(action: &str, id: i64, after: serde_json::Value) -> Change<'_> {
    Change {
        action,
        target_type: "council_call",
        target_id: id.to_string(),
        before: None,
        after: Some(after),
    }
}

/// Opens a call for a body.
pub async fn open(app: &App, org: i64, actor: i64, body: i64, f: &CallForm) -> AppResult<i64> {
    super::bodies::get(&app.db, org, body)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let conditions = errs.long_text("conditions", &f.conditions, 4000);
    if conditions.is_empty() {
        errs.add("conditions", "field.required");
    }
    let seats = match kyodo_jp::numbers::parse_amount(&f.seats) {
        Ok(Some(n)) if (1..=100).contains(&n) => n,
        _ => {
            errs.add("seats", "cn.bad_count");
            0
        }
    };
    let opens = errs.date("opens_on", &f.opens_on);
    let closes = errs.date("closes_on", &f.closes_on);
    if let (Some(o), Some(c)) = (opens, closes)
        && c < o
    {
        errs.add("closes_on", "pc.period_order");
    }
    errs.into_result()?;
    let (Some(opens), Some(closes)) = (opens, closes) else {
        return Err(AppError::BadRequest("error.bad_form"));
    };
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO cn_calls (organization_id, id, body_id, conditions, seats, opens_on, closes_on) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org)
    .bind(id)
    .bind(body)
    .bind(&conditions)
    .bind(seats)
    .bind(opens.to_string())
    .bind(closes.to_string())
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "body": body, "seats": seats, "opens_on": opens.to_string(), "closes_on": closes.to_string() });
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        audit_change("councils.call", id, after),
    )
    .await?;
    Ok(id)
}

/// An application in the call's period; one per e-mail address. The essay is typed, or sent as a
/// file (`essay_file`: name and bytes), stored as a staff-only document of the application.
pub async fn apply(
    app: &App,
    org: i64,
    call: i64,
    f: &ApplicationForm,
    essay_file: Option<(&str, &[u8])>,
    client: &str,
) -> AppResult<()> {
    let c = get(&app.db, org, call).await?.ok_or(AppError::NotFound)?;
    let today = crate::participation::today().format("%Y-%m-%d").to_string();
    let mut errs = FieldErrors::default();
    if !c.is_open(&today) {
        errs.add("essay", "cn.call_closed");
    }
    let name = errs.text("name", &f.name, 100);
    let kana = errs.optional_text("kana", &f.kana, 100);
    if !super::GENDERS.iter().any(|(g, _)| *g == f.gender.trim()) {
        errs.add("gender", "field.bad_choice");
    }
    let address = errs.text("address", &f.address, 200);
    let email = errs.email("email", &f.email, true);
    let essay = errs.long_text("essay", &f.essay, 4000);
    // A file input left empty still sends an empty part.
    let essay_file = essay_file.filter(|(name, bytes)| !name.is_empty() || !bytes.is_empty());
    let file = essay_file.and_then(|(name, bytes)| {
        crate::files::check(&mut errs, "essay_file", name, bytes).map(|c| (c, bytes))
    });
    if essay.is_empty() && essay_file.is_none() {
        errs.add("essay", "doc.essay_either");
    }
    errs.into_result()?;
    let limit = super::Rules::load(&app.db, org).await?.per_address_per_day;
    if !crate::address_limit::allow(&app.db, org, "council_call", call, client, limit).await? {
        return Err(AppError::TooManyRequests);
    }
    let id = new_id();
    let document = new_id();
    if let Some((_, bytes)) = &file {
        crate::files::store(app, org, document, bytes).await?;
    }
    match insert(
        app,
        org,
        call,
        id,
        f,
        (&name, &kana, &address, &email, &essay),
        file.as_ref().map(|(c, b)| (document, c, b.len())),
    )
    .await
    {
        Ok(()) => Ok(()),
        Err(e) => {
            if file.is_some() {
                crate::files::remove(app, org, document).await;
            }
            Err(e)
        }
    }
}

/// The application's row, its essay file's document, the receipt mail and the audit entry, in one
/// transaction.
async fn insert(
    app: &App,
    org: i64,
    call: i64,
    id: i64,
    f: &ApplicationForm,
    (name, kana, address, email, essay): (&str, &str, &str, &str, &str),
    file: Option<(i64, &crate::files::Checked, usize)>,
) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO cn_applications (organization_id, id, call_id, name, kana, gender, address, email, essay, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (organization_id, call_id, email) DO NOTHING",
    )
    .bind(org)
    .bind(id)
    .bind(call)
    .bind(name)
    .bind(kana)
    .bind(f.gender.trim())
    .bind(address)
    .bind(email)
    .bind(essay)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        let mut errs = FieldErrors::default();
        errs.add("email", "cn.already_applied");
        return Err(AppError::Invalid(errs));
    }
    if let Some((document, checked, size)) = file {
        let new = crate::files::documents::NewDocument {
            id: document,
            owner: crate::files::documents::Owner::CouncilApplication(id),
            title: "作文 / Essay",
            file: checked,
            size,
            uploaded_by: None,
        };
        crate::files::documents::insert(&mut tx, org, new).await?;
    }
    app.mailer
        .enqueue(
            &mut tx,
            org,
            email,
            "委員公募への応募 / Application received",
            "委員公募への応募を受け付けました。選考の結果はお知らせします。\nYour application was received; you will be told the result.\n",
        )
        .await?;
    // Personal details stay out of the audit log.
    audit::record_and_commit(
        tx,
        org,
        &Actor::system(),
        audit_change(
            "councils.apply",
            call,
            serde_json::json!({ "application": id }),
        ),
    )
    .await?;
    app.mailer.wake();
    Ok(())
}

/// Records the selection and publishes the result: the selected applications (ids) and the
/// published text (e.g. 応募者 5名のうち 2名を選任しました).
pub async fn decide(
    app: &App,
    org: i64,
    actor: i64,
    call: i64,
    selected: &[i64],
    result: &str,
) -> AppResult<i64> {
    let c = get(&app.db, org, call).await?.ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let result = errs.long_text("result", result, 2000);
    if result.is_empty() {
        errs.add("result", "field.required");
    }
    if selected.len() as i64 > c.seats {
        errs.add("result", "cn.too_many_selected");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "UPDATE cn_applications SET selected = 0 WHERE organization_id = $1 AND call_id = $2",
    )
    .bind(org)
    .bind(call)
    .execute(&mut *tx)
    .await?;
    for a in selected {
        sqlx::query("UPDATE cn_applications SET selected = 1 WHERE organization_id = $1 AND call_id = $2 AND id = $3")
            .bind(org)
            .bind(call)
            .bind(a)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE cn_calls SET result = $1 WHERE organization_id = $2 AND id = $3")
        .bind(&result)
        .bind(org)
        .bind(call)
        .execute(&mut *tx)
        .await?;
    let after = serde_json::json!({ "selected": selected.len(), "result": result });
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        audit_change("councils.select", call, after),
    )
    .await?;
    Ok(c.body_id)
}

/// (call, applications) counts for the public page.
pub async fn counts(db: &Db, org: i64, body: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT a.call_id, COUNT(*) FROM cn_applications a JOIN cn_calls c ON c.organization_id = a.organization_id AND c.id = a.call_id \
         WHERE a.organization_id = $1 AND c.body_id = $2 GROUP BY a.call_id",
    )
    .bind(org)
    .bind(body)
    .fetch_all(db)
    .await
}
