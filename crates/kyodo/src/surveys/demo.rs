//! Demonstration surveys: an open public questionnaire to answer, and two closed yearly waves of a
//! 市民意識調査 (importance × satisfaction of the seed plan's eight areas) with generated responses,
//! so a new user sees the portfolio and the trend right after the Quick start. Titles say デモ.

use super::answers::Answer;
use super::responses;
use super::survey_writes::{self, NewQuestion, NewSurvey};
use super::tallies::{self, Key};
use crate::app::App;
use std::collections::BTreeMap;

pub const SERIES: &str = "ishiki-chosa";
const AGES: &[&str] = &["10・20代", "30代", "40代", "50代", "60代", "70代以上"];
const DISTRICTS: &[&str] = &[
    "鶴城",
    "城北",
    "行仁",
    "謹教",
    "日新",
    "一箕",
    "北会津",
    "河東",
];

/// Small deterministic generator (xorshift), so the demo looks the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A 1–5 level around `mean` (e.g. 3.6), or None for about 4 % (無回答).
    fn level(&mut self, mean: f64) -> Option<i64> {
        if self.below(25) == 0 {
            return None;
        }
        let noise =
            (self.below(1000) as f64 / 1000.0 + self.below(1000) as f64 / 1000.0 - 1.0) * 2.2;
        Some((mean + noise).round().clamp(1.0, 5.0) as i64)
    }
}

/// Adds the demo surveys once (safe to run twice). `areas` = (node id, number, title) of the plan's areas.
pub async fn load(app: &App, org: i64, areas: &[(i64, String, String)]) -> anyhow::Result<()> {
    let exists: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM surveys WHERE organization_id = $1 AND is_demo = 1")
            .bind(org)
            .fetch_optional(&app.db)
            .await?;
    if exists.is_some() {
        return Ok(());
    }
    let mut tx = app.begin_write().await?;
    public_survey(&mut tx, org).await?;
    for (wave, year) in [(0u64, 2010), (1, 2011)] {
        citizen_survey(&mut tx, org, areas, wave, year).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn public_survey(tx: &mut sqlx::AnyConnection, org: i64) -> sqlx::Result<()> {
    let id = survey_writes::insert_survey(
        tx,
        org,
        &NewSurvey {
            title: "(デモ)市民協働の取組についてのアンケート",
            description: "市民と市が協働して進める行財政改革について、ご意見をお聞かせください。匿名で回答でき、回答者を特定する情報は保存しません。(デモデータです)",
            audience: "public",
            status: "open",
            fiscal_year: 2026,
            series: "",
            is_demo: true,
        },
    )
    .await?;
    let q = |kind, label, required| NewQuestion {
        kind,
        label,
        required,
        ..NewQuestion::default()
    };
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            attribute: true,
            options: AGES,
            ..q("single", "年代", true)
        },
    )
    .await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            attribute: true,
            options: DISTRICTS,
            ..q("single", "お住まいの地区", false)
        },
    )
    .await?;
    let (known, known_opts) = survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            options: &["知っている", "聞いたことはある", "知らない"],
            ..q(
                "single",
                "市が行財政改革の実施計画を公表していることを知っていますか",
                true,
            )
        },
    )
    .await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            help: "「知っている」と答えた方のみ。",
            show_if: Some((known, known_opts[0])),
            ..q(
                "long_text",
                "実施計画の公表について、わかりにくい点があれば教えてください",
                false,
            )
        },
    )
    .await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            help: "3つまで選んでください。",
            max_choices: Some(3),
            options: &[
                "窓口サービス",
                "子育て・教育",
                "福祉・医療",
                "道路・除雪",
                "観光・産業",
                "市の財政",
                "市民参加",
            ],
            ..q("multi", "関心のある分野", false)
        },
    )
    .await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &q("scale", "市政に意見を伝える機会に満足していますか", true),
    )
    .await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            help: "半角または全角の数字で。",
            ..q("number", "この1年間に市の施設を利用した回数", false)
        },
    )
    .await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            help: "例: 2026-11-24 または 令和8年11月24日",
            ..q("date", "最後に市役所の窓口を利用した日", false)
        },
    )
    .await?;
    survey_writes::insert_question(tx, org, id, &q("text", "市に一言", false)).await?;
    survey_writes::insert_question(
        tx,
        org,
        id,
        &NewQuestion {
            rows: &["待ち時間", "職員の説明", "手続きのわかりやすさ"],
            options: &["良い", "普通", "悪い", "利用していない"],
            ..q(
                "matrix_single",
                "市役所の窓口について、それぞれ評価してください",
                false,
            )
        },
    )
    .await?;
    Ok(())
}

async fn citizen_survey(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    areas: &[(i64, String, String)],
    wave: u64,
    year: i64,
) -> sqlx::Result<()> {
    let fy = kyodo_jp::FiscalYear(year as i32).label_ja();
    let title = format!("(デモ){fy} 市民意識調査(重要度・満足度)");
    let id = survey_writes::insert_survey(
        tx,
        org,
        &NewSurvey {
            title: &title,
            description: "無作為抽出した18歳以上の市民に郵送した招待コードで回答する調査です。回答は生成したデモデータです。",
            audience: "codes",
            status: "closed",
            fiscal_year: year,
            series: SERIES,
            is_demo: true,
        },
    )
    .await?;
    let attr = |label, options| NewQuestion {
        kind: "single",
        label,
        required: true,
        attribute: true,
        options,
        ..NewQuestion::default()
    };
    let (age_q, age_opts) =
        survey_writes::insert_question(tx, org, id, &attr("年代", AGES)).await?;
    let (district_q, district_opts) =
        survey_writes::insert_question(tx, org, id, &attr("お住まいの地区", DISTRICTS)).await?;
    let mut pairs = Vec::new();
    for (node, number, title) in areas {
        let subject = format!("{number} {title}");
        let label = format!("「{subject}」の重要度と満足度");
        let (q, _) = survey_writes::insert_question(
            tx,
            org,
            id,
            &NewQuestion {
                kind: "pair",
                label: &label,
                subject: &subject,
                plan_node_id: Some(*node),
                ..NewQuestion::default()
            },
        )
        .await?;
        pairs.push(q);
    }
    // Each area has its own tendency; in the second wave satisfaction rises where the plan acted.
    let spec = Synthetic {
        attributes: vec![(age_q, age_opts), (district_q, district_opts)],
        pairs,
        wave,
        year,
    };
    let counts = spec.insert(tx, org, id, 0, 300).await?;
    super::tallies::apply(tx, org, id, &counts).await
}

/// Synthetic responses: each attribute answered at random, each pair around a tendency of its own
/// (older respondents find things a little more important; in later waves satisfaction rises on
/// every other item). Deterministic: the same seed gives the same responses.
pub struct Synthetic {
    /// (attribute question, its option ids)
    pub attributes: Vec<(i64, Vec<i64>)>,
    pub pairs: Vec<i64>,
    pub wave: u64,
    pub year: i64,
}

impl Synthetic {
    /// Inserts responses `first .. first + count` and returns the counts they add.
    pub async fn insert(
        &self,
        tx: &mut sqlx::AnyConnection,
        org: i64,
        survey: i64,
        first: usize,
        count: usize,
    ) -> sqlx::Result<BTreeMap<Key, i64>> {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (self.wave + 1) ^ ((first as u64) << 20));
        let attribute_ids: Vec<i64> = self.attributes.iter().map(|a| a.0).collect();
        let mut counts = BTreeMap::new();
        let mut response_rows = Vec::with_capacity(count);
        let mut rows: Vec<(i64, Answer)> = Vec::new();
        for n in first..first + count {
            let response = super::responses::anonymous_id();
            let channel = if n % 3 == 0 { "paper" } else { "web" };
            response_rows.push((
                response,
                channel,
                format!("{}-07-{:02}", self.year, 1 + n % 28),
            ));
            let mut answers = Vec::with_capacity(self.attributes.len() + 2 * self.pairs.len());
            let mut older = false;
            for (i, (q, options)) in self.attributes.iter().enumerate() {
                let k = rng.below(options.len());
                if i == 0 {
                    older = k * 3 >= options.len() * 2;
                }
                answers.push(answer(*q, "", Some(options[k]), None));
            }
            for (i, q) in self.pairs.iter().enumerate() {
                let importance = 2.6 + ((i * 7) % 5) as f64 * 0.35 + if older { 0.2 } else { 0.0 };
                let satisfaction = 3.9 - ((i * 3) % 5) as f64 * 0.3
                    + self.wave as f64 * if i % 2 == 0 { 0.35 } else { -0.1 };
                if let Some(l) = rng.level(importance) {
                    answers.push(answer(*q, "importance", None, Some(l)));
                }
                if let Some(l) = rng.level(satisfaction) {
                    answers.push(answer(*q, "satisfaction", None, Some(l)));
                }
            }
            for (k, v) in tallies::bumps(&answers, &attribute_ids) {
                *counts.entry(k).or_insert(0) += v;
            }
            rows.extend(answers.into_iter().map(|a| (response, a)));
        }
        responses::insert_responses(tx, org, survey, &response_rows).await?;
        let refs: Vec<(i64, &Answer)> = rows.iter().map(|(r, a)| (*r, a)).collect();
        responses::insert_answers(tx, org, survey, &refs).await?;
        Ok(counts)
    }
}

fn answer(
    question_id: i64,
    part: &'static str,
    option_id: Option<i64>,
    level: Option<i64>,
) -> Answer {
    Answer {
        question_id,
        part,
        option_id,
        level,
        number: None,
        text: None,
    }
}
