//! 和暦 date parsing: never panics, and a parsed date formats and parses back to itself.
#![no_main]
use kyodo_jp::wareki::{format_date_ja, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = parse_date(s) {
        if d >= chrono::NaiveDate::from_ymd_opt(1873, 1, 1).unwrap() {
            assert_eq!(parse_date(&format_date_ja(d)), Ok(d), "{s:?}");
        }
    }
});
