//! Recording a guest's answers: the one path for the web form and e-mail
//! replies. A recipient has at most one response; answering again replaces
//! it (until the survey closes, which the caller checks).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    surveys::{Answer, Answers, Definition, text_in, words::describe},
};
use uuid::Uuid;

use super::{Survey, json};
use crate::{
    new_id,
    schema::{survey_answers, survey_recipients, survey_responses},
    timeline::{self, Actor, NewEntry},
    webhooks,
};

/// A guest invited to a survey.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = survey_recipients, check_for_backend(diesel::pg::Pg))]
pub struct Recipient {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub survey_id: Uuid,
    pub send_id: Uuid,
    pub guest_id: Uuid,
    pub reference: String,
    pub invitation_message_id: Option<Uuid>,
    pub invited_at: Option<DateTime<Utc>>,
    pub reminder_message_id: Option<Uuid>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = survey_responses, check_for_backend(diesel::pg::Pg))]
pub struct Response {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub survey_id: Uuid,
    pub recipient_id: Uuid,
    pub guest_id: Uuid,
    /// `web` or `email`: how it was last submitted.
    pub channel: String,
    pub language: String,
    pub answers: serde_json::Value,
    pub remarks: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Response {
    /// The stored answers (empty if the row cannot be read, which the
    /// writer below never produces).
    pub fn answers(&self) -> Answers {
        serde_json::from_value(self.answers.clone()).unwrap_or_default()
    }
}

pub fn get_recipient(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Recipient> {
    survey_recipients::table
        .filter(survey_recipients::tenant_id.eq(tenant_id))
        .find(id)
        .select(Recipient::as_select())
        .first(conn)
}

/// The recipient's response, if any.
pub fn get_response(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    recipient_id: Uuid,
) -> QueryResult<Option<Response>> {
    survey_responses::table
        .filter(survey_responses::tenant_id.eq(tenant_id))
        .filter(survey_responses::recipient_id.eq(recipient_id))
        .select(Response::as_select())
        .first(conn)
        .optional()
}

/// Answers as submitted.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Checked by the caller (`surveys::check_answers` found nothing).
    pub answers: Answers,
    /// `web` or `email`.
    pub channel: &'static str,
    /// The language the guest answered in.
    pub language: Language,
    /// E-mail text that answered no question.
    pub remarks: Option<String>,
}

/// Records `submission` as the recipient's response, replacing an earlier
/// one, in the caller's transaction: locks the recipient (two submissions
/// at once are recorded one after the other), stores the answers and their
/// flattened rows for counting, writes `survey.answered` on the guest's
/// timeline (answers in words) and announces `survey.response`.
pub fn record_response(
    conn: &mut PgConnection,
    survey: &Survey,
    recipient: &Recipient,
    submission: &Submission,
) -> QueryResult<Response> {
    let tenant_id = survey.tenant_id;
    survey_recipients::table
        .filter(survey_recipients::tenant_id.eq(tenant_id))
        .find(recipient.id)
        .select(survey_recipients::id)
        .for_update()
        .first::<Uuid>(conn)?;
    let edited = get_response(conn, tenant_id, recipient.id)?.is_some();
    let answers = json(&submission.answers)?;
    let response = diesel::insert_into(survey_responses::table)
        .values((
            survey_responses::id.eq(new_id()),
            survey_responses::tenant_id.eq(tenant_id),
            survey_responses::survey_id.eq(survey.id),
            survey_responses::recipient_id.eq(recipient.id),
            survey_responses::guest_id.eq(recipient.guest_id),
            survey_responses::channel.eq(submission.channel),
            survey_responses::language.eq(submission.language.as_str()),
            survey_responses::answers.eq(&answers),
            survey_responses::remarks.eq(&submission.remarks),
        ))
        .on_conflict(survey_responses::recipient_id)
        .do_update()
        .set((
            survey_responses::channel.eq(submission.channel),
            survey_responses::language.eq(submission.language.as_str()),
            survey_responses::answers.eq(&answers),
            survey_responses::remarks.eq(&submission.remarks),
            survey_responses::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Response::as_returning())
        .get_result(conn)?;
    diesel::delete(survey_answers::table.filter(survey_answers::response_id.eq(response.id)))
        .execute(conn)?;
    diesel::insert_into(survey_answers::table)
        .values(flatten(
            survey.id,
            tenant_id,
            response.id,
            &submission.answers,
        ))
        .execute(conn)?;
    let definition = survey.definition()?;
    let summary = serde_json::json!({
        "survey_id": survey.id,
        "title": text_in(&definition.title, submission.language),
        "channel": submission.channel,
        "edited": edited,
        "answers": in_words(&definition, &submission.answers, submission.language),
    });
    timeline::record(
        conn,
        tenant_id,
        recipient.guest_id,
        NewEntry {
            kind: "survey.answered",
            occurred_at: response.updated_at,
            summary,
            ref_id: Some(response.id),
            actor: Actor::guest(recipient.guest_id),
        },
    )?;
    webhooks::emit_event(
        conn,
        tenant_id,
        "survey.response",
        &serde_json::json!({
            "survey_id": survey.id,
            "response_id": response.id,
            "guest_id": recipient.guest_id,
            "channel": submission.channel,
            "edited": edited,
            "answers": answers,
        }),
    )?;
    Ok(response)
}

/// Erasure: removes the guest's free-text answers and e-mail remarks; the
/// choices and ratings stay as anonymous counts.
pub fn erase_guest_answers(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<()> {
    let responses = survey_responses::table
        .filter(survey_responses::tenant_id.eq(tenant_id))
        .filter(survey_responses::guest_id.eq(guest_id))
        .select(survey_responses::id);
    diesel::delete(
        survey_answers::table
            .filter(survey_answers::response_id.eq_any(responses))
            .filter(survey_answers::text.is_not_null()),
    )
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE survey_responses SET remarks = NULL, answers = (SELECT coalesce(jsonb_object_agg(key, value), '{}') \
         FROM jsonb_each(answers) WHERE NOT value ? 'text') WHERE tenant_id = $1 AND guest_id = $2",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant_id)
    .bind::<diesel::sql_types::Uuid, _>(guest_id)
    .execute(conn)?;
    Ok(())
}

/// `[{"number": 1, "question": "…", "answer": "…"}]` in `language`.
fn in_words(definition: &Definition, answers: &Answers, language: Language) -> serde_json::Value {
    answers
        .iter()
        .map(|(&number, answer)| {
            let n = usize::from(number);
            let question = n
                .checked_sub(1)
                .and_then(|i| definition.questions.get(i))
                .map_or("", |q| text_in(&q.text, language));
            serde_json::json!({
                "number": number,
                "question": question,
                "answer": describe(definition, n, answer, language),
            })
        })
        .collect()
}

type AnswerRow = (
    diesel::dsl::Eq<survey_answers::tenant_id, Uuid>,
    diesel::dsl::Eq<survey_answers::survey_id, Uuid>,
    diesel::dsl::Eq<survey_answers::response_id, Uuid>,
    diesel::dsl::Eq<survey_answers::question, i16>,
    diesel::dsl::Eq<survey_answers::position, i16>,
    diesel::dsl::Eq<survey_answers::choice, Option<i16>>,
    diesel::dsl::Eq<survey_answers::text, Option<String>>,
);

/// One row per chosen option, rating or text.
fn flatten(
    survey_id: Uuid,
    tenant_id: Uuid,
    response_id: Uuid,
    answers: &Answers,
) -> Vec<AnswerRow> {
    let mut rows = Vec::new();
    for (&number, answer) in answers {
        let values: Vec<(Option<i16>, Option<String>)> = match answer {
            Answer::Choices(chosen) => chosen.iter().map(|&c| (Some(i16::from(c)), None)).collect(),
            Answer::Rating(value) => vec![(Some(i16::from(*value)), None)],
            Answer::Text(text) => vec![(None, Some(text.clone()))],
        };
        for ((choice, text), position) in values.into_iter().zip(0i16..) {
            rows.push((
                survey_answers::tenant_id.eq(tenant_id),
                survey_answers::survey_id.eq(survey_id),
                survey_answers::response_id.eq(response_id),
                survey_answers::question.eq(i16::try_from(number).unwrap_or(i16::MAX)),
                survey_answers::position.eq(position),
                survey_answers::choice.eq(choice),
                survey_answers::text.eq(text),
            ));
        }
    }
    rows
}
