//! The minutes API in the shape of the NDL 会議録検索 API (municipal-practice §5.1): the same three
//! outputs (`speech` 発言単位, `meeting_list` 会議単位簡易, `meeting` 会議単位), parameter names
//! and record fields, JSON or XML (`recordPacking`), so tools written for the NDL API work against
//! a city's Kyodo. Errors keep the NDL's shape (`{"message", "details"}`), as its clients expect.
//! Fields a city's minutes do not have (`nameOfHouse` is the city's council, `speakerYomi`,
//! `startPage`, `pdfURL`) are given as the NDL gives missing values: empty or null.

use crate::error::AppResult;
use crate::minutes::details;
use crate::minutes::search::{self, Filters, Query};
use crate::minutes::store::{self, Meeting};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::QueryData;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    #[serde(default)]
    any: String,
    #[serde(default)]
    speaker: String,
    #[serde(default)]
    name_of_meeting: String,
    /// 会派, exactly.
    #[serde(default)]
    speaker_group: String,
    /// 役職, exactly.
    #[serde(default)]
    speaker_position: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    start_record: Option<String>,
    #[serde(default)]
    maximum_records: Option<String>,
    #[serde(default)]
    record_packing: String,
    /// The local-minutes APIs' 全国地方公共団体コード (five digits, or six with the check digit):
    /// another city's code finds nothing here.
    #[serde(default)]
    municipality_code: String,
}

/// The municipality fields of the local-minutes APIs (municipal-practice §5.3), the same on
/// every record of one organization.
struct Municipality {
    prefecture: String,
    name: String,
    code: String,
}

impl Municipality {
    fn of(org: &crate::web::Organization) -> Municipality {
        let code = kyodo_jp::lgcode::LocalGovCode::parse(&org.lg_code).ok();
        Municipality {
            prefecture: code
                .and_then(|c| c.prefecture_name())
                .unwrap_or_default()
                .to_string(),
            name: org.name.clone(),
            code: code.map_or_else(|| org.lg_code.clone(), |c| c.without_check_digit()),
        }
    }

    /// Whether a `municipalityCode` asked for (empty: any) is this one.
    fn is(&self, asked: &str, lg_code: &str) -> bool {
        let asked = asked.trim();
        asked.is_empty() || asked == self.code || asked == lg_code
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Output {
    Speech,
    MeetingList,
    Meeting,
}

impl Output {
    /// (default, largest) maximumRecords, as the NDL's.
    fn records(self) -> (i64, i64) {
        match self {
            Output::Meeting => (3, 10),
            _ => (30, 100),
        }
    }
}

/// An error as the NDL API gives it: a message and details.
struct NdlError(&'static str, String);

impl IntoResponse for NdlError {
    fn into_response(self) -> Response {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"message": self.0, "details": [self.1]})),
        )
            .into_response()
    }
}

fn error(message: &'static str, detail: String) -> NdlError {
    NdlError(message, detail)
}

/// The query and filters, or the NDL-style error.
fn read(p: &Params, out: Output) -> Result<(Query, Filters, i64, i64), NdlError> {
    let q =
        search::parse(&p.any).map_err(|m| error("検索条件の入力に誤りがあります。", m.into()))?;
    let date = |v: &str, name: &str| -> Result<String, NdlError> {
        if v.is_empty() {
            return Ok(String::new());
        }
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| error("日付の指定に誤りがあります。", format!("{name}={v}")))
    };
    let f = Filters {
        speakers: p.speaker.split_whitespace().map(String::from).collect(),
        meeting_names: p
            .name_of_meeting
            .split_whitespace()
            .map(String::from)
            .collect(),
        group: p.speaker_group.trim().to_string(),
        position: p.speaker_position.trim().to_string(),
        from: date(&p.from, "from")?,
        until: date(&p.until, "until")?,
        ..Default::default()
    };
    if q.is_empty()
        && f.speakers.is_empty()
        && f.group.is_empty()
        && f.position.is_empty()
        && f.meeting_names.is_empty()
        && f.from.is_empty()
        && f.until.is_empty()
    {
        return Err(error(
            "検索条件が指定されていません。",
            "any, speaker, speakerGroup, speakerPosition, nameOfMeeting, from or until".into(),
        ));
    }
    let (default, max) = out.records();
    let number = |v: &Option<String>, name: &str, default: i64, range: (i64, i64)| match v {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (range.0..=range.1).contains(n))
            .ok_or_else(|| error("パラメータの値が範囲外です。", format!("{name}={s}"))),
    };
    let start = number(&p.start_record, "startRecord", 1, (1, i64::MAX))?;
    let limit = number(&p.maximum_records, "maximumRecords", default, (1, max))?;
    Ok((q, f, start, limit))
}

fn issue_id(m: &Meeting) -> String {
    m.source_key
        .strip_prefix("ndl:")
        .map_or_else(|| m.id.to_string(), str::to_string)
}

fn meeting_fields(base: &str, city: &Municipality, m: &Meeting) -> Map<String, Value> {
    let issue = issue_id(m);
    let mut o = Map::new();
    o.insert("issueID".into(), json!(issue));
    o.insert("meetingID".into(), json!(m.id.to_string()));
    o.insert("prefecture".into(), json!(city.prefecture));
    o.insert("municipality".into(), json!(city.name));
    o.insert("municipalityCode".into(), json!(city.code));
    o.insert("imageKind".into(), json!("会議録"));
    o.insert("session".into(), json!(m.session));
    o.insert(
        "nameOfHouse".into(),
        json!(if m.kind == "executive" {
            "庁議"
        } else {
            "市議会"
        }),
    );
    o.insert("nameOfMeeting".into(), json!(m.body));
    o.insert("issue".into(), json!(m.issue));
    o.insert("date".into(), json!(m.held_on));
    o.insert("closing".into(), Value::Null);
    o.insert(
        "meetingURL".into(),
        json!(format!("{base}/minutes/meetings/{}", m.id)),
    );
    o.insert("pdfURL".into(), Value::Null);
    o
}

fn speech_url(base: &str, m: &Meeting, seq: i64) -> String {
    format!("{base}/minutes/meetings/{}#s{seq}", m.id)
}

async fn answer(st: WebState, ctx: Ctx, p: Params, out: Output) -> AppResult<Response> {
    let (q, f, start, limit) = match read(&p, out) {
        Ok(x) => x,
        Err(e) => return Ok(e.into_response()),
    };
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let base = ctx.org.base_url(&st.app.config.public_url);
    let city = Municipality::of(&ctx.org);
    let key = if out == Output::Speech {
        "speechRecord"
    } else {
        "meetingRecord"
    };
    let (total, records, key) = match out {
        // Another city's code: no records, answered as any search without hits.
        _ if !city.is(&p.municipality_code, &ctx.org.lg_code) => (0, Vec::new(), key),
        Output::Speech => {
            let (total, hits) = search::search(&st.app, org, &q, &f, start - 1, limit).await?;
            let records: Vec<Value> = hits
                .into_iter()
                .map(|h| {
                    let mut o = meeting_fields(&base, &city, &h.meeting);
                    o.insert(
                        "speechID".into(),
                        json!(format!("{}_{}", issue_id(&h.meeting), h.seq)),
                    );
                    o.insert("speechOrder".into(), json!(h.seq));
                    o.insert("speaker".into(), json!(h.speaker));
                    o.insert("speakerYomi".into(), Value::Null);
                    o.insert("speakerGroup".into(), json!(h.speaker_group));
                    o.insert("speakerPosition".into(), json!(h.position));
                    o.insert("speakerRole".into(), Value::Null);
                    o.insert(
                        "speech".into(),
                        json!(format!("○{}　{}", h.speaker_raw, h.text)),
                    );
                    o.insert("startPage".into(), Value::Null);
                    o.insert(
                        "speechURL".into(),
                        json!(speech_url(&base, &h.meeting, h.seq)),
                    );
                    Value::Object(o)
                })
                .collect();
            (total, records, "speechRecord")
        }
        Output::MeetingList | Output::Meeting => {
            let (total, found) = search::meetings(&st.app, org, &q, &f, start - 1, limit).await?;
            let (all, items, documents) = if out == Output::Meeting {
                let ids: Vec<i64> = found.iter().map(|(m, _)| m.id).collect();
                tokio::try_join!(
                    store::speeches_of(db, org, &ids),
                    details::items_of(db, org, &ids),
                    details::documents_of(db, org, &ids),
                )?
            } else {
                Default::default()
            };
            let mut records = Vec::with_capacity(found.len());
            for (m, seqs) in found {
                let mut o = meeting_fields(&base, &city, &m);
                if out == Output::Meeting {
                    // Beyond the NDL's fields: what a city's minutes also record.
                    o.insert("place".into(), json!(m.place));
                    o.insert("attendance".into(), json!(m.attendance));
                    let mine = |id: &i64| *id == m.id;
                    o.insert(
                        "agendaItem".into(),
                        json!(
                            items
                                .iter()
                                .filter(|(id, _)| mine(id))
                                .map(|(_, i)| i)
                                .collect::<Vec<_>>()
                        ),
                    );
                    o.insert(
                        "document".into(),
                        json!(
                            documents
                                .iter()
                                .filter(|(id, _)| mine(id))
                                .map(|(_, d)| d)
                                .collect::<Vec<_>>()
                        ),
                    );
                }
                let speeches: Vec<Value> = if out == Output::Meeting {
                    all.iter()
                        .filter(|(id, _)| *id == m.id)
                        .map(|(_, s)| {
                            json!({"speechID": format!("{}_{}", issue_id(&m), s.seq), "speechOrder": s.seq,
                                   "speaker": s.speaker, "speakerYomi": null, "speakerGroup": s.speaker_group,
                                   "speakerPosition": s.position, "speakerRole": null,
                                   "speech": if s.is_direction() { s.text.clone() } else { format!("○{}　{}", s.speaker_raw, s.text) },
                                   "startPage": null, "speechURL": speech_url(&base, &m, s.seq)})
                        })
                        .collect()
                } else {
                    seqs.iter()
                        .map(|s| json!({"speechID": format!("{}_{}", issue_id(&m), s), "speechOrder": s, "speechURL": speech_url(&base, &m, *s)}))
                        .collect()
                };
                o.insert("speechRecord".into(), Value::Array(speeches));
                records.push(Value::Object(o));
            }
            (total, records, "meetingRecord")
        }
    };
    let returned = records.len() as i64;
    let mut body = Map::new();
    body.insert("numberOfRecords".into(), json!(total));
    body.insert("numberOfReturn".into(), json!(returned));
    body.insert("startRecord".into(), json!(start));
    let next = start + returned;
    body.insert(
        "nextRecordPosition".into(),
        if next <= total {
            json!(next)
        } else {
            Value::Null
        },
    );
    body.insert(key.into(), Value::Array(records));
    if p.record_packing == "xml" {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
            to_xml("data", &Value::Object(body))
        );
        return Ok((
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            xml,
        )
            .into_response());
    }
    Ok(axum::Json(Value::Object(body)).into_response())
}

/// The NDL's XML: each field an element; a record list repeats its element per record.
fn to_xml(name: &str, v: &Value) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    match v {
        Value::Object(o) => {
            let inner: String = o.iter().map(|(k, v)| to_xml(k, v)).collect();
            format!("<{name}>{inner}</{name}>")
        }
        Value::Array(items) => {
            let inner: String = items.iter().map(|v| to_xml(name, v)).collect();
            format!("<{name}s>{inner}</{name}s>")
        }
        Value::Null => format!("<{name}/>"),
        Value::String(s) => format!("<{name}>{}</{name}>", esc(s)),
        other => format!("<{name}>{other}</{name}>"),
    }
}

pub async fn speech(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    answer(st, ctx, p, Output::Speech).await
}

pub async fn meeting_list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    answer(st, ctx, p, Output::MeetingList).await
}

pub async fn meeting(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    answer(st, ctx, p, Output::Meeting).await
}
