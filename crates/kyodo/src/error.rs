//! The one error type of Kyodo's request layer.
//!
//! Handlers return `Result<_, AppError>`. `into_response` only records the error: the `render_errors`
//! middleware (web/middleware.rs) turns it into an HTML page in the user's language or the JSON envelope
//! for `/api/…`, and logs internal causes. Clients never see internal error text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

// Here rather than in validation.rs: the error type depends on the field errors, not the reverse.
impl crate::validation::FieldErrors {
    /// `Err(AppError::Invalid)` when any field failed.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Sign-in needed; pages redirect to the login form.
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// Bad input that has no form to show it beside (a message-catalogue key).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Input failed validation; each message belongs beside its field.
    #[error("invalid input")]
    Invalid(crate::validation::FieldErrors),
    #[error("csrf check failed")]
    Csrf,
    #[error("too many requests")]
    TooManyRequests,
    #[error("payload too large")]
    PayloadTooLarge,
    /// The database is unreachable, read-only or full: retry later.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine code for the JSON envelope, also the message-catalogue key suffix.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::BadRequest(_) => "bad_request",
            Self::Invalid(_) => "invalid",
            Self::Csrf => "csrf",
            Self::TooManyRequests => "too_many_requests",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// Catalogue key of the message shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::BadRequest(key) => key,
            other => match other.code() {
                "not_found" => "error.not_found",
                "unauthorized" => "error.unauthorized",
                "forbidden" => "error.forbidden",
                "csrf" => "error.csrf",
                "invalid" => "error.invalid",
                "too_many_requests" => "error.too_many_requests",
                "payload_too_large" => "error.payload_too_large",
                "unavailable" => "error.unavailable",
                _ => "error.internal",
            },
        }
    }
}

/// Carried in response extensions from `into_response` to the error-rendering middleware.
#[derive(Clone)]
pub struct ErrorMarker(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorMarker(Arc::new(self)));
        res
    }
}

/// `#[track_caller]`: the `?` that converted the error is the step that failed, so a logged 500
/// or 503 names its file and line (the storage call or transaction step) beside the driver's text.
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        let at = std::panic::Location::caller();
        match &e {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                Self::Unavailable(format!("{e} (at {at})"))
            }
            sqlx::Error::Database(db) if is_unavailable(db.message()) => {
                Self::Unavailable(format!("{e} (at {at})"))
            }
            _ => Self::Internal(anyhow::Error::new(e).context(format!("database step at {at}"))),
        }
    }
}

/// Faults that clear by themselves (disk full, read-only file, lock contention, server shutting down).
fn is_unavailable(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "database or disk is full",
        "readonly database",
        "database is locked",
        "disk i/o error",
        "the database system is shutting down",
        "the database system is starting up",
        "no space left",
        "terminating connection",
        "read-only transaction",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::AppError;

    fn failing_step() -> Result<(), AppError> {
        // The reply names its own line: the location logged must be this `?`, not the `From` impl.
        Err(sqlx::Error::Protocol(format!("bad reply on {}", line!())))?;
        Ok(())
    }

    #[test]
    fn a_database_error_names_the_step_that_failed() {
        let Err(AppError::Internal(e)) = failing_step() else {
            panic!("an internal error was expected");
        };
        let logged = format!("{e:?}");
        let line = logged
            .split("bad reply on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_default();
        assert!(!line.is_empty(), "{logged}");
        assert!(
            logged.contains(&format!("src/error.rs:{line}:")),
            "{logged}"
        );
    }
}
