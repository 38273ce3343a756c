//! Prometheus text-format metrics: request counts by status class and a latency histogram.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const BUCKETS_MS: [u64; 10] = [1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000];

#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; BUCKETS_MS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, status: u16, elapsed: Duration) {
        let class = usize::from((status / 100).clamp(1, 5) - 1);
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        let ms = elapsed.as_millis() as u64;
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if ms <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn render(&self, pool_size: u32, pool_idle: usize) -> String {
        let mut s = String::from(
            "# HELP kyodo_http_requests_total HTTP requests by status class.\n# TYPE kyodo_http_requests_total counter\n",
        );
        for (i, c) in self.by_class.iter().enumerate() {
            s.push_str(&format!(
                "kyodo_http_requests_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                c.load(Ordering::Relaxed)
            ));
        }
        s.push_str("# HELP kyodo_http_request_duration_seconds Request latency.\n# TYPE kyodo_http_request_duration_seconds histogram\n");
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            s.push_str(&format!(
                "kyodo_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                *b as f64 / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        s.push_str(&format!(
            "kyodo_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        s.push_str(&format!(
            "kyodo_http_request_duration_seconds_sum {}\n",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        s.push_str(&format!(
            "kyodo_http_request_duration_seconds_count {count}\n"
        ));
        s.push_str(&format!(
            "# HELP kyodo_db_pool_connections Open database connections.\n# TYPE kyodo_db_pool_connections gauge\nkyodo_db_pool_connections {pool_size}\nkyodo_db_pool_idle {pool_idle}\n"
        ));
        s
    }
}
