//! The complaint clocks' scan: for every open complaint whose first-reply
//! or resolution clock is within its warning margin or past its budget (at
//! an explicit instant, `guestcare_domain::tickets::clock`), marks it once —
//! an `sla` entry and `ticket.updated` for a warning, `ticket.sla_breached`
//! for a breach. Each mark is a guarded update (`… IS NULL`), so reruns,
//! retries and two workers mark and announce each warning and breach once.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::tickets::clock::{ClockState, Policy};
use uuid::Uuid;

use super::{
    EntryKind, NewTicketEntry, Ticket, events::event_data, get_ticket_settings, insert_entry,
};
use crate::{schema::tickets, timeline::Actor, webhooks};

/// Job kind of the scan (the system schedule `tickets.sla`, every 5 minutes).
pub const SLA_SCAN: &str = "ticket_sla_scan";

/// The statuses whose clocks run (waiting for the guest pauses them).
const RUNNING: [&str; 3] = ["new", "open", "reopened"];

/// What a scan marked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaReport {
    pub warned: usize,
    pub breached: usize,
}

/// The tenants with complaints whose clocks run.
pub fn tenants_with_running_clocks(conn: &mut PgConnection) -> QueryResult<Vec<Uuid>> {
    tickets::table
        .filter(tickets::category.eq("complaint"))
        .filter(tickets::status.eq_any(RUNNING))
        .select(tickets::tenant_id)
        .distinct()
        .load(conn)
}

/// Scans the tenant's running complaint clocks at `at`.
pub fn run_sla_scan(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<SlaReport> {
    let policy = get_ticket_settings(conn, tenant_id)?.policy;
    let running: Vec<Ticket> = tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .filter(tickets::category.eq("complaint"))
        .filter(tickets::status.eq_any(RUNNING))
        .select(Ticket::as_select())
        .load(conn)?;
    let mut report = SlaReport::default();
    for ticket in running {
        if ticket.first_replied_at.is_none() {
            let clock = ClockCols::FIRST_REPLY;
            mark(
                conn,
                &ticket,
                clock,
                clock.state(&ticket, policy, at),
                at,
                &mut report,
            )?;
        }
        if ticket.resolved_at.is_none() {
            let clock = ClockCols::RESOLUTION;
            mark(
                conn,
                &ticket,
                clock,
                clock.state(&ticket, policy, at),
                at,
                &mut report,
            )?;
        }
    }
    Ok(report)
}

/// One clock's name, budget and mark columns.
#[derive(Clone, Copy)]
struct ClockCols {
    name: &'static str,
    budget: fn(Policy) -> Duration,
    warned: fn(&Ticket) -> bool,
    breached: fn(&Ticket) -> bool,
}

impl ClockCols {
    const FIRST_REPLY: ClockCols = ClockCols {
        name: "first_reply",
        budget: |p| p.first_reply,
        warned: |t| t.first_reply_warned_at.is_some(),
        breached: |t| t.first_reply_breached_at.is_some(),
    };
    const RESOLUTION: ClockCols = ClockCols {
        name: "resolution",
        budget: |p| p.resolution,
        warned: |t| t.resolution_warned_at.is_some(),
        breached: |t| t.resolution_breached_at.is_some(),
    };

    fn state(self, ticket: &Ticket, policy: Policy, at: DateTime<Utc>) -> ClockState {
        ticket
            .clock()
            .state((self.budget)(policy), policy.warn_before, at)
    }

    /// Sets the mark column if it is still empty; whether this call set it.
    fn set(
        self,
        conn: &mut PgConnection,
        ticket: &Ticket,
        breach: bool,
        at: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let scope = tickets::table
            .filter(tickets::tenant_id.eq(ticket.tenant_id))
            .filter(tickets::id.eq(ticket.id));
        let changed = match (self.name, breach) {
            ("first_reply", false) => {
                diesel::update(scope.filter(tickets::first_reply_warned_at.is_null()))
                    .set(tickets::first_reply_warned_at.eq(at))
                    .execute(conn)?
            }
            ("first_reply", true) => {
                diesel::update(scope.filter(tickets::first_reply_breached_at.is_null()))
                    .set(tickets::first_reply_breached_at.eq(at))
                    .execute(conn)?
            }
            (_, false) => diesel::update(scope.filter(tickets::resolution_warned_at.is_null()))
                .set(tickets::resolution_warned_at.eq(at))
                .execute(conn)?,
            (_, true) => diesel::update(scope.filter(tickets::resolution_breached_at.is_null()))
                .set(tickets::resolution_breached_at.eq(at))
                .execute(conn)?,
        };
        Ok(changed == 1)
    }
}

fn mark(
    conn: &mut PgConnection,
    ticket: &Ticket,
    clock: ClockCols,
    state: ClockState,
    at: DateTime<Utc>,
    report: &mut SlaReport,
) -> QueryResult<()> {
    let (breach, due_at) = match state {
        ClockState::Warning { due_at } if !(clock.warned)(ticket) => (false, due_at),
        ClockState::Breached { due_at } if !(clock.breached)(ticket) => (true, due_at),
        _ => return Ok(()),
    };
    if !clock.set(conn, ticket, breach, at)? {
        return Ok(());
    }
    let change = serde_json::json!({
        "clock": clock.name,
        "state": if breach { "breached" } else { "warning" },
        "due_at": due_at,
        "round": ticket.round,
    });
    insert_entry(
        conn,
        ticket.tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Sla, change.clone(), Actor::SYSTEM),
    )?;
    let event = if breach {
        "ticket.sla_breached"
    } else {
        "ticket.updated"
    };
    webhooks::emit_event(
        conn,
        ticket.tenant_id,
        event,
        &event_data(ticket, &serde_json::json!({ "sla": change })),
    )?;
    if breach {
        report.breached += 1;
    } else {
        report.warned += 1;
    }
    Ok(())
}
