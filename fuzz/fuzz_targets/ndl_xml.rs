#![no_main]
//! NDL XML records: any bytes are read or refused with an offset, without panicking.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(records) = kyodo_decode::ndl_xml::meeting_records(data) {
        for r in records {
            let _ = r.fields.len() + r.speeches.len();
        }
    }
});
