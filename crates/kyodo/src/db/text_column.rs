//! Status enums stored as their word (see CONVENTIONS.md › Data).

/// Stores a status enum as its word (`as_str`/`parse`), so rows, tuples and binds use the enum
/// itself; an unknown word in a row is a decoding error, never a silent default.
#[macro_export]
macro_rules! text_column {
    ($t:ty) => {
        impl sqlx::Type<sqlx::Any> for $t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $t {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let word = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <$t>::parse(word)
                    .ok_or_else(|| format!("unknown {} {word:?}", stringify!($t)).into())
            }
        }
        impl sqlx::Encode<'_, sqlx::Any> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'_, sqlx::Any>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}
