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
