//! 抽選の計算 — the draw itself, a pure function of the seed, the wishes and the pairs that were not
//! available, so that anyone can run it again (`kyodo reservations draw --seed … --wishes …`).
//!
//! The applicants, in entry-number order, are shuffled (Fisher–Yates) by a SplitMix64 generator
//! seeded with the first 8 bytes of SHA-256(seed). Then wishes are granted rank by rank: every
//! applicant's first wish in the shuffled order, then the second wishes of those still without a
//! win, and so on. Each applicant wins at most one pair and each pair goes to one applicant.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

/// One wish: (entry number, rank, YYYY-MM-DD, slot code).
pub type Wish = (i64, i64, String, String);

/// A win: (entry number, rank, YYYY-MM-DD, slot code), in the order they were granted.
pub type Win = Wish;

/// (YYYY-MM-DD, slot code) pairs.
pub type Pairs = HashSet<(String, String)>;

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (rejection sampling: no modulo bias).
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next();
            if v < zone {
                return v % n;
            }
        }
    }
}

/// SHA-256 of the seed, in hex: what is shown before the draw.
pub fn seed_digest(seed: &str) -> String {
    hex::encode(Sha256::digest(seed.as_bytes()))
}

/// The draw. `excluded` holds the (day, slot) pairs not available (closed or already booked).
pub fn draw(seed: &str, wishes: &[Wish], excluded: &Pairs) -> Vec<Win> {
    let digest = Sha256::digest(seed.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let mut rng = SplitMix64(u64::from_be_bytes(first));
    // Each applicant's wishes by rank, applicants in entry-number order.
    let mut by_entry: BTreeMap<i64, BTreeMap<i64, (&str, &str)>> = BTreeMap::new();
    for (entry, rank, day, slot) in wishes {
        by_entry
            .entry(*entry)
            .or_default()
            .insert(*rank, (day.as_str(), slot.as_str()));
    }
    let mut order: Vec<i64> = by_entry.keys().copied().collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let max_rank = by_entry
        .values()
        .filter_map(|w| w.keys().next_back().copied())
        .max()
        .unwrap_or(0);
    let mut taken: HashSet<(&str, &str)> = excluded
        .iter()
        .map(|(d, s)| (d.as_str(), s.as_str()))
        .collect();
    let mut winners: HashSet<i64> = HashSet::new();
    let mut wins = Vec::new();
    for rank in 1..=max_rank {
        for entry in &order {
            if winners.contains(entry) {
                continue;
            }
            let Some(&(day, slot)) = by_entry[entry].get(&rank) else {
                continue;
            };
            if taken.insert((day, slot)) {
                winners.insert(*entry);
                wins.push((*entry, rank, day.to_string(), slot.to_string()));
            }
        }
    }
    wins
}

/// The columns of the published draw inputs: 種別 (希望 = a wish, 除外 = a pair not available),
/// 応募番号, 順位, 利用日, 区分.
pub const COLUMNS: [&str; 5] = ["種別", "応募番号", "順位", "利用日", "区分"];

/// The published draw inputs (CSV with `COLUMNS`), read back for a re-run: the wishes and the
/// pairs that were not available.
pub fn parse_inputs(csv: &str) -> Result<(Vec<Wish>, Pairs), String> {
    let mut wishes = Vec::new();
    let mut excluded = HashSet::new();
    for (i, line) in csv.lines().enumerate() {
        let cells: Vec<&str> = line
            .trim_start_matches('\u{feff}')
            .split(',')
            .map(|c| c.trim().trim_matches('"'))
            .collect();
        let at = |what: &str| format!("line {}: {what}", i + 1);
        match cells.as_slice() {
            ["希望", entry, rank, day, slot, ..] => wishes.push((
                entry.parse().map_err(|_| at("entry number"))?,
                rank.parse().map_err(|_| at("rank"))?,
                day.to_string(),
                slot.to_string(),
            )),
            ["除外", _, _, day, slot, ..] => {
                excluded.insert((day.to_string(), slot.to_string()));
            }
            // The heading, a demonstration-data note, a blank line.
            _ => {}
        }
    }
    Ok((wishes, excluded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wishes(n: i64, pairs: i64) -> Vec<Wish> {
        (1..=n)
            .flat_map(|e| {
                (1..=3).map(move |r| {
                    let p = (e * 7 + r * 13) % pairs;
                    (
                        e,
                        r,
                        format!("2027-01-{:02}", 1 + p / 5),
                        format!("s{}", p % 5),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn the_draw_is_reproducible_fair_to_ranks_and_never_gives_a_pair_twice() {
        let w = wishes(10_000, 500);
        let none = HashSet::new();
        let started = std::time::Instant::now();
        let a = draw("seed-1", &w, &none);
        assert!(started.elapsed().as_millis() < 1_000);
        assert_eq!(a, draw("seed-1", &w, &none), "same seed, same result");
        assert_ne!(a, draw("seed-2", &w, &none), "another seed, another order");
        assert_eq!(a.len(), 500, "every wished pair is let");
        let pairs: HashSet<_> = a.iter().map(|(_, _, d, s)| (d, s)).collect();
        let entries: HashSet<_> = a.iter().map(|(e, ..)| e).collect();
        assert_eq!((pairs.len(), entries.len()), (500, 500));
        // Order in the input does not matter.
        let mut shuffled = w.clone();
        shuffled.reverse();
        assert_eq!(a, draw("seed-1", &shuffled, &none));
        // An excluded pair is never drawn.
        let (_, _, d, s) = a[0].clone();
        let ex = HashSet::from([(d.clone(), s.clone())]);
        assert!(
            !draw("seed-1", &w, &ex)
                .iter()
                .any(|(_, _, dd, ss)| *dd == d && *ss == s)
        );
    }

    #[test]
    fn a_first_wish_beats_a_second_one() {
        // Entry 2 wants pair X second; entry 1 wants it first: whatever the order, 1 gets X.
        let w = vec![
            (1, 1, "2027-01-05".to_string(), "am".to_string()),
            (2, 1, "2027-01-06".to_string(), "am".to_string()),
            (2, 2, "2027-01-05".to_string(), "am".to_string()),
        ];
        for seed in ["a", "b", "c", "d", "e"] {
            let wins = draw(seed, &w, &HashSet::new());
            assert!(
                wins.contains(&(1, 1, "2027-01-05".into(), "am".into())),
                "{seed}"
            );
            assert!(
                wins.contains(&(2, 1, "2027-01-06".into(), "am".into())),
                "{seed}"
            );
        }
        let csv = "種別,応募番号,順位,利用日,区分\n希望,1,1,2027-01-05,am\n希望,2,1,2027-01-06,am\n希望,2,2,2027-01-05,am\n除外,,,2027-01-07,pm\n";
        let (read, ex) = parse_inputs(csv).unwrap();
        assert_eq!(read, w);
        assert_eq!(
            ex,
            HashSet::from([("2027-01-07".to_string(), "pm".to_string())])
        );
    }
}
