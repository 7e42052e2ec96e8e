//! The rules that decide whether a message to a guest may go: an address,
//! marketing consent, the suppression list and the marketing frequency cap.
//! `send_to_guest` applies them; nothing else may repeat them.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    channels::{self, Category, MessageStatus, WithheldReason, cap::MarketingCap},
    guest::ConsentChannel,
    templates::Channel,
};
use uuid::Uuid;

use crate::{channel_settings, consents, guests::Guest, schema::messages, suppressions};

/// Why a message to `guest` at `address` must be withheld, checked in this
/// order: no address, no marketing consent on the channel (marketing only),
/// a suppressed address, the frequency cap (marketing only); `None`: send.
pub(super) fn withheld_reason(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest: &Guest,
    channel: Channel,
    address: Option<&str>,
    marketing: bool,
    settings: Option<&channel_settings::ChannelSettings>,
) -> QueryResult<Option<WithheldReason>> {
    let Some(address) = address else {
        return Ok(Some(WithheldReason::NoAddress));
    };
    if marketing
        && !consents::has_marketing_consent(conn, tenant_id, guest.id, consent_channel(channel))?
    {
        return Ok(Some(WithheldReason::NoConsent));
    }
    if suppressions::find_suppression(conn, tenant_id, message_channel(channel), address)?.is_some()
    {
        return Ok(Some(WithheldReason::SuppressedAddress));
    }
    if marketing && over_cap(conn, tenant_id, guest.id, settings)? {
        return Ok(Some(WithheldReason::FrequencyCap));
    }
    Ok(None)
}

/// Whether the guest already has the tenant's maximum of live (queued or
/// sent) marketing messages in the cap's window.
fn over_cap(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    settings: Option<&channel_settings::ChannelSettings>,
) -> QueryResult<bool> {
    let cap = settings.map_or(MarketingCap::DEFAULT, |s| s.marketing_cap());
    let recent: i64 = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::guest_id.eq(guest_id))
        .filter(messages::category.eq(Category::Marketing.as_str()))
        .filter(
            messages::status.eq_any([MessageStatus::Queued.as_str(), MessageStatus::Sent.as_str()]),
        )
        .filter(messages::created_at.gt(Utc::now() - Duration::days(i64::from(cap.days))))
        .count()
        .get_result(conn)?;
    Ok(recent >= i64::from(cap.messages))
}

fn consent_channel(channel: Channel) -> ConsentChannel {
    match channel {
        Channel::Email => ConsentChannel::Email,
        Channel::Sms => ConsentChannel::Sms,
    }
}

fn message_channel(channel: Channel) -> channels::Channel {
    match channel {
        Channel::Email => channels::Channel::Email,
        Channel::Sms => channels::Channel::Sms,
    }
}
