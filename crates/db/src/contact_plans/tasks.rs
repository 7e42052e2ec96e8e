//! Turning planned contacts into call tasks, never more often than a plan
//! allows.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use diesel::prelude::*;
use guestcare_domain::{Language, care::tasks::TaskKind, guest::GuestCode, reminders::plans};
use uuid::Uuid;

use super::{PlanDue, plans_due_between};
use crate::{
    guests,
    schema::care_tasks,
    tasks::{NewTask, create_task},
    tenants,
    timeline::Actor,
};

/// The `source` of plan tasks.
pub const SOURCE: &str = "contact_plan";

/// What one day's plan run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PlanReport {
    pub created: usize,
    /// The day's task existed already (a rerun).
    pub repeated: usize,
    /// The guest had a task of the plan less than a period ago (the plan's
    /// period was shortened, or its phase moved): skipped.
    pub too_soon: usize,
}

/// The due dates of plan tasks since `since`, by (plan, guest).
pub type Recent = HashMap<(Uuid, Uuid), Vec<NaiveDate>>;

/// The tenant's plan tasks due on or after `since`, by plan and guest (read
/// from their occurrence keys `plan:{plan}:guest:{guest}:{date}`).
pub fn recent_plan_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    since: NaiveDate,
) -> QueryResult<Recent> {
    let rows: Vec<(Option<String>, NaiveDate)> = care_tasks::table
        .filter(care_tasks::tenant_id.eq(tenant_id))
        .filter(care_tasks::source.eq(SOURCE))
        .filter(care_tasks::due_on.ge(since))
        .select((care_tasks::occurrence_key, care_tasks::due_on))
        .load(conn)?;
    let mut recent = Recent::new();
    for (key, due_on) in rows {
        let parts: Vec<&str> = key.as_deref().unwrap_or_default().split(':').collect();
        if let (Some(Ok(plan)), Some(Ok(guest))) = (
            parts.get(1).map(|p| p.parse::<Uuid>()),
            parts.get(3).map(|g| g.parse::<Uuid>()),
        ) {
            recent.entry((plan, guest)).or_default().push(due_on);
        }
    }
    Ok(recent)
}

/// Whether `due` would come less than a period after another task of the
/// same plan for the same guest (a task on the same day is the same task).
pub fn too_soon(due: &PlanDue, recent: &Recent) -> bool {
    let every = u64::try_from(due.every_days).unwrap_or(1);
    let window_start = due.date.checked_sub_days(Days::new(every));
    recent
        .get(&(due.plan_id, due.guest_id))
        .is_some_and(|dates| {
            dates
                .iter()
                .any(|d| *d < due.date && window_start.is_none_or(|start| *d > start))
        })
}

/// Creates the call tasks of the tenant's plans due on `date`, in the
/// caller's transaction; idempotent per (plan, guest, date).
pub fn create_plan_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    date: NaiveDate,
) -> QueryResult<PlanReport> {
    let mut report = PlanReport::default();
    let due = plans_due_between(conn, tenant_id, date, date)?;
    if due.is_empty() {
        return Ok(report);
    }
    let since = date.checked_sub_days(Days::new(366)).unwrap_or(date);
    let recent = recent_plan_tasks(conn, tenant_id, since)?;
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let staff_language = tenant.default_language.parse().unwrap_or(Language::En);
    for item in due {
        if too_soon(&item, &recent) {
            report.too_soon += 1;
            continue;
        }
        let guest = guests::get_guest(conn, tenant_id, item.guest_id)?;
        let created = create_task(
            conn,
            tenant_id,
            &NewTask {
                kind: TaskKind::Call,
                guest_id: item.guest_id,
                due_on: date,
                assignee_id: None,
                title: plans::call_title(staff_language, &guest.full_name, &item.plan_name),
                script: None,
                context: serde_json::json!({
                    "plan": { "id": item.plan_id, "name": item.plan_name, "every_days": item.every_days },
                    "guest": {
                        "code": GuestCode::from_number(guest.code.unsigned_abs()).to_string(),
                        "full_name": guest.full_name,
                        "phone": guest.phones.iter().flatten().next(),
                        "tier": guest.tier,
                    },
                }),
                source: SOURCE.to_owned(),
                occurrence_key: Some(item.occurrence_key()),
                actor: Actor::SYSTEM,
            },
        )?;
        if created.created {
            report.created += 1;
        } else {
            report.repeated += 1;
        }
    }
    Ok(report)
}
