//! A guest's profile: the raw shape clients and intake files send
//! ([`ProfileInput`]) and the validated one ([`GuestProfile`]).

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ChatHandle, DocumentType, Gender, NationalId, is_relay_email, parse_date, stay::optional_text,
};
use crate::{
    Country, Email, FieldError, Language, TimeZone, ValidationErrors, bounded_text, phone::Phone,
};

/// A national ID as sent.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NationalIdInput {
    /// `cccd`, `cmnd`, `passport` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    pub number: String,
}

/// A chat handle as sent.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatHandleInput {
    /// `zalo`, `facebook`, `whatsapp`, `wechat`, `line` or `skype`.
    pub kind: String,
    pub handle: String,
}

/// Whom to call in an emergency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyContact {
    pub name: Option<String>,
    /// e.g. `mẹ`, `spouse`.
    pub relation: Option<String>,
    /// Any format; stored in E.164.
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A guest profile as sent by a client or read from an intake row. Every
/// field is text as typed; [`ProfileInput::parse`] validates them all and
/// reports each error at its path. A blank text means "none".
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Required on create; 1–200 characters, stored NFC.
    pub full_name: Option<String>,
    pub national_id: Option<NationalIdInput>,
    /// `YYYY-MM-DD` or `dd/mm/yyyy`, not in the future.
    pub birth_date: Option<String>,
    /// `female`, `male` or `other`.
    pub gender: Option<String>,
    pub hometown: Option<String>,
    pub permanent_address: Option<String>,
    pub current_address: Option<String>,
    /// Any common format; national numbers are read in the tenant's country.
    pub phones: Option<Vec<String>>,
    /// A booking platform's relay address is kept under `relay_emails`.
    pub email: Option<String>,
    pub chat_handles: Option<Vec<ChatHandleInput>>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub emergency_contact: Option<EmergencyContact>,
    /// ISO 3166-1 alpha-2, e.g. `VN`, `TW`.
    pub nationality: Option<String>,
    /// `vi`, `en` or `zh-Hant`; by default from the nationality.
    pub language: Option<String>,
    /// IANA name, e.g. `Asia/Ho_Chi_Minh`.
    pub time_zone: Option<String>,
    /// How the guest came to the tenant, e.g. `walk_in`, `booking.com`.
    pub source: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// A validated profile: text in NFC, phones in E.164.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuestProfile {
    pub full_name: String,
    pub national_id: Option<NationalId>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub hometown: Option<String>,
    pub permanent_address: Option<String>,
    pub current_address: Option<String>,
    pub phones: Vec<Phone>,
    /// An address that identifies the guest (never a relay).
    pub email: Option<Email>,
    /// Booking platforms' relay addresses: contact points, not identity.
    pub relay_emails: Vec<Email>,
    pub chat_handles: Vec<ChatHandle>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub emergency_contact: Option<EmergencyContact>,
    pub nationality: Option<Country>,
    pub language: Option<Language>,
    pub time_zone: Option<TimeZone>,
    pub source: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// Adds `item` unless already there (lists keep their first order).
pub(crate) fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl ProfileInput {
    /// Validates every field; national phone numbers are read in
    /// `tenant_country`.
    pub fn parse(&self, tenant_country: Country) -> Result<GuestProfile, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let e = &mut errors;
        let full_name = e
            .require("full_name", present(self.full_name.as_deref()))
            .and_then(|name| e.check("full_name", bounded_text(name, 1, 200)));
        let national_id = self.national_id.as_ref().and_then(|id| {
            let kind = e.check("national_id.type", id.kind.parse::<DocumentType>())?;
            e.check("national_id.number", NationalId::parse(kind, &id.number))
        });
        let today = Utc::now().date_naive();
        let birth_date = present(self.birth_date.as_deref())
            .and_then(|text| e.check("birth_date", parse_date(text)))
            .and_then(|date| {
                let future = FieldError::new("in_future", "The birth date is in the future.");
                e.check(
                    "birth_date",
                    if date > today { Err(future) } else { Ok(date) },
                )
            });
        let gender = present(self.gender.as_deref()).and_then(|g| e.check("gender", g.parse()));
        let mut phones = Vec::new();
        for (i, text) in self.phones.iter().flatten().enumerate() {
            if let Some(phone) = present(Some(text))
                .and_then(|t| e.check(&format!("phones[{i}]"), Phone::parse(t, tenant_country)))
            {
                push_unique(&mut phones, phone);
            }
        }
        let (mut email, mut relay_emails) = (None, Vec::new());
        if let Some(address) =
            present(self.email.as_deref()).and_then(|t| e.check("email", t.parse::<Email>()))
        {
            if is_relay_email(&address) {
                relay_emails.push(address);
            } else {
                email = Some(address);
            }
        }
        let mut chat_handles = Vec::new();
        for (i, handle) in self.chat_handles.iter().flatten().enumerate() {
            match ChatHandle::parse(&handle.kind, &handle.handle) {
                Ok(handle) => push_unique(&mut chat_handles, handle),
                Err(err) => e.push(err.at(format!("chat_handles[{i}]"))),
            }
        }
        let emergency_contact = self
            .emergency_contact
            .as_ref()
            .and_then(|c| parse_contact(e, c, tenant_country));
        let nationality =
            present(self.nationality.as_deref()).and_then(|c| e.check("nationality", c.parse()));
        let language =
            present(self.language.as_deref()).and_then(|l| e.check("language", l.parse()));
        let time_zone =
            present(self.time_zone.as_deref()).and_then(|z| e.check("time_zone", z.parse()));
        let mut tags = Vec::new();
        for (i, tag) in self.tags.iter().flatten().enumerate() {
            if let Some(tag) = e.check(&format!("tags[{i}]"), bounded_text(tag, 1, 50)) {
                push_unique(&mut tags, tag);
            }
        }
        let text = |e: &mut ValidationErrors, field: &str, value: &Option<String>, max: usize| {
            optional_text(e, field, value.as_deref(), max)
        };
        let profile = GuestProfile {
            full_name: full_name.unwrap_or_default(),
            national_id,
            birth_date,
            gender,
            hometown: text(e, "hometown", &self.hometown, 200),
            permanent_address: text(e, "permanent_address", &self.permanent_address, 500),
            current_address: text(e, "current_address", &self.current_address, 500),
            phones,
            email,
            relay_emails,
            chat_handles,
            occupation: text(e, "occupation", &self.occupation, 200),
            workplace: text(e, "workplace", &self.workplace, 200),
            emergency_contact,
            nationality,
            language,
            time_zone,
            source: text(e, "source", &self.source, 100),
            needs: text(e, "needs", &self.needs, 2000),
            notes: text(e, "notes", &self.notes, 4000),
            tags,
        };
        errors.finish(|| profile)
    }
}

fn parse_contact(
    e: &mut ValidationErrors,
    contact: &EmergencyContact,
    tenant_country: Country,
) -> Option<EmergencyContact> {
    let parsed = EmergencyContact {
        name: optional_text(e, "emergency_contact.name", contact.name.as_deref(), 200),
        relation: optional_text(
            e,
            "emergency_contact.relation",
            contact.relation.as_deref(),
            100,
        ),
        phone: present(contact.phone.as_deref())
            .and_then(|p| e.check("emergency_contact.phone", Phone::parse(p, tenant_country)))
            .map(String::from),
        address: optional_text(
            e,
            "emergency_contact.address",
            contact.address.as_deref(),
            500,
        ),
    };
    (parsed != EmergencyContact::default()).then_some(parsed)
}

impl GuestProfile {
    /// The language to write to: the chosen one, else the nationality's
    /// default (Vietnamese guests vi, Taiwanese zh-Hant, others en).
    pub fn effective_language(&self) -> Option<Language> {
        self.language
            .or_else(|| self.nationality.map(Language::default_for_nationality))
    }
}
