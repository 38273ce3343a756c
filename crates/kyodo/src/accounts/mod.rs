//! Organizations, departments, people and roles: the tenants and principals every other area uses.
//!
//! Storage functions take an organization id first — there is no query here without tenant scope.
//! `service` holds the use cases (register, log in, grant a role…) that write and audit in one
//! transaction; the CLI and the web layer both call them.

pub mod api_tokens;
pub mod approval;
pub mod department_import;
pub mod departments;
pub mod idempotency;
pub mod logins;
pub mod org_settings;
pub mod organizations;
pub mod password;
pub mod roles;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod users;

/// Lower-cases and trims an e-mail address and checks its basic shape (`local@domain.tld`).
pub fn normalize_email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 255
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && !domain.contains('@');
    ok.then_some(e)
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails() {
        assert_eq!(
            super::normalize_email(" Taro@City.Example.jp "),
            Some("taro@city.example.jp".into())
        );
        for bad in [
            "", "taro", "@x.jp", "taro@", "taro@jp", "a b@x.jp", "a@b@c.jp", "<a@x.jp>",
        ] {
            assert_eq!(super::normalize_email(bad), None, "{bad}");
        }
    }
}
