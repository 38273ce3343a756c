//! Fiscal-year headers in sheets: never panics; a parsed year is in range and its label parses back.
#![no_main]
use kyodo_jp::FiscalYear;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(y) = FiscalYear::parse(s) {
        assert!((1868..=2200).contains(&y.0));
        assert_eq!(FiscalYear::parse(&y.label_ja()), Some(y), "{s:?}");
    }
});
