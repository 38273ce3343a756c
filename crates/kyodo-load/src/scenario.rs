//! What each session does, request by request.

use crate::client::{Client, Error};
use crate::stats::Stats;
use crate::{Mix, Targets};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;

#[derive(Clone, Copy)]
pub enum Role {
    Visitor,
    /// Sends cases through the desk's form without an account.
    Guest,
    Citizen,
    Staff,
}

pub fn role(mix: Mix, session: usize) -> Role {
    match (mix, session % 4) {
        (Mix::Staff, _) => Role::Staff,
        (Mix::Soak, 0 | 1) => Role::Visitor,
        (Mix::Soak, 2) => Role::Citizen,
        (Mix::Soak, _) => Role::Staff,
        (Mix::Cases, _) => Role::Guest,
    }
}

/// One step of a role's cycle: a kind (for the statistics), the request, the status expected.
enum Step {
    Get(&'static str, String),
    Post(&'static str, String, Vec<(&'static str, String)>),
    /// A form answered with its page (200), not a redirect: the desk's receipt.
    Send(&'static str, String, Vec<(String, String)>),
}

fn cycle(role: Role, n: usize, t: &Targets, session: usize) -> Vec<Step> {
    use Step::*;
    let plan = &t.plan;
    let any_item = &t.items[(session + n) % t.items.len()];
    match role {
        Role::Visitor => vec![
            Get("public home", "/".into()),
            Get("public plan", format!("/plans/{plan}")),
            Get("public item", format!("/plans/items/{any_item}")),
        ],
        Role::Guest => match &t.case_form {
            Some((path, fields)) => vec![Send("case submit", path.clone(), fields.clone())],
            None => Vec::new(),
        },
        Role::Citizen => vec![
            Get("citizen item", format!("/plans/items/{any_item}")),
            Post(
                "citizen comment",
                format!("/plans/items/{any_item}/comments"),
                vec![("body", format!("負荷試験のコメント {session}-{n}"))],
            ),
        ],
        Role::Staff => {
            let (item, period) = &t.pairs[session % t.pairs.len()];
            let report = format!("/plans/items/{item}/report");
            let fields = |n: usize| {
                vec![
                    ("period", period.clone()),
                    ("progress", "in_progress".to_string()),
                    ("rating", "A".to_string()),
                    ("did", format!("負荷試験の下書き {session}-{n}")),
                    ("evaluation", "評価".to_string()),
                    ("next_steps", "次の取組".to_string()),
                ]
            };
            vec![
                Get("staff dashboard", format!("/hq/plans/{plan}")),
                Get("staff work list", "/staff/reports".into()),
                Get("staff report form", format!("{report}?period={period}")),
                Post("staff save draft", report.clone(), fields(n)),
                Get("staff plan page", format!("/plans/{plan}")),
                Post("staff save draft", report.clone(), fields(n + 1)),
                Get("staff dashboard", format!("/hq/plans/{plan}")),
                Post("staff submit", format!("{report}/submit"), fields(n + 2)),
                Post(
                    "staff return",
                    format!("{report}/review/return"),
                    vec![
                        ("period", period.clone()),
                        ("comment", "負荷試験の差戻し".into()),
                    ],
                ),
            ]
        }
    }
}

pub async fn session(
    addr: SocketAddr,
    password: &str,
    role: Role,
    session: usize,
    t: &Targets,
    ready: &Barrier,
    duration: Duration,
) -> Stats {
    let mut stats = Stats::default();
    let mut c = Client::new(addr);
    let account = match role {
        Role::Visitor | Role::Guest => None,
        Role::Citizen => Some("citizen@demo.kyodo.jp"),
        Role::Staff => Some("hq@demo.kyodo.jp"),
    };
    let signed_in = match (account, &t.case_form) {
        (Some(email), _) => c.login(email, password).await,
        (None, Some((form, _))) if matches!(role, Role::Guest) => {
            c.open_form(form).await.map(|_| ())
        }
        (None, None) if matches!(role, Role::Guest) => Err("the desk has no form (/cases)".into()),
        (None, _) => Ok(()),
    };
    ready.wait().await;
    if let Err(e) = signed_in {
        stats.error(e.to_string());
        return stats;
    }
    let deadline = Instant::now() + duration;
    let mut n = 0;
    while Instant::now() < deadline {
        for step in cycle(role, n, t, session) {
            if Instant::now() >= deadline {
                break;
            }
            let start = Instant::now();
            let mut comment = None;
            let (kind, result, expected): (_, Result<_, Error>, u16) = match step {
                Step::Get(kind, path) => (kind, c.get(&path).await, 200),
                Step::Send(kind, path, fields) => {
                    let fields: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    (kind, c.post(&path, &fields).await, 200)
                }
                Step::Post(kind, path, fields) => {
                    if kind == "citizen comment" {
                        comment = fields
                            .iter()
                            .find(|(k, _)| *k == "body")
                            .map(|f| f.1.clone());
                    }
                    let fields: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    // Every successful form answers 303 (Post/Redirect/Get).
                    (kind, c.post(&path, &fields).await, 303)
                }
            };
            match result {
                Ok(r) if r.status == expected => {
                    stats.record(kind, start.elapsed());
                    stats.acknowledged.extend(comment);
                }
                Ok(r) => stats.error(format!("{kind}: status {} (expected {expected})", r.status)),
                Err(e) => stats.error(format!("{kind}: {e}")),
            }
        }
        n += 3;
    }
    stats
}
