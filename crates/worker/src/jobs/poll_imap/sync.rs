//! One poll's conversation with the server: select the folder, resync on
//! a new UIDVALIDITY, ingest what is new batch by batch (each message in
//! its own transaction with the cursor), mark it processed, and wait in
//! IDLE for more until the poll's time is up.

use std::{sync::Arc, time::Duration};

use diesel::Connection;
use guestcare_db::{
    inbound::{Fetched, ingest},
    mailboxes::{self, Mailbox},
};
use guestcare_domain::inbound::{ImapSecurity, ack::Identity, secret_context};
use guestcare_jobs::{JobContext, JobError, store};
use tokio::time::Instant;

use super::{Poller, with_conn};
use crate::imap::{Folder, ImapError, Message, Target, connect};

/// Why a poll stopped.
pub enum Failure {
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

pub async fn poll(
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
        // A long sync keeps its lease (IDLE stays below `worker.lease_secs`).
        let lease = ctx.job.lease();
        let extend = Duration::from_secs(poller.settings.worker.lease_secs);
        with_conn(ctx, move |conn| Ok(store::heartbeat(conn, &lease, extend)?)).await?;
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
