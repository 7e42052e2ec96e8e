//! The JSON shapes of care tasks and their validation.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::PgConnection;
use guestcare_db::{guests, tasks, users};
use guestcare_domain::{
    FieldError, ValidationErrors, bounded_text,
    care::tasks::{Outcome, TaskKind, TaskStatus},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// A care task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: Uuid,
    /// `call`, `gift`, `visit` or `follow_up`.
    pub kind: String,
    pub guest_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub due_on: NaiveDate,
    /// `open`, `done` or `cancelled`.
    pub status: String,
    pub title: String,
    /// What to say, in the guest's language.
    pub script: Option<String>,
    /// What the creator knew: for birthday calls the guest's profile summary
    /// (`guest`) and last stay (`last_stay`).
    #[schema(value_type = Object)]
    pub context: serde_json::Value,
    /// `manual`, `birthday`, `contact_plan`, `reminder`, …
    pub source: String,
    /// The automation's occurrence key, if an automation made it.
    pub occurrence_key: Option<String>,
    /// The last attempt: `reached`, `no_answer`, `call_back` or `wrong_number`.
    pub outcome: Option<String>,
    pub outcome_notes: Option<String>,
    pub call_back_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<tasks::Task> for TaskView {
    fn from(t: tasks::Task) -> Self {
        TaskView {
            id: t.id,
            kind: t.kind,
            guest_id: t.guest_id,
            assignee_id: t.assignee_id,
            due_on: t.due_on,
            status: t.status,
            title: t.title,
            script: t.script,
            context: t.context,
            source: t.source,
            occurrence_key: t.occurrence_key,
            outcome: t.outcome,
            outcome_notes: t.outcome_notes,
            call_back_at: t.call_back_at,
            attempts: t.attempts,
            closed_at: t.closed_at,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTaskRequest {
    /// `call`, `gift`, `visit` or `follow_up`.
    pub kind: String,
    pub guest_id: Uuid,
    pub due_on: NaiveDate,
    /// A staff user of the tenant.
    pub assignee_id: Option<Uuid>,
    /// 1–200 characters.
    pub title: String,
    /// Up to 4000 characters.
    pub script: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// A staff user of the tenant, or `null` to unassign.
    pub assignee_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// `reached`, `no_answer`, `call_back` or `wrong_number`.
    pub outcome: String,
    /// Required with `call_back`, in the future; not allowed otherwise.
    pub call_back_at: Option<DateTime<Utc>>,
    /// Up to 2000 characters.
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// `done` (default) or `cancelled`.
    pub status: Option<String>,
    /// Up to 2000 characters.
    pub notes: Option<String>,
}

/// A validated new task's own fields.
pub(super) struct ValidNew {
    pub kind: TaskKind,
    pub title: String,
    pub script: Option<String>,
}

impl NewTaskRequest {
    pub(super) fn validate(&self) -> Result<ValidNew, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let kind = errors.check("kind", self.kind.parse::<TaskKind>());
        let title = errors.check("title", bounded_text(&self.title, 1, 200));
        let script = optional_text(&mut errors, "script", self.script.as_deref(), 4000);
        match (kind, title) {
            (Some(kind), Some(title)) if errors.is_empty() => Ok(ValidNew {
                kind,
                title,
                script,
            }),
            _ => Err(errors),
        }
    }
}

impl OutcomeRequest {
    pub(super) fn validate(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(Outcome, Option<String>), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let outcome = errors.check("outcome", self.outcome.parse::<Outcome>());
        let notes = optional_text(&mut errors, "notes", self.notes.as_deref(), 2000);
        match (outcome, self.call_back_at) {
            (Some(Outcome::CallBack), None) => errors.push(
                FieldError::new("required", "Give the time to call back.").at("call_back_at"),
            ),
            (Some(Outcome::CallBack), Some(at)) if at <= now => errors.push(
                FieldError::new("not_in_future", "Use a time in the future.").at("call_back_at"),
            ),
            (Some(o), Some(_)) if o != Outcome::CallBack => errors.push(
                FieldError::new("not_allowed", "Only a `call_back` outcome has a time.")
                    .at("call_back_at"),
            ),
            _ => {}
        }
        match outcome {
            Some(outcome) if errors.is_empty() => Ok((outcome, notes)),
            _ => Err(errors),
        }
    }
}

impl CloseRequest {
    pub(super) fn validate(&self) -> Result<(TaskStatus, Option<String>), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = match self.status.as_deref() {
            None | Some("done") => Some(TaskStatus::Done),
            Some("cancelled") => Some(TaskStatus::Cancelled),
            Some(_) => {
                errors.push(
                    FieldError::new("invalid_status", "Use `done` or `cancelled`.").at("status"),
                );
                None
            }
        };
        let notes = optional_text(&mut errors, "notes", self.notes.as_deref(), 2000);
        match status {
            Some(status) if errors.is_empty() => Ok((status, notes)),
            _ => Err(errors),
        }
    }
}

/// Cleaned text of at most `max` characters; blank becomes `None`.
pub(crate) fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    errors.check(field, bounded_text(value, 1, max))
}

/// 422 at `field` unless `user` is an enabled staff user of the tenant.
pub(crate) fn check_assignee(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user: Option<Uuid>,
    field: &str,
) -> Result<(), ApiError> {
    let Some(user) = user else { return Ok(()) };
    match users::get_user(conn, tenant_id, user) {
        Ok(u) if u.disabled_at.is_none() => Ok(()),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(FieldError::new(
            "unknown_user",
            "No active staff user of this tenant has this id.",
        )
        .at(field)
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// 422 at `guest_id` unless the guest is a live guest of the tenant.
pub(crate) fn check_guest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest: Uuid,
) -> Result<(), ApiError> {
    match guests::get_guest(conn, tenant_id, guest) {
        Ok(g) if g.erased_at.is_none() && g.merged_into.is_none() => Ok(()),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(FieldError::new(
            "unknown_guest",
            "No live guest of this tenant has this id.",
        )
        .at("guest_id")
        .into()),
        Err(e) => Err(e.into()),
    }
}
