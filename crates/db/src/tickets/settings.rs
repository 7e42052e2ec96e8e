//! A tenant's ticket rules (`ticket_settings`; no row means the defaults).

use chrono::Duration;
use diesel::prelude::*;
use guestcare_domain::tickets::{DEFAULT_DEPARTMENTS, clock::Policy};
use uuid::Uuid;

use crate::schema::ticket_settings;

/// The departments and the complaint policy of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSettings {
    pub departments: Vec<String>,
    pub policy: Policy,
}

impl Default for TicketSettings {
    fn default() -> TicketSettings {
        TicketSettings {
            departments: DEFAULT_DEPARTMENTS
                .iter()
                .map(|d| (*d).to_owned())
                .collect(),
            policy: Policy::default(),
        }
    }
}

impl TicketSettings {
    /// The department a ticket gets when none is given (the first one).
    pub fn default_department(&self) -> &str {
        self.departments
            .first()
            .map_or("front_desk", String::as_str)
    }
}

type Row = (Vec<Option<String>>, i32, i32, i32, i32, i32, i32);

pub fn get_ticket_settings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> QueryResult<TicketSettings> {
    let row: Option<Row> = ticket_settings::table
        .filter(ticket_settings::tenant_id.eq(tenant_id))
        .select((
            ticket_settings::departments,
            ticket_settings::first_reply_hours,
            ticket_settings::resolution_hours,
            ticket_settings::warn_before_hours,
            ticket_settings::service_window_days,
            ticket_settings::business_window_days,
            ticket_settings::satisfaction_after_hours,
        ))
        .first(conn)
        .optional()?;
    let Some((departments, first, resolution, warn, service, business, satisfaction)) = row else {
        return Ok(TicketSettings::default());
    };
    Ok(TicketSettings {
        departments: departments.into_iter().flatten().collect(),
        policy: Policy {
            first_reply: Duration::hours(first.into()),
            resolution: Duration::hours(resolution.into()),
            warn_before: Duration::hours(warn.into()),
            service_window_days: service.into(),
            business_window_days: business.into(),
            satisfaction_after: Duration::hours(satisfaction.into()),
        },
    })
}

/// Stores the tenant's departments and clocks (hours; windows in days).
pub fn put_ticket_settings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    settings: &TicketSettings,
) -> QueryResult<()> {
    let p = settings.policy;
    let hours = |d: Duration| i32::try_from(d.num_hours()).unwrap_or(i32::MAX);
    let days = |d: i64| i32::try_from(d).unwrap_or(i32::MAX);
    let values = (
        ticket_settings::departments.eq(settings
            .departments
            .iter()
            .map(|d| Some(d.clone()))
            .collect::<Vec<_>>()),
        ticket_settings::first_reply_hours.eq(hours(p.first_reply)),
        ticket_settings::resolution_hours.eq(hours(p.resolution)),
        ticket_settings::warn_before_hours.eq(hours(p.warn_before)),
        ticket_settings::service_window_days.eq(days(p.service_window_days)),
        ticket_settings::business_window_days.eq(days(p.business_window_days)),
        ticket_settings::satisfaction_after_hours.eq(hours(p.satisfaction_after)),
        ticket_settings::updated_at.eq(diesel::dsl::now),
    );
    diesel::insert_into(ticket_settings::table)
        .values((ticket_settings::tenant_id.eq(tenant_id), values.clone()))
        .on_conflict(ticket_settings::tenant_id)
        .do_update()
        .set(values)
        .execute(conn)?;
    Ok(())
}
