//! Every route of Kyodo, in one table: method, path, access level, handler, summary.
//! The router, the authorization matrix test and the OpenAPI document are all generated from it.

use super::WebState;
use super::{api, pages};
use crate::policy::Access;
use axum::Router;

/// One row of the route table.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
}

macro_rules! route_table {
    ($( $method:ident $path:literal => $handler:path, $access:ident, $summary:literal; )*) => {
        pub const ROUTES: &[RouteSpec] = &[
            $( RouteSpec { method: stringify!($method), path: $path, access: Access::$access, summary: $summary }, )*
        ];

        pub fn router() -> Router<WebState> {
            let mut r = Router::new();
            $(
                r = r.route(
                    $path,
                    axum::routing::$method($handler).route_layer(axum::middleware::from_fn(
                        |req, next| super::middleware::guard(Access::$access, req, next),
                    )),
                );
            )*
            r
        }
    };
}

route_table! {
    // Public pages
    get  "/"                          => pages::home::home, Public, "Organization home page";
    get  "/accessibility"             => pages::home::accessibility, Public, "Accessibility policy";
    get  "/prefs"                     => pages::home::prefs, Public, "Switch language, text size or contrast";
    get  "/assets/kyodo.css"          => pages::assets::css, Public, "Stylesheet";
    get  "/healthz"                   => pages::ops::healthz, Public, "Liveness and database check";
    get  "/metrics"                   => pages::ops::metrics, Public, "Prometheus metrics";
    // Accounts
    get  "/login"                     => pages::auth::login_form, Public, "Sign-in form";
    post "/login"                     => pages::auth::login, Public, "Sign in";
    post "/logout"                    => pages::auth::logout, SignedIn, "Sign out";
    get  "/register"                  => pages::auth::register_form, Public, "Citizen registration form";
    post "/register"                  => pages::auth::register, Public, "Register as a citizen";
    get  "/verify"                    => pages::auth::verify, Public, "Confirm an e-mail address";
    get  "/password/forgot"           => pages::auth::forgot_form, Public, "Password reset request form";
    post "/password/forgot"           => pages::auth::forgot, Public, "Request a password reset";
    get  "/password/reset"            => pages::auth::reset_form, Public, "New password form";
    post "/password/reset"            => pages::auth::reset, Public, "Set a new password";
    get  "/account"                   => pages::account::show, SignedIn, "Own account";
    post "/account/password"          => pages::account::change_password, SignedIn, "Change own password";
    // Portals by role
    get  "/staff"                     => pages::portals::staff, Staff, "Staff portal";
    get  "/committee"                 => pages::portals::committee, Committee, "Committee portal";
    get  "/hq"                        => pages::portals::hq, ReformHq, "Reform HQ portal";
    // Plans and progress (実施計画・進行管理)
    get  "/plans"                     => pages::plans::list, Public, "Plans";
    get  "/plans/{id}"                => pages::plans::show, Public, "A plan: tree, schedules, ratings, totals (filters)";
    get  "/plans/{id}/items.csv"      => pages::plan_data::items_csv, Public, "Plan items as CSV";
    get  "/plans/{id}/reports.csv"    => pages::plan_data::reports_csv, Public, "Published progress reports as CSV";
    get  "/plans/{id}/indicators.csv" => pages::plan_data::indicators_csv, Public, "Indicators as CSV";
    get  "/plans/{id}/effects.csv"    => pages::plan_data::effects_csv, Public, "Fiscal effects as CSV";
    get  "/plans/{id}/annual-report"  => pages::plan_data::annual, Public, "Annual progress report (print-ready)";
    get  "/plans/{id}/plan.xlsx"      => pages::plan_admin::export_xlsx, Public, "The plan as a workbook (import layout)";
    get  "/plans/{id}/plan.csv"       => pages::plan_admin::export_csv, Public, "The plan sheet as CSV (import layout)";
    get  "/plans/{id}/annual-report.xlsx" => pages::plan_admin::annual_xlsx, Public, "Annual progress report as a workbook";
    get  "/plans/{id}/annual-report.pdf" => pages::plan_admin::annual_pdf, Public, "Annual progress report as a PDF";
    get  "/plans/items/{id}"          => pages::plan_item::show, Public, "An action item with its reports and charts";
    post "/plans/items/{id}/rating"   => pages::plan_item::rate, SignedIn, "Rate an item's progress (市民評価)";
    post "/plans/items/{id}/comments" => pages::plan_item::comment, SignedIn, "Comment on an item";
    post "/comments/{id}/flag"        => pages::plan_item::flag, SignedIn, "Report a comment to the moderators";
    post "/plans/items/{id}/opinions" => pages::plan_item::opinion, Committee, "Committee opinion on an item's report";
    get  "/staff/reports"             => pages::plan_work::work_list, Staff, "Progress reports to write";
    get  "/plans/items/{id}/change"   => pages::plan_changes::form, Staff, "Request a change or discontinuation";
    post "/plans/items/{id}/change"   => pages::plan_changes::submit, Staff, "Submit a change request";
    get  "/plans/items/{id}/report"   => pages::plan_reports::edit, Staff, "Write a progress report";
    post "/plans/items/{id}/report"   => pages::plan_reports::save, Staff, "Save or submit a progress report";
    post "/plans/items/{id}/report/attachments" => pages::report_files::attach, Staff, "Attach a file to a progress report";
    get  "/attachments/{id}"          => pages::report_files::download, Public, "A report attachment (public once published)";
    post "/plans/items/{id}/report/review" => pages::plan_reports::review, Staff, "所属長 approval; the HQ returns, approves or publishes";
    get  "/hq/plans"                  => pages::plan_admin::index, ReformHq, "All plans, drafts included";
    get  "/hq/plans/import"           => pages::plan_admin::import_form, ReformHq, "Import a plan from xlsx or CSV";
    post "/hq/plans/import"           => pages::plan_admin::import, ReformHq, "Import a plan (checked first, all or nothing)";
    post "/hq/plans/{id}/status"      => pages::plan_admin::set_status, ReformHq, "Adopt, finish or return a plan to draft";
    get  "/hq/plans/new"              => pages::plan_edit::new_form, ReformHq, "New plan form";
    post "/hq/plans/new"              => pages::plan_edit::create, ReformHq, "Create a plan (draft)";
    get  "/hq/plans/{id}/edit"        => pages::plan_edit::edit, ReformHq, "Edit a plan's tree";
    post "/hq/plans/{id}"             => pages::plan_edit::update_plan, ReformHq, "Change a plan's title and goal";
    post "/hq/nodes/{id}/delete"      => pages::plan_edit::delete_node, ReformHq, "Delete an unused node";
    post "/hq/plans/{id}/nodes"       => pages::plan_edit::add_node, ReformHq, "Add a node to a plan";
    get  "/hq/plans/{id}/periods"     => pages::plan_settings::show, ReformHq, "Reporting periods and deadlines";
    post "/hq/plans/{id}/periods"     => pages::plan_settings::add_quarters, ReformHq, "Add quarterly periods for a year";
    post "/hq/periods/{id}"           => pages::plan_settings::update, ReformHq, "Change a period's label and deadline";
    get  "/hq/nodes/{id}"             => pages::node_edit::show, ReformHq, "Edit a node, its indicators and effects";
    post "/hq/nodes/{id}"             => pages::node_edit::update, ReformHq, "Save a node";
    post "/hq/nodes/{id}/indicators"  => pages::node_edit::add_indicator, ReformHq, "Add an indicator";
    post "/hq/indicators/{id}"        => pages::node_edit::indicator_values, ReformHq, "Set an indicator's targets and actuals";
    post "/hq/nodes/{id}/effects"     => pages::node_edit::add_effect, ReformHq, "Add a fiscal effect";
    post "/hq/effects/{id}/delete"    => pages::node_edit::delete_effect, ReformHq, "Delete a fiscal effect";
    post "/hq/changes/{id}"           => pages::plan_changes::decide, ReformHq, "Approve or reject a change request";
    get  "/hq/codes"                  => pages::plan_settings::codes_list, ReformHq, "Code lists (vocabularies)";
    post "/hq/codes"                  => pages::plan_settings::save_code, ReformHq, "Add or relabel a code";
    get  "/hq/plans/{id}"             => pages::plan_hq::dashboard, ReformHq, "Progress dashboard of a plan";
    post "/hq/opinions/{id}"          => pages::plan_hq::respond, ReformHq, "The city's response to a committee opinion";
    get  "/hq/comments"               => pages::plan_hq::moderation, ReformHq, "Comment moderation";
    post "/hq/comments/{id}"          => pages::plan_hq::moderate, ReformHq, "Publish, hide or answer a comment";
    get  "/hq/settings/approval"      => pages::approval_settings::show, ReformHq, "所属長承認: whether department data passes its manager";
    post "/hq/settings/approval"      => pages::approval_settings::save, ReformHq, "Turn the 所属長 approval step on or off";
    post "/hq/settings/comments"      => pages::plan_hq::set_mode, ReformHq, "Moderate comments before or after publication";
    // Surveys (電子アンケート)
    get  "/surveys"                   => pages::surveys::list, Public, "Surveys";
    get  "/surveys/{id}"              => pages::surveys::show, Public, "A questionnaire to answer";
    post "/surveys/{id}"              => pages::surveys::submit, Public, "Answer a survey (anonymous, once per browser)";
    get  "/surveys/{id}/results"      => pages::survey_results::show, Public, "Results, cross-tabulation, portfolio and trend";
    get  "/surveys/{id}/results.pdf"  => pages::survey_files::results_pdf, Public, "The results report as a PDF";
    get  "/hq/surveys/{id}/responses.csv" => pages::survey_files::responses_csv, ReformHq, "A survey's responses as CSV (streamed)";
    get  "/hq/surveys/{id}/responses.xlsx" => pages::survey_files::responses_xlsx, ReformHq, "A survey's responses as a workbook (constant memory)";
    get  "/hq/surveys"                => pages::survey_admin::index, ReformHq, "Every survey, drafts included; new survey form";
    post "/hq/surveys"                => pages::survey_admin::create, ReformHq, "Create a survey (draft)";
    get  "/hq/surveys/{id}"           => pages::survey_builder::builder, ReformHq, "Build a survey: questions, conditions, status, codes, copy";
    post "/hq/surveys/{id}/questions" => pages::survey_builder::add_question, ReformHq, "Add a question to a draft survey";
    post "/hq/surveys/{id}/status"    => pages::survey_builder::set_status, ReformHq, "Open, close or return a survey to draft";
    post "/hq/surveys/{id}/limits"    => pages::survey_builder::set_limits, ReformHq, "Set a survey's answering period and quota";
    post "/hq/surveys/{id}/copy"      => pages::survey_builder::copy, ReformHq, "Copy a survey as next year's wave";
    post "/hq/surveys/{id}/codes"     => pages::survey_builder::codes, ReformHq, "Generate invitation codes (CSV download)";
    get  "/hq/surveys/{id}/paper"     => pages::survey_admin::paper, ReformHq, "Key in paper questionnaires";
    post "/hq/surveys/{id}/paper"     => pages::survey_admin::paper_save, ReformHq, "Save one paper questionnaire";
    // Administrative evaluation (行政評価・事務事業評価)
    get  "/evaluation"                => pages::evaluation::list, Public, "Programmes of a published year (filters, sorting by cost)";
    get  "/evaluation/programmes/{id}" => pages::eval_programme::show, Public, "A programme: multi-year cost and indicators, every stage's verdict";
    get  "/evaluation/policies/{id}"  => pages::eval_measure::policy, Public, "A 施策: indicators, programmes, score and direction";
    get  "/evaluation/cycles/{id}/programmes.csv" => pages::evaluation::year_csv, Public, "A published year as open data (CSV)";
    get  "/evaluation/cycles/{id}/programmes.xlsx" => pages::eval_files::year_xlsx, Public, "A year's sheets as a workbook (import layout; unpublished years for the HQ)";
    get  "/evaluation/sheets/{id}/sheet.xlsx" => pages::eval_sheet_files::sheet_xlsx, Public, "One sheet as a one-page workbook (published, or for staff)";
    get  "/evaluation/sheets/{id}/sheet.pdf" => pages::eval_sheet_files::sheet_pdf, Public, "One sheet as a one-page PDF (published, or for staff)";
    get  "/staff/evaluation"          => pages::eval_work::staff, Staff, "Evaluation sheets to write or review";
    get  "/staff/evaluation/frames"   => pages::eval_work::frames_view, Staff, "Budget frames against requests and verdicts";
    get  "/staff/evaluation/sheets/{id}" => pages::eval_sheet::show, Staff, "An evaluation sheet (department's form, HQ review)";
    post "/staff/evaluation/sheets/{id}" => pages::eval_sheet_actions::save, Staff, "Save or submit a sheet (一次評価)";
    post "/staff/evaluation/sheets/{id}/approval" => pages::eval_sheet_actions::manager_action, Staff, "所属長承認: approve a sheet for the HQ or return it";
    post "/staff/evaluation/sheets/{id}/indicators" => pages::eval_sheet_actions::add_indicator, Staff, "Add an indicator to a programme";
    get  "/committee/evaluation"      => pages::eval_work::committee, Committee, "Sheets chosen for external evaluation";
    get  "/committee/evaluation/sheets/{id}" => pages::eval_sheet::committee_show, Committee, "A sheet for external evaluation";
    post "/committee/evaluation/sheets/{id}" => pages::eval_sheet_actions::committee_decide, Committee, "Record the external evaluation (外部評価)";
    get  "/hq/evaluation"             => pages::eval_hq::index, ReformHq, "Evaluation years, unit costs";
    post "/hq/evaluation/cycles"      => pages::eval_hq::create_cycle, ReformHq, "Open an evaluation year";
    get  "/hq/evaluation/cycles/{id}" => pages::eval_hq::cycle, ReformHq, "A year's progress by department, 施策 rollup, sheets";
    post "/hq/evaluation/cycles/{id}" => pages::eval_hq::cycle_action, ReformHq, "Publish, withdraw or send reminders";
    get  "/hq/evaluation/cycles/{id}/import" => pages::eval_files::import_form, ReformHq, "Import a year's sheets from a workbook";
    post "/hq/evaluation/cycles/{id}/import" => pages::eval_files::import, ReformHq, "Import sheets (checked first; flagged rows only when accepted)";
    post "/hq/evaluation/unit-costs"  => pages::eval_hq::unit_cost, ReformHq, "Set a personnel unit cost";
    post "/hq/evaluation/policies/{id}" => pages::eval_hq::policy_direction, ReformHq, "Set a 施策's direction";
    post "/hq/evaluation/sheets/{id}" => pages::eval_sheet_actions::hq_action, ReformHq, "二次評価, final decision, return, external, plan link";
    post "/hq/evaluation/frames"      => pages::eval_work::set_frame, ReformHq, "Set a department's budget frame";
    get  "/hq/evaluation/policies"    => pages::eval_policies::show, ReformHq, "The comprehensive plan: policy hierarchy and 施策 indicators";
    post "/hq/evaluation/policies"    => pages::eval_policies::save, ReformHq, "Add a plan, a node, an indicator or a yearly value";
    get  "/hq/evaluation/policy-nodes/{id}" => pages::eval_policy_node::show, ReformHq, "Correct a node of the comprehensive plan, or remove it";
    post "/hq/evaluation/policy-nodes/{id}" => pages::eval_policy_node::save, ReformHq, "Correct a node's number, title and goal";
    post "/hq/evaluation/policy-nodes/{id}/delete" => pages::eval_policy_node::delete, ReformHq, "Remove a node nothing refers to";
    get  "/hq/evaluation/programmes"  => pages::eval_programmes::index, ReformHq, "The programme master; new programme form";
    post "/hq/evaluation/programmes"  => pages::eval_programmes::create, ReformHq, "Create a programme";
    get  "/hq/evaluation/programmes/{id}" => pages::eval_programmes::edit, ReformHq, "Edit, merge or split a programme";
    post "/hq/evaluation/programmes/{id}" => pages::eval_programmes::update, ReformHq, "Save, merge (統合) or split (分割) a programme";
    // Administration
    get  "/admin"                     => pages::admin::index, SysAdmin, "Administration";
    get  "/admin/departments"         => pages::admin::departments, SysAdmin, "Departments";
    post "/admin/departments"         => pages::admin::create_department, SysAdmin, "Create a department";
    get  "/admin/committees"          => pages::admin::committees, SysAdmin, "Committees";
    post "/admin/committees"          => pages::admin::create_committee, SysAdmin, "Create a committee";
    get  "/admin/users"               => pages::admin::users, SysAdmin, "Users";
    post "/admin/users"               => pages::admin::create_staff, SysAdmin, "Create a staff account";
    get  "/admin/users/{id}"          => pages::admin::user, SysAdmin, "One user and their roles";
    post "/admin/users/{id}/grant"    => pages::admin::grant, SysAdmin, "Grant a role";
    post "/admin/users/{id}/revoke"   => pages::admin::revoke, SysAdmin, "Revoke a role";
    get  "/admin/audit"               => pages::admin_audit::list, SysAdmin, "Audit log";
    get  "/admin/audit.csv"           => pages::admin_audit::csv, SysAdmin, "Audit log as CSV";
    get  "/admin/outbox"              => pages::admin::outbox, SysAdmin, "Mail outbox";
    // JSON API
    get  "/api/v1/openapi.json"       => api::openapi, Public, "This OpenAPI document";
    get  "/api/v1/organization"       => api::organization, Public, "The organization";
    get  "/api/v1/departments"        => api::departments, Public, "Department tree";
    get  "/api/v1/plans"              => api::plans::list, Public, "Plans";
    get  "/api/v1/plans/{id}"         => api::plans::show, Public, "A plan with items, indicators, effects and published reports";
    get  "/api/v1/me"                 => api::me, SignedIn, "The signed-in user";
    get  "/api/v1/admin/users"        => api::users, SysAdmin, "Users with roles";
    post "/api/v1/admin/departments"  => api::create_department, SysAdmin, "Create a department";
    get  "/api/v1/admin/audit"        => api::audit, SysAdmin, "Audit log entries";
}
