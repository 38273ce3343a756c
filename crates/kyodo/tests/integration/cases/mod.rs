//! 窓口 (the case desk) on both databases: a guest's case from the form to the published answer,
//! look-up by number and key (rate-limited, never telling which was wrong), routing, deadlines over
//! holidays, transfer, merge, bulk changes, numbering under concurrent submissions and the
//! restricted type only the HQ sees.

mod desk;
mod export;
mod files;
mod kinds;
mod links;
mod open311;
mod proposals;
mod replies;
mod setup;
mod work;

pub use super::support::*;

/// The demo's 市民の声 type and its form's question ids (種別, 分野, 件名, 内容) and option ids by label.
pub struct Voice {
    pub type_id: i64,
    pub q: [i64; 4],
    pub options: Vec<(String, i64)>,
}

impl Voice {
    pub async fn of(t: &TestApp) -> Voice {
        let org = t.demo_org().await;
        let (type_id, survey): (i64, i64) = sqlx::query_as(
            "SELECT id, form_survey_id FROM case_types WHERE organization_id = $1 AND code = '市民の声'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let qs: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM survey_questions WHERE organization_id = $1 AND survey_id = $2 ORDER BY position",
        )
        .bind(org)
        .bind(survey)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let options: Vec<(String, i64)> = sqlx::query_as(
            "SELECT o.label, o.id FROM survey_options o JOIN survey_questions q ON q.organization_id = o.organization_id \
             AND q.id = o.question_id WHERE o.organization_id = $1 AND q.survey_id = $2",
        )
        .bind(org)
        .bind(survey)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        Voice {
            type_id,
            q: [qs[0].0, qs[1].0, qs[2].0, qs[3].0],
            options,
        }
    }

    fn option(&self, label: &str) -> String {
        self.options
            .iter()
            .find(|o| o.0 == label)
            .unwrap()
            .1
            .to_string()
    }

    /// The form's fields for a case of this kind, area, subject and body.
    pub fn fields(
        &self,
        kind: &str,
        area: &str,
        subject: &str,
        body: &str,
    ) -> Vec<(String, String)> {
        vec![
            (format!("q{}", self.q[0]), self.option(kind)),
            (format!("q{}", self.q[1]), self.option(area)),
            (format!("q{}", self.q[2]), subject.to_string()),
            (format!("q{}", self.q[3]), body.to_string()),
        ]
    }
}

/// Sends a case through the desk's form and returns (case id, number, access key) from the receipt.
pub async fn send(
    t: &TestApp,
    c: &mut Client,
    v: &Voice,
    fields: Vec<(String, String)>,
) -> (i64, String, String) {
    let res = c
        .post_owned(&format!("/cases/types/{}", v.type_id), &fields)
        .await;
    receipt(t, &res).await
}

/// The (case id, number, access key) of a receipt page.
pub async fn receipt(t: &TestApp, res: &Res) -> (i64, String, String) {
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.body);
    let between = |start: &str, end: &str| {
        let from = res.body.find(start).unwrap() + start.len();
        res.body[from..from + res.body[from..].find(end).unwrap()].to_string()
    };
    let number = between("id=\"case-number\">", "<");
    let key = between("id=\"case-key\"><code>", "<");
    let id = sqlx::query_scalar("SELECT id FROM cases WHERE organization_id = $1 AND number = $2")
        .bind(t.demo_org().await)
        .bind(&number)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    (id, number, key)
}

pub async fn status_of(t: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM cases WHERE organization_id = $1 AND id = $2")
        .bind(t.demo_org().await)
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}
