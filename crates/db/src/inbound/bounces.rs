//! Delivery failure reports about messages we sent.
//!
//! A report is trusted only as far as it names one of our own messages
//! (its Message-ID `<{uuid}@{our domain}>`): that message is marked
//! `bounced`, and its recipient — the address we wrote to, not whatever the
//! report claims — is suppressed for e-mail on a hard bounce, or counted
//! towards the soft-bounce threshold. A forged report naming no message of
//! ours suppresses nothing.

use diesel::prelude::*;
use guestcare_domain::{
    channels::{Channel, SuppressionReason, address_digest},
    inbound::{bounce::Bounce, thread::own_message_ids},
};
use uuid::Uuid;

use crate::{
    schema::{messages, soft_bounces},
    suppressions::insert_suppression,
};

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BounceEffect {
    /// Our message it reported on.
    pub message_id: Option<Uuid>,
    /// Whether the recipient is now suppressed.
    pub suppressed: bool,
}

/// Applies `bounce` to the tenant's messages and suppressions.
pub fn apply_bounce(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    bounce: &Bounce,
    id_domains: &[String],
    soft_threshold: i32,
) -> QueryResult<BounceEffect> {
    let candidates = bounce
        .original_message_id
        .iter()
        .cloned()
        .collect::<Vec<_>>();
    let Some(original) = own_message_ids(&candidates, id_domains).first().copied() else {
        return Ok(BounceEffect {
            message_id: None,
            suppressed: false,
        });
    };
    let recipient: Option<String> = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::id.eq(original))
        .filter(messages::channel.eq(Channel::Email.as_str()))
        .select(messages::recipient)
        .first(conn)
        .optional()?;
    let Some(recipient) = recipient else {
        return Ok(BounceEffect {
            message_id: None,
            suppressed: false,
        });
    };
    if bounce.is_hard() || bounce.is_soft() {
        diesel::update(
            messages::table
                .filter(messages::tenant_id.eq(tenant_id))
                .filter(messages::id.eq(original))
                .filter(messages::status.eq_any(["sent", "queued"])),
        )
        .set((
            messages::status.eq("bounced"),
            messages::last_error.eq(bounce.status.as_deref().map(|s| format!("bounced: {s}"))),
            messages::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    }
    let suppressed = if bounce.is_hard() {
        insert_suppression(
            conn,
            tenant_id,
            Channel::Email,
            &recipient,
            SuppressionReason::HardBounce,
        )?;
        true
    } else if bounce.is_soft() && count_soft_bounce(conn, tenant_id, &recipient)? >= soft_threshold
    {
        insert_suppression(
            conn,
            tenant_id,
            Channel::Email,
            &recipient,
            SuppressionReason::SoftBounces,
        )?;
        true
    } else {
        false
    };
    Ok(BounceEffect {
        message_id: Some(original),
        suppressed,
    })
}

/// Counts one more soft bounce of `address`; returns the count.
fn count_soft_bounce(conn: &mut PgConnection, tenant_id: Uuid, address: &str) -> QueryResult<i32> {
    diesel::insert_into(soft_bounces::table)
        .values((
            soft_bounces::tenant_id.eq(tenant_id),
            soft_bounces::address_digest.eq(address_digest(Channel::Email, address).to_vec()),
            soft_bounces::count.eq(1),
        ))
        .on_conflict((soft_bounces::tenant_id, soft_bounces::address_digest))
        .do_update()
        .set((
            soft_bounces::count.eq(soft_bounces::count + 1),
            soft_bounces::last_at.eq(diesel::dsl::now),
        ))
        .returning(soft_bounces::count)
        .get_result(conn)
}
