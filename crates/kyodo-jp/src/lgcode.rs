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

    /// The 都道府県 the code belongs to (01 北海道 … 47 沖縄県).
    pub fn prefecture_name(&self) -> Option<&'static str> {
        PREFECTURES
            .get(usize::from(self.prefecture()).checked_sub(1)?)
            .copied()
    }

    /// The five digits without the check digit (`07202`), as the local-minutes APIs give it.
    pub fn without_check_digit(&self) -> String {
        self.to_string()[..5].to_string()
    }
}

/// 都道府県 in the order of their codes (JIS X 0401).
const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

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
    fn prefecture_and_five_digits() {
        let aizu = LocalGovCode::parse("072028").unwrap();
        assert_eq!(aizu.prefecture_name(), Some("福島県"));
        assert_eq!(aizu.without_check_digit(), "07202");
        assert_eq!(
            LocalGovCode::parse("130001").unwrap().prefecture_name(),
            Some("東京都")
        );
        assert_eq!(
            LocalGovCode::parse("472018").unwrap().prefecture_name(),
            Some("沖縄県")
        );
    }

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
