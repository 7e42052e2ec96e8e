//! What the automations would do on each day of a period, computed by the
//! functions the daily run uses, without doing any of it.

use chrono::{Datelike, Days, NaiveDate};
use diesel::{
    prelude::*,
    sql_types::{Date, Uuid as SqlUuid},
};
use guestcare_domain::care::birthday::celebrated_in;
use uuid::Uuid;

use crate::{
    care::greetings_due,
    contact_plans::{
        PlanDue, plans_due_between,
        tasks::{recent_plan_tasks, too_soon},
    },
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
    /// A holiday greeting a greeting rule would send (at its hour).
    Greeting {
        rule_id: Uuid,
        occasion_key: String,
        channel: String,
        send_hour: i16,
        guest_id: Uuid,
        date: NaiveDate,
    },
    /// The birthday scan's call task (29 February birthdays on 28 February
    /// in common years).
    Birthday { guest_id: Uuid, date: NaiveDate },
}

impl Planned {
    pub fn date(&self) -> NaiveDate {
        match self {
            Planned::Reminder(d) => d.due_date,
            Planned::ContactTask(p) => p.date,
            Planned::Birthday { date, .. } | Planned::Greeting { date, .. } => *date,
        }
    }

    pub fn guest_id(&self) -> Uuid {
        match self {
            Planned::Reminder(d) => d.guest_id,
            Planned::ContactTask(p) => p.guest_id,
            Planned::Birthday { guest_id, .. } | Planned::Greeting { guest_id, .. } => *guest_id,
        }
    }
}

/// Reminder steps, contact tasks (less those that would come too soon after
/// an existing one), birthday tasks and holiday greetings that fall in
/// `from..=to`, by date.
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
    let since = from.checked_sub_days(Days::new(366)).unwrap_or(from);
    let recent = recent_plan_tasks(conn, tenant_id, since)?;
    planned.extend(
        plans_due_between(conn, tenant_id, from, to)?
            .into_iter()
            .filter(|due| !too_soon(due, &recent))
            .map(Planned::ContactTask),
    );
    planned.extend(birthdays_between(conn, tenant_id, from, to)?);
    for date in from.iter_days().take_while(|d| *d <= to) {
        for due in greetings_due(conn, tenant_id, date, None)? {
            let Some(channel) = due.channel else { continue };
            for guest_id in due.guest_ids.into_iter().flatten() {
                planned.push(Planned::Greeting {
                    rule_id: due.rule.id,
                    occasion_key: due.occurrence.key.to_string(),
                    channel: channel.as_str().to_owned(),
                    send_hour: due.rule.send_hour,
                    guest_id,
                    date,
                });
            }
        }
    }
    planned.sort_by_key(Planned::date);
    Ok(planned)
}

/// The tenant's live guests' birthdays in `from..=to`, by date: the days
/// the birthday scan (`care::run_birthday_scan`, by the same rule) creates
/// their call tasks.
fn birthdays_between(
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
            let date = celebrated_in(row.birth_date, year);
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
