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
    get  "/login"                     => pages::accounts::auth::login_form, Public, "Sign-in form";
    post "/login"                     => pages::accounts::auth::login, Public, "Sign in";
    post "/logout"                    => pages::accounts::auth::logout, SignedIn, "Sign out";
    get  "/register"                  => pages::accounts::auth::register_form, Public, "Citizen registration form";
    post "/register"                  => pages::accounts::auth::register, Public, "Register as a citizen";
    get  "/verify"                    => pages::accounts::auth::verify, Public, "Confirm an e-mail address";
    get  "/password/forgot"           => pages::accounts::auth::forgot_form, Public, "Password reset request form";
    post "/password/forgot"           => pages::accounts::auth::forgot, Public, "Request a password reset";
    get  "/password/reset"            => pages::accounts::auth::reset_form, Public, "New password form";
    post "/password/reset"            => pages::accounts::auth::reset, Public, "Set a new password";
    get  "/account"                   => pages::accounts::profile::show, SignedIn, "Own account";
    post "/account/password"          => pages::accounts::profile::change_password, SignedIn, "Change own password";
    // Portals by role
    get  "/staff"                     => pages::portals::staff, Staff, "Staff portal";
    get  "/committee"                 => pages::portals::committee, Committee, "Committee portal";
    get  "/hq"                        => pages::portals::hq, ReformHq, "Reform HQ portal";
    // Plans and progress (実施計画・進行管理)
    get  "/plans"                     => pages::plans::tree::list, Public, "Plans";
    get  "/plans/{id}"                => pages::plans::tree::show, Public, "A plan: tree, schedules, ratings, totals (filters)";
    get  "/plans/{id}/items.csv"      => pages::plans::open_data::items_csv, Public, "Plan items as CSV";
    get  "/plans/{id}/reports.csv"    => pages::plans::open_data::reports_csv, Public, "Published progress reports as CSV";
    get  "/plans/{id}/indicators.csv" => pages::plans::open_data::indicators_csv, Public, "Indicators as CSV";
    get  "/plans/{id}/effects.csv"    => pages::plans::open_data::effects_csv, Public, "Fiscal effects as CSV";
    get  "/plans/{id}/annual-report"  => pages::plans::open_data::annual, Public, "Annual progress report (print-ready)";
    get  "/plans/{id}/plan.xlsx"      => pages::plans::hq::import_export::export_xlsx, Public, "The plan as a workbook (import layout)";
    get  "/plans/{id}/plan.csv"       => pages::plans::hq::import_export::export_csv, Public, "The plan sheet as CSV (import layout)";
    get  "/plans/{id}/annual-report.xlsx" => pages::plans::hq::import_export::annual_xlsx, Public, "Annual progress report as a workbook";
    get  "/plans/{id}/annual-report.pdf" => pages::plans::hq::import_export::annual_pdf, Public, "Annual progress report as a PDF";
    get  "/plans/items/{id}"          => pages::plans::item::show, Public, "An action item with its reports and charts";
    post "/plans/items/{id}/rating"   => pages::plans::participation::rate, SignedIn, "Rate an item's progress (市民評価)";
    post "/plans/items/{id}/comments" => pages::plans::participation::comment, SignedIn, "Comment on an item";
    post "/comments/{id}/flag"        => pages::plans::participation::flag, SignedIn, "Report a comment to the moderators";
    post "/plans/items/{id}/opinions" => pages::plans::participation::opinion, Committee, "Committee opinion on an item's report";
    post "/plans/{id}/opinions"       => pages::councils::opinions::on_plan, Committee, "Committee follow-up opinion on a whole plan";
    get  "/staff/reports"             => pages::plans::work::work_list, Staff, "Progress reports to write";
    get  "/plans/items/{id}/change"   => pages::plans::changes::form, Staff, "Request a change or discontinuation";
    post "/plans/items/{id}/change"   => pages::plans::changes::submit, Staff, "Submit a change request";
    get  "/plans/items/{id}/report"   => pages::plans::reports::edit, Staff, "Write a progress report";
    post "/plans/items/{id}/report"   => pages::plans::report_save::save, Staff, "Save a progress report as a draft";
    post "/plans/items/{id}/report/submit" => pages::plans::report_save::submit, Staff, "Submit a progress report";
    post "/plans/items/{id}/report/attachments" => pages::plans::report_files::attach, Staff, "Attach a file to a progress report";
    get  "/attachments/{id}"          => pages::plans::report_files::download, Public, "A report attachment (public once published)";
    post "/plans/items/{id}/report/review/confirm" => pages::plans::review::confirm, Staff, "所属長承認: pass a report on to the HQ";
    post "/plans/items/{id}/report/review/return" => pages::plans::review::send_back, Staff, "Return a report to its department (所属長 or HQ)";
    post "/plans/items/{id}/report/review/approve" => pages::plans::review::approve, Staff, "The HQ approves a report";
    post "/plans/items/{id}/report/review/publish" => pages::plans::review::publish, Staff, "The HQ publishes a report";
    get  "/hq/plans"                  => pages::plans::hq::import_export::index, ReformHq, "All plans, drafts included";
    get  "/hq/plans/import"           => pages::plans::hq::import_export::import_form, ReformHq, "Import a plan from xlsx or CSV";
    post "/hq/plans/import"           => pages::plans::hq::import_export::import, ReformHq, "Import a plan (checked first, all or nothing)";
    post "/hq/plans/{id}/status"      => pages::plans::hq::import_export::set_status, ReformHq, "Adopt, finish or return a plan to draft";
    get  "/hq/plans/new"              => pages::plans::hq::edit::new_form, ReformHq, "New plan form";
    post "/hq/plans/new"              => pages::plans::hq::edit::create, ReformHq, "Create a plan (draft)";
    get  "/hq/plans/{id}/edit"        => pages::plans::hq::edit::edit, ReformHq, "Edit a plan's tree";
    post "/hq/plans/{id}"             => pages::plans::hq::edit::update_plan, ReformHq, "Change a plan's title and goal";
    post "/hq/nodes/{id}/delete"      => pages::plans::hq::edit::delete_node, ReformHq, "Delete an unused node";
    post "/hq/plans/{id}/nodes"       => pages::plans::hq::edit::add_node, ReformHq, "Add a node to a plan";
    get  "/hq/plans/{id}/periods"     => pages::plans::hq::settings::show, ReformHq, "Reporting periods and deadlines";
    post "/hq/plans/{id}/periods"     => pages::plans::hq::settings::add_quarters, ReformHq, "Add quarterly periods for a year";
    post "/hq/periods/{id}"           => pages::plans::hq::settings::update, ReformHq, "Change a period's label and deadline";
    get  "/hq/nodes/{id}"             => pages::plans::hq::node_edit::show, ReformHq, "Edit a node, its indicators and effects";
    post "/hq/nodes/{id}"             => pages::plans::hq::node_edit::update, ReformHq, "Save a node";
    post "/hq/nodes/{id}/indicators"  => pages::plans::hq::node_edit::add_indicator, ReformHq, "Add an indicator";
    post "/hq/indicators/{id}"        => pages::plans::hq::node_edit::indicator_values, ReformHq, "Set an indicator's targets and actuals";
    post "/hq/nodes/{id}/effects"     => pages::plans::hq::node_edit::add_effect, ReformHq, "Add a fiscal effect";
    post "/hq/effects/{id}/delete"    => pages::plans::hq::node_edit::delete_effect, ReformHq, "Delete a fiscal effect";
    post "/hq/changes/{id}/approve"   => pages::plans::changes::approve, ReformHq, "Approve a change request";
    post "/hq/changes/{id}/reject"    => pages::plans::changes::reject, ReformHq, "Reject a change request";
    get  "/hq/codes"                  => pages::plans::hq::settings::codes_list, ReformHq, "Code lists (vocabularies)";
    post "/hq/codes"                  => pages::plans::hq::settings::save_code, ReformHq, "Add or relabel a code";
    get  "/hq/plans/{id}"             => pages::plans::hq::dashboard::dashboard, ReformHq, "Progress dashboard of a plan";
    get  "/hq/opinions"               => pages::councils::opinions::hq, ReformHq, "Committee opinions awaiting the city's response (plans, items, 施策)";
    post "/hq/opinions/{id}"          => pages::plans::hq::dashboard::respond, ReformHq, "The city's response to a committee opinion";
    get  "/hq/comments"               => pages::plans::hq::moderation::moderation, ReformHq, "Comment moderation";
    post "/hq/comments/{id}/publish"  => pages::plans::hq::moderation::publish, ReformHq, "Publish a comment (with the city's answer)";
    post "/hq/comments/{id}/hide"     => pages::plans::hq::moderation::hide, ReformHq, "Hide a comment, with the reason";
    get  "/hq/minutes/import"         => pages::minutes::import::form, ReformHq, "会議録 import form (plain text or NDL JSON)";
    post "/hq/minutes/import"         => pages::minutes::import::import, ReformHq, "Import minutes: checked whole, written in one transaction";
    get  "/hq/departments/import"     => pages::accounts::department_import::form, ReformHq, "Import departments (部・課・係) from a CSV or xlsx list";
    post "/hq/departments/import"     => pages::accounts::department_import::import, ReformHq, "Import departments (checked first, all or nothing)";
    get  "/hq/settings/approval"      => pages::plans::hq::approval::show, ReformHq, "所属長承認: whether department data passes its manager";
    post "/hq/settings/approval"      => pages::plans::hq::approval::save, ReformHq, "Turn the 所属長 approval step on or off";
    post "/hq/settings/comments"      => pages::plans::hq::moderation::set_mode, ReformHq, "Moderate comments before or after publication";
    // Surveys (電子アンケート)
    get  "/minutes"                   => pages::minutes::search::search, Public, "会議録: search speeches (AND, OR, NOT, phrases, filters), or the newest meetings";
    get  "/minutes/meetings/{id}"     => pages::minutes::meeting::show, Public, "会議録: a meeting's speeches, hits marked";
    get  "/minutes/meetings/{id}/speeches.csv" => pages::minutes::meeting::speeches_csv, Public, "会議録: a meeting's speeches as open data (CSV)";
    // Public comment (意見公募)
    get  "/consultations"             => pages::participation::public::list, Public, "意見公募: consultations by phase (募集中 / 予告 / 結果公表待ち / 結果公表済)";
    get  "/consultations/calendar.ics" => pages::participation::public::calendar, Public, "意見公募: every consultation's period as an iCal calendar";
    get  "/consultations/subscribe"   => pages::participation::subscription::form, Public, "意見公募: subscribe to new consultations and results by e-mail";
    post "/consultations/subscribe"   => pages::participation::subscription::subscribe, Public, "Subscribe an e-mail address (a confirmation link is mailed)";
    get  "/consultations/subscription" => pages::participation::subscription::manage, Public, "意見公募: confirm or cancel a subscription (the mailed link)";
    post "/consultations/subscription" => pages::participation::subscription::update, Public, "Confirm or cancel a subscription";
    get  "/consultations/feed.atom"   => pages::participation::public::feed, Public, "意見公募: new consultations and published results (Atom)";
    get  "/consultations/results.csv" => pages::participation::result::all_csv, Public, "意見公募: every published result's 意見の概要 and 市の考え方 (open data, CSV)";
    get  "/consultations/{id}"        => pages::participation::public::show, Public, "意見公募: a consultation and its draft by section";
    get  "/consultations/{id}/opinion" => pages::participation::opinion::form, Public, "意見公募: the opinion form (no account needed)";
    post "/consultations/{id}/opinion" => pages::participation::opinion::submit, Public, "Submit an opinion (a receipt number; a guest confirms by e-mail)";
    get  "/consultations/{id}/result" => pages::participation::result::page, Public, "意見公募: the published result (意見の概要と市の考え方, the revised draft marked)";
    get  "/consultations/{id}/result.csv" => pages::participation::result::csv, Public, "意見公募: a published result (CSV)";
    get  "/consultations/{id}/result.json" => pages::participation::result::json, Public, "意見公募: a published result (JSON)";
    get  "/consultations/{id}/result.xlsx" => pages::participation::result::xlsx, Public, "意見公募: a published result (xlsx)";
    get  "/consultations/{id}/result.pdf" => pages::participation::result::pdf, Public, "意見公募: a published result (PDF)";
    get  "/consultations/opinions/{id}" => pages::participation::opinion::receipt, Public, "意見公募: one's own opinion with the key from the receipt mail";
    post "/consultations/opinions/{id}/confirm" => pages::participation::opinion::confirm, Public, "Confirm one's opinion with the key from the mail";
    get  "/staff/consultations"       => pages::participation::staff::list, Staff, "意見公募: every consultation; open a new one";
    post "/staff/consultations"       => pages::participation::staff::create, Staff, "Open a consultation (draft by sections, period with the minimum length)";
    get  "/staff/consultations/{id}"  => pages::participation::work::show, Staff, "意見公募: the department's work on the opinions";
    post "/staff/consultations/{id}/opinions" => pages::participation::work::enter, Staff, "Enter an opinion that came by mail, FAX, the counter or e-mail";
    post "/staff/consultations/{id}/groups" => pages::participation::work::group, Staff, "Group opinions under one 意見の概要";
    post "/staff/consultations/{id}/revise" => pages::participation::work::revise, Staff, "A section of the revised draft";
    post "/staff/consultations/{id}/documents" => pages::documents::add_to_consultation, Staff, "Add a related document (PDF …) to a consultation";
    post "/staff/documents/{id}/remove" => pages::documents::remove, Staff, "Remove a document from a consultation (staff) or a council meeting (the HQ)";
    get  "/documents/{id}"            => pages::documents::download, Public, "A document: public with its consultation or public meeting, else to those who manage it";
    post "/staff/consultations/{id}/submit" => pages::participation::work::submit, Staff, "Send the result to the HQ for approval";
    post "/staff/consultations/groups/{id}" => pages::participation::work::answer, Staff, "意見の概要, 市の考え方 and 修正の有無 of a group";
    post "/staff/consultations/opinions/{id}/redact" => pages::participation::work::redact, Staff, "The text of an opinion as it will be published";
    post "/hq/consultations/{id}/decide" => pages::participation::work::decide, ReformHq, "Publish a consultation's result (結果の公表) or send it back";
    // Councils (審議会等)
    get  "/advisers"                  => pages::advisers::public::register, Public, "外部有識者: the register (field, affiliation, term, assignments) and the published comments";
    get  "/hq/advisers"               => pages::advisers::hq::show, ReformHq, "外部有識者: the register, assignments and every comment with its publication switch";
    post "/hq/advisers"               => pages::advisers::hq::register, ReformHq, "Register an adviser (the account is found by e-mail or made with a password link)";
    post "/hq/advisers/assignments"   => pages::advisers::hq::assign, ReformHq, "Assign an adviser to a plan, a consultation, an evaluation year or a council";
    post "/hq/advisers/comments/{id}/publish" => pages::advisers::hq::publish, ReformHq, "Publish an adviser's comment or withdraw it";
    get  "/adviser"                   => pages::advisers::mine::list, SignedIn, "外部有識者: what the signed-in adviser is assigned to (within the term)";
    get  "/adviser/assignments/{id}"  => pages::advisers::mine::show, SignedIn, "外部有識者: an assignment's work in progress (no personal data) and one's comments";
    post "/adviser/assignments/{id}/comments" => pages::advisers::mine::comment, SignedIn, "An adviser's comment on an assignment (internal until the HQ publishes it)";
    get  "/councils"                  => pages::councils::public::list, Public, "審議会等: the register with members, women's share, 公募, term, basis and department per body";
    get  "/councils/{id}"             => pages::councils::public::body, Public, "審議会等: a body and its current members (names and occupations as the body decided)";
    get  "/hq/councils"               => pages::councils::hq::dashboard, ReformHq, "審議会等: bodies missing a target, terms ending soon, members over a limit; add a body";
    post "/hq/councils"               => pages::councils::hq::create, ReformHq, "Add a body to the council register";
    get  "/hq/councils/{id}"          => pages::councils::hq::body, ReformHq, "審議会等: a body's members; appoint one";
    post "/hq/councils/{id}/members"  => pages::councils::hq::appoint, ReformHq, "Appoint a member to a body for a term";
    post "/hq/councils/{id}/inquiries" => pages::councils::inquiries::ask, ReformHq, "Record a 諮問 to a body";
    post "/hq/councils/inquiries/{id}/answer" => pages::councils::inquiries::answer, ReformHq, "Record a 答申 with its recommendations";
    post "/hq/councils/inquiries/{id}/decide" => pages::councils::inquiries::decide, ReformHq, "The city's decision on one recommendation (検討結果)";
    post "/hq/councils/{id}/committee" => pages::councils::hq::link_committee, ReformHq, "Link a body to the committee its members sit on (follow-up opinions on plan items)";
    post "/hq/councils/{id}/calls"    => pages::councils::recruitment::open, ReformHq, "委員公募: open a call for publicly recruited members";
    get  "/hq/councils/calls/{id}"    => pages::councils::recruitment::hq_show, ReformHq, "委員公募: the applications with their essays; select and publish the result";
    post "/hq/councils/calls/{id}/decide" => pages::councils::recruitment::decide, ReformHq, "委員公募: record the selection and publish the result";
    get  "/councils/calls/{id}"       => pages::councils::recruitment::show, Public, "委員公募: a call (conditions, seats, period, result) and its application form";
    post "/councils/calls/{id}/apply" => pages::councils::recruitment::apply, Public, "Apply to a call for council members (the essay typed or pasted)";
    post "/hq/councils/{id}/meetings" => pages::councils::meetings::announce, ReformHq, "Announce a council meeting (date, place, agenda, public or closed, 傍聴 seats)";
    get  "/hq/councils/meetings/{id}" => pages::councils::meetings::hq_show, ReformHq, "審議会等: a meeting's 傍聴 registrations and its minutes form";
    post "/hq/councils/meetings/{id}/documents" => pages::documents::add_to_meeting, ReformHq, "Add a meeting document (配布資料)";
    post "/hq/councils/meetings/{id}/minutes" => pages::councils::meetings::minutes, ReformHq, "Record a meeting's minutes in the published layout";
    get  "/councils/meetings/{id}"    => pages::councils::meetings::show, Public, "審議会等: a meeting — announcement, 傍聴 registration, the minutes once recorded";
    get  "/councils/meetings/{id}/cancel" => pages::councils::observers::form, Public, "傍聴: cancel a registration with the mailed link (asks first)";
    post "/councils/meetings/{id}/cancel" => pages::councils::observers::cancel, Public, "Cancel a 傍聴 registration (a freed seat goes to the first waiting, told by mail)";
    post "/councils/meetings/{id}/observe" => pages::councils::meetings::observe, Public, "Register to observe a meeting (傍聴; beyond the capacity, the waiting list)";
    // Facilities (施設予約)
    get  "/facilities"                => pages::reservations::facilities::list, Public, "施設予約: the facilities and their rooms";
    get  "/facilities/public-facilities.csv" => pages::reservations::facility_import::export_csv, Public, "公共施設一覧: every facility in the national recommended open-data layout (CSV)";
    get  "/facilities/my"             => pages::reservations::booking::mine, SignedIn, "施設予約: own registration and bookings";
    get  "/facilities/register"       => pages::reservations::registration::form, SignedIn, "利用者登録 form (仮登録 online)";
    post "/facilities/register"       => pages::reservations::registration::register, SignedIn, "Register as a facility user (仮登録), or change one's details";
    get  "/facilities/{id}"           => pages::reservations::facilities::facility, Public, "施設予約: a facility, its rooms, slots and fees";
    get  "/facilities/rooms/{id}"     => pages::reservations::facilities::room, Public, "施設予約: a room's month of availability (空き状況)";
    get  "/facilities/rooms/{id}/calendar.ics" => pages::reservations::facilities::ical, Public, "施設予約: a room's taken slots as an iCal feed";
    get  "/facilities/rooms/{id}/book" => pages::reservations::booking::form, SignedIn, "施設予約: the booking form (仮予約)";
    post "/facilities/rooms/{id}/book" => pages::reservations::booking::book, SignedIn, "Book a room and slot (仮予約; 409 when taken)";
    post "/facilities/bookings/{id}/cancel" => pages::reservations::booking::cancel, SignedIn, "Cancel one's own booking (until the cancellation deadline)";
    get  "/facilities/lotteries/{id}" => pages::reservations::lottery::show, Public, "抽選: a lottery (before the draw the seed's SHA-256, after it the seed and the wins by entry number)";
    get  "/facilities/lotteries/{id}/inputs.csv" => pages::reservations::lottery::inputs_csv, Public, "抽選: the draw's inputs (wishes by entry number, pairs not available) to run it again";
    get  "/facilities/lotteries/{id}/apply" => pages::reservations::lottery::apply_form, SignedIn, "抽選: the application form (up to three wishes)";
    post "/facilities/lotteries/{id}/apply" => pages::reservations::lottery::apply, SignedIn, "Apply to a lottery, or change one's wishes";
    get  "/staff/facilities/lotteries" => pages::reservations::lotteries::list, Staff, "抽選: the lotteries; open one";
    post "/staff/facilities/lotteries" => pages::reservations::lotteries::create, Staff, "Open a lottery for a room's month";
    post "/staff/facilities/lotteries/{id}/draw" => pages::reservations::lotteries::draw, Staff, "Draw a lottery (its wins become 仮予約)";
    get  "/staff/facilities"          => pages::reservations::counter::day_list, Staff, "施設予約 counter: a day's bookings at every facility";
    post "/staff/facilities/bookings/{id}/confirm" => pages::reservations::counter::confirm, Staff, "本予約: a 仮予約 paid or confirmed at the counter";
    post "/staff/facilities/bookings/{id}/cancel" => pages::reservations::counter::cancel, Staff, "Cancel a booking at the counter";
    post "/staff/facilities/bookings/{id}/no-show" => pages::reservations::counter::no_show, Staff, "不使用: a 本予約 nobody came for (or the mark taken back)";
    get  "/staff/facilities/bookings/{id}/permit" => pages::reservations::counter::permit, Staff, "利用許可書 of a 本予約 (print-ready)";
    get  "/staff/facilities/bookings/{id}/permit.pdf" => pages::reservations::counter::permit_pdf, Staff, "利用許可書 of a 本予約 as PDF";
    get  "/staff/facilities/import"   => pages::reservations::facility_import::form, Staff, "Import facilities from a 公共施設一覧 (CSV or xlsx)";
    post "/staff/facilities/import"   => pages::reservations::facility_import::import, Staff, "Import facilities (checked first, all or nothing)";
    get  "/staff/facilities/closures" => pages::reservations::closures::list, Staff, "休館: closures of facilities and rooms";
    post "/staff/facilities/closures" => pages::reservations::closures::close, Staff, "Close a facility or room for a period; lists the bookings to contact";
    get  "/staff/cars"                => pages::reservations::cars::day_list, Staff, "公用車: a day's car bookings, the booking form, use per car this month";
    post "/staff/cars/bookings"       => pages::reservations::cars::book, Staff, "Book an official car by the hour";
    post "/staff/cars/bookings/{id}/key-out" => pages::reservations::cars::key_out, Staff, "公用車: key handed over, with the odometer";
    post "/staff/cars/bookings/{id}/key-in" => pages::reservations::cars::key_in, Staff, "公用車: key returned, with the odometer";
    post "/staff/cars/bookings/{id}/cancel" => pages::reservations::cars::cancel, Staff, "公用車: cancel a booking (its hours are free again)";
    get  "/staff/facilities/{id}/management" => pages::reservations::management::show, Staff, "指定管理者: monthly reports beside the bookings' figures, the yearly evaluation";
    post "/staff/facilities/{id}/management/reports" => pages::reservations::management::report, Staff, "指定管理者: a month's report (users, revenue, incidents, complaints)";
    post "/staff/facilities/{id}/management/evaluation" => pages::reservations::management::evaluate, Staff, "指定管理者: the department's yearly monitoring evaluation";
    post "/staff/facilities/{id}/management/managers" => pages::reservations::management::managers, Staff, "指定管理者: assign an account (by e-mail) to send the reports, or take it away";
    // 窓口 — the case desk (市民の声 and the other case types)
    get  "/cases"                     => pages::cases::desk::desk, Public, "窓口: the kinds of case this visitor may send";
    get  "/cases/types/{id}"          => pages::cases::desk::form, Public, "窓口: a case type's form";
    post "/cases/types/{id}"          => pages::cases::desk::send, Public, "窓口: send a case; the receipt shows its number and access key once";
    get  "/cases/status"              => pages::cases::status::lookup_form, Public, "申請状況の確認: the number-and-key form";
    post "/cases/status"              => pages::cases::status::lookup, Public, "申請状況の確認: a case by number and access key (rate-limited)";
    post "/cases/status/reply"        => pages::cases::status::reply, Public, "申請状況の確認: the submitter's reply";
    post "/cases/status/withdraw"     => pages::cases::status::withdraw, Public, "申請状況の確認: the submitter withdraws an open case";
    get  "/cases/voices"              => pages::cases::voices::voices, Public, "市民の声と市の回答: published answers and the year's counts";
    get  "/cases/voices.csv"          => pages::cases::voices::published_csv, Public, "市民の声と市の回答: every published case (CSV, open data)";
    get  "/cases/counts.csv"          => pages::cases::voices::counts_csv, Public, "窓口: cases received by year, month, category and department (CSV, open data)";
    get  "/hq/cases"                  => pages::cases::hq::index, ReformHq, "窓口: the kinds of case, and a form to add one";
    post "/hq/cases"                  => pages::cases::hq::create, ReformHq, "窓口: add a kind of case (with an empty form)";
    get  "/hq/cases/{id}"             => pages::cases::hq::show, ReformHq, "窓口: a kind of case, its settings and routing rules";
    post "/hq/cases/{id}"             => pages::cases::hq::update, ReformHq, "窓口: change a kind of case";
    post "/hq/cases/{id}/routes"      => pages::cases::hq::add_route, ReformHq, "窓口: add a routing rule (an answer's option → a department)";
    post "/hq/cases/{id}/routes/remove" => pages::cases::hq::remove_route, ReformHq, "窓口: remove a routing rule";
    get  "/api/open311/v2/services.json" => api::open311::services_json, Public, "Open311 GeoReport v2: the public kinds of case as services (JSON)";
    get  "/api/open311/v2/services.xml" => api::open311::services_xml, Public, "Open311 GeoReport v2: services (XML)";
    get  "/api/open311/v2/services/{id}" => api::open311::service, Public, "Open311: a service's definition, its form's questions as attributes (`{code}.json` or `.xml`)";
    get  "/api/open311/v2/requests.json" => api::open311::requests_json, Public, "Open311: requests (service_request_id, service_code, start_date, end_date, status), public fields only";
    get  "/api/open311/v2/requests.xml" => api::open311::requests_xml, Public, "Open311: requests (XML)";
    post "/api/open311/v2/requests.json" => api::open311::create_json, Public, "Open311: send a request with the client's api_key (checked as the desk's form)";
    post "/api/open311/v2/requests.xml" => api::open311::create_xml, Public, "Open311: send a request (XML answer)";
    get  "/api/open311/v2/requests/{id}" => api::open311::request, Public, "Open311: one request by its number (`{id}.json` or `.xml`)";
    get  "/api/open311/v2/tokens/{id}" => api::open311::token, Public, "Open311: the request a token stands for (the number itself)";
    get  "/staff/cases"               => pages::cases::work::list, Staff, "窓口: the staff's work list with filters and deadlines";
    get  "/staff/cases.csv"           => pages::cases::work::csv, Staff, "窓口: the work list as filtered, every row (CSV)";
    post "/staff/cases/bulk"          => pages::cases::work::bulk, Staff, "窓口: one status for the chosen cases";
    get  "/staff/cases/{id}"          => pages::cases::case::show, Staff, "窓口: a case with its history and steps";
    post "/staff/cases/{id}/status"   => pages::cases::case::status, Staff, "窓口: set a case's status";
    post "/staff/cases/{id}/message"  => pages::cases::case::message, Staff, "窓口: a message to the submitter, or 差戻し";
    post "/staff/cases/{id}/note"     => pages::cases::case::note, Staff, "窓口: an internal note";
    post "/staff/cases/{id}/transfer" => pages::cases::case::transfer, Staff, "窓口: transfer to another department with a reason";
    post "/staff/cases/{id}/take"     => pages::cases::case::take, Staff, "窓口: take the case, or give it back";
    post "/staff/cases/{id}/answer"   => pages::cases::case::answer, Staff, "窓口: the city's answer";
    post "/staff/cases/{id}/merge"    => pages::cases::case::merge, Staff, "窓口: close as a duplicate of another case";
    post "/staff/cases/{id}/publish"  => pages::cases::case::publish, Staff, "窓口: publish the redacted text and answer";
    get  "/manager/facilities"        => pages::reservations::manager::list, SignedIn, "指定管理者: the facilities the signed-in account reports for";
    get  "/manager/facilities/{id}"   => pages::reservations::manager::show, SignedIn, "指定管理者: a facility's figures and the report form (assigned accounts only)";
    post "/manager/facilities/{id}/reports" => pages::reservations::manager::report, SignedIn, "指定管理者: a month's report, sent by the manager's own account";
    get  "/staff/facilities/{id}/edit" => pages::reservations::facility_edit::form, Staff, "Edit a facility: details, closed days, who runs it, who may book";
    post "/staff/facilities/{id}/edit" => pages::reservations::facility_edit::save, Staff, "Save a facility (each refusal beside its field)";
    get  "/staff/facilities/rooms"    => pages::reservations::rooms::list, Staff, "Rooms of every facility; add one with its fee table";
    post "/staff/facilities/rooms"    => pages::reservations::rooms::add, Staff, "Add a room with its slots and fees (the table checked line by line)";
    get  "/staff/facilities/users"    => pages::reservations::counter::users, Staff, "Registered facility users; 本登録 and 減免";
    post "/staff/facilities/users/{id}/activate" => pages::reservations::counter::activate, Staff, "本登録: identity checked at the counter";
    post "/staff/facilities/exemptions" => pages::reservations::counter::exemption, Staff, "Register a user's 減免 for a fiscal year";
    get  "/surveys"                   => pages::surveys::public::list, Public, "Surveys";
    get  "/surveys/{id}"              => pages::surveys::public::show, Public, "A questionnaire to answer";
    post "/surveys/{id}"              => pages::surveys::public::submit, Public, "Answer a survey (anonymous, once per browser)";
    get  "/surveys/{id}/results"      => pages::surveys::results::show, Public, "Results, cross-tabulation, portfolio and trend";
    get  "/surveys/{id}/results.pdf"  => pages::surveys::hq::files::results_pdf, Public, "The results report as a PDF";
    get  "/hq/surveys/{id}/responses.csv" => pages::surveys::hq::files::responses_csv, ReformHq, "A survey's responses as CSV (streamed)";
    get  "/hq/surveys/{id}/responses.xlsx" => pages::surveys::hq::files::responses_xlsx, ReformHq, "A survey's responses as a workbook (constant memory)";
    get  "/hq/surveys"                => pages::surveys::hq::manage::index, ReformHq, "Every survey, drafts included; new survey form";
    post "/hq/surveys"                => pages::surveys::hq::manage::create, ReformHq, "Create a survey (draft)";
    get  "/hq/surveys/{id}"           => pages::surveys::hq::builder::builder, ReformHq, "Build a survey: questions, conditions, status, codes, copy";
    post "/hq/surveys/{id}/questions" => pages::surveys::hq::builder::add_question, ReformHq, "Add a question to a draft survey";
    post "/hq/surveys/{id}/status"    => pages::surveys::hq::builder::set_status, ReformHq, "Open, close or return a survey to draft";
    post "/hq/surveys/{id}/limits"    => pages::surveys::hq::builder::set_limits, ReformHq, "Set a survey's answering period and quota";
    post "/hq/surveys/{id}/copy"      => pages::surveys::hq::builder::copy, ReformHq, "Copy a survey as next year's wave";
    post "/hq/surveys/{id}/codes"     => pages::surveys::hq::builder::codes, ReformHq, "Generate invitation codes (CSV download)";
    get  "/hq/surveys/{id}/paper"     => pages::surveys::hq::manage::paper, ReformHq, "Key in paper questionnaires";
    post "/hq/surveys/{id}/paper"     => pages::surveys::hq::manage::paper_save, ReformHq, "Save one paper questionnaire";
    // Administrative evaluation (行政評価・事務事業評価)
    get  "/evaluation"                => pages::evaluation::list::list, Public, "Programmes of a published year (filters, sorting by cost)";
    get  "/evaluation/programmes/{id}" => pages::evaluation::programme::show, Public, "A programme: multi-year cost and indicators, every stage's verdict";
    get  "/evaluation/policies/{id}"  => pages::evaluation::measure::policy, Public, "A 施策: indicators, programmes, score and direction";
    post "/evaluation/policies/{id}/opinions" => pages::councils::opinions::on_policy, Committee, "Committee follow-up opinion on a 施策";
    get  "/evaluation/cycles/{id}/programmes.csv" => pages::evaluation::list::year_csv, Public, "A published year as open data (CSV)";
    get  "/evaluation/cycles/{id}/programmes.xlsx" => pages::evaluation::files::year_xlsx, Public, "A year's sheets as a workbook (import layout; unpublished years for the HQ)";
    get  "/evaluation/sheets/{id}/sheet.xlsx" => pages::evaluation::sheet::files::sheet_xlsx, Public, "One sheet as a one-page workbook (published, or for staff)";
    get  "/evaluation/sheets/{id}/sheet.pdf" => pages::evaluation::sheet::files::sheet_pdf, Public, "One sheet as a one-page PDF (published, or for staff)";
    get  "/staff/evaluation"          => pages::evaluation::work::staff, Staff, "Evaluation sheets to write or review";
    get  "/staff/evaluation/frames"   => pages::evaluation::work::frames_view, Staff, "Budget frames against requests and verdicts";
    get  "/staff/evaluation/sheets/{id}" => pages::evaluation::sheet::page::show, Staff, "An evaluation sheet (department's form, HQ review)";
    post "/staff/evaluation/sheets/{id}" => pages::evaluation::sheet::actions::save, Staff, "Save a sheet's 一次評価 as a draft";
    post "/staff/evaluation/sheets/{id}/submit" => pages::evaluation::sheet::actions::submit, Staff, "Submit a sheet's 一次評価";
    post "/staff/evaluation/sheets/{id}/approval" => pages::evaluation::sheet::actions::manager_approve, Staff, "所属長承認: pass a sheet on to the HQ";
    post "/staff/evaluation/sheets/{id}/approval/return" => pages::evaluation::sheet::actions::manager_return, Staff, "所属長: return a sheet to its department";
    post "/staff/evaluation/sheets/{id}/indicators" => pages::evaluation::sheet::actions::add_indicator, Staff, "Add an indicator to a programme";
    get  "/committee/evaluation"      => pages::evaluation::work::committee, Committee, "Sheets chosen for external evaluation";
    get  "/committee/evaluation/sheets/{id}" => pages::evaluation::sheet::page::committee_show, Committee, "A sheet for external evaluation";
    post "/committee/evaluation/sheets/{id}" => pages::evaluation::sheet::actions::committee_decide, Committee, "Record the external evaluation (外部評価)";
    get  "/hq/evaluation"             => pages::evaluation::hq::cycles::index, ReformHq, "Evaluation years, unit costs";
    post "/hq/evaluation/cycles"      => pages::evaluation::hq::cycles::create_cycle, ReformHq, "Open an evaluation year";
    get  "/hq/evaluation/cycles/{id}" => pages::evaluation::hq::cycles::cycle, ReformHq, "A year's progress by department, 施策 rollup, sheets";
    post "/hq/evaluation/cycles/{id}/publish" => pages::evaluation::hq::publication::publish, ReformHq, "Publish a year's results";
    post "/hq/evaluation/cycles/{id}/withdraw" => pages::evaluation::hq::publication::withdraw, ReformHq, "Withdraw a published year";
    post "/hq/evaluation/cycles/{id}/remind" => pages::evaluation::hq::publication::remind, ReformHq, "Mail the departments whose sheets are still drafts";
    get  "/hq/evaluation/cycles/{id}/import" => pages::evaluation::import::form, ReformHq, "Import a year's sheets from a workbook: the upload form";
    post "/hq/evaluation/cycles/{id}/import" => pages::evaluation::import::upload, ReformHq, "Upload a workbook (kept for its review)";
    get  "/hq/evaluation/imports/{id}" => pages::evaluation::import::review, ReformHq, "An upload's review: sheet, header row, mapping, translation, problems, preview (or its report once applied)";
    post "/hq/evaluation/imports/{id}" => pages::evaluation::import::check, ReformHq, "Re-check an upload with new choices, or apply it (all or nothing; flagged rows only when accepted)";
    get  "/hq/evaluation/imports/{id}/report.csv" => pages::evaluation::import::report_csv, ReformHq, "What an applied import did, as CSV";
    post "/hq/evaluation/unit-costs"  => pages::evaluation::hq::cycles::unit_cost, ReformHq, "Set a personnel unit cost";
    post "/hq/evaluation/policies/{id}" => pages::evaluation::hq::directions::policy_direction, ReformHq, "Set a 施策's direction";
    post "/hq/evaluation/sheets/{id}/verdict" => pages::evaluation::sheet::actions::hq_verdict, ReformHq, "二次評価 or the final decision";
    post "/hq/evaluation/sheets/{id}/return" => pages::evaluation::sheet::actions::hq_return, ReformHq, "Return a submitted sheet to its department";
    post "/hq/evaluation/sheets/{id}/external" => pages::evaluation::sheet::actions::hq_external_on, ReformHq, "Choose a sheet for 外部評価";
    post "/hq/evaluation/sheets/{id}/external/remove" => pages::evaluation::sheet::actions::hq_external_off, ReformHq, "Take a sheet off the 外部評価 list";
    post "/hq/evaluation/sheets/{id}/plan-link" => pages::evaluation::sheet::actions::hq_link, ReformHq, "Link a sheet to a plan item";
    post "/hq/evaluation/frames"      => pages::evaluation::work::set_frame, ReformHq, "Set a department's budget frame";
    get  "/hq/evaluation/policies"    => pages::evaluation::hq::policies::show, ReformHq, "The comprehensive plan: policy hierarchy and 施策 indicators";
    post "/hq/evaluation/policies/plans" => pages::evaluation::hq::policies::add_plan, ReformHq, "Add a comprehensive plan (総合計画)";
    post "/hq/evaluation/policies/nodes" => pages::evaluation::hq::policies::add_node, ReformHq, "Add a 政策 or 施策";
    post "/hq/evaluation/policies/indicators" => pages::evaluation::hq::policies::add_indicator, ReformHq, "Add an indicator to a 施策";
    post "/hq/evaluation/policies/values" => pages::evaluation::hq::policies::set_value, ReformHq, "Set an indicator's target and actual for a year";
    get  "/hq/evaluation/policy-nodes/{id}" => pages::evaluation::hq::policy_node::show, ReformHq, "Correct a node of the comprehensive plan, or remove it";
    post "/hq/evaluation/policy-nodes/{id}" => pages::evaluation::hq::policy_node::save, ReformHq, "Correct a node's number, title and goal";
    post "/hq/evaluation/policy-nodes/{id}/delete" => pages::evaluation::hq::policy_node::delete, ReformHq, "Remove a node nothing refers to";
    get  "/hq/evaluation/programmes"  => pages::evaluation::hq::programmes::index, ReformHq, "The programme master; new programme form";
    post "/hq/evaluation/programmes"  => pages::evaluation::hq::programmes::create, ReformHq, "Create a programme";
    get  "/hq/evaluation/programmes/{id}" => pages::evaluation::hq::programmes::edit, ReformHq, "Edit, merge or split a programme";
    post "/hq/evaluation/programmes/{id}" => pages::evaluation::hq::programmes::update, ReformHq, "Save a programme's master data";
    post "/hq/evaluation/programmes/{id}/merge" => pages::evaluation::hq::programmes::merge, ReformHq, "Merge (統合) a programme into another";
    post "/hq/evaluation/programmes/{id}/split" => pages::evaluation::hq::programmes::split, ReformHq, "Split (分割) a programme into new ones";
    // Administration
    get  "/admin"                     => pages::admin::home::index, SysAdmin, "Administration";
    get  "/admin/departments"         => pages::admin::departments::departments, SysAdmin, "Departments";
    post "/admin/departments"         => pages::admin::departments::create_department, SysAdmin, "Create a department";
    get  "/admin/committees"          => pages::admin::committees::committees, SysAdmin, "Committees";
    post "/admin/committees"          => pages::admin::committees::create_committee, SysAdmin, "Create a committee";
    get  "/admin/users"               => pages::admin::users::users, SysAdmin, "Users";
    post "/admin/users"               => pages::admin::users::create_staff, SysAdmin, "Create a staff account";
    get  "/admin/users/{id}"          => pages::admin::users::user, SysAdmin, "One user and their roles";
    post "/admin/users/{id}/grant"    => pages::admin::users::grant, SysAdmin, "Grant a role";
    post "/admin/users/{id}/revoke"   => pages::admin::users::revoke, SysAdmin, "Revoke a role";
    get  "/admin/audit"               => pages::admin::audit::list, SysAdmin, "Audit log";
    get  "/admin/audit.csv"           => pages::admin::audit::csv, SysAdmin, "Audit log as CSV";
    get  "/admin/outbox"              => pages::admin::home::outbox, SysAdmin, "Mail outbox";
    get  "/admin/opendata"            => pages::opendata::license_form, SysAdmin, "The open-data licence (CC BY 4.0 unless chosen otherwise)";
    post "/admin/opendata"            => pages::opendata::choose_license, SysAdmin, "Choose the open-data licence";
    // JSON API
    // Finances (財政): budgets and settlements
    get  "/finance"                   => pages::finance::public::budget, Public, "予算・決算: an edition by 款 and 性質 (charts with tables), revenue, where my taxes go";
    get  "/finance/editions/{id}/lines.csv" => pages::finance::public::lines_csv, Public, "予算・決算: an edition's lines as open data (CSV, 円)";
    get  "/hq/finance/import"         => pages::finance::budget_import::form, ReformHq, "Import a budget or settlement file (CSV or xlsx), with a column mapping for other layouts";
    post "/hq/finance/import"         => pages::finance::budget_import::import, ReformHq, "Import a budget file (every total checked, all or nothing)";
    get  "/finance/statements"        => pages::finance::statements::page, Public, "財務書類: the four statements with their checks, 一人当たり figures and notes";
    get  "/finance/statements/{id}/lines.csv" => pages::finance::statements::csv, Public, "財務書類: a set as open data in the import layout (CSV, 円)";
    get  "/hq/finance/statements/import" => pages::finance::import::statements_form, ReformHq, "Import the four statements (CSV or xlsx)";
    post "/hq/finance/statements/import" => pages::finance::import::statements, ReformHq, "Import statements (totals and identities checked, all or nothing)";
    get  "/finance/indicators"        => pages::finance::indicators::page, Public, "財政指標: history, thresholds, where the latest year stands, what each means";
    get  "/finance/indicators.csv"    => pages::finance::indicators::csv, Public, "財政指標 as open data (CSV): every year's value, computed or entered";
    get  "/hq/finance/indicators"     => pages::finance::indicators::form, ReformHq, "Enter a year's fiscal indicators and the figures they are computed from";
    post "/hq/finance/indicators"     => pages::finance::indicators::save, ReformHq, "Save a year's fiscal indicators (each refused beside its field)";
    get  "/finance/outlook"           => pages::finance::outlook::page, Public, "中期財政見通し: an edition's table and chart, another edition compared";
    get  "/finance/outlook/{id}/lines.csv" => pages::finance::outlook::csv, Public, "中期財政見通し: an edition as open data (CSV, 円)";
    get  "/hq/finance/outlook/import"  => pages::finance::import::outlook_form, ReformHq, "Import a 中期財政見通し table (CSV or xlsx)";
    post "/hq/finance/outlook/import"  => pages::finance::import::outlook, ReformHq, "Import an outlook (totals and 収支差 checked, all or nothing)";
    get  "/finance/bids"              => pages::finance::bids::list, Public, "入札・契約: results searchable and filterable, 落札率 distribution with tables";
    get  "/finance/bids.csv"          => pages::finance::bids::csv, Public, "入札・契約 as open data (CSV)";
    get  "/finance/bids/{id}"         => pages::finance::bids::one, Public, "A tender with every bid";
    get  "/hq/finance/bids/import"    => pages::finance::import::bids_form, ReformHq, "Import a bidding-results list (CSV or xlsx)";
    post "/hq/finance/bids/import"    => pages::finance::import::bids, ReformHq, "Import bidding results (every row checked, all or nothing)";
    get  "/hq/finance/population"     => pages::finance::population::form, ReformHq, "The population per fiscal year (for 一人当たり figures)";
    post "/hq/finance/population"     => pages::finance::population::save, ReformHq, "Record a year's population";
    // Open data catalogue (オープンデータ): a page, the CKAN Action API's read endpoints, DCAT
    get  "/opendata"                  => pages::opendata::catalogue, Public, "オープンデータ: every published dataset with its resources, licence and update frequency";
    get  "/api/3/action/{action}"     => api::ckan::action, Public, "CKAN Action API (read): package_list, package_show, package_search, current_package_list_with_resources, organization_list, organization_show, resource_show, status_show";
    get  "/catalog.jsonld"            => api::dcat::catalog_jsonld, Public, "The catalogue as DCAT (JSON-LD), 100 datasets a page";
    get  "/api/v1/openapi.json"       => api::openapi, Public, "This OpenAPI document";
    get  "/api/v1/organization"       => api::organization, Public, "The organization";
    get  "/api/v1/departments"        => api::departments, Public, "Department tree";
    get  "/api/v1/plans"              => api::plans::list, Public, "Plans";
    get  "/api/v1/plans/{id}"         => api::plans::show, Public, "A plan with items, indicators, effects and published reports";
    get  "/api/v1/minutes/speech"     => api::minutes::speech, Public, "会議録: matching speeches, as the NDL minutes API's /api/speech";
    get  "/api/v1/minutes/meeting_list" => api::minutes::meeting_list, Public, "会議録: meetings with matching speeches (numbers only), as the NDL API's /api/meeting_list";
    get  "/api/v1/minutes/meeting"    => api::minutes::meeting, Public, "会議録: meetings with matching speeches, every speech, as the NDL API's /api/meeting";
    get  "/api/v1/me"                 => api::me, SignedIn, "The signed-in user";
    get  "/api/v1/admin/users"        => api::users, SysAdmin, "Users with roles";
    post "/api/v1/admin/departments"  => api::create_department, SysAdmin, "Create a department";
    get  "/api/v1/admin/audit"        => api::audit, SysAdmin, "Audit log entries";
}
