//! 全国地方公共団体コード (JIS X 0402): five digits plus a modulus-11 check digit.

use std::fmt;

/// A validated six-digit local-government code, e.g. `072028` for 会津若松市.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalGovCode([u8; 6]);

/// Why a string is not a valid local-government code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalGovCodeError {
    /// Not exactly six ASCII digits.
    Format,
    /// The sixth digit does not match the check digit of the first five.
    CheckDigit { expected: u8 },
}

impl fmt::Display for LocalGovCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format => f.write_str("must be six digits"),
            Self::CheckDigit { expected } => write!(f, "check digit should be {expected}"),
        }
    }
}

impl std::error::Error for LocalGovCodeError {}

/// Check digit of the first five digits: weights 6..2, `(11 - sum mod 11)`, last digit only.
pub fn check_digit(first_five: [u8; 5]) -> u8 {
    let sum: u32 = first_five
        .iter()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    ((11 - sum % 11) % 10) as u8
}

impl LocalGovCode {
    /// Parses six ASCII digits and validates the check digit.
    pub fn parse(s: &str) -> Result<Self, LocalGovCodeError> {
        let bytes = s.trim().as_bytes();
        if bytes.len() != 6 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(LocalGovCodeError::Format);
        }
        let mut digits = [0u8; 6];
        for (slot, b) in digits.iter_mut().zip(bytes) {
            *slot = b - b'0';
        }
        let expected = check_digit([digits[0], digits[1], digits[2], digits[3], digits[4]]);
        if digits[5] != expected {
            return Err(LocalGovCodeError::CheckDigit { expected });
        }
        Ok(Self(digits))
    }

    /// The two-digit 都道府県コード.
    pub fn prefecture(&self) -> u8 {
        self.0[0] * 10 + self.0[1]
    }
}

impl fmt::Display for LocalGovCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_validate() {
        for code in ["072028", "130001", "010006", "011002", "121002", "141003"] {
            assert!(LocalGovCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(LocalGovCode::parse("072028").unwrap().prefecture(), 7);
    }

    #[test]
    fn remainders_zero_and_one_wrap_to_one_and_zero() {
        // 0*6+0*5+0*4+1*3+4*2 = 11 → remainder 0 → 11 → check digit 1.
        assert_eq!(check_digit([0, 0, 0, 1, 4]), 1);
        // 0+0+0+0+6*2 = 12 → remainder 1 → 10 → check digit 0.
        assert_eq!(check_digit([0, 0, 0, 0, 6]), 0);
    }

    #[test]
    fn bad_codes_are_rejected_with_reason() {
        assert_eq!(
            LocalGovCode::parse("072027"),
            Err(LocalGovCodeError::CheckDigit { expected: 8 })
        );
        assert_eq!(LocalGovCode::parse("07202"), Err(LocalGovCodeError::Format));
        assert_eq!(
            LocalGovCode::parse("07202a"),
            Err(LocalGovCodeError::Format)
        );
        assert_eq!(
            LocalGovCode::parse("０７２０２８"),
            Err(LocalGovCodeError::Format)
        );
    }
}
