//! Inviting and reminding a send's recipients, a batch at a time (see the
//! parent module for the job's shape).

use chrono::{Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    signed_token::{GuestLinks, survey::SurveyLink},
    surveys::{text_in, words::reply_form},
    templates::{Channel, Purpose},
};
use guestcare_jobs::enqueue;
use uuid::Uuid;

use super::{REMIND_SURVEY, SurveySend, get_send, job};
use crate::{
    guests,
    messages::{GuestMessage, SendError, language_of, send_to_guest},
    schema::{survey_recipients, survey_responses, survey_sends},
    surveys::{Survey, get_survey},
    tenants,
    timeline::Actor,
};

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
            text: Default::default(),
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
