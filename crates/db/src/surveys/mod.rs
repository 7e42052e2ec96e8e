//! Surveys: their definitions, sends (a segment or a seeded sample of it,
//! invited by e-mail and reminded once), responses from the web page or an
//! e-mail reply, and results.
//!
//! A survey's questions are fixed once it has been sent (answers refer to
//! them by number); its closing date may change at any time. Everything a
//! guest answers goes through [`respond::record_response`].

pub mod reply;
pub mod respond;
pub mod results;
pub mod send;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::surveys::{Definition, Question, Texts};
use uuid::Uuid;

pub use reply::{EmailReply, ReplyOutcome, ingest_email_reply};
pub use respond::{Recipient, Response, get_recipient, get_response, record_response};
pub use send::{NewSend, REMIND_SURVEY, SEND_SURVEY, SurveySend, create_send};

use crate::{Cursor, schema::surveys};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = surveys, check_for_backend(diesel::pg::Pg))]
pub struct Survey {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub title: serde_json::Value,
    pub questions: serde_json::Value,
    pub closes_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Survey {
    /// The stored title and questions. They were validated on the way in,
    /// so a row that does not read back is a bug: `DeserializationError`.
    pub fn definition(&self) -> QueryResult<Definition> {
        let read = || -> Result<Definition, serde_json::Error> {
            Ok(Definition {
                title: serde_json::from_value::<Texts>(self.title.clone())?,
                questions: serde_json::from_value::<Vec<Question>>(self.questions.clone())?,
            })
        };
        read().map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
    }

    /// Whether answers are still accepted at `at`.
    pub fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        self.closes_at.is_none_or(|closes| at < closes)
    }
}

/// Saves a new survey.
pub fn insert_survey(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    definition: &Definition,
    closes_at: Option<DateTime<Utc>>,
) -> QueryResult<Survey> {
    diesel::insert_into(surveys::table)
        .values((
            surveys::id.eq(id),
            surveys::tenant_id.eq(tenant_id),
            surveys::title.eq(json(&definition.title)?),
            surveys::questions.eq(json(&definition.questions)?),
            surveys::closes_at.eq(closes_at),
        ))
        .returning(Survey::as_returning())
        .get_result(conn)
}

pub fn get_survey(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Survey> {
    surveys::table
        .filter(surveys::tenant_id.eq(tenant_id))
        .find(id)
        .select(Survey::as_select())
        .first(conn)
}

/// Up to `limit + 1` surveys after `cursor`, oldest first.
pub fn list_surveys(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Survey>> {
    let mut query = surveys::table
        .filter(surveys::tenant_id.eq(tenant_id))
        .select(Survey::as_select())
        .order(surveys::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(surveys::id.gt(after));
    }
    query.load(conn)
}

/// Replaces the title and questions (`definition`, the caller checked the
/// survey was never sent) and the closing date.
pub fn update_survey(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    definition: &Definition,
    closes_at: Option<DateTime<Utc>>,
) -> QueryResult<Survey> {
    diesel::update(
        surveys::table
            .filter(surveys::tenant_id.eq(tenant_id))
            .find(id),
    )
    .set((
        surveys::title.eq(json(&definition.title)?),
        surveys::questions.eq(json(&definition.questions)?),
        surveys::closes_at.eq(closes_at),
        surveys::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Survey::as_returning())
    .get_result(conn)
}

/// Deletes the survey with its sends, recipients and responses; `NotFound`
/// if the tenant has no such survey.
pub fn delete_survey(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        surveys::table
            .filter(surveys::tenant_id.eq(tenant_id))
            .find(id),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

fn json<T: serde::Serialize>(value: &T) -> QueryResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}
