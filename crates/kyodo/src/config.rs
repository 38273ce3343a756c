//! Configuration: `KYODO_*` environment variables over an optional `kyodo.toml`, over defaults.
//! Every key is documented in `docs/CONFIGURATION.md`; `kyodo check` prints the effective values.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// IPAex Gothic from Debian's `fonts-ipaexfont`.
pub const DEFAULT_PDF_FONT: &str = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

/// Effective configuration of one Kyodo process.
#[derive(Debug, Clone)]
pub struct Config {
    /// `KYODO_LISTEN` — address:port to serve on.
    pub listen: SocketAddr,
    /// `KYODO_DATA_DIR` — database and backups.
    pub data_dir: PathBuf,
    /// `KYODO_DATABASE_URL` — `sqlite://…` or `postgres://…`; default SQLite in the data directory.
    pub database_url: String,
    /// `KYODO_DATABASE_REPLICA_URL` — a PostgreSQL streaming replica for anonymous public reads.
    pub database_replica_url: Option<String>,
    /// `KYODO_PUBLIC_URL` — how users reach Kyodo; `https://` turns on Secure cookies.
    pub public_url: String,
    /// `KYODO_LOG_FORMAT` — `text` or `json`.
    pub log_json: bool,
    /// `KYODO_SMTP_URL` — e.g. `smtp://relay.city.example:25`; unset: mail stays in the outbox (`/admin/outbox`).
    pub smtp_url: Option<String>,
    /// `KYODO_MAIL_FROM` — sender address of outgoing mail.
    pub mail_from: String,
    /// `KYODO_ORGANIZATION` — 団体コード of the organization served when the Host header names none.
    pub default_organization: Option<String>,
    /// `KYODO_SESSION_HOURS` — idle lifetime of a login session.
    pub session_hours: i64,
    /// `KYODO_MAX_BODY_BYTES` — request body limit.
    pub max_body_bytes: usize,
    /// `KYODO_PDF_FONT` — TrueType/OpenType font with Japanese glyphs for PDF reports.
    pub pdf_font: PathBuf,
    /// `KYODO_FURIGANA_DICTIONARY` — IPADIC sources for ふりがな (Debian: `mecab-ipadic`); when
    /// absent, the ふりがな switch is not offered. Built once into `<data dir>/furigana-ipadic.dic`.
    pub furigana_dictionary: PathBuf,
    /// `KYODO_LOGIN_PER_MINUTE` — sign-in attempts allowed per client address per minute.
    pub login_per_minute: u32,
    /// `KYODO_METRICS_TOKEN` — `/metrics` answers only `Authorization: Bearer <token>`; unset, it
    /// answers 404 (its counters cover every organization of the installation).
    pub metrics_token: Option<String>,
    /// `KYODO_HEADER_TIMEOUT_SECONDS` — a connection must send its whole request header within this.
    pub header_timeout_seconds: u64,
    /// `KYODO_MAX_CONNECTIONS` — open connections at most; more wait in the listen backlog.
    pub max_connections: usize,
    /// `KYODO_MINUTES_MATCH_CACHE` — places (4 bytes each) of recent minutes queries' matches kept
    /// for their next pages; 0 keeps none (benchmarks measure every search so).
    pub minutes_match_cache: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    database_replica_url: Option<String>,
    public_url: Option<String>,
    log_format: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    organization: Option<String>,
    session_hours: Option<i64>,
    max_body_bytes: Option<usize>,
    pdf_font: Option<String>,
    furigana_dictionary: Option<String>,
    login_per_minute: Option<u32>,
    metrics_token: Option<String>,
    header_timeout_seconds: Option<u64>,
    max_connections: Option<usize>,
    minutes_match_cache: Option<usize>,
}

impl Config {
    /// Reads `KYODO_CONFIG` (default `./kyodo.toml`, optional) and the environment.
    pub fn load() -> anyhow::Result<Self> {
        let path = std::env::var("KYODO_CONFIG").unwrap_or_else(|_| "kyodo.toml".into());
        let file = if Path::new(&path).exists() {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
            toml::from_str(&text).with_context(|| format!("parsing {path}"))?
        } else {
            FileConfig::default()
        };
        Self::from_sources(file, |k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    fn from_sources(
        file: FileConfig,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Self> {
        let pick = |key: &str, from_file: Option<String>| env(key).or(from_file);
        let listen_text =
            pick("KYODO_LISTEN", file.listen).unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_text
            .parse()
            .with_context(|| format!("KYODO_LISTEN: {listen_text:?} is not address:port"))?;
        let data_dir = PathBuf::from(
            pick("KYODO_DATA_DIR", file.data_dir).unwrap_or_else(|| "./kyodo-data".into()),
        );
        let database_url = pick("KYODO_DATABASE_URL", file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("kyodo.db").display()));
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            bail!("KYODO_DATABASE_URL must start with sqlite: or postgres://");
        }
        let database_replica_url = pick("KYODO_DATABASE_REPLICA_URL", file.database_replica_url);
        if database_replica_url.is_some()
            && !(database_url.starts_with("postgres")
                && database_replica_url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("postgres")))
        {
            bail!("KYODO_DATABASE_REPLICA_URL needs PostgreSQL, for the replica and the primary");
        }
        let public_url = pick("KYODO_PUBLIC_URL", file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        let log_json = match pick("KYODO_LOG_FORMAT", file.log_format).as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => bail!("KYODO_LOG_FORMAT: {other:?} is not text or json"),
        };
        let parse_num =
            |key: &str, from_file: Option<String>, default: i64| -> anyhow::Result<i64> {
                match pick(key, from_file) {
                    None => Ok(default),
                    Some(v) => v
                        .parse()
                        .with_context(|| format!("{key}: {v:?} is not a number")),
                }
            };
        let session_hours = parse_num(
            "KYODO_SESSION_HOURS",
            file.session_hours.map(|v| v.to_string()),
            8,
        )?;
        let max_body_bytes = parse_num(
            "KYODO_MAX_BODY_BYTES",
            file.max_body_bytes.map(|v| v.to_string()),
            2 * 1024 * 1024,
        )?;
        let login_per_minute = parse_num(
            "KYODO_LOGIN_PER_MINUTE",
            file.login_per_minute.map(|v| v.to_string()),
            30,
        )?;
        if !(1..=100_000).contains(&login_per_minute) {
            bail!("KYODO_LOGIN_PER_MINUTE must be between 1 and 100000");
        }
        let metrics_token = pick("KYODO_METRICS_TOKEN", file.metrics_token);
        let header_timeout_seconds = parse_num(
            "KYODO_HEADER_TIMEOUT_SECONDS",
            file.header_timeout_seconds.map(|v| v.to_string()),
            10,
        )?;
        if !(1..=300).contains(&header_timeout_seconds) {
            bail!("KYODO_HEADER_TIMEOUT_SECONDS must be between 1 and 300");
        }
        let max_connections = parse_num(
            "KYODO_MAX_CONNECTIONS",
            file.max_connections.map(|v| v.to_string()),
            1024,
        )?;
        if !(1..=1_000_000).contains(&max_connections) {
            bail!("KYODO_MAX_CONNECTIONS must be between 1 and 1000000");
        }
        let minutes_match_cache = parse_num(
            "KYODO_MINUTES_MATCH_CACHE",
            file.minutes_match_cache.map(|v| v.to_string()),
            4_000_000,
        )?;
        if !(0..=1_000_000_000).contains(&minutes_match_cache) {
            bail!("KYODO_MINUTES_MATCH_CACHE must be between 0 and 1000000000");
        }
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            bail!("KYODO_METRICS_TOKEN must be at least 16 characters");
        }
        if !(1..=24 * 30).contains(&session_hours) {
            bail!("KYODO_SESSION_HOURS must be between 1 and 720");
        }
        Ok(Self {
            listen,
            data_dir,
            database_url,
            database_replica_url,
            public_url,
            log_json,
            smtp_url: pick("KYODO_SMTP_URL", file.smtp_url),
            mail_from: pick("KYODO_MAIL_FROM", file.mail_from)
                .unwrap_or_else(|| "kyodo@localhost".into()),
            default_organization: pick("KYODO_ORGANIZATION", file.organization),
            session_hours,
            max_body_bytes: usize::try_from(max_body_bytes.max(1024)).unwrap_or(usize::MAX),
            furigana_dictionary: PathBuf::from(
                pick("KYODO_FURIGANA_DICTIONARY", file.furigana_dictionary)
                    .unwrap_or_else(|| kyodo_furigana::DEBIAN_IPADIC.into()),
            ),
            pdf_font: PathBuf::from(
                pick("KYODO_PDF_FONT", file.pdf_font).unwrap_or_else(|| DEFAULT_PDF_FONT.into()),
            ),
            login_per_minute: u32::try_from(login_per_minute).unwrap_or(30),
            metrics_token,
            header_timeout_seconds: header_timeout_seconds as u64,
            max_connections: max_connections as usize,
            minutes_match_cache: minutes_match_cache as usize,
        })
    }

    /// Secure cookies whenever users reach Kyodo over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// A configuration for tests: given database, temporary data directory, no SMTP.
    #[expect(
        clippy::expect_used,
        reason = "for tests only; its few fixed values are valid"
    )]
    pub fn for_tests(database_url: &str, data_dir: &Path) -> Self {
        Self::from_sources(FileConfig::default(), |k| match k {
            "KYODO_DATABASE_URL" => Some(database_url.to_string()),
            "KYODO_DATA_DIR" => Some(data_dir.display().to_string()),
            _ => None,
        })
        .expect("test configuration is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_embedded_sqlite() {
        let c = Config::from_sources(FileConfig::default(), |_| None).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://./kyodo-data/kyodo.db");
        assert!(!c.secure_cookies());
    }

    #[test]
    fn environment_overrides_file_and_bad_values_are_named() {
        let file = FileConfig {
            listen: Some("0.0.0.0:9000".into()),
            ..Default::default()
        };
        let c = Config::from_sources(file, |k| {
            (k == "KYODO_PUBLIC_URL").then(|| "https://kyodo.city.example/".into())
        })
        .unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert!(c.secure_cookies());
        let err = Config::from_sources(FileConfig::default(), |k| {
            (k == "KYODO_LISTEN").then(|| "nonsense".into())
        })
        .unwrap_err();
        assert!(err.to_string().contains("KYODO_LISTEN"));
    }
}
