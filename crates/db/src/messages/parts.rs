//! Inline images (`cid:` references in the HTML) and attachments of an
//! e-mail message.

use diesel::prelude::*;
use uuid::Uuid;

use crate::{new_id, schema::message_parts};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = message_parts, check_for_backend(diesel::pg::Pg))]
pub struct MessagePart {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub message_id: Uuid,
    /// `inline` (with `content_id`) or `attachment`.
    pub disposition: String,
    pub content_id: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewMessagePart {
    /// `Some(cid)` for an inline image referenced as `cid:{cid}`; `None`
    /// for an attachment.
    pub content_id: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub fn insert_message_part(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    message_id: Uuid,
    part: &NewMessagePart,
) -> QueryResult<()> {
    let disposition = if part.content_id.is_some() {
        "inline"
    } else {
        "attachment"
    };
    diesel::insert_into(message_parts::table)
        .values((
            message_parts::id.eq(new_id()),
            message_parts::tenant_id.eq(tenant_id),
            message_parts::message_id.eq(message_id),
            message_parts::disposition.eq(disposition),
            message_parts::content_id.eq(part.content_id.as_deref()),
            message_parts::filename.eq(&part.filename),
            message_parts::content_type.eq(&part.content_type),
            message_parts::data.eq(&part.data),
        ))
        .execute(conn)?;
    Ok(())
}

/// The message's parts in the order they were added.
pub fn list_message_parts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    message_id: Uuid,
) -> QueryResult<Vec<MessagePart>> {
    message_parts::table
        .filter(message_parts::tenant_id.eq(tenant_id))
        .filter(message_parts::message_id.eq(message_id))
        .select(MessagePart::as_select())
        .order(message_parts::id.asc())
        .load(conn)
}

/// The message and its parts, reading the parts only when it has any (most
/// messages have none): one round trip for a plain message.
pub fn get_message_with_parts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<(super::Message, Vec<MessagePart>)> {
    use crate::schema::messages;
    let has_parts = diesel::dsl::exists(
        message_parts::table
            .filter(message_parts::tenant_id.eq(tenant_id))
            .filter(message_parts::message_id.eq(messages::id)),
    );
    let (message, has_parts): (super::Message, bool) = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .find(id)
        .select((super::Message::as_select(), has_parts))
        .first(conn)?;
    let parts = if has_parts {
        list_message_parts(conn, tenant_id, id)?
    } else {
        Vec::new()
    };
    Ok((message, parts))
}
