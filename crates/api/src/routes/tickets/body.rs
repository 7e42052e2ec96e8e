//! The JSON shapes of tickets and their entries, and the new ticket's
//! validation.

use chrono::{DateTime, NaiveDate, Utc};
use guestcare_db::tickets::{Ticket, TicketEntry};
use guestcare_domain::{
    FieldError, ValidationErrors, bounded_text,
    tickets::{ComplaintType, Priority, TicketCategory, TicketChannel, is_department_key},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::routes::tasks::optional_text;

/// A ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    pub id: Uuid,
    /// `T-{n}`, unique in the tenant; e-mail subjects carry `[#T-{n}]`.
    pub number: String,
    /// `email`, `phone`, `walk_in`, `web_form`, `chat`, `zalo`, `facebook`, `post` or `api`.
    pub channel: String,
    /// `inquiry`, `feedback`, `complaint`, `request` or `booking`.
    pub category: String,
    pub department: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// `new`, `open`, `pending_guest`, `resolved`, `closed` or `reopened`.
    pub status: String,
    pub subject: String,
    pub guest_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub incident_on: Option<NaiveDate>,
    /// `service_quality` or `business`.
    pub complaint_type: Option<String>,
    /// Whether the complaint came within its window (90/30 days by default).
    pub within_window: Option<bool>,
    /// `resolved`, `mediated` or `escalated_to_authority`.
    pub final_outcome: Option<String>,
    /// 1, plus one for each reopening.
    pub round: i32,
    pub first_replied_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether the clocks stand still (waiting for the guest).
    pub paused: bool,
    pub first_reply_breached_at: Option<DateTime<Utc>>,
    pub resolution_breached_at: Option<DateTime<Utc>>,
    /// The ticket this one was merged into.
    pub merged_into: Option<Uuid>,
    /// Steps copied from a problem type's checklist: `step`, `done`,
    /// `done_at`, `done_by`.
    #[schema(value_type = Vec<Object>)]
    pub checklist: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Ticket> for TicketView {
    fn from(t: Ticket) -> Self {
        TicketView {
            id: t.id,
            number: t.number().to_string(),
            paused: t.paused_since.is_some(),
            channel: t.channel,
            category: t.category,
            department: t.department,
            priority: t.priority,
            status: t.status,
            subject: t.subject,
            guest_id: t.guest_id,
            assignee_id: t.assignee_id,
            incident_on: t.incident_on,
            complaint_type: t.complaint_type,
            within_window: t.within_window,
            final_outcome: t.final_outcome,
            round: t.round,
            first_replied_at: t.first_replied_at,
            resolved_at: t.resolved_at,
            closed_at: t.closed_at,
            first_reply_breached_at: t.first_reply_breached_at,
            resolution_breached_at: t.resolution_breached_at,
            merged_into: t.merged_into,
            checklist: t.checklist,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// Something that happened on a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    pub id: Uuid,
    /// `guest_message`, `public_reply`, `internal_note`, `acknowledgement`,
    /// `status`, `assignment`, `escalation`, `merge`, `sla`, `satisfaction`, …
    pub kind: String,
    pub body_text: Option<String>,
    /// Sanitised HTML of a guest's e-mail.
    pub body_html: Option<String>,
    /// The e-mail sent (replies, acknowledgements): see `/v1/messages/{id}`.
    pub message_id: Option<Uuid>,
    /// Facts: `from`/`to` status and `reason`, departments, rating, clock.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// `user`, `api_key`, `guest` or `system`.
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<TicketEntry> for EntryView {
    fn from(e: TicketEntry) -> Self {
        EntryView {
            id: e.id,
            kind: e.kind,
            body_text: e.body_text,
            body_html: e.body_html,
            message_id: e.message_id,
            data: e.data,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            created_at: e.created_at,
        }
    }
}

/// A ticket taken at a desk or from an integration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicketRequest {
    /// How the guest reached the hotel: `phone`, `walk_in` (intake form),
    /// `web_form`, `chat`, `zalo`, `facebook`, `post`, `email` or `api`.
    pub channel: String,
    /// `inquiry`, `feedback`, `complaint`, `request` or `booking`.
    pub category: String,
    /// 1–300 characters.
    pub subject: String,
    /// What the guest said, 1–100 000 characters.
    pub body: String,
    pub guest_id: Option<Uuid>,
    /// One of the tenant's departments; default the first (front desk).
    pub department: Option<String>,
    /// `low`, `normal` (default), `high` or `urgent`.
    pub priority: Option<String>,
    pub assignee_id: Option<Uuid>,
    /// Complaints: the day of the incident (not in the future).
    pub incident_on: Option<NaiveDate>,
    /// Complaints: `service_quality` (90-day window) or `business` (30).
    pub complaint_type: Option<String>,
}

/// A new ticket's checked fields.
pub(super) struct ValidNew {
    pub channel: TicketChannel,
    pub category: TicketCategory,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub complaint_type: Option<ComplaintType>,
}

impl NewTicketRequest {
    pub(super) fn validate(&self, today: NaiveDate) -> Result<ValidNew, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let channel = errors.check("channel", self.channel.parse::<TicketChannel>());
        let category = errors.check("category", self.category.parse::<TicketCategory>());
        let subject = errors.check("subject", bounded_text(&self.subject, 1, 300));
        let body = errors.check("body", bounded_text(&self.body, 1, 100_000));
        let priority = match &self.priority {
            None => Some(Priority::Normal),
            Some(p) => errors.check("priority", p.parse::<Priority>()),
        };
        let complaint_type = self
            .complaint_type
            .as_ref()
            .and_then(|t| errors.check("complaint_type", t.parse::<ComplaintType>()));
        if let Some(department) = &self.department
            && !is_department_key(department)
        {
            errors.push(unknown_department().at("department"));
        }
        if self.incident_on.is_some_and(|d| d > today) {
            errors.push(
                FieldError::new("in_future", "The incident cannot be in the future.")
                    .at("incident_on"),
            );
        }
        let complaint = category == Some(TicketCategory::Complaint);
        if !complaint && (self.incident_on.is_some() || self.complaint_type.is_some()) {
            let field = if self.incident_on.is_some() {
                "incident_on"
            } else {
                "complaint_type"
            };
            errors.push(
                FieldError::new("not_allowed", "Only complaints have an incident.").at(field),
            );
        }
        match (channel, category, subject, body, priority) {
            (Some(channel), Some(category), Some(subject), Some(body), Some(priority))
                if errors.is_empty() =>
            {
                Ok(ValidNew {
                    channel,
                    category,
                    subject,
                    body,
                    priority,
                    complaint_type,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The error of a department the tenant does not have.
pub(super) fn unknown_department() -> FieldError {
    FieldError::new(
        "unknown_department",
        "Use one of the tenant's departments (GET /v1/tickets/settings).",
    )
}

/// A text of 1–`max` characters, required.
pub(super) fn required_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let text = optional_text(errors, field, value, max);
    if text.is_none() && !errors.errors().iter().any(|e| e.field == field) {
        errors.push(FieldError::new("required", "This field is required.").at(field));
    }
    text
}
