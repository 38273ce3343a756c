#![no_main]
//! Plain-text minutes: any bytes decode or are refused, and any text parses or names its problems,
//! without panicking.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = kyodo_decode::minutes::decode(data) {
        if let Ok(m) = kyodo_decode::minutes::parse(&text) {
            // Minutes are accepted with a speech, or (庁議 results) with agenda items.
            assert!(m.speeches.iter().any(|s| !s.direction) || !m.heading.items.is_empty());
        }
    }
});
