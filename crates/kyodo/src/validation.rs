//! Field-level validation results: which field is wrong and the catalogue key that says why.
//! Pages show each message beside its field; the API returns them in the error envelope.

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

pub use kyodo_decode::LineProblem;

#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    pub field: String,
    /// Message-catalogue key, e.g. `field.required`.
    pub message: &'static str,
}

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: &'static str) {
        if self.get(field).is_none() {
            self.0.push(FieldError {
                field: field.to_string(),
                message,
            });
        }
    }
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Checks a required single-line text: present, at most `max` characters, no control characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "field.required");
        } else if v.chars().count() > max {
            self.add(field, "field.too_long");
        } else if v.chars().any(char::is_control) {
            self.add(field, "field.invalid_chars");
        }
        v.to_string()
    }

    /// Like [`FieldErrors::text`], but empty is allowed.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> String {
        if value.trim().is_empty() {
            String::new()
        } else {
            self.text(field, value, max)
        }
    }
}

/// An optional decimal (indicator values) as typed (see `kyodo_jp::numbers`): `Ok(None)` when empty,
/// `Err(message key)` when not a number or beyond ±10^15.
pub fn parse_number(raw: &str) -> Result<Option<f64>, &'static str> {
    kyodo_jp::numbers::parse_decimal(raw).map_err(|_| "field.not_a_number")
}

/// An optional whole amount (千円 or 円) below 10 trillion.
pub fn parse_amount(raw: &str) -> Result<Option<i64>, &'static str> {
    kyodo_jp::numbers::parse_amount(raw).map_err(|_| "field.not_an_amount")
}

impl FieldErrors {
    pub fn number(&mut self, field: &str, raw: &str) -> Option<f64> {
        parse_number(raw).unwrap_or_else(|_| {
            self.add(field, "field.not_a_number");
            None
        })
    }

    pub fn amount(&mut self, field: &str, raw: &str) -> Option<i64> {
        parse_amount(raw).unwrap_or_else(|_| {
            self.add(field, "field.not_an_amount");
            None
        })
    }

    /// An optional multi-line text of at most `max` characters (tabs and newlines allowed).
    /// A required date as staff and citizens type it (ISO or 和暦, full-width digits).
    pub fn date(&mut self, field: &str, raw: &str) -> Option<chrono::NaiveDate> {
        if raw.trim().is_empty() {
            self.add(field, "field.required");
            return None;
        }
        let parsed = kyodo_jp::wareki::parse_date(raw).ok();
        if parsed.is_none() {
            self.add(field, "field.bad_date");
        }
        parsed
    }

    /// An e-mail address, lower-cased; empty is allowed unless `required`.
    pub fn email(&mut self, field: &str, raw: &str, required: bool) -> String {
        let e = raw.trim().to_lowercase();
        let plausible = e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !e.chars().any(|c| c.is_whitespace() || c == ',')
        });
        if e.is_empty() {
            if required {
                self.add(field, "field.required");
            }
        } else if e.len() > 254 || !plausible {
            self.add(field, "pc.bad_email");
        }
        e
    }

    pub fn long_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim().replace("\r\n", "\n");
        if v.chars().count() > max {
            self.add(field, "field.too_long");
        } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            self.add(field, "field.invalid_chars");
        }
        v
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        let mut e = FieldErrors::default();
        assert_eq!(e.number("a", " １，０２７ "), Some(1027.0));
        assert_eq!(e.number("a", "-3.5"), Some(-3.5));
        assert_eq!(e.number("a", ""), None);
        assert_eq!(e.amount("b", "12,345"), Some(12345));
        assert!(e.is_empty());
        assert_eq!(e.number("c", "1e400"), None);
        assert_eq!(e.number("d", "NaN"), None);
        assert_eq!(e.amount("f", "1.5"), None);
        assert_eq!(e.amount("g", "99999999999999999999"), None);
        assert_eq!(e.get("c"), Some("field.not_a_number"));
        assert_eq!(e.get("f"), Some("field.not_an_amount"));
        assert_eq!(e.0.len(), 4);
    }
}
