//! The OpenAPI document's frame (info, security, tags) and the docs page.
//!
//! Paths and schemas are collected from the route table by
//! `utoipa_actix_web`, so a route cannot exist without being documented.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "guestcare API",
        description = "Guest care for hotels, resorts and B&Bs: guests, stays, care automations, \
                       messages, tickets, surveys and reports. Authenticate with \
                       `Authorization: Bearer <token>` (an API key or a session token). Errors are \
                       RFC 9457 problem documents (`application/problem+json`) with a stable `code`. \
                       Lists are paginated with `limit` and `cursor`; POSTs that create or send \
                       honour `Idempotency-Key`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "sessions", description = "Logging in and out"),
        (name = "tenant", description = "The caller's hotel or resort"),
        (name = "users", description = "Staff users and roles"),
        (name = "api-keys", description = "Keys for integrations"),
        (name = "audit", description = "Who read or changed personal data"),
        (name = "guests", description = "The guest registry: profiles, search, intake with identity resolution, stays, consent, tiers, timeline, export, erasure and merges"),
        (name = "tasks", description = "Care tasks: calls, gifts, visits and follow-ups, with contact outcomes on the guest's timeline"),
        (name = "tickets", description = "Tickets from e-mail and every desk channel: the team queue and workloads, public replies and internal notes, status machine, assignment and escalation, complaint clocks and satisfaction"),
        (name = "care", description = "Care automations: greeting rules, birthday calls and the care settings"),
        (name = "holidays", description = "Holiday calendars (international, Vietnam, Taiwan; lunar dates computed for 1900–2100) and the tenant's own occasions"),
        (name = "imports", description = "Daily intake files (CSV, XLSX, JSON) imported into the guest registry, with progress and an error report"),
        (name = "segments", description = "Saved guest filters evaluated in SQL, with a count and a sample"),
        (name = "templates", description = "Message templates per purpose, channel and language (built-in texts in Vietnamese, English and Traditional Chinese), previews with SMS segments and cost, and images for e-mails"),
        (name = "messages", description = "The log of e-mails and SMS sent (or suppressed) to guests and staff"),
        (name = "channels", description = "The tenant's own SMTP server, SMS provider and allowed hours"),
        (name = "mailboxes", description = "IMAP mailboxes polled for guests' mail: feedback, support, survey replies"),
        (name = "webhooks", description = "Signed event deliveries (Standard Webhooks) to the tenant's endpoints"),
        (name = "automations", description = "Care automations: reminder schedules relative to a date or an event, periodic contact plans, the monthly care list and a forecast of what would be sent or created"),
        (name = "surveys", description = "Surveys in Vietnamese, English and Traditional Chinese, sent to a segment or a seeded sample by e-mail with a personal link, answered on a guest page or by e-mail reply, with results as JSON, CSV and SVG charts"),
        (name = "public", description = "Pages guests open from signed links, without credentials: unsubscribing from marketing, answering a survey"),
        (name = "operations", description = "Probes, metrics and this document"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme the operations refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key (`gck_…`) or a session token (`gcs_…`)."))
                    .build(),
            ),
        );
    }
}

/// A self-contained page that renders `/openapi.json`: no CDN, so it works
/// on a VPS without outbound access and behind strict content policies.
pub const DOCS_PAGE: &str = include_str!("docs.html");
