#![no_main]
//! Finance files (budgets, statements, outlook, bidding results): any bytes decode or are refused,
//! and any sheet reads or names its problems by line, without panicking or overflowing; what reads
//! is consistent (a budget balances, statements pass every identity, a competitive winner is
//! within its planned price).
use kyodo_decode::finance::{bids, budget, outlook, statements};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(sheet) = kyodo_decode::sheet::read_csv(data, "fuzz.csv") else {
        return;
    };
    // The usual names, and a city's mapping: the first row's cells as the headers of the fields
    // in order, with values for the whole file.
    let mut mapping = budget::columns::Mapping::default();
    for ((field, _), header) in budget::columns::FIELDS.iter().zip(sheet.rows.first().into_iter().flatten()) {
        mapping.headers.insert(field.to_string(), header.clone());
    }
    for (field, value) in [("year", "R6"), ("account", "一般会計"), ("edition", "当初"), ("side", "歳入")] {
        mapping.fixed.insert(field.into(), value.into());
    }
    for read in [budget::file::read(&sheet), budget::file::read_mapped(&sheet, &mapping)] {
        for e in read.iter().flatten().filter(|e| !e.is_settlement()) {
            let sum = |side| -> i128 {
                e.lines.iter().filter(|l| l.side == side).map(|l| i128::from(l.amount)).sum()
            };
            assert_eq!(sum(budget::Side::Revenue), sum(budget::Side::Expenditure));
        }
    }
    if let Ok(sets) = statements::file::read(&sheet) {
        for s in sets {
            assert!(statements::checks::totals(&s.lines).is_empty());
            for id in statements::checks::identities(&s.lines) {
                assert!(id.expect("a set that reads has every line").holds());
            }
        }
    }
    if let Ok(o) = outlook::file::read(&sheet) {
        assert!(o.rows.iter().all(|r| r.amounts.len() == o.years.len()));
    }
    if let Ok(tenders) = bids::file::read(&sheet) {
        for b in tenders.iter().filter(|b| b.method != bids::Method::Negotiated) {
            if let (Some(a), Some(p)) = (b.amount, b.planned_price) {
                assert!(a <= p);
            }
        }
    }
});
