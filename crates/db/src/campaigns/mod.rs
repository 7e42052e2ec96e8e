//! E-mail campaigns: storage, lifecycle, the audience frozen into
//! `campaign_recipients`, the rate-limited dispatch through
//! `messages::send_to_guest`, progress and results.
//!
//! Exactly one message per recipient: each recipient row is unique per
//! (campaign, guest); a dispatch step claims pending rows, sends each
//! through `send_to_guest` with the dedupe key `campaign:{id}:{guest}` and
//! records the message on the row in the job's fenced transaction, so a
//! crash or a lost lease rolls the whole step back and the next attempt
//! finds the same rows pending (and, should a step ever repeat, the dedupe
//! key returns the first message).

mod dispatch;
mod freeze;
mod images;
mod lifecycle;
mod results;
mod text;
mod tracking;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

pub use dispatch::{DISPATCH, DispatchPayload, Step, dispatch_step};
pub use freeze::freeze_audience;
pub use images::image_parts;
pub use lifecycle::{LifecycleError, Move, move_campaign};
pub use results::{Breakdown, Progress, campaign_breakdowns, campaign_progress};
pub use text::own_text;
pub use tracking::{record_click, record_open};

use crate::{Cursor, schema::campaigns};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = campaigns, check_for_backend(diesel::pg::Pg))]
pub struct Campaign {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub status: String,
    pub audience: serde_json::Value,
    pub variants: serde_json::Value,
    pub default_language: String,
    pub sender_name: Option<String>,
    /// `now`, `at` (`send_at`) or `guest_local` (`local_date` +
    /// `local_time` in each guest's zone).
    pub schedule: String,
    pub send_at: Option<DateTime<Utc>>,
    pub local_date: Option<NaiveDate>,
    pub local_time: Option<NaiveTime>,
    pub rate_per_minute: i32,
    pub track_opens: bool,
    pub dispatch_seq: i32,
    /// The frozen audience's size (set when sending starts).
    pub recipients: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Per language, the message storing the variant's inline images.
    pub image_carriers: serde_json::Value,
}

/// What staff write on a draft (all replaced on update).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = campaigns, treat_none_as_null = true)]
pub struct CampaignFields {
    pub name: String,
    pub audience: serde_json::Value,
    pub variants: serde_json::Value,
    pub default_language: String,
    pub sender_name: Option<String>,
    pub schedule: String,
    pub send_at: Option<DateTime<Utc>>,
    pub local_date: Option<NaiveDate>,
    pub local_time: Option<NaiveTime>,
    pub rate_per_minute: i32,
    pub track_opens: bool,
}

pub fn insert_campaign(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &CampaignFields,
) -> QueryResult<Campaign> {
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::id.eq(id),
            campaigns::tenant_id.eq(tenant_id),
            fields,
        ))
        .returning(Campaign::as_returning())
        .get_result(conn)
}

pub fn get_campaign(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Campaign> {
    campaigns::table
        .filter(campaigns::tenant_id.eq(tenant_id))
        .find(id)
        .select(Campaign::as_select())
        .first(conn)
}

/// The campaign, locked for the caller's transaction.
pub fn lock_campaign(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Campaign> {
    campaigns::table
        .filter(campaigns::tenant_id.eq(tenant_id))
        .find(id)
        .select(Campaign::as_select())
        .for_update()
        .first(conn)
}

/// Up to `limit + 1` campaigns after `cursor`, newest first.
pub fn list_campaigns(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Campaign>> {
    let mut query = campaigns::table
        .filter(campaigns::tenant_id.eq(tenant_id))
        .select(Campaign::as_select())
        .order(campaigns::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(campaigns::id.lt(before));
    }
    query.load(conn)
}

/// Replaces a draft's fields; `NotFound` if the tenant has no such draft.
pub fn update_draft(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &CampaignFields,
) -> QueryResult<Campaign> {
    diesel::update(
        campaigns::table
            .filter(campaigns::tenant_id.eq(tenant_id))
            .filter(campaigns::status.eq("draft"))
            .find(id),
    )
    .set((fields, campaigns::updated_at.eq(diesel::dsl::now)))
    .returning(Campaign::as_returning())
    .get_result(conn)
}
