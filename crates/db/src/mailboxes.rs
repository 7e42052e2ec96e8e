//! A tenant's IMAP mailboxes and their polling cursors.
//!
//! Each mailbox has a schedule `mailbox:{id}` (queue `imap`, kind
//! `poll_imap`) kept in step with it here: created, retimed, paused and
//! deleted together, in the caller's transaction. The password is stored
//! sealed (`purposes::IMAP_PASSWORD`, context
//! `inbound::secret_context(tenant, mailbox)`); this module never sees it in
//! the clear.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::inbound::poll_cron;
use guestcare_jobs::schedule::{self, NewSchedule, ScheduleError};
use uuid::Uuid;

use crate::{
    Cursor,
    schema::{mailboxes, schedules},
};

/// The job that polls one mailbox.
pub const POLL_IMAP: &str = "poll_imap";
/// The queue of `poll_imap` jobs (`[worker.queues] imap`).
pub const IMAP_QUEUE: &str = "imap";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = mailboxes, check_for_backend(diesel::pg::Pg))]
pub struct Mailbox {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub purpose: String,
    pub host: String,
    pub port: i32,
    pub security: String,
    pub username: String,
    pub secret_sealed: Vec<u8>,
    pub folder: String,
    pub processed_action: String,
    pub processed_folder: Option<String>,
    pub poll_interval_secs: i32,
    pub active: bool,
    pub uid_validity: Option<i64>,
    pub last_uid: i64,
    pub last_polled_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What staff set on a mailbox (validated by the API).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = mailboxes, treat_none_as_null = true)]
pub struct MailboxFields {
    pub name: String,
    pub purpose: String,
    pub host: String,
    pub port: i32,
    pub security: String,
    pub username: String,
    pub folder: String,
    pub processed_action: String,
    pub processed_folder: Option<String>,
    pub poll_interval_secs: i32,
    pub active: bool,
}

fn schedule_name(id: Uuid) -> String {
    format!("mailbox:{id}")
}

/// Creates or updates the mailbox's polling schedule.
fn sync_schedule(conn: &mut PgConnection, mailbox: &Mailbox) -> QueryResult<()> {
    let cron = poll_cron(mailbox.poll_interval_secs).ok_or_else(|| {
        diesel::result::Error::QueryBuilderError("poll interval has no cron expression".into())
    })?;
    let new = NewSchedule {
        tenant_id: Some(mailbox.tenant_id),
        name: schedule_name(mailbox.id),
        cron,
        time_zone: chrono_tz::UTC,
        queue: IMAP_QUEUE.to_owned(),
        kind: POLL_IMAP.to_owned(),
        payload: serde_json::json!({ "tenant_id": mailbox.tenant_id, "mailbox_id": mailbox.id }),
        active: mailbox.active,
    };
    match schedule::upsert(conn, &new, Utc::now()) {
        Ok(_) => Ok(()),
        Err(ScheduleError::Database(e)) => Err(e),
        Err(other) => Err(diesel::result::Error::QueryBuilderError(
            other.to_string().into(),
        )),
    }
}

/// Inserts the mailbox with its sealed password, and its schedule.
pub fn insert_mailbox(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &MailboxFields,
    secret_sealed: &[u8],
) -> QueryResult<Mailbox> {
    let mailbox = diesel::insert_into(mailboxes::table)
        .values((
            mailboxes::id.eq(id),
            mailboxes::tenant_id.eq(tenant_id),
            mailboxes::secret_sealed.eq(secret_sealed),
            fields,
        ))
        .returning(Mailbox::as_returning())
        .get_result(conn)?;
    sync_schedule(conn, &mailbox)?;
    Ok(mailbox)
}

pub fn get_mailbox(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Mailbox> {
    mailboxes::table
        .filter(mailboxes::tenant_id.eq(tenant_id))
        .find(id)
        .select(Mailbox::as_select())
        .first(conn)
}

/// Up to `limit + 1` of the tenant's mailboxes after `cursor`, oldest first.
pub fn list_mailboxes(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Mailbox>> {
    let mut query = mailboxes::table
        .filter(mailboxes::tenant_id.eq(tenant_id))
        .select(Mailbox::as_select())
        .order(mailboxes::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(mailboxes::id.gt(after));
    }
    query.load(conn)
}

/// Replaces the mailbox's settings; `secret_sealed` replaces the password
/// when given. Changing the server or folder restarts the cursor (the new
/// folder's UIDs mean something else; Message-IDs keep it from duplicating).
pub fn update_mailbox(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &MailboxFields,
    secret_sealed: Option<Vec<u8>>,
) -> QueryResult<Mailbox> {
    let current = get_mailbox(conn, tenant_id, id)?;
    let moved = current.host != fields.host
        || current.port != fields.port
        || current.username != fields.username
        || current.folder != fields.folder;
    let target = mailboxes::table
        .filter(mailboxes::tenant_id.eq(tenant_id))
        .filter(mailboxes::id.eq(id));
    let mailbox = diesel::update(target)
        .set((
            fields,
            mailboxes::secret_sealed.eq(secret_sealed.unwrap_or(current.secret_sealed)),
            mailboxes::uid_validity.eq(if moved { None } else { current.uid_validity }),
            mailboxes::last_uid.eq(if moved { 0 } else { current.last_uid }),
            mailboxes::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Mailbox::as_returning())
        .get_result(conn)?;
    sync_schedule(conn, &mailbox)?;
    Ok(mailbox)
}

/// Deletes the mailbox and its schedule; its stored messages stay.
pub fn delete_mailbox(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        mailboxes::table
            .filter(mailboxes::tenant_id.eq(tenant_id))
            .filter(mailboxes::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(diesel::result::Error::NotFound);
    }
    diesel::delete(
        schedules::table
            .filter(schedules::tenant_id.eq(tenant_id))
            .filter(schedules::name.eq(schedule_name(id))),
    )
    .execute(conn)?;
    Ok(())
}

/// Moves the cursor to (`uid_validity`, `last_uid`), in the transaction
/// that stored the message with that UID.
pub fn advance_cursor(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    uid_validity: i64,
    last_uid: i64,
) -> QueryResult<()> {
    diesel::update(
        mailboxes::table
            .filter(mailboxes::tenant_id.eq(tenant_id))
            .filter(mailboxes::id.eq(id)),
    )
    .set((
        mailboxes::uid_validity.eq(uid_validity),
        mailboxes::last_uid.eq(last_uid),
    ))
    .execute(conn)?;
    Ok(())
}

/// Records the end of a poll: when, and its failure (`None` for success).
/// `error` must hold no personal data.
pub fn record_poll(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    error: Option<&str>,
) -> QueryResult<()> {
    diesel::update(
        mailboxes::table
            .filter(mailboxes::tenant_id.eq(tenant_id))
            .filter(mailboxes::id.eq(id)),
    )
    .set((
        mailboxes::last_polled_at.eq(diesel::dsl::now),
        mailboxes::last_error.eq(error),
    ))
    .execute(conn)?;
    Ok(())
}
