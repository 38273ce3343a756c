//! The reform HQ's evaluation pages: years, the comprehensive plan's policies, the programme master.

pub mod cycles;
pub mod directions;
pub mod policies;
pub mod policy_node;
pub mod programmes;
pub mod publication;
