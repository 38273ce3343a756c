//! 入札・契約 — bidding and contract results (S-1.2.1, S-2.3.5): each tender's 件名, 種別, 方式
//! (一般競争 / 指名競争 / 随意契約), 予定価格, 落札者, 落札額, 落札率 and each bid, searchable and
//! filterable, with the distribution of 落札率 by year and 種別.
//!
//! - `file`: a results list as cities publish it, one row per tender (落札者, 落札額) or one row
//!   per bid (入札者, 入札額, 結果), every row checked by line;
//!
//! Storing, searching and the demonstration tenders are the `kyodo` crate's (`finance::bids`).

pub mod file;

/// 入札方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// 一般競争入札 (総合評価 included).
    General,
    /// 指名競争入札.
    Designated,
    /// 随意契約.
    Negotiated,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::General, Method::Designated, Method::Negotiated];

    pub fn word(self) -> &'static str {
        match self {
            Method::General => "general",
            Method::Designated => "designated",
            Method::Negotiated => "negotiated",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Method::General => "bids.general",
            Method::Designated => "bids.designated",
            Method::Negotiated => "bids.negotiated",
        }
    }

    /// The stored word, or the method as a list writes it.
    pub fn parse(raw: &str) -> Option<Method> {
        let t = crate::finance::cells::fold(raw);
        if let Some(m) = Method::ALL.into_iter().find(|m| m.word() == t) {
            return Some(m);
        }
        if t.contains("随意") || t.contains("随契") {
            Some(Method::Negotiated)
        } else if t.contains("指名") {
            Some(Method::Designated)
        } else if t.contains("一般") || t.contains("総合評価") || t.contains("条件付") {
            Some(Method::General)
        } else {
            None
        }
    }
}

/// One bid of a tender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub bidder: String,
    /// 円; `None` for 辞退.
    pub amount: Option<i64>,
    pub result: String,
}

/// A tender read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBid {
    pub case_no: String,
    pub title: String,
    pub kind: String,
    pub method: Method,
    pub department: String,
    pub opened_on: chrono::NaiveDate,
    pub planned_price: Option<i64>,
    pub winner: String,
    pub amount: Option<i64>,
    pub bidders: i64,
    pub entries: Vec<Entry>,
}

impl NewBid {
    /// 落札率 in permille of the planned price, when both are known.
    pub fn rate_pm(&self) -> Option<i64> {
        match (self.amount, self.planned_price) {
            (Some(a), Some(p)) if p > 0 => Some((i128::from(a) * 1000 / i128::from(p)) as i64),
            _ => None,
        }
    }
}
