//! A validated profile as guest columns, and back.

use chrono::NaiveDate;
use diesel::prelude::*;
use guestcare_domain::{
    Phone,
    guest::{ChatHandle, EmergencyContact, GuestProfile},
    text::fold,
};
use uuid::Uuid;

use super::{Guest, GuestKeys};
use crate::schema::guests;

/// Every profile column of a guest (not its code, tier, care period or
/// state). On update every field is replaced.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = guests, treat_none_as_null = true)]
pub struct GuestFields {
    pub full_name: String,
    pub name_folded: String,
    pub national_id_sealed: Option<Vec<u8>>,
    pub national_id_digest: Option<Vec<u8>>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<String>,
    pub hometown: Option<String>,
    pub permanent_address: Option<String>,
    pub current_address: Option<String>,
    pub phones: Vec<Option<String>>,
    pub email: Option<String>,
    pub relay_emails: Vec<Option<String>>,
    pub chat_handles: serde_json::Value,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub emergency_contact: Option<serde_json::Value>,
    pub nationality: Option<String>,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub source: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<Option<String>>,
}

fn texts<T: ToString>(items: &[T]) -> Vec<Option<String>> {
    items.iter().map(|item| Some(item.to_string())).collect()
}

impl GuestFields {
    /// The columns of `profile` for guest `guest_id`: the national ID sealed
    /// and digested, the language defaulted from the nationality.
    pub fn from_profile(
        keys: &GuestKeys,
        tenant_id: Uuid,
        guest_id: Uuid,
        profile: &GuestProfile,
    ) -> GuestFields {
        let national_id = profile.national_id.as_ref();
        GuestFields {
            full_name: profile.full_name.clone(),
            name_folded: fold(&profile.full_name),
            national_id_sealed: national_id.map(|id| keys.seal(tenant_id, guest_id, id)),
            national_id_digest: national_id.map(|id| keys.digest(tenant_id, id.number())),
            birth_date: profile.birth_date,
            gender: profile.gender.map(|g| g.as_str().to_owned()),
            hometown: profile.hometown.clone(),
            permanent_address: profile.permanent_address.clone(),
            current_address: profile.current_address.clone(),
            phones: texts(&profile.phones),
            email: profile.email.as_ref().map(ToString::to_string),
            relay_emails: texts(&profile.relay_emails),
            chat_handles: serde_json::to_value(&profile.chat_handles)
                .unwrap_or_else(|_| serde_json::Value::Array(Vec::new())),
            occupation: profile.occupation.clone(),
            workplace: profile.workplace.clone(),
            emergency_contact: profile
                .emergency_contact
                .as_ref()
                .and_then(|c| serde_json::to_value(c).ok()),
            nationality: profile.nationality.map(String::from),
            language: profile.effective_language().map(|l| l.as_str().to_owned()),
            time_zone: profile.time_zone.map(String::from),
            source: profile.source.clone(),
            needs: profile.needs.clone(),
            notes: profile.notes.clone(),
            tags: texts(&profile.tags),
        }
    }
}

impl From<&Guest> for GuestFields {
    /// The profile columns of a stored row as they are (to restore a
    /// snapshot).
    fn from(guest: &Guest) -> Self {
        GuestFields {
            full_name: guest.full_name.clone(),
            name_folded: guest.name_folded.clone(),
            national_id_sealed: guest.national_id_sealed.clone(),
            national_id_digest: guest.national_id_digest.clone(),
            birth_date: guest.birth_date,
            gender: guest.gender.clone(),
            hometown: guest.hometown.clone(),
            permanent_address: guest.permanent_address.clone(),
            current_address: guest.current_address.clone(),
            phones: guest.phones.clone(),
            email: guest.email.clone(),
            relay_emails: guest.relay_emails.clone(),
            chat_handles: guest.chat_handles.clone(),
            occupation: guest.occupation.clone(),
            workplace: guest.workplace.clone(),
            emergency_contact: guest.emergency_contact.clone(),
            nationality: guest.nationality.clone(),
            language: guest.language.clone(),
            time_zone: guest.time_zone.clone(),
            source: guest.source.clone(),
            needs: guest.needs.clone(),
            notes: guest.notes.clone(),
            tags: guest.tags.clone(),
        }
    }
}

fn corrupt(what: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("stored guest field: {what}").into())
}

fn parse<T: std::str::FromStr>(value: &Option<String>, field: &str) -> QueryResult<Option<T>> {
    value
        .as_deref()
        .map(|text| text.parse().map_err(|_| corrupt(field)))
        .transpose()
}

fn parse_all<T>(
    values: &[Option<String>],
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> QueryResult<Vec<T>> {
    values
        .iter()
        .flatten()
        .map(|text| parse(text).ok_or_else(|| corrupt(field)))
        .collect()
}

/// The validated profile of a stored guest (the national ID opened).
pub fn profile_of(keys: &GuestKeys, guest: &Guest) -> QueryResult<GuestProfile> {
    let national_id = keys.open_national_id(guest)?;
    let chat_handles: Vec<ChatHandle> =
        serde_json::from_value(guest.chat_handles.clone()).map_err(corrupt)?;
    let emergency_contact: Option<EmergencyContact> = guest
        .emergency_contact
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(corrupt)?;
    Ok(GuestProfile {
        full_name: guest.full_name.clone(),
        national_id,
        birth_date: guest.birth_date,
        gender: parse(&guest.gender, "gender")?,
        hometown: guest.hometown.clone(),
        permanent_address: guest.permanent_address.clone(),
        current_address: guest.current_address.clone(),
        phones: parse_all(&guest.phones, "phones", |p| Phone::from_e164(p).ok())?,
        email: parse(&guest.email, "email")?,
        relay_emails: parse_all(&guest.relay_emails, "relay_emails", |e| e.parse().ok())?,
        chat_handles,
        occupation: guest.occupation.clone(),
        workplace: guest.workplace.clone(),
        emergency_contact,
        nationality: parse(&guest.nationality, "nationality")?,
        language: parse(&guest.language, "language")?,
        time_zone: parse(&guest.time_zone, "time_zone")?,
        source: guest.source.clone(),
        needs: guest.needs.clone(),
        notes: guest.notes.clone(),
        tags: guest.tags.iter().flatten().cloned().collect(),
    })
}
