//! Yes/no columns. They are `BIGINT` 0/1 in both databases (SQLite has no boolean, and the `Any`
//! driver decodes `bool` only from a real boolean), so rows read them through [`Flag`] into plain
//! `bool` fields:
//!
//! ```ignore
//! #[sqlx(try_from = "Flag")]
//! #[serde(serialize_with = "flag::as_number")]
//! pub trackable: bool,
//! ```
//!
//! `as_number` keeps the JSON API and the open data at 0/1, as they were published.

use sqlx::any::{Any, AnyTypeInfo};
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Type};

/// A 0/1 column as read; convert it to `bool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }
    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Flag(<i64 as Decode<'r, Any>>::decode(value)? != 0))
    }
}

/// Serializes a flag as 0/1, the form the JSON API and open data have always had.
pub fn as_number<S: serde::Serializer>(on: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(i64::from(*on))
}
