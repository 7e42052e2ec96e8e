//! Guests: the registry's profiles. Text is NFC, the name is also stored
//! folded for search, phones in E.164, the national ID number sealed with
//! its keyed digest beside it.
//!
//! Merged-away guests (`merged_into` set) and erased guests are kept as rows
//! but never found by search or identity resolution.

pub mod erase;
pub mod events;
mod fields;
pub mod merge;
pub mod resolve;
pub mod search;

use std::ops::Bound;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    guest::NationalId,
    sealed::{Digester, Sealer},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::schema::{guest_code_counters, guests};

pub use fields::{GuestFields, profile_of};
pub use resolve::{Resolution, resolve_intake};

/// A guest row as stored.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, Deserialize)]
#[diesel(table_name = guests, check_for_backend(diesel::pg::Pg))]
pub struct Guest {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The running number behind the code `G-000123`.
    pub code: i64,
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
    /// The language to write in: chosen, or defaulted from the nationality.
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub source: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<Option<String>>,
    pub tier: Option<String>,
    /// `[first check-in, latest stay + 1 year)`.
    pub care_period: Option<(Bound<NaiveDate>, Bound<NaiveDate>)>,
    pub merged_into: Option<Uuid>,
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Guest {
    /// The care period as (first day, day after the last).
    pub fn care_period(&self) -> Option<(NaiveDate, NaiveDate)> {
        match self.care_period? {
            (Bound::Included(start), Bound::Excluded(end)) => Some((start, end)),
            _ => None,
        }
    }
}

/// The keys for national ID numbers, derived from `security.secret_key`:
/// one seals numbers (bound to tenant and guest), one digests them (bound
/// to the tenant) for exact lookups.
#[derive(Debug, Clone)]
pub struct GuestKeys {
    sealer: Sealer,
    digester: Digester,
}

impl GuestKeys {
    /// The keys under the decoded master key.
    pub fn new(master: &[u8]) -> GuestKeys {
        GuestKeys {
            sealer: Sealer::new(master, "national-id"),
            digester: Digester::new(master, "national-id-digest"),
        }
    }

    /// The lookup digest of a normalised number in the tenant.
    pub fn digest(&self, tenant_id: Uuid, number: &str) -> Vec<u8> {
        self.digester
            .digest(number.as_bytes(), tenant_id.as_bytes())
    }

    fn context(tenant_id: Uuid, guest_id: Uuid) -> [u8; 32] {
        let mut context = [0u8; 32];
        context[..16].copy_from_slice(tenant_id.as_bytes());
        context[16..].copy_from_slice(guest_id.as_bytes());
        context
    }

    /// Seals `type:number` for `owner_id` (a guest, or a merge record).
    pub(crate) fn seal(&self, tenant_id: Uuid, owner_id: Uuid, id: &NationalId) -> Vec<u8> {
        let plain = format!("{}:{}", id.kind.as_str(), id.number());
        self.sealer
            .seal(plain.as_bytes(), &Self::context(tenant_id, owner_id))
    }

    /// The national ID of a guest row in clear, if it has one.
    pub fn open_national_id(&self, guest: &Guest) -> QueryResult<Option<NationalId>> {
        guest
            .national_id_sealed
            .as_deref()
            .map(|sealed| self.open(guest.tenant_id, guest.id, sealed))
            .transpose()
    }

    /// Opens what [`GuestKeys::seal`] sealed for `owner_id` (a guest, or a
    /// merge record keeping an intake).
    pub(crate) fn open(
        &self,
        tenant_id: Uuid,
        owner_id: Uuid,
        sealed: &[u8],
    ) -> QueryResult<NationalId> {
        let corrupt = |what: &str| {
            diesel::result::Error::DeserializationError(
                format!("sealed national ID: {what}").into(),
            )
        };
        let plain = self
            .sealer
            .open_string(sealed, &Self::context(tenant_id, owner_id))
            .map_err(|_| corrupt("cannot open"))?;
        let (kind, number) = plain.split_once(':').ok_or_else(|| corrupt("format"))?;
        let kind = kind.parse().map_err(|_| corrupt("type"))?;
        NationalId::parse(kind, number).map_err(|_| corrupt("number"))
    }
}

/// The next guest code number of the tenant (1, 2, …). Holds the tenant's
/// counter row until the transaction ends, so codes are never reused.
pub fn next_code(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<i64> {
    diesel::insert_into(guest_code_counters::table)
        .values((
            guest_code_counters::tenant_id.eq(tenant_id),
            guest_code_counters::last_number.eq(1),
        ))
        .on_conflict(guest_code_counters::tenant_id)
        .do_update()
        .set(guest_code_counters::last_number.eq(guest_code_counters::last_number + 1))
        .returning(guest_code_counters::last_number)
        .get_result(conn)
}

/// Inserts a guest with a fresh code.
pub fn insert_guest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &GuestFields,
) -> QueryResult<Guest> {
    let code = next_code(conn, tenant_id)?;
    diesel::insert_into(guests::table)
        .values((
            guests::id.eq(id),
            guests::tenant_id.eq(tenant_id),
            guests::code.eq(code),
            fields,
        ))
        .returning(Guest::as_returning())
        .get_result(conn)
}

/// The guest, merged-away and erased ones included.
pub fn get_guest(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Guest> {
    guests::table
        .filter(guests::tenant_id.eq(tenant_id))
        .find(id)
        .select(Guest::as_select())
        .first(conn)
}

/// The guest, locked for update until the transaction ends.
pub fn lock_guest(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Guest> {
    lock_guests(conn, tenant_id, &[id])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

/// The tenant's guests among `ids`, locked for the caller's transaction in
/// id order (so concurrent batches cannot deadlock); missing ids are left
/// out.
pub fn lock_guests(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<Vec<Guest>> {
    guests::table
        .filter(guests::tenant_id.eq(tenant_id))
        .filter(guests::id.eq_any(ids))
        .select(Guest::as_select())
        .order(guests::id)
        .for_update()
        .load(conn)
}

/// Replaces every profile field of the guest.
pub fn update_guest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &GuestFields,
) -> QueryResult<Guest> {
    diesel::update(
        guests::table
            .filter(guests::tenant_id.eq(tenant_id))
            .filter(guests::id.eq(id)),
    )
    .set((fields, guests::updated_at.eq(diesel::dsl::now)))
    .returning(Guest::as_returning())
    .get_result(conn)
}

/// Sets the guest's tier (`None` clears it).
pub fn set_tier(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    tier: Option<&str>,
) -> QueryResult<Guest> {
    diesel::update(
        guests::table
            .filter(guests::tenant_id.eq(tenant_id))
            .filter(guests::id.eq(id)),
    )
    .set((
        guests::tier.eq(tier),
        guests::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Guest::as_returning())
    .get_result(conn)
}

/// Recomputes the guest's care period from its stays
/// ([`guestcare_domain::guest::care_period`]).
pub fn refresh_care_period(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    use crate::schema::stays;
    let dates: Vec<(NaiveDate, Option<NaiveDate>)> = stays::table
        .filter(stays::tenant_id.eq(tenant_id))
        .filter(stays::guest_id.eq(id))
        .select((stays::check_in, stays::check_out))
        .load(conn)?;
    let period = guestcare_domain::guest::care_period(dates);
    diesel::update(
        guests::table
            .filter(guests::tenant_id.eq(tenant_id))
            .filter(guests::id.eq(id)),
    )
    .set(
        guests::care_period
            .eq(period.map(|(start, end)| (Bound::Included(start), Bound::Excluded(end)))),
    )
    .execute(conn)
    .map(drop)
}
