//! The task list's query: filters by status, kind, assignee, guest, due
//! dates and source.

use chrono::NaiveDate;
use guestcare_db::tasks::{AssigneeFilter, TaskFilter};
use guestcare_domain::{
    FieldError, ValidationErrors,
    care::tasks::{TaskKind, TaskStatus},
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{self, Auth};

/// Filters on the task list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// `open`, `done` or `cancelled`.
    pub status: Option<String>,
    /// `call`, `gift`, `visit` or `follow_up`.
    pub kind: Option<String>,
    /// A staff user's id, `me` (the signed-in user) or `none` (unassigned).
    pub assignee: Option<String>,
    pub guest_id: Option<Uuid>,
    /// Due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Due on or before this day.
    pub due_to: Option<NaiveDate>,
    /// `manual`, `birthday`, `contact_plan`, `reminder`, …
    pub source: Option<String>,
}

impl TaskQuery {
    pub(super) fn filter(self, auth: &Auth) -> Result<TaskFilter, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = self
            .status
            .map(|s| errors.check("status", s.parse::<TaskStatus>()).map(|_| s));
        let kind = self
            .kind
            .map(|k| errors.check("kind", k.parse::<TaskKind>()).map(|_| k));
        let assignee = parse_assignee(auth, self.assignee.as_deref(), &mut errors);
        errors.finish(|| TaskFilter {
            status: status.flatten(),
            kind: kind.flatten(),
            assignee,
            guest_id: self.guest_id,
            due_from: self.due_from,
            due_to: self.due_to,
            source: self.source,
        })
    }
}

/// The `assignee` query value: a staff user's id, `me` (the signed-in
/// user; an API key is refused) or `none` (unassigned).
pub(crate) fn parse_assignee(
    auth: &Auth,
    value: Option<&str>,
    errors: &mut ValidationErrors,
) -> Option<AssigneeFilter> {
    let error = match value? {
        "none" => return Some(AssigneeFilter::Unassigned),
        "me" => match auth.actor {
            auth::Actor::User { user_id, .. } => return Some(AssigneeFilter::User(user_id)),
            auth::Actor::ApiKey { .. } => {
                FieldError::new("no_user", "An API key is not a staff user; give an id.")
            }
        },
        id => match id.parse::<Uuid>() {
            Ok(id) => return Some(AssigneeFilter::User(id)),
            Err(_) => FieldError::new("invalid_assignee", "Use a user id, `me` or `none`."),
        },
    };
    errors.push(error.at("assignee"));
    None
}
