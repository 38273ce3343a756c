//! The reform HQ's plan pages: the dashboard, editing, import and export, settings.

pub mod approval;
pub mod dashboard;
pub mod edit;
pub mod import_export;
pub mod moderation;
pub mod node_edit;
pub mod settings;
