//! The reform HQ's survey pages: managing surveys, the question builder, files.

pub mod builder;
pub mod files;
pub mod manage;
