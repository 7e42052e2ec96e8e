//! Checklists: the steps a tenant follows for a recurring problem type
//! (`noise`, `ac_broken`), copied onto a ticket and ticked off there. A
//! ticket's `checklist` is a JSON array of `{ "step", "done", "done_at",
//! "done_by" }` plus the problem type on the `checklist` entry.

use chrono::Utc;
use diesel::prelude::*;
use uuid::Uuid;

use super::{EntryKind, NewTicketEntry, Ticket, insert_entry, lock_ticket};
use crate::{
    new_id,
    schema::{ticket_checklists, tickets},
    timeline::Actor,
};

/// A tenant's steps for one problem type.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_checklists, check_for_backend(diesel::pg::Pg))]
pub struct Checklist {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub problem_type: String,
    pub steps: Vec<Option<String>>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

/// Creates or replaces the steps of `problem_type`.
pub fn put_checklist(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    problem_type: &str,
    steps: &[String],
) -> QueryResult<Checklist> {
    let steps: Vec<Option<String>> = steps.iter().cloned().map(Some).collect();
    diesel::insert_into(ticket_checklists::table)
        .values((
            ticket_checklists::id.eq(new_id()),
            ticket_checklists::tenant_id.eq(tenant_id),
            ticket_checklists::problem_type.eq(problem_type),
            ticket_checklists::steps.eq(&steps),
        ))
        .on_conflict((
            ticket_checklists::tenant_id,
            ticket_checklists::problem_type,
        ))
        .do_update()
        .set((
            ticket_checklists::steps.eq(&steps),
            ticket_checklists::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Checklist::as_returning())
        .get_result(conn)
}

/// The tenant's checklists by problem type.
pub fn list_checklists(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<Vec<Checklist>> {
    ticket_checklists::table
        .filter(ticket_checklists::tenant_id.eq(tenant_id))
        .select(Checklist::as_select())
        .order(ticket_checklists::problem_type.asc())
        .load(conn)
}

fn get_checklist(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    problem_type: &str,
) -> QueryResult<Checklist> {
    ticket_checklists::table
        .filter(ticket_checklists::tenant_id.eq(tenant_id))
        .filter(ticket_checklists::problem_type.eq(problem_type))
        .select(Checklist::as_select())
        .first(conn)
}

/// Deletes the steps of `problem_type` (tickets keep their copies);
/// `NotFound` if there are none.
pub fn delete_checklist(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    problem_type: &str,
) -> QueryResult<()> {
    let deleted = diesel::delete(
        ticket_checklists::table
            .filter(ticket_checklists::tenant_id.eq(tenant_id))
            .filter(ticket_checklists::problem_type.eq(problem_type)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// Copies the steps of `problem_type` onto the ticket (replacing any
/// checklist it had), with a `checklist` entry. `NotFound` if the tenant has
/// no such checklist.
pub fn apply_checklist(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    problem_type: &str,
    actor: Actor,
) -> QueryResult<Ticket> {
    let ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    let checklist = get_checklist(conn, tenant_id, problem_type)?;
    let steps: Vec<serde_json::Value> = checklist
        .steps
        .into_iter()
        .flatten()
        .map(|step| serde_json::json!({ "step": step, "done": false, "done_at": null, "done_by": null }))
        .collect();
    let updated = set_checklist(conn, &ticket, serde_json::Value::Array(steps))?;
    let data = serde_json::json!({ "applied": problem_type });
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Checklist, data, actor),
    )?;
    Ok(updated)
}

/// Marks step `index` of the ticket's checklist done or not done; `None`
/// if the ticket has no such step.
pub fn tick_step(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    index: usize,
    done: bool,
    actor: Actor,
) -> QueryResult<Option<Ticket>> {
    let ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    let mut checklist = ticket.checklist.clone();
    let Some(step) = checklist
        .as_array_mut()
        .and_then(|steps| steps.get_mut(index))
    else {
        return Ok(None);
    };
    step["done"] = done.into();
    step["done_at"] = if done {
        serde_json::json!(Utc::now())
    } else {
        serde_json::Value::Null
    };
    step["done_by"] = if done {
        serde_json::json!(actor.id)
    } else {
        serde_json::Value::Null
    };
    let data = serde_json::json!({ "step": index, "done": done });
    let updated = set_checklist(conn, &ticket, checklist)?;
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Checklist, data, actor),
    )?;
    Ok(Some(updated))
}

fn set_checklist(
    conn: &mut PgConnection,
    ticket: &Ticket,
    checklist: serde_json::Value,
) -> QueryResult<Ticket> {
    diesel::update(tickets::table.find(ticket.id))
        .set((
            tickets::checklist.eq(checklist),
            tickets::updated_at.eq(Utc::now()),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)
}
