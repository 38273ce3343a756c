//! Editing a facility after it was created or imported: its name and kana, address, hours, weekly
//! closed days, contact, who runs it (direct or a 指定管理者, named), and who may book its rooms
//! (any registered user, residents only, groups only). Each wrong value is refused beside its
//! field; nothing is saved until all are good.

use super::facilities::{self, Facility, NewFacility};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Deserialize;

/// Who may book, as stored, with its catalogue key.
pub const BOOKING_RULES: [(&str, &str); 3] = [
    ("any", "rsv.rule_any"),
    ("residents", "rsv.rule_residents"),
    ("groups", "rsv.rule_groups"),
];

/// The form as typed. Closed days are one checkbox per ISO weekday (`closed_1` = Monday).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FacilityForm {
    pub name: String,
    pub kana: String,
    pub address: String,
    pub hours: String,
    pub contact: String,
    pub manager_kind: String,
    pub manager_name: String,
    pub booking_rule: String,
    pub closed_1: String,
    pub closed_2: String,
    pub closed_3: String,
    pub closed_4: String,
    pub closed_5: String,
    pub closed_6: String,
    pub closed_7: String,
}

impl FacilityForm {
    pub fn of(f: &Facility) -> Self {
        let closed = |d: u32| if f.closed_on_weekday(d) { "1" } else { "" }.to_string();
        Self {
            name: f.name.clone(),
            kana: f.kana.clone(),
            address: f.address.clone(),
            hours: f.hours.clone(),
            contact: f.contact.clone(),
            manager_kind: f.manager_kind.clone(),
            manager_name: f.manager_name.clone(),
            booking_rule: f.booking_rule.clone(),
            closed_1: closed(1),
            closed_2: closed(2),
            closed_3: closed(3),
            closed_4: closed(4),
            closed_5: closed(5),
            closed_6: closed(6),
            closed_7: closed(7),
        }
    }

    /// The ISO weekdays ticked, Monday first.
    pub fn closed_days(&self) -> Vec<u32> {
        [
            &self.closed_1,
            &self.closed_2,
            &self.closed_3,
            &self.closed_4,
            &self.closed_5,
            &self.closed_6,
            &self.closed_7,
        ]
        .iter()
        .enumerate()
        .filter(|(_, v)| v.as_str() == "1")
        .map(|(i, _)| i as u32 + 1)
        .collect()
    }
}

/// Checks the form and saves it; `AppError::Invalid` with each refusal by field.
pub async fn save(app: &App, org: i64, staff: i64, id: i64, f: &FacilityForm) -> AppResult<()> {
    let before = facilities::get(&app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let new = NewFacility {
        name: errs.text("name", &f.name, 100),
        kana: errs.optional_text("kana", &f.kana, 100),
        address: errs.optional_text("address", &f.address, 200),
        hours: errs.optional_text("hours", &f.hours, 100),
        contact: errs.optional_text("contact", &f.contact, 50),
        manager_kind: f.manager_kind.trim().to_string(),
        manager_name: errs.optional_text("manager_name", &f.manager_name, 100),
        closed_weekdays: f
            .closed_days()
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
    };
    if !["direct", "designated"].contains(&new.manager_kind.as_str()) {
        errs.add("manager_kind", "field.bad_choice");
    } else if new.manager_kind == "designated" && new.manager_name.is_empty() {
        errs.add("manager_name", "rsv.manager_name_needed");
    }
    let rule = f.booking_rule.trim();
    if !BOOKING_RULES.iter().any(|(r, _)| *r == rule) {
        errs.add("booking_rule", "field.bad_choice");
    }
    if errs.get("name").is_none()
        && facilities::list(&app.db, org)
            .await?
            .iter()
            .any(|other| other.id != id && other.name == new.name)
    {
        errs.add("name", "rsv.facility_name_taken");
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let mut tx = app.begin_write().await?;
    facilities::update_facility(&mut tx, org, id, &new, rule).await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.facility_edit",
            target_type: "facility",
            target_id: id.to_string(),
            before: Some(serde_json::to_value(&before).unwrap_or_default()),
            after: Some(serde_json::json!({
                "name": new.name, "closed_weekdays": new.closed_weekdays,
                "manager_kind": new.manager_kind, "manager_name": new.manager_name, "booking_rule": rule,
            })),
        },
    )
    .await?;
    Ok(())
}

/// Refuses (beside the registration) a booking or lottery application the facility's rule on who
/// may book does not allow.
pub fn check_may_book(
    facility: &Facility,
    registration: &super::registrations::Registration,
) -> AppResult<()> {
    match refusal(
        &facility.booking_rule,
        &registration.kind,
        registration.resident == 1,
    ) {
        Some(key) => {
            let mut errs = FieldErrors::default();
            errs.add("registration", key);
            Err(AppError::Invalid(errs))
        }
        None => Ok(()),
    }
}

/// Whether a registration may book at a facility under its rule: `None`, or the refusal's key.
pub fn refusal(rule: &str, kind: &str, resident: bool) -> Option<&'static str> {
    match rule {
        "residents" if !resident => Some("rsv.only_residents"),
        "groups" if kind != "group" => Some("rsv.only_groups"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn who_may_book() {
        use super::refusal;
        assert_eq!(refusal("any", "individual", false), None);
        assert_eq!(
            refusal("residents", "group", false),
            Some("rsv.only_residents")
        );
        assert_eq!(refusal("residents", "individual", true), None);
        assert_eq!(
            refusal("groups", "individual", true),
            Some("rsv.only_groups")
        );
        assert_eq!(refusal("groups", "group", false), None);
    }
}
