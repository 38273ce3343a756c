//! Signing in and out, registration, mail links, and one's own account.

pub mod auth;
pub mod department_import;
pub mod profile;
pub mod tokens;
