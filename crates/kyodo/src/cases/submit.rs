//! A case arrives: its answers checked against the type's form, a number given, the department
//! found by the routing rules, the deadline counted in office days — and the case stored (with
//! its first event and an audit entry) in one transaction before any mail is queued.

use super::store::{self, CaseType};
use super::{RECEIVED, calendar, numbering};
use crate::accounts::organizations::Organization;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::files::Incoming;
use crate::policy::Principal;
use crate::surveys::answers::{self, Answer};
use crate::surveys::store::{Form, Kind};
use crate::validation::FieldErrors;
use chrono::NaiveDate;

/// What the submitter typed besides the form's questions.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct Contact {
    /// お名前 (guests; optional).
    pub name: String,
    /// For the receipt and replies (guests; optional).
    pub email: String,
    /// 場所 — where the matter is (optional).
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    /// 回答の公表に同意する ("1").
    pub consent: String,
    /// The public facility (施設) the case is about, when sent from the facility's page.
    pub facility: String,
}

/// The stored case's number and the access key shown once to the submitter.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub case_id: i64,
    pub number: String,
    pub access_key: String,
    pub due_on: NaiveDate,
}

/// The answers as (question, answer) pairs, as staff and the submitter read them.
pub fn readable(form: &Form, given: &[Answer]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for a in given {
        let Some(q) = form.question(a.question_id) else {
            continue;
        };
        let option = |id: Option<i64>| {
            id.and_then(|id| q.options.iter().chain(&q.rows).find(|o| o.id == id))
                .map(|o| o.label.clone())
        };
        let value = if let Some(t) = &a.text {
            t.clone()
        } else if let Some(n) = a.number {
            n.to_string()
        } else if q.kind.is_matrix() {
            option(a.option_id).unwrap_or_default()
        } else if let Some(o) = option(a.option_id) {
            o
        } else {
            a.level.map(|l| l.to_string()).unwrap_or_default()
        };
        let label = if q.kind.is_matrix() {
            format!("{} / {}", q.row.label, option(a.level).unwrap_or_default())
        } else {
            q.row.label.clone()
        };
        // A multiple choice's options join into one answer.
        match out.last_mut() {
            Some((l, v)) if *l == label && !q.kind.is_matrix() => {
                v.push('、');
                v.push_str(&value);
            }
            _ => out.push((label, value)),
        }
    }
    out
}

/// 件名: the first short text answered, cut to 60 characters, else the type's name.
fn subject(form: &Form, given: &[Answer], ty: &CaseType) -> String {
    given
        .iter()
        .find(|a| {
            form.question(a.question_id)
                .is_some_and(|q| q.kind == Kind::Text)
        })
        .and_then(|a| a.text.as_deref())
        .map(|t| t.chars().take(60).collect())
        .unwrap_or_else(|| ty.name.clone())
}

/// 分類: the option chosen in the form's first single-choice question (public counts use it).
fn category(form: &Form, given: &[Answer]) -> String {
    let Some(q) = form.questions.iter().find(|q| q.kind == Kind::Single) else {
        return String::new();
    };
    given
        .iter()
        .find(|a| a.question_id == q.id())
        .and_then(|a| q.options.iter().find(|o| Some(o.id) == a.option_id))
        .map(|o| o.label.clone())
        .unwrap_or_default()
}

/// The department of the first routing rule the answers meet (else the type's own), and the
/// deadline `ty.deadline_days` office days after `today`. The type's rules and the organization's
/// closed days come in one round trip: under a storm a submission costs what its statements cost.
async fn route_and_deadline(
    app: &App,
    org: i64,
    ty: &CaseType,
    given: &[Answer],
    today: NaiveDate,
) -> AppResult<(Option<i64>, NaiveDate)> {
    // Closed days carry position -1 and sort first; a rule's day is ''.
    let rows: Vec<(i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT position, question_id, option_id, department_id, '' AS day FROM case_routes \
         WHERE organization_id = $1 AND type_id = $2 \
         UNION ALL SELECT -1, 0, 0, 0, day FROM org_holidays \
         WHERE organization_id = $1 AND day >= $3 AND day <= $4 ORDER BY 1",
    )
    .bind(org)
    .bind(ty.id)
    .bind(today.to_string())
    .bind(calendar::window_end(today, ty.deadline_days).to_string())
    .fetch_all(&app.db)
    .await?;
    let (closed, rules): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.0 < 0);
    let closed = closed
        .iter()
        .filter_map(|r| NaiveDate::parse_from_str(&r.4, "%Y-%m-%d").ok())
        .collect();
    let department = rules
        .iter()
        .find(|(_, q, o, _, _)| {
            given
                .iter()
                .any(|a| a.question_id == *q && a.option_id == Some(*o))
        })
        .map(|r| r.3)
        .or(ty.department_id);
    let due_on = calendar::office_days_after(today, ty.deadline_days, &closed);
    Ok((department, due_on))
}

/// The facility a case from a facility's page is about: one of the organization's, or refused.
async fn facility(
    app: &App,
    org: i64,
    errs: &mut FieldErrors,
    raw: &str,
) -> AppResult<Option<i64>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let found = match raw.trim().parse::<i64>() {
        Ok(id) => crate::reservations::facilities::get(&app.db, org, id).await?,
        Err(_) => None,
    };
    if found.is_none() {
        errs.add("facility", "field.bad_choice");
    }
    Ok(found.map(|f| f.id))
}

fn coordinate(errs: &mut FieldErrors, field: &str, raw: &str, limit: f64) -> Option<f64> {
    let v = errs.number(field, raw)?;
    if v.abs() > limit {
        errs.add(field, "case.bad_coordinate");
        return None;
    }
    Some(v)
}

/// Checks and stores a case of type `ty` sent by `who` (an account) or a guest.
pub async fn submit(
    app: &App,
    organization: &Organization,
    ty: &CaseType,
    who: Option<&Principal>,
    fields: &[(String, String)],
    contact: &Contact,
    files: Vec<Incoming>,
) -> AppResult<Receipt> {
    if !ty.open_to(who) {
        return Err(AppError::NotFound);
    }
    let org = organization.id;
    let form = form_of(app, org, ty).await?;
    // A refused file's message comes first: it says more than "required".
    let mut errs = FieldErrors::default();
    let (fields, ready) = super::files::prepare(&form, fields, files, &mut errs);
    let given = match answers::check(&form, &fields) {
        Ok(a) => a,
        Err(e) => {
            for problem in e.0 {
                errs.add(&problem.field, problem.message);
            }
            Vec::new()
        }
    };
    let ready = super::files::answered(ready, &given);
    let name = errs.optional_text("name", &contact.name, 100);
    let email = errs.email("email", &contact.email, false);
    let address = errs.optional_text("address", &contact.address, 200);
    let latitude = coordinate(&mut errs, "latitude", &contact.latitude, 90.0);
    let longitude = coordinate(&mut errs, "longitude", &contact.longitude, 180.0);
    if latitude.is_some() != longitude.is_some() {
        errs.add("longitude", "case.both_coordinates");
    }
    let facility = facility(app, org, &mut errs, &contact.facility).await?;
    errs.into_result()?;
    let consent = ty.publishable && contact.consent == "1";
    let today = crate::surveys::store::today();
    let today = NaiveDate::parse_from_str(&today, "%Y-%m-%d").map_err(anyhow::Error::from)?;
    let fy = kyodo_jp::FiscalYear::containing(today, organization.fiscal_year_start_month as u32).0;
    let (department, due_on) = route_and_deadline(app, org, ty, &given, today).await?;
    let pairs = readable(&form, &given);
    let answers_json = serde_json::to_string(&pairs).map_err(anyhow::Error::from)?;
    let access_key = crate::accounts::tokens::random_secret()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect::<String>();
    let id = crate::db::new_id();
    let received_at = crate::db::now();
    let category = category(&form, &given);

    let base = (!email.is_empty()).then(|| organization.base_url(&app.config.public_url));
    let backend = crate::db::backend_of(&app.config.database_url);
    let fiscal_year = i64::from(fy);
    let source = numbering::reserve(&app.db, backend, org, ty.id, fiscal_year).await?;
    // The files' bytes first; the transaction records them, and they go again if it fails.
    let file_ids = super::files::write(app, org, &ready).await?;
    let stored = async {
        let mut tx = app.begin_write().await?;
        let seq = numbering::take(source, &mut tx, org, ty.id, fiscal_year).await?;
        let number = numbering::number(fy, &ty.code, seq);
        sqlx::query(
            "INSERT INTO cases (organization_id, id, type_id, fiscal_year, seq, number, submitter_id, \
             guest_name, email, access_digest, subject, answers, category, address, latitude, longitude, \
             department_id, status, received_at, due_on, publish_consent, is_demo, facility_id, fee_yen, \
             payment_status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24, $25)",
        )
        .bind(org)
        .bind(id)
        .bind(ty.id)
        .bind(fiscal_year)
        .bind(seq)
        .bind(&number)
        .bind(who.map(|p| p.user_id))
        .bind(&name)
        .bind(&email)
        .bind(crate::accounts::tokens::digest(&access_key))
        .bind(subject(&form, &given, ty))
        .bind(&answers_json)
        .bind(&category)
        .bind(&address)
        .bind(crate::db::Real(latitude))
        .bind(crate::db::Real(longitude))
        .bind(department)
        .bind(RECEIVED)
        .bind(&received_at)
        .bind(due_on.to_string())
        .bind(i64::from(consent))
        .bind(i64::from(ty.is_demo))
        .bind(facility)
        .bind(ty.fee_yen)
        .bind(super::payment::initial_status(ty.fee_yen))
        .execute(&mut *tx)
        .await?;
        let uploader = who.map(|p| p.user_id);
        super::files::record(&mut tx, org, id, &ready, &file_ids, uploader).await?;
        let actor = who.map(|p| p.user_id);
        store::add_event(
            &mut tx,
            org,
            id,
            actor,
            "status",
            Some(("", RECEIVED)),
            department,
            "",
        )
        .await?;
        let audit_actor = who.map_or_else(Actor::guest, |p| Actor::user(p.user_id));
        audit::append(
            &mut tx,
            org,
            &audit_actor,
            Change {
                action: "cases.submit",
                target_type: "case",
                target_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "number": number, "type": ty.id })),
            },
        )
        .await?;
        if let Some(base) = &base {
            let body = format!(
                "{name}\n\n「{}」を受け付けました。/ We have received your {}.\n\n\
                 整理番号 / Number: {number}\nアクセスキー / Access key: {access_key}\n\n\
                 申請状況の確認 / Check its status:\n{base}/cases/status\n",
                ty.name, ty.name,
            );
            app.mailer
                .enqueue(
                    &mut tx,
                    org,
                    &email,
                    &format!("受付 {number} / Received"),
                    &body,
                )
                .await?;
        }
        // Last: the count's row is the one other submissions of the kind may wait for.
        let counted = super::tallies::Counted {
            case_id: id,
            type_id: ty.id,
            fiscal_year,
            received_at: &received_at,
            category: &category,
            department_id: department,
        };
        super::tallies::received(&mut tx, org, &counted, 1).await?;
        tx.commit().await?;
        Ok::<_, AppError>(number)
    }
    .await;
    let number = match stored {
        Ok(number) => number,
        Err(e) => {
            super::files::forget(app, org, &file_ids).await;
            return Err(e);
        }
    };
    app.mailer.wake();
    Ok(Receipt {
        case_id: id,
        number,
        access_key,
        due_on,
    })
}

/// The type's form, for showing it.
pub async fn form_of(app: &App, org: i64, ty: &CaseType) -> AppResult<Form> {
    let Some(id) = ty.form_survey_id else {
        return Err(AppError::NotFound);
    };
    crate::surveys::store::form(&app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The type if this visitor may use it.
pub async fn usable_type(
    app: &App,
    org: i64,
    id: i64,
    who: Option<&Principal>,
) -> AppResult<CaseType> {
    store::case_type(&app.db, org, id)
        .await?
        .filter(|t| t.open_to(who))
        .ok_or(AppError::NotFound)
}
