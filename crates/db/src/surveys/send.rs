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

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    segment::Filter,
    signed_token::{GuestLinks, SurveyLink},
    surveys::{sample::sample, text_in, words::reply_form},
    templates::{Channel, Purpose},
};
use guestcare_jobs::{NewJob, enqueue};
use uuid::Uuid;

use super::{Survey, get_survey};
use crate::{
    guests,
    messages::{GuestMessage, SendError, language_of, send_to_guest},
    new_id,
    schema::{survey_recipients, survey_responses, survey_sends},
    segments, tenants,
    timeline::Actor,
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

/// Invites up to `limit` recipients of the send not yet invited (locked,
/// skipping rows another worker holds); how many it handled. Nothing once
/// the survey has closed.
pub fn invite_batch(
    conn: &mut PgConnection,
    links: &GuestLinks,
    tenant_id: Uuid,
    send_id: Uuid,
    limit: i64,
) -> QueryResult<usize> {
    let send = get_send(conn, tenant_id, send_id)?;
    let survey = get_survey(conn, tenant_id, send.survey_id)?;
    if !survey.is_open_at(Utc::now()) {
        return Ok(0);
    }
    let pending: Vec<(Uuid, Uuid, String)> = survey_recipients::table
        .filter(survey_recipients::tenant_id.eq(tenant_id))
        .filter(survey_recipients::send_id.eq(send_id))
        .filter(survey_recipients::invited_at.is_null())
        .order(survey_recipients::id)
        .limit(limit)
        .select((
            survey_recipients::id,
            survey_recipients::guest_id,
            survey_recipients::reference,
        ))
        .for_update()
        .skip_locked()
        .load(conn)?;
    for (id, guest_id, reference) in &pending {
        let message = invite(conn, links, &survey, *id, *guest_id, reference, false)?;
        diesel::update(survey_recipients::table.find(id))
            .set((
                survey_recipients::invitation_message_id.eq(message),
                survey_recipients::invited_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
    }
    Ok(pending.len())
}

/// Marks the send finished and, if it reminds, enqueues [`REMIND_SURVEY`]
/// `remind_after_days` from now (once per send).
pub fn finish_send(conn: &mut PgConnection, tenant_id: Uuid, send_id: Uuid) -> QueryResult<()> {
    let send = diesel::update(
        survey_sends::table
            .filter(survey_sends::tenant_id.eq(tenant_id))
            .find(send_id),
    )
    .set(survey_sends::finished_at.eq(diesel::dsl::now))
    .returning(SurveySend::as_returning())
    .get_result(conn)?;
    if let Some(days) = send.remind_after_days {
        let at = Utc::now() + Duration::days(i64::from(days));
        let reminder =
            job(REMIND_SURVEY, &send, format!("survey-remind:{send_id}")).with_run_at(at);
        enqueue(conn, &reminder)?;
    }
    Ok(())
}

/// Reminds up to `limit` recipients of the send who were invited, have not
/// answered and were not reminded yet; how many it handled. Nothing once
/// the survey has closed.
pub fn remind_batch(
    conn: &mut PgConnection,
    links: &GuestLinks,
    tenant_id: Uuid,
    send_id: Uuid,
    limit: i64,
) -> QueryResult<usize> {
    let send = get_send(conn, tenant_id, send_id)?;
    let survey = get_survey(conn, tenant_id, send.survey_id)?;
    if !survey.is_open_at(Utc::now()) {
        return Ok(0);
    }
    let answered = survey_responses::table
        .filter(survey_responses::recipient_id.eq(survey_recipients::id))
        .select(survey_responses::id);
    let due: Vec<(Uuid, Uuid, String)> = survey_recipients::table
        .filter(survey_recipients::tenant_id.eq(tenant_id))
        .filter(survey_recipients::send_id.eq(send_id))
        .filter(survey_recipients::invited_at.is_not_null())
        .filter(survey_recipients::reminded_at.is_null())
        .filter(diesel::dsl::not(diesel::dsl::exists(answered)))
        .order(survey_recipients::id)
        .limit(limit)
        .select((
            survey_recipients::id,
            survey_recipients::guest_id,
            survey_recipients::reference,
        ))
        .for_update()
        .skip_locked()
        .load(conn)?;
    for (id, guest_id, reference) in &due {
        let message = invite(conn, links, &survey, *id, *guest_id, reference, true)?;
        diesel::update(survey_recipients::table.find(id))
            .set((
                survey_recipients::reminder_message_id.eq(message),
                survey_recipients::reminded_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
    }
    Ok(due.len())
}

/// Queues the invitation (or reminder) through `send_to_guest`, with the
/// signed link, the reply form in the survey's language nearest the
/// guest's, and the reference for the subject. The message id (also when
/// withheld); `None` when no text could be rendered.
fn invite(
    conn: &mut PgConnection,
    links: &GuestLinks,
    survey: &Survey,
    recipient_id: Uuid,
    guest_id: Uuid,
    reference: &str,
    reminder: bool,
) -> QueryResult<Option<Uuid>> {
    let definition = survey.definition()?;
    let guest = guests::get_guest(conn, survey.tenant_id, guest_id)?;
    let tenant = tenants::get_tenant(conn, survey.tenant_id)?;
    let default = tenant.default_language.parse().unwrap_or(Language::En);
    let language = definition.language_for(language_of(&guest, default), default);
    let url = links.survey_url(&SurveyLink {
        tenant_id: survey.tenant_id,
        recipient_id,
    });
    let mut extra = std::collections::BTreeMap::new();
    extra.insert("survey_url".to_owned(), url.into());
    extra.insert("survey_reference".to_owned(), reference.into());
    extra.insert(
        "survey_title".to_owned(),
        text_in(&definition.title, language).into(),
    );
    extra.insert(
        "reply_form".to_owned(),
        reply_form(&definition, language).into(),
    );
    extra.insert("reminder".to_owned(), reminder.into());
    if let Some(closes) = survey.closes_at {
        // The last day it is open: a survey closing at midnight is not open that day.
        let last = (closes - Duration::seconds(1)).date_naive();
        extra.insert("valid_until".to_owned(), last.to_string().into());
    }
    let kind = if reminder { "reminder" } else { "invitation" };
    let outcome = match send_to_guest(
        conn,
        survey.tenant_id,
        &GuestMessage {
            guest_id,
            channel: Channel::Email,
            purpose: Purpose::SurveyInvitation,
            extra,
            occasion: None,
            dedupe_key: format!("survey:{recipient_id}:{kind}"),
            actor: Actor::SYSTEM,
        },
        links,
    ) {
        Ok(outcome) => outcome,
        Err(SendError::Query(e)) => return Err(e),
        // A tenant's text that does not render: the guest is passed over
        // (no message), the rest are still invited.
        Err(SendError::NoTemplate | SendError::Template(_)) => return Ok(None),
    };
    Ok(Some(outcome.message().id))
}
