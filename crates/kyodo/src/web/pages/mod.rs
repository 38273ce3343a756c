//! Server-rendered pages, one module per area. Handlers are thin: parse, call the domain, render.

pub mod account;
pub mod admin;
pub mod admin_audit;
pub mod approval_settings;
pub mod assets;
pub mod auth;
pub mod errors;
pub mod eval_files;
pub mod eval_hq;
pub mod eval_measure;
pub mod eval_policies;
pub mod eval_policy_node;
pub mod eval_programme;
pub mod eval_programmes;
pub mod eval_sheet;
pub mod eval_sheet_actions;
pub mod eval_sheet_files;
pub mod eval_view;
pub mod eval_work;
pub mod evaluation;
pub mod home;
pub mod node_edit;
pub mod ops;
pub mod plan_admin;
pub mod plan_changes;
pub mod plan_data;
pub mod plan_edit;
pub mod plan_hq;
pub mod plan_item;
pub mod plan_reports;
pub mod plan_settings;
pub mod plan_work;
pub mod plans;
pub mod portals;
pub mod report_files;
pub mod survey_admin;
pub mod survey_builder;
pub mod survey_files;
pub mod survey_form;
pub mod survey_page;
pub mod survey_portfolio;
pub mod survey_question_results;
pub mod survey_results;
pub mod surveys;

use super::shell::Shell;
use askama::Template;

/// A page with a title and paragraphs (confirmations, errors, notices).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub s: Shell<'a>,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}
