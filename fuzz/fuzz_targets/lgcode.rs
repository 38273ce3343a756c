//! 全国地方公共団体コード: never panics; an accepted code prints back as itself.
#![no_main]
use kyodo_jp::LocalGovCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = LocalGovCode::parse(s) {
        assert_eq!(
            LocalGovCode::parse(&code.to_string()).map(|c| c.to_string()),
            Ok(code.to_string())
        );
    }
});
