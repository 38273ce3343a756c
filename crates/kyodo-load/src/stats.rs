//! Latencies and errors per kind of request, and the server's memory over time.

use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Default)]
pub struct Stats {
    /// Latency in microseconds of every answered request, by kind.
    latencies: BTreeMap<&'static str, Vec<u32>>,
    pub errors: usize,
    /// The first few error descriptions, for the report.
    pub samples: Vec<String>,
    /// The text of every comment the server acknowledged (303), to check none was lost.
    pub acknowledged: Vec<String>,
}

impl Stats {
    pub fn record(&mut self, kind: &'static str, took: Duration) {
        let micros = took.as_micros().min(u32::MAX as u128) as u32;
        self.latencies.entry(kind).or_default().push(micros);
    }

    pub fn error(&mut self, what: String) {
        self.errors += 1;
        if self.samples.len() < 5 {
            self.samples.push(what);
        }
    }

    pub fn merge(&mut self, other: Stats) {
        for (k, v) in other.latencies {
            self.latencies.entry(k).or_default().extend(v);
        }
        self.errors += other.errors;
        self.acknowledged.extend(other.acknowledged);
        for s in other.samples {
            if self.samples.len() < 5 {
                self.samples.push(s);
            }
        }
    }

    pub fn requests(&self) -> usize {
        self.latencies.values().map(Vec::len).sum()
    }

    /// (kind, count, p50 ms, p99 ms) per kind, then "all".
    pub fn summary(&mut self) -> Vec<(String, usize, f64, f64)> {
        let mut all: Vec<u32> = self.latencies.values().flatten().copied().collect();
        let mut rows: Vec<_> = self
            .latencies
            .iter_mut()
            .map(|(k, v)| {
                let (p50, p99) = percentiles(v);
                (k.to_string(), v.len(), p50, p99)
            })
            .collect();
        let (p50, p99) = percentiles(&mut all);
        rows.push(("all".into(), all.len(), p50, p99));
        rows
    }
}

/// p50 and p99 in milliseconds (nearest rank).
fn percentiles(v: &mut [u32]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_unstable();
    let at = |q: f64| {
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1] as f64 / 1000.0
    };
    (at(0.50), at(0.99))
}

/// `VmRSS` and `VmHWM` (peak) of a process in KiB, from /proc.
pub fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentiles(&mut v), (50.0, 99.0));
        assert_eq!(percentiles(&mut [7000]), (7.0, 7.0));
        assert_eq!(percentiles(&mut []), (0.0, 0.0));
    }

    #[test]
    fn merged_stats_keep_every_latency_and_error() {
        let mut a = Stats::default();
        a.record("get", Duration::from_millis(2));
        let mut b = Stats::default();
        b.record("get", Duration::from_millis(4));
        b.record("post", Duration::from_millis(6));
        b.error("boom".into());
        a.merge(b);
        assert_eq!((a.requests(), a.errors), (3, 1));
        let rows = a.summary();
        assert_eq!(rows.last().unwrap().1, 3);
        assert_eq!(rows[0], ("get".into(), 2, 2.0, 4.0));
    }
}
