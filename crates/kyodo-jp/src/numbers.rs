//! Numbers as people type them in Japanese forms and sheets: full-width digits and signs, thousands
//! separators (「1,027」「１，０２７」), spaces, and △ or ▲ for minus as Japanese accounts write
//! negatives (「△5,000」). Indicator values are decimals; amounts (千円 or 円) whole.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number, or beyond the accepted magnitude.
    Invalid,
}

fn normalise(raw: &str) -> Option<String> {
    let s: String = raw
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            '－' | '−' | 'ー' | '△' | '▲' => Some('-'),
            '，' | ',' | ' ' | '\u{3000}' => None,
            c => Some(c),
        })
        .collect();
    (!s.is_empty()).then_some(s)
}

/// An optional decimal: `Ok(None)` when nothing was typed; finite and below ±10^15.
pub fn parse_decimal(raw: &str) -> Result<Option<f64>, NumberError> {
    let Some(s) = normalise(raw) else {
        return Ok(None);
    };
    let plain = s.len() <= 24
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    match s.parse::<f64>() {
        Ok(v) if plain && v.is_finite() && v.abs() < 1e15 => Ok(Some(v)),
        _ => Err(NumberError::Invalid),
    }
}

/// An optional whole amount below ±10 trillion.
pub fn parse_amount(raw: &str) -> Result<Option<i64>, NumberError> {
    let Some(s) = normalise(raw) else {
        return Ok(None);
    };
    match s.parse::<i64>() {
        // unsigned_abs: i64::MIN has no positive twin, so abs() would overflow.
        Ok(v) if v.unsigned_abs() < 10_000_000_000_000 => Ok(Some(v)),
        _ => Err(NumberError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_decimal(" １，０２７ "), Ok(Some(1027.0)));
        assert_eq!(parse_decimal("－3.5"), Ok(Some(-3.5)));
        assert_eq!(parse_decimal(""), Ok(None));
        assert_eq!(parse_amount("12,345"), Ok(Some(12345)));
        assert_eq!(parse_amount("△5,000"), Ok(Some(-5000)));
        assert_eq!(parse_decimal("▲１２．５"), Ok(Some(-12.5)));
        for bad in ["1e400", "NaN", "inf", "1e3", "千"] {
            assert_eq!(parse_decimal(bad), Err(NumberError::Invalid), "{bad}");
        }
        assert_eq!(parse_amount("1.5"), Err(NumberError::Invalid));
        assert_eq!(
            parse_amount("99999999999999999999"),
            Err(NumberError::Invalid)
        );
        // Found by the fuzzer: i64::MIN parses but must be refused, not overflow.
        assert_eq!(
            parse_amount("-0009223372036854775808"),
            Err(NumberError::Invalid)
        );
    }
}
