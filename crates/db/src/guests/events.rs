//! Webhook events about guests, emitted in the transaction of the change:
//! `guest.created`, `guest.updated` (a profile edit, an arrival folded in by
//! identity resolution, a merge undone) and `guest.merged`. Payloads carry
//! ids and guest codes only, never a name, an address or a number.

use diesel::PgConnection;
use diesel::QueryResult;
use guestcare_domain::guest::GuestCode;
use uuid::Uuid;

use super::{Guest, merge::GuestMerge};
use crate::webhooks::emit_event;

pub const GUEST_CREATED: &str = "guest.created";
pub const GUEST_UPDATED: &str = "guest.updated";
pub const GUEST_MERGED: &str = "guest.merged";

/// What changed a guest, in `guest.updated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdatedVia {
    /// Staff or an integration edited the profile.
    Edit,
    /// An arrival was folded in by identity resolution (intake, import).
    Intake,
    /// A merge was reverted.
    MergeReverted,
}

impl UpdatedVia {
    fn as_str(self) -> &'static str {
        match self {
            UpdatedVia::Edit => "edit",
            UpdatedVia::Intake => "intake",
            UpdatedVia::MergeReverted => "merge_reverted",
        }
    }
}

/// The `G-000123` code of a guest.
pub fn code_of(guest: &Guest) -> String {
    GuestCode::from_number(guest.code.unsigned_abs()).to_string()
}

/// `guest.created` `{guest_id, code, source}`.
pub fn emit_created(conn: &mut PgConnection, guest: &Guest) -> QueryResult<()> {
    let data = serde_json::json!({
        "guest_id": guest.id,
        "code": code_of(guest),
        "source": guest.source,
    });
    emit_event(conn, guest.tenant_id, GUEST_CREATED, &data).map(drop)
}

/// `guest.updated` `{guest_id, code, via, merge_id}` (`merge_id`: the
/// intake merge or the reverted merge).
pub fn emit_updated(
    conn: &mut PgConnection,
    guest: &Guest,
    via: UpdatedVia,
    merge_id: Option<Uuid>,
) -> QueryResult<()> {
    let data = serde_json::json!({
        "guest_id": guest.id,
        "code": code_of(guest),
        "via": via.as_str(),
        "merge_id": merge_id,
    });
    emit_event(conn, guest.tenant_id, GUEST_UPDATED, &data).map(drop)
}

/// `guest.merged` `{merge_id, guest_id, code, merged_guest_id,
/// merged_code}`: `merged_guest_id` now lives on as `guest_id`.
pub fn emit_merged(
    conn: &mut PgConnection,
    merge: &GuestMerge,
    target: &Guest,
    source: &Guest,
) -> QueryResult<()> {
    let data = serde_json::json!({
        "merge_id": merge.id,
        "guest_id": target.id,
        "code": code_of(target),
        "merged_guest_id": source.id,
        "merged_code": code_of(source),
    });
    emit_event(conn, target.tenant_id, GUEST_MERGED, &data).map(drop)
}
