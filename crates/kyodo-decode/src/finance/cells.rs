//! Cells of the finance files as cities publish them: names with full-width letters and stray
//! spaces, units named in a header or title (千円, 百万円), and amounts with commas, full-width
//! digits, △ negatives or 「-」 for 該当なし. Shared by the budget and the statement readers.

/// The largest amount a line, or a sum of lines, may come to, in 円 (1,000兆円: far beyond any
/// city's finances). Sums are taken in `i128`, so no file, however long or hostile, overflows
/// them, and what is stored always sums within the database's BIGINT.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Full-width ASCII folded to half-width and whitespace removed, so 「純資産 合計」 and
/// 「純資産合計」, 「ＢＳ」 and 「BS」 compare equal.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// 円 per unit the text names (千円, 百万円), if it names one.
pub fn unit_in(text: &str) -> Option<i64> {
    let t = fold(text);
    if t.contains("百万円") {
        Some(1_000_000)
    } else if t.contains("千円") {
        Some(1_000)
    } else if t == "円" || t.contains("(円)") || t.contains("単位:円") {
        Some(1)
    } else {
        None
    }
}

/// An amount cell in 円: 「-」 alone is how a table writes 該当なし (zero); anything unreadable or
/// beyond [`MAX_AMOUNT`] once multiplied by the unit is `None`.
pub fn amount(raw: &str, unit: i64) -> Option<i64> {
    if matches!(raw.trim(), "-" | "－" | "―" | "‐") {
        return Some(0);
    }
    // Most cells are plain digits with commas: read them without the general parser's copy.
    // (At most 13 digits, as the general parser allows; anything else takes its path.)
    let digits = raw.bytes().filter(u8::is_ascii_digit).count();
    if (1..=13).contains(&digits) && raw.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        let mut v: i64 = 0;
        for b in raw.bytes().filter(u8::is_ascii_digit) {
            v = v * 10 + i64::from(b - b'0');
        }
        return v.checked_mul(unit).filter(|a| a.abs() <= MAX_AMOUNT);
    }
    match kyodo_jp::numbers::parse_amount(raw) {
        Ok(Some(v)) => v.checked_mul(unit).filter(|a| a.abs() <= MAX_AMOUNT),
        _ => None,
    }
}

/// Where the header row is among the first ten: its index and what `read` made of it.
pub fn find_header<T>(
    rows: &[Vec<String>],
    read: impl Fn(&[String]) -> Option<T>,
) -> Option<(usize, T)> {
    rows.iter()
        .take(10)
        .enumerate()
        .find_map(|(i, r)| read(r).map(|h| (i, h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_published() {
        assert_eq!(fold("純資産　合計"), "純資産合計");
        assert_eq!(fold("ＢＳ"), "BS");
        assert_eq!(unit_in("（単位：千円）"), Some(1000));
        assert_eq!(unit_in("金額(百万円)"), Some(1_000_000));
        assert_eq!(unit_in("円"), Some(1));
        assert_eq!(unit_in("金額"), None);
        assert_eq!(amount("△1,234", 1000), Some(-1_234_000));
        assert_eq!(amount("－", 1000), Some(0));
        assert_eq!(amount("１２", 1), Some(12));
        assert_eq!(amount("abc", 1), None);
        assert_eq!(amount("9999999999999", 1_000_000), None);
        // The plain-digit path agrees with the general one.
        for raw in [
            "0",
            "1,234",
            "9999999999999",
            "99999999999999",
            ",,,",
            "1,,2",
            "０１",
        ] {
            let general = match kyodo_jp::numbers::parse_amount(raw) {
                Ok(Some(v)) => v.checked_mul(1000).filter(|a| a.abs() <= MAX_AMOUNT),
                _ => None,
            };
            assert_eq!(amount(raw, 1000), general, "{raw}");
        }
    }
}
