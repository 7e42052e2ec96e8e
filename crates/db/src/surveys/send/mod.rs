//! Sending a survey: choosing the recipients (a segment, or a seeded sample
//! of it), inviting them by e-mail in batches, and reminding those who have
//! not answered.
//!
//! [`create_send`] records the send and its recipients and enqueues
//! [`SEND_SURVEY`] in the caller's transaction. The job calls
//! [`invite_batch`] until it returns 0, each batch in its own transaction
//! (a crash loses at most the batch in flight; a recipient is marked
//! invited in the same transaction as its message is queued, and the
//! message's dedupe key `survey:{recipient}:invitation` makes a repeat a
//! no-op), then [`finish_send`], which enqueues [`REMIND_SURVEY`] for
//! `remind_after_days` later. That job calls [`remind_batch`] the same way.

mod invite;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::{segment::Filter, surveys::sample::sample};
use guestcare_jobs::{NewJob, enqueue};
use uuid::Uuid;

pub use invite::{finish_send, invite_batch, remind_batch};

use super::Survey;
use crate::{
    new_id,
    schema::{survey_recipients, survey_sends},
    segments,
};

/// Job kind that invites a send's recipients (`{"tenant_id", "send_id"}`).
pub const SEND_SURVEY: &str = "send_survey";
/// Job kind that reminds a send's recipients who have not answered.
pub const REMIND_SURVEY: &str = "remind_survey";

/// What to send a survey to.
#[derive(Debug, Clone)]
pub struct NewSend {
    pub segment_id: Uuid,
    /// `(size, seed)`: a random sample of that many of the segment's
    /// guests; the same seed over the same guests picks the same ones.
    pub sample: Option<(u32, i64)>,
    pub remind_after_days: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = survey_sends, check_for_backend(diesel::pg::Pg))]
pub struct SurveySend {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub survey_id: Uuid,
    pub segment_id: Option<Uuid>,
    pub sample_size: Option<i32>,
    pub seed: Option<i64>,
    pub remind_after_days: Option<i32>,
    /// Guests newly invited by this send (those invited by an earlier send
    /// of the survey are not invited twice).
    pub recipients: i32,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Records a send of `survey`: evaluates the segment now, samples it,
/// adds each chosen guest not yet invited to the survey as a recipient
/// (with a random `S-XXXXXXXXXX` reference) and enqueues [`SEND_SURVEY`].
/// `NotFound` if the segment is not the tenant's.
pub fn create_send(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    survey: &Survey,
    new: &NewSend,
) -> QueryResult<SurveySend> {
    let segment = segments::get_segment(conn, tenant_id, new.segment_id)?;
    let filter = Filter::parse(&segment.filter)
        .map_err(|e| diesel::result::Error::DeserializationError(format!("{e:?}").into()))?;
    let mut guests = segments::segment_guest_ids(conn, tenant_id, &filter)?;
    if let Some((size, seed)) = new.sample {
        guests = sample(
            &guests,
            u64::from_be_bytes(seed.to_be_bytes()),
            size as usize,
        );
    }
    let id = new_id();
    diesel::insert_into(survey_sends::table)
        .values((
            survey_sends::id.eq(id),
            survey_sends::tenant_id.eq(tenant_id),
            survey_sends::survey_id.eq(survey.id),
            survey_sends::segment_id.eq(segment.id),
            survey_sends::sample_size.eq(new.sample.map(|(size, _)| size as i32)),
            survey_sends::seed.eq(new.sample.map(|(_, seed)| seed)),
            survey_sends::remind_after_days.eq(new.remind_after_days),
            survey_sends::recipients.eq(0),
        ))
        .execute(conn)?;
    let mut added = 0;
    for chunk in guests.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|guest| {
                let recipient = new_id();
                (
                    survey_recipients::id.eq(recipient),
                    survey_recipients::tenant_id.eq(tenant_id),
                    survey_recipients::survey_id.eq(survey.id),
                    survey_recipients::send_id.eq(id),
                    survey_recipients::guest_id.eq(*guest),
                    survey_recipients::reference.eq(reference(recipient)),
                )
            })
            .collect();
        added += diesel::insert_into(survey_recipients::table)
            .values(rows)
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    let send = diesel::update(survey_sends::table.find(id))
        .set(survey_sends::recipients.eq(i32::try_from(added).unwrap_or(i32::MAX)))
        .returning(SurveySend::as_returning())
        .get_result(conn)?;
    enqueue(conn, &job(SEND_SURVEY, &send, format!("survey-send:{id}")))?;
    Ok(send)
}

/// `S-` and ten Crockford base-32 digits of the recipient id's random tail.
fn reference(recipient: Uuid) -> String {
    const DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bits = recipient.as_u128();
    let digits: String = (0..10)
        .map(|i| char::from(DIGITS[((bits >> (5 * i)) & 31) as usize]))
        .collect();
    format!("S-{digits}")
}

fn job(kind: &str, send: &SurveySend, dedupe_key: String) -> NewJob {
    NewJob::new(
        "email",
        kind,
        serde_json::json!({ "tenant_id": send.tenant_id, "send_id": send.id }),
    )
    .with_tenant(send.tenant_id)
    .with_dedupe_key(dedupe_key)
}

/// The survey's sends, oldest first.
pub fn list_sends(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    survey_id: Uuid,
) -> QueryResult<Vec<SurveySend>> {
    survey_sends::table
        .filter(survey_sends::tenant_id.eq(tenant_id))
        .filter(survey_sends::survey_id.eq(survey_id))
        .order(survey_sends::id)
        .select(SurveySend::as_select())
        .load(conn)
}

pub fn get_send(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<SurveySend> {
    survey_sends::table
        .filter(survey_sends::tenant_id.eq(tenant_id))
        .find(id)
        .select(SurveySend::as_select())
        .first(conn)
}
