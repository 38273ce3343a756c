//! 関連資料 — documents attached to a consultation (the draft's related PDFs), a council meeting
//! (配布資料) or an application to a call for members (an essay sent as a file). Who may see one
//! follows what it belongs to: a consultation's are public with it, a meeting's when the meeting is
//! public, an application's only to the HQ, a procedure's forms (様式) with the procedure.

use super::Checked;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;

/// What a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Consultation(i64),
    CouncilMeeting(i64),
    CouncilApplication(i64),
    /// 電子申請: a procedure's forms to download (様式).
    CaseType(i64),
    /// 窓口: a file sent with a case, or added to it by staff (the submitter and the case's staff
    /// only; served by the case's own pages, never by `/documents/{id}`).
    Case(i64),
}

impl Owner {
    pub fn kind(self) -> &'static str {
        match self {
            Owner::Consultation(_) => "consultation",
            Owner::CouncilMeeting(_) => "council_meeting",
            Owner::CouncilApplication(_) => "council_application",
            Owner::CaseType(_) => "case_type",
            Owner::Case(_) => "case",
        }
    }
    pub fn id(self) -> i64 {
        match self {
            Owner::Consultation(id)
            | Owner::CouncilMeeting(id)
            | Owner::CouncilApplication(id)
            | Owner::CaseType(id)
            | Owner::Case(id) => id,
        }
    }
    pub fn from_parts(kind: &str, id: i64) -> Option<Owner> {
        Some(match kind {
            "consultation" => Owner::Consultation(id),
            "council_meeting" => Owner::CouncilMeeting(id),
            "council_application" => Owner::CouncilApplication(id),
            "case_type" => Owner::CaseType(id),
            "case" => Owner::Case(id),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: String,
    /// `None`: someone without an account (a guest's case file, an applicant's essay).
    pub uploaded_by: Option<i64>,
}

impl Document {
    pub fn owner(&self) -> Option<Owner> {
        Owner::from_parts(&self.owner_kind, self.owner_id)
    }
    /// The size as people read it (KB under a megabyte, else MB with one decimal).
    pub fn size_label(&self) -> String {
        if self.size_bytes < 1024 * 1024 {
            format!("{} KB", (self.size_bytes + 1023) / 1024)
        } else {
            format!("{:.1} MB", self.size_bytes as f64 / (1024.0 * 1024.0))
        }
    }
}

const COLUMNS: &str = "d.id, d.owner_kind, d.owner_id, d.title, d.filename, d.content_type, d.size_bytes, d.created_at, d.uploaded_by";

/// A stored file to record as a document.
pub struct NewDocument<'a> {
    pub id: i64,
    pub owner: Owner,
    pub title: &'a str,
    pub file: &'a Checked,
    pub size: usize,
    /// `None`: someone without an account (an applicant).
    pub uploaded_by: Option<i64>,
}

/// Records a stored file as a document inside the caller's transaction (the bytes written with
/// [`super::store`] first).
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    d: NewDocument<'_>,
) -> sqlx::Result<()> {
    let NewDocument {
        id,
        owner,
        title,
        file,
        size,
        uploaded_by,
    } = d;
    sqlx::query(
        "INSERT INTO documents (organization_id, id, owner_kind, owner_id, title, filename, content_type, size_bytes, sha256, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(org)
    .bind(id)
    .bind(owner.kind())
    .bind(owner.id())
    .bind(title)
    .bind(&file.name)
    .bind(file.content_type)
    .bind(size as i64)
    .bind(&file.sha256)
    .bind(uploaded_by)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Attaches a file to `owner` (which the caller has found in this organization). The title
/// defaults to the file's name.
pub async fn add(
    app: &App,
    org: i64,
    actor: i64,
    owner: Owner,
    title: &str,
    filename: &str,
    bytes: &[u8],
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let title = errs.optional_text("document_title", title, 200);
    let file = super::check(&mut errs, "document", filename, bytes);
    errs.into_result()?;
    let Some(file) = file else {
        return Err(AppError::BadRequest("error.bad_form"));
    };
    let title = if title.is_empty() {
        file.name.clone()
    } else {
        title
    };
    let id = new_id();
    super::store(app, org, id, bytes).await?;
    let mut tx = app.begin_write().await?;
    let new = NewDocument {
        id,
        owner,
        title: &title,
        file: &file,
        size: bytes.len(),
        uploaded_by: Some(actor),
    };
    insert(&mut tx, org, new).await?;
    let change = Change {
        action: "document.add",
        target_type: owner.kind(),
        target_id: owner.id().to_string(),
        before: None,
        after: Some(serde_json::json!({
            "document": id, "title": title, "filename": file.name,
            "size": bytes.len(), "sha256": file.sha256,
        })),
    };
    if let Err(e) = audit::record_and_commit(tx, org, &Actor::user(actor), change).await {
        super::remove(app, org, id).await;
        return Err(e.into());
    }
    Ok(id)
}

pub async fn of_owner(db: &Db, org: i64, owner: Owner) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM documents d WHERE d.organization_id = $1 AND d.owner_kind = $2 AND d.owner_id = $3 ORDER BY d.created_at, d.id"
    )))
    .bind(org)
    .bind(owner.kind())
    .bind(owner.id())
    .fetch_all(db)
    .await
}

/// Every document of one kind of owner in the organization (a catalogue's forms, in one query).
pub async fn of_owner_kind(db: &Db, org: i64, kind: &str) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM documents d WHERE d.organization_id = $1 AND d.owner_kind = $2 ORDER BY d.owner_id, d.created_at, d.id"
    )))
    .bind(org)
    .bind(kind)
    .fetch_all(db)
    .await
}

/// The essays sent as files with the applications to a call (one query for the whole list).
pub async fn of_call_applications(db: &Db, org: i64, call: i64) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM documents d JOIN cn_applications a ON a.organization_id = d.organization_id AND a.id = d.owner_id \
         WHERE d.organization_id = $1 AND d.owner_kind = 'council_application' AND a.call_id = $2 ORDER BY d.created_at"
    )))
    .bind(org)
    .bind(call)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Document>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM documents d WHERE d.organization_id = $1 AND d.id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Whether anyone may download the document: a consultation's always (the consultation is public
/// from the day it is announced), a meeting's when the meeting is public, a procedure's forms when
/// the procedure is open to citizens (public or signed-in), an application's never.
pub async fn is_public(db: &Db, org: i64, d: &Document) -> sqlx::Result<bool> {
    Ok(match d.owner() {
        Some(Owner::Consultation(_)) => true,
        Some(Owner::CouncilMeeting(m)) => crate::councils::meetings::get(db, org, m)
            .await?
            .is_some_and(|m| m.is_public),
        Some(Owner::CaseType(t)) => crate::cases::store::case_type(db, org, t)
            .await?
            .is_some_and(|t| {
                t.audience == crate::cases::audience::PUBLIC
                    || t.audience == crate::cases::audience::SIGNED_IN
            }),
        Some(Owner::CouncilApplication(_) | Owner::Case(_)) | None => false,
    })
}

/// Removes a document (its row, audited, then its bytes).
pub async fn remove(app: &App, org: i64, actor: i64, d: &Document) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    sqlx::query("DELETE FROM documents WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(d.id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "document.remove",
        target_type: "document",
        target_id: d.id.to_string(),
        before: Some(serde_json::json!({
            "owner": d.owner_kind, "owner_id": d.owner_id, "title": d.title, "filename": d.filename,
        })),
        after: None,
    };
    audit::record_and_commit(tx, org, &Actor::user(actor), change).await?;
    super::remove(app, org, d.id).await;
    Ok(())
}
