//! The JSON shapes of guests, and what each role may see of them.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::PgConnection;
use guestcare_db::guests::{Guest, GuestKeys, profile_of};
use guestcare_domain::{
    Country, Permission,
    guest::{ChatHandle, EmergencyContact, GuestCode, Origin, national_id::mask},
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Auth, error::ApiError, state::AppState};

/// A national ID as a role may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NationalIdView {
    /// `cccd`, `cmnd`, `passport` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    /// In clear for owners and managers; else all but the last three
    /// characters hidden (`•••••••••789`).
    pub number: String,
    pub masked: bool,
}

/// The care period: from the first check-in until one year after the latest
/// stay (`end` is the first day outside it).
#[derive(Debug, Serialize, ToSchema)]
pub struct CarePeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A guest.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestView {
    pub id: Uuid,
    /// The tenant's human-readable code, e.g. `G-000123`.
    pub code: String,
    pub full_name: String,
    pub national_id: Option<NationalIdView>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<String>,
    pub hometown: Option<String>,
    pub permanent_address: Option<String>,
    pub current_address: Option<String>,
    /// E.164.
    pub phones: Vec<String>,
    pub email: Option<String>,
    /// Booking platforms' relay addresses: contact points, never identity.
    pub relay_emails: Vec<String>,
    pub chat_handles: Vec<ChatHandle>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub emergency_contact: Option<EmergencyContact>,
    pub nationality: Option<String>,
    /// Relative to the tenant's country; absent without a nationality.
    pub origin: Option<Origin>,
    /// Chosen, or defaulted from the nationality (VN vi, TW zh-Hant, else en).
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub source: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub tier: Option<String>,
    pub care_period: Option<CarePeriod>,
    /// Set when this guest was merged into another: use that one.
    pub merged_into: Option<Uuid>,
    /// Set when the guest's personal data was erased.
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a request needs to read and write guests: the keys for national
/// IDs, the tenant's country, and whether the caller sees IDs in clear.
#[derive(Debug, Clone)]
pub struct GuestContext {
    pub keys: GuestKeys,
    pub country: Country,
    pub reveal_national_id: bool,
}

impl GuestContext {
    /// Loads the tenant's country; run inside the request's transaction.
    pub fn load(
        conn: &mut PgConnection,
        keys: GuestKeys,
        auth: &Auth,
    ) -> Result<GuestContext, ApiError> {
        let tenant = guestcare_db::tenants::get_tenant(conn, auth.tenant_id)?;
        let country = tenant.country.parse().map_err(ApiError::internal)?;
        Ok(GuestContext {
            keys,
            country,
            reveal_national_id: auth.role.can(Permission::ViewNationalId),
        })
    }

    /// The keys under the server's configured secret.
    pub fn keys(state: &AppState) -> GuestKeys {
        GuestKeys::new(&state.settings.security.master_key())
    }

    /// The guest as this caller may see it.
    pub fn view(&self, guest: Guest) -> Result<GuestView, ApiError> {
        let profile = profile_of(&self.keys, &guest)?;
        let national_id = profile.national_id.as_ref().map(|id| NationalIdView {
            kind: id.kind.as_str().to_owned(),
            number: if self.reveal_national_id {
                id.number().to_owned()
            } else {
                id.masked()
            },
            masked: !self.reveal_national_id,
        });
        let strings = |items: Vec<Option<String>>| items.into_iter().flatten().collect();
        Ok(GuestView {
            id: guest.id,
            code: GuestCode::from_number(u64::try_from(guest.code).unwrap_or_default()).to_string(),
            national_id,
            origin: Origin::of(profile.nationality, self.country),
            care_period: guest
                .care_period()
                .map(|(start, end)| CarePeriod { start, end }),
            chat_handles: profile.chat_handles,
            emergency_contact: profile.emergency_contact,
            full_name: guest.full_name,
            birth_date: guest.birth_date,
            gender: guest.gender,
            hometown: guest.hometown,
            permanent_address: guest.permanent_address,
            current_address: guest.current_address,
            phones: strings(guest.phones),
            email: guest.email,
            relay_emails: strings(guest.relay_emails),
            occupation: guest.occupation,
            workplace: guest.workplace,
            nationality: guest.nationality,
            language: guest.language,
            time_zone: guest.time_zone,
            source: guest.source,
            needs: guest.needs,
            notes: guest.notes,
            tags: strings(guest.tags),
            tier: guest.tier,
            merged_into: guest.merged_into,
            erased_at: guest.erased_at,
            created_at: guest.created_at,
            updated_at: guest.updated_at,
        })
    }
}

/// Masks every national ID number in a stored idempotent answer, so that a
/// number shown in clear to an owner or manager is never kept in clear in
/// `idempotency_keys` (replays show it masked).
pub fn redact_national_ids(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match (key.as_str(), item) {
                    ("national_id", serde_json::Value::Object(id)) => {
                        if let Some(serde_json::Value::String(number)) = id.get("number") {
                            let masked = mask(number);
                            id.insert("number".to_owned(), masked.into());
                            id.insert("masked".to_owned(), true.into());
                        }
                    }
                    (_, item) => redact_national_ids(item),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_national_ids),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_answers_mask_every_national_id() {
        let mut answer = serde_json::json!({
            "target": { "national_id": { "type": "cccd", "number": "079123456789", "masked": false } },
            "items": [{ "national_id": { "type": "passport", "number": "B7654321", "masked": false } }],
            "national_id": null
        });
        redact_national_ids(&mut answer);
        assert_eq!(answer["target"]["national_id"]["number"], "•••••••••789");
        assert_eq!(answer["target"]["national_id"]["masked"], true);
        assert_eq!(answer["items"][0]["national_id"]["number"], "•••••321");
        assert!(answer["national_id"].is_null());
    }
}
