//! Typed numbers and amounts: never panic; accepted values are finite and within their bounds.
#![no_main]
use kyodo_jp::numbers::{parse_amount, parse_decimal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some(v)) = parse_decimal(s) {
        assert!(v.is_finite() && v.abs() < 1e15);
    }
    if let Ok(Some(v)) = parse_amount(s) {
        assert!(v.abs() < 10_000_000_000_000);
    }
});
