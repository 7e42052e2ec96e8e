//! The events webhooks can subscribe to. The list grows with later features;
//! names are stable once published.

/// Every event type, in the order `/v1/webhooks/event-types` lists them,
/// with a one-line description.
pub const EVENT_TYPES: &[(&str, &str)] = &[
    ("guest.created", "A guest profile was created."),
    ("guest.updated", "A guest profile was changed."),
    ("guest.merged", "Two guest profiles were merged into one."),
    ("import.finished", "A guest import finished."),
    (
        "message.sent",
        "An e-mail or SMS was handed to its provider.",
    ),
    ("message.failed", "An e-mail or SMS could not be sent."),
    (
        "campaign.started",
        "A campaign began sending (its audience is frozen).",
    ),
    (
        "campaign.finished",
        "A campaign was sent to its whole audience, or cancelled after it started.",
    ),
    ("ticket.created", "A ticket was opened."),
    ("ticket.updated", "A ticket changed."),
    (
        "ticket.sla_breached",
        "A ticket missed its response or resolution time.",
    ),
    ("feedback.received", "A guest left feedback."),
    ("survey.response", "A guest answered a survey."),
    ("task.due", "A staff task became due."),
];

/// Sent by `POST /v1/webhooks/{id}/ping`; every endpoint receives it.
pub const PING: &str = "webhook.ping";

/// Whether `name` is a known event type (a ping is not subscribable).
pub fn is_event_type(name: &str) -> bool {
    EVENT_TYPES.iter().any(|(known, _)| *known == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_dotted() {
        let mut names: Vec<&str> = EVENT_TYPES.iter().map(|(n, _)| *n).collect();
        assert!(names.iter().all(|n| n.contains('.')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EVENT_TYPES.len());
        assert!(is_event_type("message.sent"));
        assert!(!is_event_type(PING));
    }
}
