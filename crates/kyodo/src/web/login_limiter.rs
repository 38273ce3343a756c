//! A per-process throttle on sign-in attempts per address, in front of the database's sign-in delays.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Per-address throttle on sign-in attempts (on top of the per-account lockout). A city's staff
/// often share one NAT address, hence `KYODO_LOGIN_PER_MINUTE`.
pub struct LoginLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        LoginLimiter {
            per_minute,
            windows: Mutex::default(),
        }
    }

    /// Counts an attempt; false once the address exceeds the limit within a minute.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let Ok(mut w) = self.windows.lock() else {
            return true;
        };
        let now = Instant::now();
        if w.len() > 10_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let e = w.entry(ip).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= self.per_minute
    }
}
