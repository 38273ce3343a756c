//! What a search page shows of long speeches: the first hit of any term with ±40 characters, every
//! hit in it marked (one running over the snippet's end marked as far as shown), "…" where the
//! speech goes on; a speech that is not its own normal form (full-width letters) is found and
//! marked through normalisation.

use super::*;
use kyodo::minutes::snippet;
use kyodo::minutes::store::{NewMeeting, NewSpeech};

fn speeches() -> Vec<String> {
    let r = |c: &str, n: usize| c.repeat(n);
    vec![
        // Deep in a long speech, a second hit inside the snippet and a third far after it.
        format!(
            "{}財政の話。{}財政{}財政{}",
            r("あ", 3000),
            r("い", 20),
            r("う", 200),
            r("え", 3000)
        ),
        // The other term of an OR first.
        format!("{}防災{}財政{}", r("お", 500), r("か", 30), r("き", 500)),
        // At the very start and the very end; near the start (the window clamped).
        format!("財政{}", r("く", 100)),
        format!("{}財政", r("け", 100)),
        format!("{}財政{}", r("こ", 38), r("さ", 38)),
        // Not its own normal form (ＡＢＣ): read whole, found through normalisation.
        format!("ＡＢＣ{}財政{}abc", r("し", 2000), r("す", 50)),
        // A hit just past the snippet's end runs over the window's edge.
        format!("{}防災{}財政財政{}", r("せ", 10), r("そ", 39), r("た", 10)),
    ]
}

fn kwic(text: &str, terms: &[&str]) -> String {
    let (pieces, before, after) = snippet::snippet(text, terms);
    let body: String = pieces
        .iter()
        .map(|(p, hit)| {
            if *hit {
                format!("<mark>{p}</mark>")
            } else {
                p.clone()
            }
        })
        .collect();
    let dots = |b: bool| if b { "…" } else { "" };
    format!(
        "<p class=\"kwic\">{}{body}{}</p>",
        dots(before),
        dots(after)
    )
}

#[tokio::test]
async fn a_search_page_shows_the_snippet_of_the_whole_speech() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let texts = speeches();
        let meeting = NewMeeting {
            source_key: "test:snippets".into(),
            body: "窓枠特別委員会".into(),
            kind: "council".into(),
            held_on: "2025-09-10".into(),
            title: "窓枠特別委員会".into(),
            speeches: texts
                .iter()
                .map(|text| NewSpeech {
                    speaker_raw: "委員（窓枠一郎君）".into(),
                    speaker: "窓枠一郎".into(),
                    position: "委員".into(),
                    text: text.clone(),
                    ..NewSpeech::default()
                })
                .collect(),
            ..NewMeeting::default()
        };
        let actor = kyodo::audit::Actor::cli("test");
        kyodo::minutes::import::apply(&t.app, org, &actor, vec![meeting], &mut |_| {})
            .await
            .unwrap();
        let mut c = t.client();
        let body = |query: &str| format!("q={}&body={}", q(query), q("窓枠特別委員会"));
        for (query, terms) in [
            ("財政", vec!["財政"]),
            ("財政 OR 防災", vec!["財政", "防災"]),
            ("abc 財政", vec!["abc", "財政"]),
        ] {
            let page = c.get(&format!("/minutes?{}", body(query))).await;
            assert_eq!(page.status, StatusCode::OK);
            let expected: Vec<String> = texts
                .iter()
                .filter(|text| {
                    let n = normalize(text);
                    terms.iter().all(|t| n.contains(t))
                        || (query.contains("OR") && terms.iter().any(|t| n.contains(t)))
                })
                .map(|text| kwic(text, &terms))
                .collect();
            assert!(!expected.is_empty());
            for k in &expected {
                assert!(
                    page.body.contains(k.as_str()),
                    "{query}: {k}\n{}",
                    page.body
                );
            }
            assert_eq!(
                page.body.matches("<p class=\"kwic\">").count(),
                expected.len(),
                "{query}"
            );
        }
        // Filters only: the first 80 characters of each speech.
        let page = c
            .get(&format!(
                "/minutes?speaker={}&body={}",
                q("窓枠"),
                q("窓枠特別委員会")
            ))
            .await;
        for text in &texts {
            let start: String = text.chars().take(2 * snippet::CONTEXT).collect();
            let dots = if text.chars().count() > 2 * snippet::CONTEXT {
                "…"
            } else {
                ""
            };
            let k = format!("<p class=\"kwic\">{start}{dots}</p>");
            assert!(page.body.contains(&k), "{k}\n{}", page.body);
        }
        t
    })
    .await;
}
