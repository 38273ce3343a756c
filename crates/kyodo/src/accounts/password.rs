//! argon2id password hashing, off the async runtime (hashing takes tens of milliseconds by design).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

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

pub async fn hash(pw: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(pw.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
    .await?
}

pub async fn verify(pw: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        argon2::password_hash::phc::PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(pw.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
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

    #[test]
    fn policy() {
        assert_eq!(check_policy("short"), Err("password.too_short"));
        assert_eq!(check_policy("aaaaaaaaaaaa"), Err("password.too_simple"));
        assert!(check_policy("会津若松市の行政改革").is_ok());
    }
}
