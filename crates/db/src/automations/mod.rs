//! A tenant's daily care automations, run for a given local date: reminder
//! steps (`reminders`) and contact plans (`contact_plans`). [`run_day`] is
//! what the daily `run_automations` job does; the forecast computes the same
//! things for a period without doing them.

pub mod forecast;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::signed_token::GuestLinks;
use uuid::Uuid;

use crate::{
    contact_plans::tasks::{PlanReport, create_plan_tasks},
    guests,
    reminders::run::{SendReport, send_due_reminders},
    tenants,
};

/// What one day's run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayReport {
    pub reminders: SendReport,
    pub contact_tasks: PlanReport,
}

/// Runs the tenant's automations for its local day `date`, in the caller's
/// transaction. Idempotent: every effect carries a key derived from the
/// rule, the guest and the date, so a rerun (a retried job, a second worker,
/// a catch-up) does nothing twice.
pub fn run_day(
    conn: &mut PgConnection,
    links: &GuestLinks,
    tenant_id: Uuid,
    date: NaiveDate,
) -> QueryResult<DayReport> {
    Ok(DayReport {
        reminders: send_due_reminders(conn, links, tenant_id, date)?,
        contact_tasks: create_plan_tasks(conn, tenant_id, date)?,
    })
}

/// The tenant's local date at `at` (its time zone, Vietnam's if unset).
pub fn local_date(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<NaiveDate> {
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let zone: Tz = tenant.time_zone.parse().unwrap_or(Tz::Asia__Ho_Chi_Minh);
    Ok(at.with_timezone(&zone).date_naive())
}

/// The tenant's guests with these ids, by id (for naming a forecast's or a
/// care list's guests).
pub fn guests_by_id(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<std::collections::HashMap<Uuid, guests::Guest>> {
    use crate::schema::guests as g;
    let rows: Vec<guests::Guest> = g::table
        .filter(g::tenant_id.eq(tenant_id))
        .filter(g::id.eq_any(ids))
        .select(guests::Guest::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}
