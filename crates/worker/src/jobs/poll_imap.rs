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
use diesel::{Connection, PgConnection, RunQueryDsl, sql_types};
use guestcare_db::{
    channel_settings,
    guests::GuestKeys,
    inbound::{Fetched, IngestConfig, ingest},
    mailboxes::{self, Mailbox},
};
use guestcare_domain::{
    channels::purposes,
    inbound::{ImapSecurity, ack::Identity, parse::Limits, secret_context},
    sealed::Sealer,
    settings::Settings,
};
use guestcare_jobs::{JobContext, JobError};
use secrecy::ExposeSecret;
use tokio::time::Instant;
use uuid::Uuid;

use super::with_conn;
use crate::imap::{Folder, ImapError, Message, Target, connect};

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
    let (mailbox, identity) = with_conn(&ctx, move |conn| {
        let mailbox = mailboxes::get_mailbox(conn, payload.tenant_id, payload.mailbox_id)?;
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
        Ok((mailbox, identity))
    })
    .await?;
    if !mailbox.active {
        return Ok(());
    }
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

enum Failure {
    /// The server's fault or the settings': recorded on the mailbox.
    Imap(ImapError),
    /// Ours (database): the job retries.
    Job(JobError),
}

impl From<ImapError> for Failure {
    fn from(e: ImapError) -> Failure {
        Failure::Imap(e)
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Failure {
        Failure::Job(e)
    }
}

async fn poll(
    poller: &Poller,
    ctx: &JobContext,
    mailbox: &Mailbox,
    identity: Arc<Identity>,
) -> Result<(), Failure> {
    let password = poller
        .sealer
        .open(
            &mailbox.secret_sealed,
            &secret_context(mailbox.tenant_id, mailbox.id),
        )
        .map_err(|_| ImapError::Connect("the stored password cannot be opened"))?;
    let target = Target {
        host: mailbox.host.clone(),
        port: u16::try_from(mailbox.port).unwrap_or(143),
        security: ImapSecurity::parse(&mailbox.security).unwrap_or(ImapSecurity::Tls),
        username: mailbox.username.clone(),
        password: String::from_utf8_lossy(&password).into_owned(),
        allow_hosts: poller.settings.security.webhook_allow_hosts.clone(),
    };
    let mut folder = Folder::select(connect(&target).await?, &mailbox.folder).await?;
    let validity = i64::from(folder.uid_validity);
    let mut cursor = if mailbox.uid_validity == Some(validity) {
        mailbox.last_uid
    } else {
        if mailbox.uid_validity.is_some() {
            tracing::warn!(mailbox.id = %mailbox.id, "UIDVALIDITY changed: resyncing the folder");
        }
        let (tenant_id, id) = (mailbox.tenant_id, mailbox.id);
        with_conn(ctx, move |conn| {
            Ok(mailboxes::advance_cursor(conn, tenant_id, id, validity, 0)?)
        })
        .await?;
        0
    };
    let idle = Duration::from_secs(poller.settings.inbound.idle_secs);
    let deadline = Instant::now() + idle;
    loop {
        cursor = sync(poller, ctx, mailbox, &identity, &mut folder, cursor).await?;
        let left = deadline.saturating_duration_since(Instant::now());
        if !folder.idle || left.is_zero() {
            break;
        }
        folder = folder.idle(left).await?.0;
    }
    folder.logout().await;
    Ok(())
}

/// Ingests every message after `cursor`, batch by batch; returns the new cursor.
async fn sync(
    poller: &Poller,
    ctx: &JobContext,
    mailbox: &Mailbox,
    identity: &Arc<Identity>,
    folder: &mut Folder,
    mut cursor: i64,
) -> Result<i64, Failure> {
    let inbound = &poller.settings.inbound;
    let listed = folder
        .list_after(u32::try_from(cursor).unwrap_or(u32::MAX))
        .await?;
    let move_to = (mailbox.processed_action == "move")
        .then_some(mailbox.processed_folder.as_deref())
        .flatten();
    let batch = usize::try_from(inbound.fetch_batch).unwrap_or(50);
    for chunk in listed.chunks(batch) {
        let messages = folder.fetch(chunk, inbound.max_message_bytes).await?;
        let mut done = Vec::with_capacity(messages.len());
        for message in messages {
            store(
                poller,
                ctx,
                mailbox,
                identity,
                i64::from(folder.uid_validity),
                &message,
            )
            .await?;
            cursor = i64::from(message.uid);
            done.push(message.uid);
        }
        folder.mark_processed(&done, move_to).await?;
    }
    Ok(cursor)
}

/// Ingests one message and moves the cursor past it, in one transaction.
async fn store(
    poller: &Poller,
    ctx: &JobContext,
    mailbox: &Mailbox,
    identity: &Arc<Identity>,
    uid_validity: i64,
    message: &Message,
) -> Result<(), JobError> {
    let pool = ctx.pool.clone();
    let keys = poller.keys.clone();
    let config = poller.config;
    let identity = identity.clone();
    let mailbox = mailbox.clone();
    let message = message.clone();
    let ingested = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(JobError::transient)?;
        conn.transaction(|conn| {
            let fetched = Fetched {
                uid_validity,
                uid: i64::from(message.uid),
                raw: &message.bytes,
                size: message.size,
                too_large: message.header_only,
            };
            let ingested = ingest(conn, &keys, &config, &identity, &mailbox, &fetched)?;
            mailboxes::advance_cursor(
                conn,
                mailbox.tenant_id,
                mailbox.id,
                uid_validity,
                fetched.uid,
            )?;
            Ok::<_, diesel::result::Error>((ingested, mailbox.id, fetched.uid))
        })
        .map_err(JobError::transient)
    })
    .await
    .map_err(JobError::transient)??;
    let (ingested, mailbox_id, uid) = ingested;
    tracing::info!(
        mailbox.id = %mailbox_id,
        imap.uid = uid,
        inbound.id = ?ingested.id,
        disposition = ingested.disposition,
        ticket.id = ?ingested.ticket_id,
        acknowledged = ingested.acknowledged,
        "inbound message"
    );
    Ok(())
}
