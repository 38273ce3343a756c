//! Administration: users, departments and committees, and the hash-chained audit log.

mod audit_log;
mod audit_seal;
mod departments;
mod users;
