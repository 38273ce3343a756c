//! Field-level validation results: which field is wrong and the catalogue key that says why.
//! Pages show each message beside its field; the API returns them in the error envelope.

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

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
    /// `Err(AppError::Invalid)` when any field failed.
    pub fn into_result(self) -> Result<(), crate::error::AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(crate::error::AppError::Invalid(self))
        }
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
}
