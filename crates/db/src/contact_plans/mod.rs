//! Periodic contact plans (`contact_plans`): every guest of a segment gets
//! a call task once per `every_days`, on the day of its phase in the plan
//! (`guestcare_domain::reminders::plans`). [`plans_due_between`] lists the
//! contacts that fall in a period, for the daily run and the forecast;
//! [`tasks`] turns a day's contacts into call tasks.

pub mod tasks;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use guestcare_domain::{reminders::plans, segment::Filter};
use uuid::Uuid;

use crate::{
    Cursor,
    schema::contact_plans,
    segments::{get_segment, segment_guest_ids_on},
};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = contact_plans, check_for_backend(diesel::pg::Pg))]
pub struct ContactPlan {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub segment_id: Uuid,
    pub every_days: i32,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields staff set; on update every field is replaced.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = contact_plans)]
pub struct PlanFields<'a> {
    pub name: &'a str,
    pub segment_id: Uuid,
    pub every_days: i32,
    pub active: bool,
}

pub fn insert_plan(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &PlanFields<'_>,
) -> QueryResult<ContactPlan> {
    diesel::insert_into(contact_plans::table)
        .values((
            contact_plans::id.eq(id),
            contact_plans::tenant_id.eq(tenant_id),
            fields,
        ))
        .returning(ContactPlan::as_returning())
        .get_result(conn)
}

pub fn get_plan(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<ContactPlan> {
    contact_plans::table
        .filter(contact_plans::tenant_id.eq(tenant_id))
        .find(id)
        .select(ContactPlan::as_select())
        .first(conn)
}

/// Up to `limit + 1` plans after `cursor`, oldest first.
pub fn list_plans(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<ContactPlan>> {
    let mut query = contact_plans::table
        .filter(contact_plans::tenant_id.eq(tenant_id))
        .select(ContactPlan::as_select())
        .order(contact_plans::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(contact_plans::id.gt(after));
    }
    query.load(conn)
}

pub fn update_plan(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &PlanFields<'_>,
) -> QueryResult<ContactPlan> {
    diesel::update(
        contact_plans::table
            .filter(contact_plans::tenant_id.eq(tenant_id))
            .filter(contact_plans::id.eq(id)),
    )
    .set((fields, contact_plans::updated_at.eq(diesel::dsl::now)))
    .returning(ContactPlan::as_returning())
    .get_result(conn)
}

/// Deletes the plan; `NotFound` if the tenant has no such plan. Tasks it
/// created stay.
pub fn delete_plan(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        contact_plans::table
            .filter(contact_plans::tenant_id.eq(tenant_id))
            .filter(contact_plans::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// One planned contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDue {
    pub plan_id: Uuid,
    pub plan_name: String,
    pub every_days: i32,
    pub guest_id: Uuid,
    pub date: NaiveDate,
}

impl PlanDue {
    /// `plan:{plan}:guest:{guest}:{date}`: the task's occurrence key.
    pub fn occurrence_key(&self) -> String {
        format!(
            "plan:{}:guest:{}:{}",
            self.plan_id, self.guest_id, self.date
        )
    }
}

/// The contacts of the tenant's active plans that fall in `from..=to`, by
/// date, plan, guest. Segment membership is read once, at `from` (ages
/// counted that day): the segment as it is when the period starts.
pub fn plans_due_between(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<PlanDue>> {
    let active: Vec<ContactPlan> = contact_plans::table
        .filter(contact_plans::tenant_id.eq(tenant_id))
        .filter(contact_plans::active.eq(true))
        .select(ContactPlan::as_select())
        .order(contact_plans::id.asc())
        .load(conn)?;
    let mut due = Vec::new();
    for plan in active {
        let segment = get_segment(conn, tenant_id, plan.segment_id)?;
        let Ok(filter) = Filter::parse(&segment.filter) else {
            continue;
        };
        let every = u32::try_from(plan.every_days).unwrap_or(1);
        for guest_id in segment_guest_ids_on(conn, tenant_id, &filter, from)? {
            for date in from.iter_days().take_while(|d| *d <= to) {
                if plans::is_due(plan.id.as_u128(), guest_id.as_u128(), every, date) {
                    due.push(PlanDue {
                        plan_id: plan.id,
                        plan_name: plan.name.clone(),
                        every_days: plan.every_days,
                        guest_id,
                        date,
                    });
                }
            }
        }
    }
    due.sort_by_key(|d| (d.date, d.plan_id, d.guest_id));
    Ok(due)
}
