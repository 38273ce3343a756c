//! Demonstration councils (marked as such): one that meets every target, one below its women's
//! target with a term about to end, and one with a member past ten years in office — so the
//! public table and the HQ's dashboard show what they are for after the quick start.

use super::bodies::{self, BodyForm};
use super::meetings::{self, MeetingForm, MinutesForm};
use super::members::{self, MemberForm};
use crate::app::App;
use chrono::{Duration, NaiveDate};

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// (name, kana, gender, occupation, category, role)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const REFORM: [Person; 6] = [
    (
        "会津 花子",
        "あいづ はなこ",
        "female",
        "大学教授",
        "academic",
        "chair",
    ),
    (
        "鶴ヶ城 一郎",
        "つるがじょう いちろう",
        "male",
        "商工会議所 理事",
        "recommended",
        "vice",
    ),
    (
        "猪苗代 和子",
        "いなわしろ かずこ",
        "female",
        "会社員",
        "public",
        "member",
    ),
    (
        "磐梯 次郎",
        "ばんだい じろう",
        "male",
        "自営業",
        "public",
        "member",
    ),
    (
        "若松 幸子",
        "わかまつ さちこ",
        "female",
        "NPO 代表",
        "recommended",
        "member",
    ),
    (
        "喜多方 三郎",
        "きたかた さぶろう",
        "male",
        "税理士",
        "academic",
        "member",
    ),
];

const PLANNING: [Person; 5] = [
    (
        "只見 四郎",
        "ただみ しろう",
        "male",
        "建築士",
        "academic",
        "chair",
    ),
    (
        "鶴ヶ城 一郎",
        "つるがじょう いちろう",
        "male",
        "商工会議所 理事",
        "recommended",
        "member",
    ),
    (
        "大内 五郎",
        "おおうち ごろう",
        "male",
        "県土木事務所長",
        "agency",
        "member",
    ),
    (
        "湯川 美香",
        "ゆがわ みか",
        "female",
        "弁護士",
        "academic",
        "member",
    ),
    (
        "河東 六郎",
        "かわひがし ろくろう",
        "male",
        "農業委員",
        "recommended",
        "member",
    ),
];

const FORUM: [Person; 3] = [
    (
        "北会津 桜",
        "きたあいづ さくら",
        "female",
        "元高校教諭",
        "academic",
        "chair",
    ),
    (
        "鶴ヶ城 一郎",
        "つるがじょう いちろう",
        "male",
        "商工会議所 理事",
        "recommended",
        "member",
    ),
    (
        "門田 七海",
        "もんでん ななみ",
        "female",
        "学生",
        "public",
        "member",
    ),
];

/// Adds the demonstration councils once.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM cn_bodies WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&app.db)
            .await?;
    if existing > 0 {
        return Ok(());
    }
    let hq: i64 = sqlx::query_scalar(
        "SELECT id FROM users WHERE organization_id = $1 AND email = 'hq@demo.kyodo.jp'",
    )
    .bind(org)
    .fetch_one(&app.db)
    .await?;
    let dept: Option<i64> = sqlx::query_scalar(
        "SELECT department_id FROM users WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(hq)
    .fetch_optional(&app.db)
    .await?
    .flatten();
    let today = super::super::participation::today();
    let bodies = [
        (
            "行政改革推進委員会(デモ)",
            "ordinance",
            "会津若松市行政改革推進委員会条例",
            "行政改革の推進と実施計画の進行管理について審議する。",
            15,
            "",
            &REFORM[..],
            today - Duration::days(200),
            2,
        ),
        (
            "都市計画審議会(デモ)",
            "ordinance",
            "都市計画法第77条の2",
            "都市計画に関する事項を調査審議する。",
            20,
            "専門的な知識を要するため(デモ)",
            &PLANNING[..],
            today + Duration::days(60) - Duration::days(730),
            2,
        ),
        (
            "男女共同参画懇話会(デモ)",
            "guideline",
            "会津若松市男女共同参画懇話会設置要綱",
            "男女共同参画の推進について意見を聴く。",
            10,
            "",
            &FORUM[..],
            today - Duration::days(100),
            2,
        ),
    ];
    let mut first_body = None;
    for (name, kind, basis, purpose, max, reason, people, appointed, years) in bodies {
        let id = bodies::create(
            app,
            org,
            hq,
            &BodyForm {
                name: name.into(),
                kind: kind.into(),
                basis: basis.into(),
                purpose: purpose.into(),
                department_id: dept.map(|d| d.to_string()).unwrap_or_default(),
                term_years: years.to_string(),
                max_members: max.to_string(),
                meetings_public: "1".into(),
                no_public_reason: reason.into(),
            },
        )
        .await?;
        first_body.get_or_insert(id);
        sqlx::query("UPDATE cn_bodies SET is_demo = 1 WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&app.db)
            .await?;
        for (i, (pname, kana, gender, occupation, category, role)) in people.iter().enumerate() {
            // The forum's chair has served since long before: twelve years, through reappointments.
            let first = if name.starts_with("男女") && i == 0 {
                appointed - Duration::days(365 * 12)
            } else {
                appointed
            };
            members::appoint(
                app,
                org,
                hq,
                id,
                &MemberForm {
                    name: (*pname).into(),
                    kana: (*kana).into(),
                    gender: (*gender).into(),
                    occupation: (*occupation).into(),
                    category: (*category).into(),
                    role: (*role).into(),
                    appointed_on: iso(appointed),
                    term_ends_on: iso(
                        appointed + chrono::Months::new(12 * years) - Duration::days(1)
                    ),
                    first_appointed_on: iso(first),
                    name_public: "1".into(),
                },
            )
            .await?;
        }
    }
    // The reform committee: a past meeting with its minutes and the next one open to observers
    // (two seats, so a third registration goes to the waiting list).
    if let Some(body) = first_body {
        // The reform committee follows the plan up as the demo's 行政改革推進委員会.
        let committee: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM committees WHERE organization_id = $1 AND name = '行政改革推進委員会(デモ)'",
        )
        .bind(org)
        .fetch_optional(&app.db)
        .await?;
        if let Some(c) = committee {
            super::follow_up::link(app, org, hq, body, &c.to_string()).await?;
        }
        let meeting = |days: i64, agenda: &str, capacity: &str| MeetingForm {
            held_on: iso(today + Duration::days(days)),
            starts_at: "14:00".into(),
            place: "市役所本庁舎 第1委員会室(デモ)".into(),
            agenda: agenda.into(),
            is_public: "1".into(),
            closed_reason: String::new(),
            capacity: capacity.into(),
        };
        let past = meetings::announce(
            app,
            org,
            hq,
            body,
            &meeting(-30, "実施計画の進捗状況について", "10"),
        )
        .await?;
        meetings::record_minutes(
            app,
            org,
            hq,
            past,
            &MinutesForm {
                attendees: "委員: 会津 花子(会長)、鶴ヶ城 一郎、猪苗代 和子、磐梯 次郎、若松 幸子\n事務局: 行政改革推進グループ".into(),
                absentees: "喜多方 三郎".into(),
                documents: "資料1 実施計画の進捗状況(デモ)".into(),
                result: "進捗状況の報告を受け、委員から意見が出された。次回は外部評価の進め方を審議する。".into(),
                observer_count: "2".into(),
            },
        )
        .await?;
        meetings::announce(
            app,
            org,
            hq,
            body,
            &meeting(14, "外部評価の進め方について", "2"),
        )
        .await?;
        super::recruitment::open(
            app,
            org,
            hq,
            body,
            &super::recruitment::CallForm {
                conditions: "市内在住・在勤・在学の18歳以上の方。作文「市民協働で変えたいこと」(800字程度)。(デモ)".into(),
                seats: "2".into(),
                opens_on: iso(today - Duration::days(3)),
                closes_on: iso(today + Duration::days(20)),
            },
        )
        .await?;
    }
    Ok(())
}
