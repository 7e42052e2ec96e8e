//! [`create_task`]: the one way to create a care task.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use guestcare_domain::care::tasks::TaskKind;
use uuid::Uuid;

use super::Task;
use crate::{
    new_id,
    schema::care_tasks,
    timeline::{self, Actor, NewEntry},
};

/// A task to create.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub kind: TaskKind,
    pub guest_id: Uuid,
    pub due_on: NaiveDate,
    /// A staff user of the tenant (the caller checks it exists).
    pub assignee_id: Option<Uuid>,
    /// 1–200 characters.
    pub title: String,
    /// Up to 4000 characters.
    pub script: Option<String>,
    /// A small JSON object shown with the task (profile summary, last stay).
    pub context: serde_json::Value,
    /// `manual`, `birthday`, `contact_plan`, `reminder`, … (`[a-z_]{1,32}`).
    pub source: String,
    /// The automation's occurrence, e.g. `birthday:{guest}:{year}` or
    /// `plan:{id}:guest:{id}:{period}`: a second create with the same key
    /// returns the first task and changes nothing.
    pub occurrence_key: Option<String>,
    pub actor: Actor,
}

/// What [`create_task`] did.
#[derive(Debug, Clone)]
pub struct Created {
    pub task: Task,
    /// `false` when the occurrence key was used before: `task` is that task.
    pub created: bool,
}

/// Creates the task and its `task.created` timeline entry, in the caller's
/// transaction. Idempotent per `occurrence_key`: concurrent callers with the
/// same key (two workers, a retried job) get one task between them, the
/// later ones waiting on the unique index and then reading the first.
pub fn create_task(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    new: &NewTask,
) -> QueryResult<Created> {
    let inserted: Option<Task> = diesel::insert_into(care_tasks::table)
        .values((
            care_tasks::id.eq(new_id()),
            care_tasks::tenant_id.eq(tenant_id),
            care_tasks::kind.eq(new.kind.as_str()),
            care_tasks::guest_id.eq(new.guest_id),
            care_tasks::assignee_id.eq(new.assignee_id),
            care_tasks::due_on.eq(new.due_on),
            care_tasks::title.eq(&new.title),
            care_tasks::script.eq(&new.script),
            care_tasks::context.eq(&new.context),
            care_tasks::source.eq(&new.source),
            care_tasks::occurrence_key.eq(&new.occurrence_key),
        ))
        .on_conflict_do_nothing()
        .returning(Task::as_returning())
        .get_result(conn)
        .optional()?;
    let Some(task) = inserted else {
        let task = care_tasks::table
            .filter(care_tasks::tenant_id.eq(tenant_id))
            .filter(care_tasks::occurrence_key.eq(&new.occurrence_key))
            .select(Task::as_select())
            .first(conn)?;
        return Ok(Created {
            task,
            created: false,
        });
    };
    timeline::record(
        conn,
        tenant_id,
        task.guest_id,
        NewEntry {
            kind: "task.created",
            occurred_at: Utc::now(),
            summary: serde_json::json!({
                "task_kind": task.kind,
                "title": task.title,
                "due_on": task.due_on,
                "source": task.source,
            }),
            ref_id: Some(task.id),
            actor: new.actor,
        },
    )?;
    Ok(Created {
        task,
        created: true,
    })
}
