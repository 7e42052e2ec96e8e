//! [`ingest_email_reply`]: a reply to a survey invitation, arriving in a
//! mailbox whose purpose is `survey_replies`, becomes the guest's answers,
//! or a care task for staff when it cannot be recorded as it stands.

use chrono::Utc;
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    care::tasks::TaskKind,
    surveys::{Answers, Problem, check_answers, parse_reply},
};
use uuid::Uuid;

use super::{
    Survey, get_survey,
    respond::{Recipient, Submission, get_response, record_response},
};
use crate::{
    automations::local_date,
    guests,
    messages::language_of,
    schema::survey_recipients,
    tasks::{self, NewTask},
    tenants,
    timeline::Actor,
};

/// An e-mail received in a survey mailbox, as the inbound side parsed it.
#[derive(Debug, Clone)]
pub struct EmailReply {
    /// The stored inbound message (kept whatever the outcome).
    pub inbound_message_id: Uuid,
    /// The sender's address (not used to match: the headers are).
    pub from: String,
    pub subject: Option<String>,
    /// The plain-text body (or the HTML turned into text).
    pub text: String,
    /// `In-Reply-To`, e.g. `<0193…@mail.example.com>`.
    pub in_reply_to: Option<String>,
    /// `References`, one Message-ID each.
    pub references: Vec<String>,
}

/// What became of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyOutcome {
    /// Recorded as (or merged into) the guest's response.
    Recorded {
        survey_id: Uuid,
        guest_id: Uuid,
        response_id: Uuid,
    },
    /// Matched an invitation but was not recorded — nothing readable, a
    /// line that does not fit its question, a required answer missing, or
    /// the survey closed: a `follow_up` care task (source `survey_reply`)
    /// holds the reply text and the problems for staff.
    NeedsReview {
        survey_id: Uuid,
        guest_id: Uuid,
        task_id: Uuid,
    },
    /// Not a reply to any invitation of this tenant (no known Message-ID
    /// in `In-Reply-To`/`References`, no `S-…` reference in the subject):
    /// the caller keeps it as ordinary inbound mail (a ticket).
    Unmatched,
}

/// Finds the invitation the reply answers — our Message-ID
/// `<{message uuid}@{domain}>` in `In-Reply-To` or `References` (an
/// invitation or a reminder), else the `S-XXXXXXXXXX` reference in the
/// subject — and parses the body with `surveys::parse_reply`. The answers
/// are merged over the guest's earlier response (a reply may change only
/// some answers) and recorded through `record_response` (channel `email`)
/// if the survey is open and nothing is wrong; otherwise a care task is
/// created, one per inbound message (`survey-reply:{inbound id}`), so a
/// retried ingestion creates no second task. Runs in the caller's
/// transaction.
pub fn ingest_email_reply(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    reply: &EmailReply,
) -> QueryResult<ReplyOutcome> {
    let Some(recipient) = find_recipient(conn, tenant_id, reply)? else {
        return Ok(ReplyOutcome::Unmatched);
    };
    let survey = get_survey(conn, tenant_id, recipient.survey_id)?;
    let definition = survey.definition()?;
    let parsed = parse_reply(&reply.text, &definition);
    let earlier = get_response(conn, tenant_id, recipient.id)?;
    let mut answers: Answers = earlier.as_ref().map(|r| r.answers()).unwrap_or_default();
    answers.extend(parsed.answers.clone());
    let mut problems: Vec<(u16, Problem)> = parsed.problems.clone();
    problems.extend(check_answers(&definition.questions, &answers));
    let open = survey.is_open_at(Utc::now());
    if parsed.answers.is_empty() || !problems.is_empty() || !open {
        let reason = match (open, parsed.answers.is_empty()) {
            (false, _) => "survey_closed",
            (true, true) => "nothing_readable",
            (true, false) => "problems",
        };
        let task_id = review_task(conn, &survey, &recipient, reply, reason, &problems)?;
        return Ok(ReplyOutcome::NeedsReview {
            survey_id: survey.id,
            guest_id: recipient.guest_id,
            task_id,
        });
    }
    let guest = guests::get_guest(conn, tenant_id, recipient.guest_id)?;
    let language = match &earlier {
        Some(r) => r.language.parse().unwrap_or(Language::En),
        None => {
            let default = tenant_default(conn, tenant_id)?;
            definition.language_for(language_of(&guest, default), default)
        }
    };
    let remarks = (!parsed.remarks.is_empty()).then(|| parsed.remarks.join("\n"));
    let submission = Submission {
        answers,
        channel: "email",
        language,
        remarks,
    };
    let response = record_response(conn, &survey, &recipient, &submission)?;
    Ok(ReplyOutcome::Recorded {
        survey_id: survey.id,
        guest_id: recipient.guest_id,
        response_id: response.id,
    })
}

fn find_recipient(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    reply: &EmailReply,
) -> QueryResult<Option<Recipient>> {
    let ids: Vec<Uuid> = reply
        .in_reply_to
        .iter()
        .chain(&reply.references)
        .filter_map(|id| message_uuid(id))
        .collect();
    let base = || {
        survey_recipients::table
            .filter(survey_recipients::tenant_id.eq(tenant_id))
            .select(Recipient::as_select())
    };
    if !ids.is_empty() {
        let found = base()
            .filter(
                survey_recipients::invitation_message_id
                    .eq_any(&ids)
                    .or(survey_recipients::reminder_message_id.eq_any(&ids)),
            )
            .first(conn)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    match reply.subject.as_deref().and_then(subject_reference) {
        Some(reference) => base()
            .filter(survey_recipients::reference.eq(reference))
            .first(conn)
            .optional(),
        None => Ok(None),
    }
}

/// The uuid of a Message-ID `<{uuid}@{domain}>`.
fn message_uuid(message_id: &str) -> Option<Uuid> {
    let inner = message_id.trim().trim_start_matches('<');
    let (local, _) = inner.split_once('@')?;
    Uuid::parse_str(local).ok()
}

/// `S-` and ten base-32 digits anywhere in the subject, upper-cased.
fn subject_reference(subject: &str) -> Option<String> {
    let upper = subject.to_uppercase();
    upper.match_indices("S-").find_map(|(at, _)| {
        let digits = upper.get(at + 2..at + 12)?;
        let boundary = upper
            .get(at + 12..)
            .and_then(|rest| rest.chars().next())
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        (digits.chars().all(|c| c.is_ascii_alphanumeric()) && boundary)
            .then(|| format!("S-{digits}"))
    })
}

fn tenant_default(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<Language> {
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    Ok(tenant.default_language.parse().unwrap_or(Language::En))
}

/// The care task that holds a reply staff must read; the task's id.
fn review_task(
    conn: &mut PgConnection,
    survey: &Survey,
    recipient: &Recipient,
    reply: &EmailReply,
    reason: &str,
    problems: &[(u16, Problem)],
) -> QueryResult<Uuid> {
    let tenant_id = survey.tenant_id;
    let title = match tenant_default(conn, tenant_id)? {
        Language::Vi => format!("Đọc email trả lời khảo sát ({})", recipient.reference),
        Language::En => format!("Read a survey reply by e-mail ({})", recipient.reference),
        Language::ZhHant => format!("查看問卷的電子郵件回覆（{}）", recipient.reference),
    };
    let script: String = reply.text.chars().take(4000).collect();
    let problems: Vec<serde_json::Value> = problems
        .iter()
        .map(|(question, problem)| serde_json::json!({ "question": question, "problem": problem }))
        .collect();
    let due_on = local_date(conn, tenant_id, Utc::now())?;
    let created = tasks::create_task(
        conn,
        tenant_id,
        &NewTask {
            kind: TaskKind::FollowUp,
            guest_id: recipient.guest_id,
            due_on,
            assignee_id: None,
            title,
            script: Some(script).filter(|s| !s.trim().is_empty()),
            context: serde_json::json!({
                "survey_id": survey.id,
                "recipient_id": recipient.id,
                "inbound_message_id": reply.inbound_message_id,
                "reason": reason,
                "problems": problems,
            }),
            source: "survey_reply".to_owned(),
            occurrence_key: Some(format!("survey-reply:{}", reply.inbound_message_id)),
            actor: Actor::SYSTEM,
        },
    )?;
    Ok(created.task.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_subjects_name_the_invitation() {
        let id = Uuid::now_v7();
        assert_eq!(message_uuid(&format!("<{id}@mail.example.com>")), Some(id));
        assert_eq!(message_uuid("<abc@x>"), None);
        assert_eq!(
            subject_reference("Re: Share your thoughts [#s-7kq2m4ab9z]").as_deref(),
            Some("S-7KQ2M4AB9Z")
        );
        assert_eq!(subject_reference("Re: S-7KQ2M4AB9Z1"), None);
        assert_eq!(subject_reference("Re: nothing"), None);
    }
}
