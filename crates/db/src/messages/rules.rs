//! The rules that decide whether a message to a guest may go: an address,
//! marketing consent, the suppression list and the marketing frequency cap.
//! `send_to_guests` applies them to a whole batch with one query per rule;
//! nothing else may repeat them.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    channels::{self, Category, MessageStatus, WithheldReason, cap::MarketingCap},
    guest::ConsentChannel,
    templates::Channel,
};
use uuid::Uuid;

use super::draft::Draft;
use crate::{channel_settings, consents, schema::messages, suppressions};

/// Why each draft must be withheld, in order, checked as: no address, no
/// marketing consent on the channel (marketing only), a suppressed
/// address, the frequency cap (marketing only, counting the batch's own
/// earlier messages to the same guest); `None`: send.
pub(super) fn withheld_reasons(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    drafts: &[&Draft],
    settings: Option<&channel_settings::ChannelSettings>,
) -> QueryResult<Vec<Option<WithheldReason>>> {
    let mut consenting = HashMap::new();
    let mut suppressed = HashMap::new();
    for channel in [Channel::Email, Channel::Sms] {
        let of_channel: Vec<&Draft> = drafts
            .iter()
            .copied()
            .filter(|d| d.channel == channel)
            .collect();
        if of_channel.is_empty() {
            continue;
        }
        let guests: Vec<Uuid> = of_channel
            .iter()
            .filter(|d| d.marketing)
            .map(|d| d.guest_id)
            .collect();
        if !guests.is_empty() {
            let granted =
                consents::marketing_consents(conn, tenant_id, &guests, consent_channel(channel))?;
            consenting.insert(channel, granted);
        }
        let addresses: Vec<&str> = of_channel
            .iter()
            .filter_map(|d| d.address.as_deref())
            .collect();
        let found =
            suppressions::find_suppressions(conn, tenant_id, message_channel(channel), &addresses)?;
        suppressed.insert(channel, found);
    }
    let cap = settings.map_or(MarketingCap::DEFAULT, |s| s.marketing_cap());
    let marketing: Vec<Uuid> = drafts
        .iter()
        .filter(|d| d.marketing)
        .map(|d| d.guest_id)
        .collect();
    let mut recent = recent_marketing(conn, tenant_id, &marketing, cap)?;
    Ok(drafts
        .iter()
        .map(|d| {
            let Some(address) = &d.address else {
                return Some(WithheldReason::NoAddress);
            };
            if d.marketing
                && !consenting
                    .get(&d.channel)
                    .is_some_and(|g| g.contains(&d.guest_id))
            {
                return Some(WithheldReason::NoConsent);
            }
            if suppressed
                .get(&d.channel)
                .is_some_and(|s| s.contains_key(address.as_str()))
            {
                return Some(WithheldReason::SuppressedAddress);
            }
            if d.marketing {
                let count = recent.entry(d.guest_id).or_default();
                if *count >= i64::from(cap.messages) {
                    return Some(WithheldReason::FrequencyCap);
                }
                *count += 1;
            }
            None
        })
        .collect())
}

/// Each guest's live (queued or sent) marketing messages in the cap's
/// window.
fn recent_marketing(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_ids: &[Uuid],
    cap: MarketingCap,
) -> QueryResult<HashMap<Uuid, i64>> {
    if guest_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<Uuid>, i64)> = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::guest_id.eq_any(guest_ids))
        .filter(messages::category.eq(Category::Marketing.as_str()))
        .filter(
            messages::status.eq_any([MessageStatus::Queued.as_str(), MessageStatus::Sent.as_str()]),
        )
        .filter(messages::created_at.gt(Utc::now() - Duration::days(i64::from(cap.days))))
        .group_by(messages::guest_id)
        .select((messages::guest_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(g, n)| Some((g?, n)))
        .collect())
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
