//! What the automations would do on each day of a period, computed by the
//! functions the daily run uses, without doing any of it.

use chrono::{Datelike, NaiveDate};
use diesel::{
    prelude::*,
    sql_types::{Date, Uuid as SqlUuid},
};
use uuid::Uuid;

use crate::{
    contact_plans::{PlanDue, plans_due_between},
    reminders::due::{DueStep, due_between},
};

/// One thing planned for a guest on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// A reminder step that would be sent (consent, caps and quiet hours
    /// are decided when it is).
    Reminder(DueStep),
    /// A call task a contact plan would create.
    ContactTask(PlanDue),
    /// The guest's birthday (29 February on 28 February in common years).
    Birthday { guest_id: Uuid, date: NaiveDate },
}

impl Planned {
    pub fn date(&self) -> NaiveDate {
        match self {
            Planned::Reminder(d) => d.due_date,
            Planned::ContactTask(p) => p.date,
            Planned::Birthday { date, .. } => *date,
        }
    }

    pub fn guest_id(&self) -> Uuid {
        match self {
            Planned::Reminder(d) => d.guest_id,
            Planned::ContactTask(p) => p.guest_id,
            Planned::Birthday { guest_id, .. } => *guest_id,
        }
    }
}

/// Reminder steps and contact tasks that fall in `from..=to`, by date.
pub fn forecast(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Planned>> {
    let mut planned: Vec<Planned> = due_between(conn, tenant_id, from, to)?
        .into_iter()
        .map(Planned::Reminder)
        .collect();
    planned.extend(
        plans_due_between(conn, tenant_id, from, to)?
            .into_iter()
            .map(Planned::ContactTask),
    );
    planned.sort_by_key(Planned::date);
    Ok(planned)
}

/// The tenant's live guests' birthdays in `from..=to` (a period within one
/// year or spanning a new year), by date.
pub fn birthdays_between(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Planned>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = Date)]
        birth_date: NaiveDate,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT id, birth_date FROM guests \
         WHERE tenant_id = $1 AND birth_date IS NOT NULL \
           AND merged_into IS NULL AND erased_at IS NULL",
    )
    .bind::<SqlUuid, _>(tenant_id)
    .load(conn)?;
    let mut found = Vec::new();
    for row in rows {
        for year in from.year()..=to.year() {
            let date = birthday_in(row.birth_date, year);
            if date.is_some_and(|d| (from..=to).contains(&d)) {
                found.extend(date.map(|date| Planned::Birthday {
                    guest_id: row.id,
                    date,
                }));
            }
        }
    }
    found.sort_by_key(|p| (p.date(), p.guest_id()));
    Ok(found)
}

/// The day a birthday falls on in `year`: 29 February on the 28th in
/// common years.
fn birthday_in(birth: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, birth.month(), birth.day() - 1))
}
