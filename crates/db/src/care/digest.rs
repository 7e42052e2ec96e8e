//! The daily digest to the tenant's managers (owners and managers): today's
//! and the next 7 days' birthdays, the open care tasks due within them
//! (overdue ones included) and the tickets of the last 24 hours (new, new
//! feedback, overdue), as the `staff_digest` e-mail in the tenant's
//! language. One e-mail per manager per day (dedupe key
//! `digest:{user}:{date}`).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    care::tasks::TaskStatus,
    channels::Category,
    guest::GuestCode,
    templates::{self, Channel, Context, Purpose, Rendered, TenantVars},
};
use uuid::Uuid;

use super::{birthdays::celebrating_on, local_run};
use crate::{
    messages::{NewMessage, choose_template, queue_message},
    new_id,
    schema::{messages, users},
    tasks::{TaskFilter, list_tasks},
    tickets,
};

/// The job kind of the digest; its schedule is `care.digest`.
pub const DIGEST: &str = "care_digest";

/// The most tasks listed in one digest (the count covers them all).
const LISTED_TASKS: usize = 30;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestReport {
    /// E-mails queued now.
    pub queued: usize,
    pub birthdays: usize,
    pub open_tasks: usize,
    /// `false` if no text could be rendered (nothing queued).
    pub rendered: bool,
}

/// Queues the digest for the tenant-local day of `at`, in the caller's
/// transaction.
pub fn run_digest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<DigestReport> {
    let run = local_run(conn, tenant_id, at)?;
    let until = run.date + Duration::days(7);
    let mut birthdays = Vec::new();
    for date in run.date.iter_days().take(8) {
        for guest in celebrating_on(conn, tenant_id, date)? {
            birthdays.push(serde_json::json!({
                "date": date.to_string(),
                "name": guest.full_name,
                "code": GuestCode::from_number(guest.code.unsigned_abs()).to_string(),
            }));
        }
    }
    let filter = TaskFilter {
        status: Some(TaskStatus::Open.as_str().to_owned()),
        due_to: Some(until),
        ..TaskFilter::default()
    };
    let open = list_tasks(conn, tenant_id, &filter, None, 10_000)?;
    let tasks: Vec<serde_json::Value> = open
        .iter()
        .take(LISTED_TASKS)
        .map(|t| serde_json::json!({ "due_on": t.due_on.to_string(), "title": t.title }))
        .collect();
    let mut report = DigestReport {
        birthdays: birthdays.len(),
        open_tasks: open.len(),
        ..DigestReport::default()
    };
    let figures = tickets::ticket_digest(conn, tenant_id, at - Duration::days(1))?;
    let language = run.tenant.default_language.parse().unwrap_or(Language::En);
    let Ok((source, content)) = choose_template(
        conn,
        tenant_id,
        Purpose::StaffDigest,
        Channel::Email,
        language,
        language,
    ) else {
        return Ok(report);
    };
    let language = match source {
        templates::Source::Tenant(l) | templates::Source::Builtin(l) => l,
    };
    let managers: Vec<(Uuid, String, String)> = users::table
        .filter(users::tenant_id.eq(tenant_id))
        .filter(users::role.eq_any(["owner", "manager"]))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::email, users::display_name))
        .order(users::id.asc())
        .load(conn)?;
    for (user_id, email, name) in managers {
        let key = format!("digest:{user_id}:{}", run.date);
        let sent: i64 = messages::table
            .filter(messages::tenant_id.eq(tenant_id))
            .filter(messages::dedupe_key.eq(&key))
            .count()
            .get_result(conn)?;
        if sent > 0 {
            continue;
        }
        let context = Context {
            guest: None,
            tenant: TenantVars {
                name: run.tenant.name.clone(),
                ..TenantVars::default()
            },
            occasion: None,
            extra: [
                ("recipient_name", serde_json::Value::from(name)),
                ("digest_date", run.date.to_string().into()),
                ("new_tickets", figures.new_tickets.into()),
                ("overdue_tickets", figures.overdue_tickets.into()),
                ("new_feedback", figures.new_feedback.into()),
                ("birthdays", birthdays.clone().into()),
                ("open_tasks", open.len().into()),
                ("tasks", tasks.clone().into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        };
        let Ok(Rendered::Email(mail)) = templates::render(&content, language, &context) else {
            return Ok(report);
        };
        report.rendered = true;
        queue_message(
            conn,
            &NewMessage {
                id: new_id(),
                tenant_id,
                guest_id: None,
                channel: Channel::Email.as_str().to_owned(),
                purpose: Purpose::StaffDigest.as_str().to_owned(),
                category: Category::Service.as_str().to_owned(),
                template_key: Some(format!("staff_digest/email/{}", language.as_str())),
                language: Some(language.as_str().to_owned()),
                recipient: email,
                time_zone: Some(run.tenant.time_zone.clone()),
                subject: Some(mail.subject),
                body_text: mail.text,
                body_html: Some(mail.html),
                unsubscribe_url: None,
                parts_of: None,
                dedupe_key: Some(key),
            },
            &[],
            None,
        )?;
        report.queued += 1;
    }
    Ok(report)
}
