//! Care automations: the tenant's care settings and greeting rules, and the
//! daily scans the worker runs for them (birthdays, greetings, the staff
//! digest).
//!
//! Every scan takes the instant it runs for (`at`, the schedule's
//! occurrence, never the wall clock), reads the tenant's local date and
//! hour from it, and is idempotent per occurrence: tasks carry an
//! occurrence key (`guestcare_db::tasks::create_task`) and messages a
//! dedupe key (`messages::send_to_guest`). So a scan can be re-run, crash
//! half-way, or run on two workers at once, and a test can drive it for any
//! day of any year.
//!
//! Each tenant's schedules (`care.birthdays` 07:00, `care.digest` 07:30,
//! `care.greetings` every hour, tenant time), its `care_settings` row and
//! its default greeting rules are created with the tenant by the database
//! (migration `care_automations`, function `care_seed`).

mod birthdays;
mod digest;
mod greetings;
mod rules;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::Language;
use uuid::Uuid;

use crate::{
    guests::Guest,
    schema::care_settings,
    tenants::{self, Tenant},
};

pub use birthdays::{BIRTHDAYS, BirthdayReport, run_birthday_scan, voucher_code};
pub use digest::{DIGEST, DigestReport, run_digest};
pub use greetings::{DueGreeting, GREETINGS, GreetingReport, greetings_due, run_greetings};
pub use rules::{
    GreetingRule, GreetingRuleFields, delete_greeting_rule, get_greeting_rule,
    insert_greeting_rule, list_greeting_rules, update_greeting_rule,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = care_settings, check_for_backend(diesel::pg::Pg))]
pub struct CareSettings {
    pub tenant_id: Uuid,
    /// `email` or `sms`: the birthday scan also sends the birthday message
    /// with a voucher; `None`: it only creates call tasks.
    pub birthday_channel: Option<String>,
    pub voucher_prefix: String,
    pub voucher_valid_days: i32,
    pub updated_at: DateTime<Utc>,
}

/// The tenant's care settings (the defaults if its row is missing).
pub fn get_care_settings(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<CareSettings> {
    let found = care_settings::table
        .find(tenant_id)
        .select(CareSettings::as_select())
        .first(conn)
        .optional()?;
    Ok(found.unwrap_or(CareSettings {
        tenant_id,
        birthday_channel: None,
        voucher_prefix: "BDAY".to_owned(),
        voucher_valid_days: 30,
        updated_at: Utc::now(),
    }))
}

/// What managers set (`PUT /v1/care-settings`).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = care_settings, treat_none_as_null = true)]
pub struct CareSettingsFields {
    pub birthday_channel: Option<String>,
    pub voucher_prefix: String,
    pub voucher_valid_days: i32,
}

/// Replaces the tenant's care settings.
pub fn put_care_settings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    fields: &CareSettingsFields,
) -> QueryResult<CareSettings> {
    diesel::insert_into(care_settings::table)
        .values((care_settings::tenant_id.eq(tenant_id), fields))
        .on_conflict(care_settings::tenant_id)
        .do_update()
        .set((fields, care_settings::updated_at.eq(diesel::dsl::now)))
        .returning(CareSettings::as_returning())
        .get_result(conn)
}

/// The tenant and the local day and hour that `at` is in its time zone.
struct LocalRun {
    tenant: Tenant,
    date: NaiveDate,
    hour: u32,
}

fn local_run(conn: &mut PgConnection, tenant_id: Uuid, at: DateTime<Utc>) -> QueryResult<LocalRun> {
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let zone: Tz = tenant.time_zone.parse().unwrap_or(Tz::UTC);
    let local = at.with_timezone(&zone);
    Ok(LocalRun {
        tenant,
        date: local.date_naive(),
        hour: local.hour(),
    })
}

/// The language written to a guest: theirs, else the tenant's default (the
/// rule `messages::send_to_guest` applies).
fn guest_language(guest: &Guest, tenant: &Tenant) -> Language {
    let default = tenant.default_language.parse().unwrap_or(Language::En);
    guest
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(default)
}
