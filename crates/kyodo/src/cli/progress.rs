//! A progress bar for long command-line work, on stderr: redrawn in place on a terminal, a line per
//! tenth otherwise (logs and CI stay readable).

use std::io::{IsTerminal, Write};
use std::time::Instant;

pub struct Progress {
    label: String,
    total: u64,
    done: u64,
    started: Instant,
    tty: bool,
    last_tenth: u64,
}

impl Progress {
    pub fn new(label: &str, total: u64) -> Self {
        Self {
            label: label.to_string(),
            total: total.max(1),
            done: 0,
            started: Instant::now(),
            tty: std::io::stderr().is_terminal(),
            last_tenth: 0,
        }
    }

    pub fn advance(&mut self, n: u64) {
        self.done = (self.done + n).min(self.total);
        let tenth = self.done * 10 / self.total;
        if self.tty {
            self.draw("\r");
        } else if tenth > self.last_tenth {
            self.last_tenth = tenth;
            self.draw("");
            eprintln!();
        }
    }

    fn draw(&self, prefix: &str) {
        let width = 30;
        let filled = (self.done * width / self.total) as usize;
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            self.done as f64 / secs
        } else {
            0.0
        };
        let eta = if rate > 0.0 {
            (self.total - self.done) as f64 / rate
        } else {
            0.0
        };
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "{prefix}{} [{}{}] {}/{} ({:.0}/s, {:.0} s left)",
            self.label,
            "#".repeat(filled),
            ".".repeat(width as usize - filled),
            self.done,
            self.total,
            rate,
            eta
        );
        let _ = err.flush();
    }

    pub fn finish(&self) {
        if self.tty {
            eprintln!();
        }
        eprintln!(
            "{}: {} in {:.1} s",
            self.label,
            self.done,
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// The process's peak resident memory (VmHWM) in MiB, where /proc tells it.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
