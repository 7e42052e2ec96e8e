//! `poll_imap`: fetches a mailbox's new mail and ingests each message.
//!
//! Enqueued by the mailbox's schedule (`mailbox:{id}`, every
//! `poll_interval_secs`). One poll per mailbox at a time: the job holds a
//! session advisory lock on a connection of its own, which Postgres releases
//! the moment the process dies, so a killed worker never blocks the mailbox.
//! The cursor (UIDVALIDITY, last UID) moves in the same transaction that
//! stores each message, so a crash between fetch and commit only means the
//! message is fetched again — and recognised, never ingested twice. When the
//! server offers IDLE, the poll stays connected for `inbound.idle_secs`,
//! ingesting mail as it arrives; the next scheduled poll takes over.

use std::{sync::Arc, time::Duration};

use chrono::TimeDelta;
use diesel::{Connection, OptionalExtension, PgConnection, RunQueryDsl, sql_types};
use guestcare_db::{channel_settings, guests::GuestKeys, inbound::IngestConfig, mailboxes};
use guestcare_domain::{
    channels::purposes,
    inbound::{ack::Identity, parse::Limits},
    sealed::Sealer,
    settings::Settings,
};
use guestcare_jobs::{JobContext, JobError};
use secrecy::ExposeSecret;
use uuid::Uuid;

mod sync;

use super::with_conn;
use sync::{Failure, poll};

/// The longest one poll may run: its IDLE time plus the work.
pub fn timeout(settings: &Settings) -> Duration {
    Duration::from_secs(settings.inbound.idle_secs + 600)
}

/// What every poll shares.
#[derive(Debug)]
pub struct Poller {
    settings: Arc<Settings>,
    keys: GuestKeys,
    sealer: Sealer,
    config: IngestConfig,
}

impl Poller {
    pub fn new(settings: Arc<Settings>) -> Poller {
        let master = settings.security.master_key();
        let inbound = &settings.inbound;
        let config = IngestConfig {
            limits: Limits {
                max_attachment_bytes: inbound.max_attachment_bytes,
                max_parts: inbound.max_parts,
            },
            ack_window: TimeDelta::hours(inbound.ack_window_hours),
            soft_bounce_threshold: inbound.soft_bounce_threshold,
        };
        Poller {
            keys: GuestKeys::new(&master),
            sealer: Sealer::new(&master, purposes::IMAP_PASSWORD),
            config,
            settings,
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct Payload {
    tenant_id: Uuid,
    mailbox_id: Uuid,
}

/// A session advisory lock on the mailbox, held by a connection of its own.
struct MailboxLock(
    #[expect(dead_code, reason = "held for its Drop: closing releases the lock")] PgConnection,
);

#[derive(diesel::QueryableByName)]
struct Locked {
    #[diesel(sql_type = sql_types::Bool)]
    locked: bool,
}

impl MailboxLock {
    async fn acquire(url: String, mailbox_id: Uuid) -> Result<Option<MailboxLock>, JobError> {
        tokio::task::spawn_blocking(move || {
            let mut conn = PgConnection::establish(&url).map_err(JobError::transient)?;
            let got: Locked =
                diesel::sql_query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked")
                    .bind::<sql_types::Text, _>(format!("poll_imap:{mailbox_id}"))
                    .get_result(&mut conn)
                    .map_err(JobError::transient)?;
            Ok(got.locked.then_some(MailboxLock(conn)))
        })
        .await
        .map_err(JobError::transient)?
    }
}

/// The address in `Name <address>` or a bare address, lower case.
fn address_of(from: &str) -> String {
    let inner = match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &from[open + 1..close],
        _ => from,
    };
    inner.trim().to_lowercase()
}

pub async fn run(poller: Arc<Poller>, ctx: JobContext) -> Result<(), JobError> {
    let payload: Payload = ctx.payload()?;
    let url = poller.settings.database.url.expose_secret().to_owned();
    let Some(lock) = MailboxLock::acquire(url, payload.mailbox_id).await? else {
        return Ok(());
    };
    let host = poller.settings.mail.host.clone();
    let system_from = address_of(&poller.settings.mail.from);
    let loaded = with_conn(&ctx, move |conn| {
        let Some(mailbox) =
            mailboxes::get_mailbox(conn, payload.tenant_id, payload.mailbox_id).optional()?
        else {
            return Ok(None);
        };
        let own = channel_settings::get_channel_settings(conn, payload.tenant_id)?;
        let mut identity = Identity {
            loop_ids: vec![format!("guestcare@{host}")],
            id_domains: vec![host],
            own_addresses: vec![system_from],
        };
        if let Some(own) = own {
            identity.id_domains.extend(own.mail_domain);
            identity
                .own_addresses
                .extend(own.mail_from.as_deref().map(address_of));
        }
        if mailbox.username.contains('@') {
            identity.own_addresses.push(mailbox.username.to_lowercase());
        }
        Ok(Some((mailbox, identity)))
    })
    .await?;
    // A mailbox deleted or paused since this job was enqueued: nothing to do.
    let Some((mailbox, identity)) = loaded.filter(|(m, _)| m.active) else {
        return Ok(());
    };
    let outcome = poll(&poller, &ctx, &mailbox, Arc::new(identity)).await;
    let error = match outcome {
        Ok(()) => None,
        Err(Failure::Imap(e)) => Some(e.to_string()),
        Err(Failure::Job(e)) => return Err(e),
    };
    if let Some(error) = &error {
        tracing::warn!(mailbox.id = %mailbox.id, tenant.id = %mailbox.tenant_id, error = %error, "mailbox poll failed");
    }
    let (tenant_id, mailbox_id) = (mailbox.tenant_id, mailbox.id);
    with_conn(&ctx, move |conn| {
        Ok(mailboxes::record_poll(
            conn,
            tenant_id,
            mailbox_id,
            error.as_deref(),
        )?)
    })
    .await?;
    drop(lock);
    Ok(())
}
