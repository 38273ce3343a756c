use crate::{Builder, Segment};

/// A small deterministic generator (no dependency needed for tests).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALPHABET: &[char] = &['市', '長', '財', '政', '行', 'a', 'b', ' ', '改', '革'];

fn text(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())])
        .collect()
}

#[test]
fn every_term_finds_exactly_the_documents_that_contain_it() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let docs: Vec<String> = (0..400)
        .map(|_| {
            let n = rng.below(60);
            text(&mut rng, n)
        })
        .collect();
    let mut b = Builder::new();
    for d in &docs {
        b.add(d);
    }
    let built = b.finish();
    let bytes = built.to_bytes();
    let seg = Segment::from_bytes(bytes.clone()).unwrap();
    assert_eq!(
        seg.to_bytes(),
        bytes,
        "a segment read back writes the same bytes"
    );
    for round in 0..600 {
        let len = 1 + round % 7;
        let term = text(&mut rng, len);
        let naive: Vec<u32> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.contains(&term))
            .map(|(i, _)| i as u32)
            .collect();
        assert_eq!(seg.containing(&term), naive, "term {term:?}");
        assert_eq!(
            built.containing(&term),
            naive,
            "term {term:?} before writing"
        );
    }
    // A term whose pairs all occur, but never in a row.
    let mut b = Builder::new();
    b.add("市長 長財 財政");
    b.add("市長財政");
    assert_eq!(b.finish().containing("市長財政"), vec![1]);
}

#[test]
fn a_segment_cut_short_or_altered_is_refused() {
    let mut b = Builder::new();
    b.add("行政改革の推進");
    b.add("財政");
    let bytes = b.finish().to_bytes();
    assert!(Segment::from_bytes(bytes.clone()).is_ok());
    for cut in [0, 7, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            Segment::from_bytes(bytes[..cut].to_vec()).is_err(),
            "cut at {cut}"
        );
    }
    let mut altered = bytes.clone();
    altered[bytes.len() / 2] ^= 1;
    assert!(Segment::from_bytes(altered).is_err());
}

#[test]
fn longer_terms_over_long_lists_are_exact() {
    // 市民 in every document, 民税 in few: 市民税 moves the long list far ahead each time, and a
    // document is decided by the first start every pair confirms.
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let docs: Vec<String> = (0..3000)
        .map(|i| {
            let mut d = text(&mut rng, 5 + i % 17);
            d.push_str("市民");
            if rng.below(40) == 0 {
                d.push_str(if rng.below(2) == 0 { "税" } else { "の税" });
            }
            d.push_str(&text(&mut rng, i % 5));
            d
        })
        .collect();
    let mut b = Builder::new();
    for d in &docs {
        b.add(d);
    }
    let built = b.finish();
    let read = Segment::from_bytes(built.to_bytes()).unwrap();
    let mut terms: Vec<String> = vec!["市民税".into(), "民の税".into(), "市民の税".into()];
    terms.extend((0..300).map(|i| text(&mut rng, 3 + i % 5)));
    for term in &terms {
        let naive: Vec<u32> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.contains(term.as_str()))
            .map(|(i, _)| i as u32)
            .collect();
        assert_eq!(read.containing(term), naive, "term {term:?}");
        assert_eq!(
            built.containing(term),
            naive,
            "term {term:?} before writing"
        );
    }
}
