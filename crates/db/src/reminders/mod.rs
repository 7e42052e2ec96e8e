//! Reminder rules (`reminder_rules`): stored as their raw parts and parsed by
//! `guestcare_domain::reminders`. [`due`] finds the steps that fall in a
//! period (the daily run and the forecast share it), [`run`] sends a day's
//! steps, [`event`] arms the steps of an event-relative rule.
//!
//! Creating or changing a rule makes sure the tenant has its daily
//! `run_automations` schedule ([`ensure_daily_schedule`]).

pub mod due;
pub mod event;
pub mod run;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::reminders::{Rule, RuleParts, StepSpec};
use guestcare_jobs::schedule::{self, NewSchedule, ScheduleError};
use uuid::Uuid;

use crate::{Cursor, schema::reminder_rules, tenants};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reminder_rules, check_for_backend(diesel::pg::Pg))]
pub struct ReminderRule {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub anchor: String,
    pub anchor_key: Option<String>,
    pub steps: serde_json::Value,
    pub stop_on_new_stay: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReminderRule {
    /// The steps as written.
    pub fn step_specs(&self) -> Vec<StepSpec> {
        serde_json::from_value(self.steps.clone()).unwrap_or_default()
    }

    /// The rule parsed; `None` for a row that no longer validates (it is
    /// skipped rather than failing the tenant's whole run).
    pub fn parse(&self) -> Option<Rule> {
        let steps = self.step_specs();
        RuleParts {
            name: &self.name,
            anchor: &self.anchor,
            anchor_key: self.anchor_key.as_deref(),
            steps: &steps,
        }
        .validate()
        .ok()
    }
}

/// The fields staff set, from a validated rule.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = reminder_rules, treat_none_as_null = true)]
pub struct RuleFields<'a> {
    pub name: &'a str,
    pub anchor: &'static str,
    pub anchor_key: Option<&'a str>,
    pub steps: serde_json::Value,
    pub stop_on_new_stay: bool,
    pub active: bool,
}

impl<'a> RuleFields<'a> {
    /// The stored form of `rule`; steps are stored as written.
    pub fn new(rule: &'a Rule, stop_on_new_stay: bool, active: bool) -> RuleFields<'a> {
        let steps: Vec<StepSpec> = rule
            .steps
            .iter()
            .map(|s| s.offset.spec(s.channel.as_str(), s.purpose.as_str()))
            .collect();
        RuleFields {
            name: &rule.name,
            anchor: rule.anchor.as_str(),
            anchor_key: rule.anchor.key(),
            steps: serde_json::to_value(steps).unwrap_or_default(),
            stop_on_new_stay,
            active,
        }
    }
}

pub fn insert_rule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &RuleFields<'_>,
) -> QueryResult<ReminderRule> {
    diesel::insert_into(reminder_rules::table)
        .values((
            reminder_rules::id.eq(id),
            reminder_rules::tenant_id.eq(tenant_id),
            fields,
        ))
        .returning(ReminderRule::as_returning())
        .get_result(conn)
}

pub fn get_rule(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<ReminderRule> {
    reminder_rules::table
        .filter(reminder_rules::tenant_id.eq(tenant_id))
        .find(id)
        .select(ReminderRule::as_select())
        .first(conn)
}

/// Up to `limit + 1` rules after `cursor`, oldest first.
pub fn list_rules(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<ReminderRule>> {
    let mut query = reminder_rules::table
        .filter(reminder_rules::tenant_id.eq(tenant_id))
        .select(ReminderRule::as_select())
        .order(reminder_rules::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(reminder_rules::id.gt(after));
    }
    query.load(conn)
}

/// The tenant's active rules, oldest first.
pub fn list_active_rules(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> QueryResult<Vec<ReminderRule>> {
    reminder_rules::table
        .filter(reminder_rules::tenant_id.eq(tenant_id))
        .filter(reminder_rules::active.eq(true))
        .select(ReminderRule::as_select())
        .order(reminder_rules::id.asc())
        .load(conn)
}

pub fn update_rule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &RuleFields<'_>,
) -> QueryResult<ReminderRule> {
    diesel::update(
        reminder_rules::table
            .filter(reminder_rules::tenant_id.eq(tenant_id))
            .filter(reminder_rules::id.eq(id)),
    )
    .set((fields, reminder_rules::updated_at.eq(diesel::dsl::now)))
    .returning(ReminderRule::as_returning())
    .get_result(conn)
}

/// Deletes the rule; `NotFound` if the tenant has no such rule. Messages
/// already queued stay queued.
pub fn delete_rule(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        reminder_rules::table
            .filter(reminder_rules::tenant_id.eq(tenant_id))
            .filter(reminder_rules::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// The job kind of the tenant's daily automation run (reminder steps and
/// contact plans for the occurrence's local date).
pub const RUN_AUTOMATIONS: &str = "run_automations";
/// The queue it runs on.
pub const AUTOMATIONS_QUEUE: &str = "default";
/// The schedule's name and default time (08:00 in the tenant's zone).
pub const DAILY_SCHEDULE: &str = "daily_automations";
const DAILY_CRON: &str = "0 8 * * *";

/// Creates the tenant's daily automation schedule if it has none (a
/// manager's retiming or pause is kept). Returns its id.
pub fn ensure_daily_schedule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ScheduleError> {
    use crate::schema::schedules;
    let exists: i64 = schedules::table
        .filter(schedules::tenant_id.eq(tenant_id))
        .filter(schedules::name.eq(DAILY_SCHEDULE))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let zone: Tz = tenant.time_zone.parse().unwrap_or(Tz::Asia__Ho_Chi_Minh);
    schedule::upsert(
        conn,
        &NewSchedule {
            tenant_id: Some(tenant_id),
            name: DAILY_SCHEDULE.to_owned(),
            cron: DAILY_CRON.to_owned(),
            time_zone: zone,
            queue: AUTOMATIONS_QUEUE.to_owned(),
            kind: RUN_AUTOMATIONS.to_owned(),
            payload: serde_json::json!({ "tenant_id": tenant_id }),
            active: true,
        },
        now,
    )
    .map(drop)
}
