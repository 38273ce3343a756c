//! argon2id password hashing, off the async runtime (hashing takes tens of milliseconds by design).

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock, mpsc};

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Why a new password is refused (catalogue keys).
pub fn check_policy(pw: &str) -> Result<(), &'static str> {
    let n = pw.chars().count();
    if n < MIN_LEN {
        return Err("password.too_short");
    }
    if n > MAX_LEN {
        return Err("password.too_long");
    }
    if pw.chars().all(|c| c == pw.chars().next().unwrap_or(' ')) {
        return Err("password.too_simple");
    }
    Ok(())
}

/// argon2id cost for new hashes: 7 MiB of memory, 5 passes, one lane — one of the configurations
/// OWASP's password storage guidance lists as equally strong as the argon2 crate's default
/// (19 MiB, 2 passes), trading memory for passes. The server's resident memory is what a city's
/// small machine runs short of first: the 19 MiB block was the largest single part of it during a
/// burst of sign-ins (docs/PERFORMANCE.md). Hashes stored with other costs still verify and are
/// rewritten with these at the next sign-in ([`is_outdated`]).
const MEMORY_KIB: u32 = 7 * 1024;
const PASSES: u32 = 5;
const LANES: u32 = 1;

#[expect(
    clippy::expect_used,
    reason = "constant parameters inside the library's documented bounds; a unit test builds them"
)]
fn params() -> Params {
    Params::new(MEMORY_KIB, PASSES, LANES, Some(Params::DEFAULT_OUTPUT_LEN))
        .expect("argon2 parameters in range")
}

/// Whether a stored hash was written with other costs than [`params`] (or is not ours at all) and
/// should be written again once its password is known.
pub fn is_outdated(stored: &str) -> bool {
    let now = params();
    parse_phc(stored).is_none_or(|(p, _, hash)| {
        (p.m_cost(), p.t_cost(), p.p_cost(), hash.len())
            != (
                now.m_cost(),
                now.t_cost(),
                now.p_cost(),
                Params::DEFAULT_OUTPUT_LEN,
            )
    })
}

/// Hashing runs on one thread of its own, reusing one block of argon2 memory (7 MiB with
/// [`params`]). Letting the library allocate per hash made the allocator keep a fresh block after
/// nearly every sign-in (RSS 180 MiB after ten with 19 MiB blocks, measured). One thread hashes
/// about 40 passwords a second on the reference machine, far above a city's sign-in rate;
/// concurrent sign-ins queue for a few milliseconds each, and password guessing cannot take more
/// than one core.
const HASH_THREADS: usize = 1;

/// The largest memory parameter (KiB) a stored hash may ask for; more is treated as a bad hash.
const MAX_MEMORY_KIB: u32 = 256 * 1024;

/// How long the block memory is kept after the last hash. Kept for good it was 19 MiB (then) of
/// the server's resident memory from the first sign-in on (a third of it after a staff benchmark);
/// a burst of sign-ins still reuses it, and the allocator returns it to the system once freed.
const KEEP_MEMORY: std::time::Duration = std::time::Duration::from_secs(1);

type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The next job; when none comes for [`KEEP_MEMORY`], the block memory is given back first
/// (`None`: the queue is gone).
fn next_job(rx: &mpsc::Receiver<Job>) -> Option<Job> {
    match rx.recv_timeout(KEEP_MEMORY) {
        Ok(job) => Some(job),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            MEMORY.with_borrow_mut(|memory| *memory = Vec::new());
            rx.recv().ok()
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => None,
    }
}

#[expect(
    clippy::expect_used,
    reason = "a process that cannot start a thread at its first sign-in cannot serve sign-ins at all"
)]
async fn on_hash_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    static QUEUE: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..HASH_THREADS {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("kyodo-argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => next_job(&rx),
                            Err(_) => return,
                        };
                        match job {
                            Some(job) => {
                                let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                            }
                            None => return,
                        }
                    }
                })
                .expect("starting a password-hashing thread");
        }
        tx
    });
    let (done, result) = tokio::sync::oneshot::channel();
    queue
        .send(Box::new(move || {
            let _ = done.send(f());
        }))
        .ok()?;
    result.await.ok()
}

/// argon2id with `params` into `out`, in this thread's reused memory.
fn argon2id(params: Params, pw: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    MEMORY.with_borrow_mut(|memory| {
        let needed = argon.params().block_count();
        if memory.len() < needed {
            memory.resize(needed, Block::new());
        }
        argon.hash_password_into_with_memory(pw, salt, out, &mut memory[..needed])
    })
}

/// A PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (base64 without padding), as argon2 writes.
fn phc(params: &Params, salt: &[u8], hash: &[u8]) -> String {
    format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash)
    )
}

/// (params, salt, hash) of an argon2id PHC string.
fn parse_phc(s: &str) -> Option<(Params, Vec<u8>, Vec<u8>)> {
    let mut parts = s.split('$');
    let ("", "argon2id", "v=19") = (parts.next()?, parts.next()?, parts.next()?) else {
        return None;
    };
    let (mut m, mut t, mut p) = (None, None, None);
    for kv in parts.next()?.split(',') {
        let (k, v) = kv.split_once('=')?;
        let v: u32 = v.parse().ok()?;
        match k {
            "m" => m = Some(v),
            "t" => t = Some(v),
            "p" => p = Some(v),
            _ => return None,
        }
    }
    let salt = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
    let hash = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
    if parts.next().is_some() || m? > MAX_MEMORY_KIB {
        return None;
    }
    let params = Params::new(m?, t?, p?, Some(hash.len())).ok()?;
    Some((params, salt, hash))
}

pub async fn hash(pw: String) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("random salt: {e}"))?;
    on_hash_thread(move || {
        let params = params();
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        argon2id(params.clone(), pw.as_bytes(), &salt, &mut out)
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))?;
        Ok(phc(&params, &salt, &out))
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("password hashing thread stopped"))?
}

pub async fn verify(pw: String, stored: String) -> bool {
    let Some((params, salt, expected)) = parse_phc(&stored) else {
        return false;
    };
    on_hash_thread(move || {
        let mut out = vec![0u8; expected.len()];
        argon2id(params, pw.as_bytes(), &salt, &mut out).is_ok()
            // Constant time: every byte is compared whatever the first difference.
            && out.iter().zip(&expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so timing does not reveal it.
pub async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            hash("kyodo-dummy-password".into())
                .await
                .unwrap_or_default()
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), h.clone()).await);
        assert!(!verify("wrong".into(), h).await);
        assert!(!verify("x".into(), "not a hash".into()).await);
    }

    #[tokio::test]
    async fn hashes_interoperate_with_the_argon2_crate() {
        use argon2::{PasswordHasher, PasswordVerifier};
        // Hashes written before (by the crate's own hasher) still verify, and ours verify there.
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery")
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery".into(), theirs.clone()).await);
        assert!(!verify("correct horse batterx".into(), theirs).await);
        let ours = hash("correct horse battery".into()).await.unwrap();
        let parsed = argon2::password_hash::phc::PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        // Hostile parameters are refused rather than allocated.
        let huge = ours.replace("m=7168", "m=4000000");
        assert_ne!(huge, ours);
        assert!(!verify("correct horse battery".into(), huge).await);
    }

    #[tokio::test]
    async fn hashes_of_other_costs_are_outdated() {
        let ours = hash("correct horse battery".into()).await.unwrap();
        assert!(ours.contains("$m=7168,t=5,p=1$"), "{ours}");
        assert!(!is_outdated(&ours));
        assert!(is_outdated(&ours.replace("t=5", "t=2")));
        // The argon2 crate's default (19 MiB, 2 passes), as hashes were written before.
        use argon2::PasswordHasher;
        let before = Argon2::default().hash_password(b"pw").unwrap().to_string();
        assert!(is_outdated(&before));
        assert!(is_outdated("not a hash"));
    }

    #[test]
    fn policy() {
        assert_eq!(check_policy("short"), Err("password.too_short"));
        assert_eq!(check_policy("aaaaaaaaaaaa"), Err("password.too_simple"));
        assert!(check_policy("会津若松市の行政改革").is_ok());
    }
}
