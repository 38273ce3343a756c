//! 市民意識調査 and other surveys: answering, results, and the HQ's pages (`hq/`).

pub mod form_fields;
pub mod hq;
pub mod labels;
pub mod public;
pub mod question_results;
pub mod questionnaire;
pub mod results;
pub mod results_data;
