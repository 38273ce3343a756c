//! The catalogue keys of a survey's audience and status, for every survey page.

pub fn audience_key(audience: &str) -> &'static str {
    match audience {
        "citizens" => "survey.audience_citizens",
        "staff" => "survey.audience_staff",
        "codes" => "survey.audience_codes",
        "form" => "survey.audience_form",
        _ => "survey.audience_public",
    }
}

pub fn status_key(status: &str) -> &'static str {
    match status {
        "open" => "survey.status_open",
        "closed" => "survey.status_closed",
        _ => "survey.status_draft",
    }
}
