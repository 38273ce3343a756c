//! 添付ファイル of a case: the files sent with the form (its file questions) and those staff add
//! later (a permit, a map). They are documents of the case (`files::documents`, owner `case`),
//! seen by the submitter on 申請状況の確認 and by the staff who may read the case — never by
//! `/documents/{id}`, never by the public.
//!
//! A sent file is checked like every upload (type, size, and that its bytes are what its name
//! says), its bytes written before the transaction that stores the case, and removed again if
//! that transaction does not commit.

use crate::app::App;
use crate::error::AppResult;
use crate::files::documents::{self, Document, NewDocument, Owner};
use crate::files::{self, CASE_FILE_TYPES, Checked, Incoming};
use crate::surveys::answers::{self, Answer};
use crate::surveys::store::{Form, Kind};
use crate::validation::FieldErrors;

/// A sent file that passed the checks, waiting to be stored with its case.
pub struct Ready {
    question_id: i64,
    title: String,
    file: Checked,
    bytes: Vec<u8>,
}

/// Puts each file question's file in the question's field (as its checked name, replacing
/// anything typed there) and returns the fields and the files to store. A refused file's message
/// goes beside its question.
pub fn prepare(
    form: &Form,
    fields: &[(String, String)],
    incoming: Vec<Incoming>,
    errs: &mut FieldErrors,
) -> (Vec<(String, String)>, Vec<Ready>) {
    let file_questions: Vec<_> = form
        .questions
        .iter()
        .filter(|q| q.kind == Kind::File)
        .map(|q| (answers::field(q.id()), q))
        .collect();
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !file_questions.iter().any(|(name, _)| name == k))
        .cloned()
        .collect();
    let mut ready = Vec::new();
    for f in incoming {
        let Some((name, q)) = file_questions.iter().find(|(name, _)| *name == f.field) else {
            continue;
        };
        if ready.iter().any(|r: &Ready| r.question_id == q.id()) {
            continue; // one file per question
        }
        if let Some(file) = files::check_among(errs, name, &f.filename, &f.bytes, &CASE_FILE_TYPES)
        {
            out.push((name.clone(), file.name.clone()));
            ready.push(Ready {
                question_id: q.id(),
                title: q.row.label.chars().take(200).collect(),
                file,
                bytes: f.bytes,
            });
        }
    }
    (out, ready)
}

/// A file sent with the submitter's reply (field `reply_file`): checked like a form's file.
pub fn from_reply(incoming: Incoming, errs: &mut FieldErrors) -> Option<Ready> {
    let file = files::check_among(
        errs,
        "reply_file",
        &incoming.filename,
        &incoming.bytes,
        &CASE_FILE_TYPES,
    )?;
    Some(Ready {
        question_id: 0,
        title: file.name.clone(),
        file,
        bytes: incoming.bytes,
    })
}

/// The files whose questions were answered (a question hidden by its condition sends nothing).
pub fn answered(ready: Vec<Ready>, given: &[Answer]) -> Vec<Ready> {
    ready
        .into_iter()
        .filter(|r| given.iter().any(|a| a.question_id == r.question_id))
        .collect()
}

/// Writes the files' bytes before the transaction that records them; returns their ids. A
/// failure removes what was written.
pub async fn write(app: &App, org: i64, ready: &[Ready]) -> AppResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(ready.len());
    for r in ready {
        let id = crate::db::new_id();
        if let Err(e) = files::store(app, org, id, &r.bytes).await {
            forget(app, org, &ids).await;
            return Err(e);
        }
        ids.push(id);
    }
    Ok(ids)
}

/// Records the written files as the case's documents, inside the caller's transaction.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    case_id: i64,
    ready: &[Ready],
    ids: &[i64],
    uploaded_by: Option<i64>,
) -> sqlx::Result<()> {
    for (r, id) in ready.iter().zip(ids) {
        let new = NewDocument {
            id: *id,
            owner: Owner::Case(case_id),
            title: &r.title,
            file: &r.file,
            size: r.bytes.len(),
            uploaded_by,
        };
        documents::insert(conn, org, new).await?;
    }
    Ok(())
}

/// Removes written files whose case was not stored.
pub async fn forget(app: &App, org: i64, ids: &[i64]) {
    for id in ids {
        files::remove(app, org, *id).await;
    }
}

/// The case's files, oldest first.
pub async fn of_case(db: &crate::db::Db, org: i64, case_id: i64) -> sqlx::Result<Vec<Document>> {
    documents::of_owner(db, org, Owner::Case(case_id)).await
}

/// One file of the case, with its bytes; `None` when the id is not one of this case's files.
pub async fn read(
    app: &App,
    org: i64,
    case_id: i64,
    document: i64,
) -> AppResult<Option<(Document, Vec<u8>)>> {
    let Some(d) = documents::get(&app.db, org, document)
        .await?
        .filter(|d| d.owner() == Some(Owner::Case(case_id)))
    else {
        return Ok(None);
    };
    let bytes = files::read(app, org, d.id).await?;
    Ok(Some((d, bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::fixtures::{fields, form, question};

    fn incoming(field: &str, filename: &str, bytes: &[u8]) -> Incoming {
        Incoming {
            field: field.into(),
            filename: filename.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn each_file_question_takes_its_checked_file_and_nothing_typed() {
        let mut shown_if = question(3, Kind::File, false, &[]);
        shown_if.row.show_if_question_id = Some(1);
        shown_if.row.show_if_option_id = Some(12);
        let f = form(
            vec![
                question(1, Kind::Single, true, &[11, 12]),
                question(2, Kind::File, true, &[]),
                shown_if,
            ],
            Vec::new(),
        );
        let posted = fields(&[("q1", "11"), ("q2", "/etc/passwd"), ("q3", "x")]);
        let files = vec![
            incoming("q2", "dir/申請書.pdf", b"%PDF-1.7"),
            incoming("q2", "second.pdf", b"%PDF-1.7"),
            incoming("q3", "hidden.png", b"\x89PNG\r\n\x1a\n"),
            incoming("q9", "stray.pdf", b"%PDF-1.7"),
        ];
        let mut errs = FieldErrors::default();
        let (out, ready) = prepare(&f, &posted, files, &mut errs);
        assert!(errs.is_empty());
        assert_eq!(
            out,
            fields(&[("q1", "11"), ("q2", "申請書.pdf"), ("q3", "hidden.png")])
        );
        assert_eq!(
            ready.len(),
            2,
            "one file per question; none for other fields"
        );
        // q3 is hidden (its condition wants option 12): its file is not kept.
        let given = answers::check(&f, &out).expect("valid");
        let kept = answered(ready, &given);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].question_id, kept[0].file.name.as_str()),
            (2, "申請書.pdf")
        );

        // A refused file: its message beside the question, and the question unanswered.
        let mut errs = FieldErrors::default();
        let bad = vec![incoming("q2", "申請書.pdf", b"MZ")];
        let (out, ready) = prepare(&f, &posted, bad, &mut errs);
        assert!(ready.is_empty() && !out.iter().any(|(k, _)| k == "q2"));
        assert_eq!(errs.get("q2"), Some("attachment.not_what_it_says"));
    }
}
