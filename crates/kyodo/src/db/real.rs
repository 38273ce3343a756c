//! A nullable `DOUBLE PRECISION` argument that binds the same parameter type whether or not it
//! holds a value.

use sqlx::any::AnyTypeInfo;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Encode, Type};

/// Bind `db::Real(x)`, never a bare `Option<f64>`.
///
/// Why: sqlx 0.9.0's `Any` driver hands a NULL `f64` to PostgreSQL as a `float4` NULL (its two
/// float NULLs are swapped). PostgreSQL prepares a statement with the parameter types of its
/// first run and sqlx keeps it per connection, so a statement first run with a NULL number got a
/// `float4` parameter and the same statement later failed with a value ("incorrect binary data
/// format", a 500). Binding the NULL as the *other* float gives PostgreSQL `float8` either way;
/// `tests/integration/ops/real_numbers.rs` runs NULL-then-value on one connection and fails the
/// day sqlx corrects the swap (then bind `Option::<f64>::None` here instead).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real(pub Option<f64>);

/// The NULL that reaches PostgreSQL as `float8` under sqlx 0.9.0.
const NULL_AS_FLOAT8: Option<f32> = None;

impl Type<Any> for Real {
    fn type_info() -> AnyTypeInfo {
        <f64 as Type<Any>>::type_info()
    }
    fn compatible(ty: &AnyTypeInfo) -> bool {
        <f64 as Type<Any>>::compatible(ty)
    }
}

impl Encode<'_, Any> for Real {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        match self.0 {
            Some(v) => <f64 as Encode<'_, Any>>::encode_by_ref(&v, buf),
            None => <Option<f32> as Encode<'_, Any>>::encode_by_ref(&NULL_AS_FLOAT8, buf),
        }
    }
}
