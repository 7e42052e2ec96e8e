//! Who wrote: the tenant's guest with the sender's address, or a new
//! contact created for it and flagged (`tags: ["email_contact"]`) for the
//! care team to complete or merge.

use diesel::prelude::*;
use guestcare_domain::{Country, Email, Language, guest::ProfileInput};
use uuid::Uuid;

use crate::{
    guests::{self, GuestKeys},
    schema::{guests as guests_table, tenants},
    timeline::Actor,
};

/// The tag on contacts created from an e-mail.
pub const NEW_CONTACT_TAG: &str = "email_contact";

diesel::define_sql_function!(
    /// SQL `lower(text)`.
    fn lower(text: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>);

/// The guest for `address` (the oldest live one with that e-mail), or a new
/// contact named `name` (else the address's local part) in `language`.
/// `None` when the address is not one a guest can have.
pub fn guest_for_sender(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    address: &str,
    name: Option<&str>,
    language: Option<Language>,
) -> QueryResult<Option<Uuid>> {
    let Ok(email) = address.parse::<Email>() else {
        return Ok(None);
    };
    let known: Option<Uuid> = guests_table::table
        .filter(guests_table::tenant_id.eq(tenant_id))
        .filter(guests_table::merged_into.is_null())
        .filter(guests_table::erased_at.is_null())
        .filter(lower(guests_table::email).eq(email.canonical()))
        .order(guests_table::id.asc())
        .select(guests_table::id)
        .first(conn)
        .optional()?;
    if known.is_some() {
        return Ok(known);
    }
    let country: String = tenants::table
        .find(tenant_id)
        .select(tenants::country)
        .first(conn)?;
    let local = email.as_str().split('@').next().unwrap_or_default();
    let input = ProfileInput {
        full_name: Some(name.unwrap_or(local).to_owned()),
        email: Some(email.as_str().to_owned()),
        language: language.map(|l| l.as_str().to_owned()),
        source: Some("email".to_owned()),
        tags: Some(vec![NEW_CONTACT_TAG.to_owned()]),
        ..ProfileInput::default()
    };
    let Ok(country) = country.parse::<Country>() else {
        return Ok(None);
    };
    let Ok(profile) = input.parse(country) else {
        return Ok(None);
    };
    let guest = guests::resolve::create_guest(conn, keys, tenant_id, Actor::SYSTEM, &profile)?;
    Ok(Some(guest.id))
}
