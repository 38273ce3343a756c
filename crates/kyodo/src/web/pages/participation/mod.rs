//! 意見公募 pages: the public list, a consultation and its draft, the opinion form without an
//! account and the submitter's own look-up (public); the result page and its files (public once
//! published); the department's work and the HQ's approval (staff).

pub mod opinion;
pub mod public;
pub mod result;
pub mod staff;
pub mod subscription;
pub mod work;

use crate::participation::consultations::Consultation;

/// 令和8年1月5日 〜 令和8年2月4日
pub fn period(t: crate::i18n::Tr, c: &Consultation) -> String {
    crate::web::format::date_range(t, &c.starts_on, &c.ends_on)
}

/// The eligibility codes of a consultation with their labels from the organization's code list
/// (市内に住所を有する方 …), in the list's order.
pub fn eligibility(
    t: crate::i18n::Tr,
    codes: &[crate::codes::Code],
    c: &Consultation,
) -> Vec<(String, String)> {
    crate::codes::of_list(codes, crate::codes::CONSULTATION_ELIGIBILITY)
        .filter(|code| c.allows(&code.code))
        .map(|code| (code.code.clone(), code.label(t.lang).to_string()))
        .collect()
}

/// A channel code in words.
pub fn channel(t: crate::i18n::Tr, code: &str) -> String {
    crate::participation::CHANNELS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, key)| t.t(key).to_string())
}
