//! Accounts: registration, sign-in, passwords, sessions and the CSRF token bound to them.

mod csrf;
pub(crate) mod sign_in;
