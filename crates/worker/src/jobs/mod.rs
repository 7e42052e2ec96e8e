//! Job bodies, one module per kind, and the registry that maps kinds to them.

mod automations;
mod campaigns;
mod care;
mod deliver_webhook;
pub mod import_guests;
mod notify;
mod poll_imap;
pub mod probe;
mod send_email;
mod send_sms;
mod surveys;
mod tickets;

use std::{sync::Arc, time::Duration};

use diesel::PgConnection;
use guestcare_db::{
    care as scans,
    guests::GuestKeys,
    mailboxes,
    messages::{self, Message, Outcome},
    reminders,
    surveys::send as survey_send,
    webhooks,
};
use guestcare_domain::settings::Settings;
use guestcare_jobs::{JobContext, JobError, Registry};
use uuid::Uuid;

use crate::channels::Channels;

/// What message jobs carry.
#[derive(Debug, serde::Deserialize)]
struct MessagePayload {
    message_id: Uuid,
    tenant_id: Uuid,
}

/// The longest an import attempt may run (100 000 rows take minutes).
const IMPORT_TIMEOUT: Duration = Duration::from_secs(4 * 60 * 60);

/// The longest a care scan of one tenant may run.
const CARE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Every job kind this worker runs, with the transports they share.
pub fn registry(settings: &Settings, channels: Arc<Channels>) -> Registry {
    let mut registry = Registry::new();
    let links = Arc::new(channels.links.clone());
    let email = channels.clone();
    registry.register(messages::SEND_EMAIL, Duration::from_secs(120), move |ctx| {
        send_email::run(email.clone(), ctx)
    });
    let batch = channels.clone();
    registry.register(
        messages::SEND_EMAIL_BATCH,
        Duration::from_secs(15 * 60),
        move |ctx| send_email::run_batch(batch.clone(), ctx),
    );
    let sms = channels.clone();
    registry.register(messages::SEND_SMS, Duration::from_secs(60), move |ctx| {
        send_sms::run(sms.clone(), ctx)
    });
    registry.register(probe::KIND, Duration::from_secs(60), probe::run);
    registry.register(
        webhooks::DELIVER_WEBHOOK,
        Duration::from_secs(60),
        move |ctx| deliver_webhook::run(channels.clone(), ctx),
    );
    let campaign_links = links.clone();
    registry.register(
        guestcare_db::campaigns::DISPATCH,
        Duration::from_secs(10 * 60),
        move |ctx| campaigns::dispatch(campaign_links.clone(), ctx),
    );
    let day_links = links.clone();
    registry.register(
        reminders::RUN_AUTOMATIONS,
        Duration::from_secs(15 * 60),
        move |ctx| automations::run_day(day_links.clone(), ctx),
    );
    let event_links = links.clone();
    registry.register(
        reminders::event::SEND_EVENT_STEP,
        Duration::from_secs(60),
        move |ctx| automations::send_event_step(event_links.clone(), ctx),
    );
    let satisfaction_links = links.clone();
    registry.register(
        guestcare_db::tickets::SEND_SATISFACTION,
        Duration::from_secs(60),
        move |ctx| tickets::satisfaction(satisfaction_links.clone(), ctx),
    );
    registry.register(guestcare_db::tickets::SLA_SCAN, CARE_TIMEOUT, tickets::scan);
    let birthday_links = links.clone();
    registry.register(scans::BIRTHDAYS, CARE_TIMEOUT, move |ctx| {
        let links = birthday_links.clone();
        care::run(ctx, move |conn, tenant_id, at| {
            scans::run_birthday_scan(conn, &links, tenant_id, at)
        })
    });
    let greeting_links = links.clone();
    registry.register(scans::GREETINGS, CARE_TIMEOUT, move |ctx| {
        let links = greeting_links.clone();
        care::run(ctx, move |conn, tenant_id, at| {
            scans::run_greetings(conn, &links, tenant_id, at)
        })
    });
    registry.register(scans::DIGEST, CARE_TIMEOUT, |ctx| {
        care::run(ctx, scans::run_digest)
    });
    let lease = Duration::from_secs(settings.worker.lease_secs);
    let invite_links = links.clone();
    registry.register(survey_send::SEND_SURVEY, CARE_TIMEOUT, move |ctx| {
        surveys::invite(invite_links.clone(), ctx, lease)
    });
    registry.register(survey_send::REMIND_SURVEY, CARE_TIMEOUT, move |ctx| {
        surveys::remind(links.clone(), ctx, lease)
    });
    let keys = Arc::new(GuestKeys::new(&settings.security.master_key()));
    registry.register(import_guests::KIND, IMPORT_TIMEOUT, move |ctx| {
        import_guests::run(ctx, keys.clone(), lease)
    });
    let poller = Arc::new(poll_imap::Poller::new(Arc::new(settings.clone())));
    registry.register(
        mailboxes::POLL_IMAP,
        poll_imap::timeout(settings),
        move |ctx| poll_imap::run(poller.clone(), ctx),
    );
    registry
}

/// Runs `work` on a pooled connection on the blocking pool.
async fn with_conn<T, F>(ctx: &JobContext, work: F) -> Result<T, JobError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, JobError> + Send + 'static,
{
    let pool = ctx.pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool
            .get()
            .map_err(|e| JobError::Transient(format!("database pool: {e}")))?;
        work(&mut conn)
    })
    .await
    .map_err(|e| JobError::Transient(format!("blocking task: {e}")))?
}

/// Whether this attempt is the job's last.
fn last_attempt(ctx: &JobContext) -> bool {
    ctx.job.attempts >= ctx.job.max_attempts
}

/// Records a message's outcome (and its `message.*` event) in one short
/// transaction.
async fn record(ctx: &JobContext, message: &Message, outcome: Outcome) -> Result<(), JobError> {
    record_many(ctx, message.tenant_id, vec![(message.id, outcome)]).await
}

/// Records the outcomes of several messages of `tenant_id` (and their
/// `message.*` events) in one transaction.
async fn record_many(
    ctx: &JobContext,
    tenant_id: Uuid,
    outcomes: Vec<(Uuid, Outcome)>,
) -> Result<(), JobError> {
    with_conn(ctx, move |conn| {
        use diesel::Connection;
        conn.transaction(|conn| {
            for (id, outcome) in &outcomes {
                messages::record_outcome(conn, tenant_id, *id, outcome)?;
            }
            diesel::QueryResult::Ok(())
        })?;
        Ok(())
    })
    .await
}
