//! A campaign's words as the message path takes them: its variants
//! compiled once per step with tracked links and the open pixel, and each
//! guest's signed link URLs.

use std::collections::BTreeMap;

use guestcare_domain::{
    Language,
    campaigns::{Variants, tracking},
    signed_token::{CampaignLink, GuestLinks},
    templates::{self, Content},
};
use uuid::Uuid;

use super::Campaign;
use crate::messages::OwnText;

/// The campaign's variants compiled for sending: links tracked, the open
/// pixel added when opens are tracked, e-mail held to allowed hours.
pub fn own_text(campaign: &Campaign) -> Result<OwnText, templates::TemplateError> {
    let variants: Variants = serde_json::from_value(campaign.variants.clone()).unwrap_or_default();
    let targets = tracking::campaign_targets(&variants);
    let mut compiled = BTreeMap::new();
    for (language, variant) in &variants {
        let content = Content::Email {
            subject: variant.subject.clone(),
            html: tracking::tracked_html(&variant.html, &targets, campaign.track_opens),
            text: variant.text.clone(),
        };
        compiled.insert(*language, templates::compile(&content, *language)?);
    }
    Ok(OwnText {
        key: format!("campaign:{}", campaign.id),
        variants: compiled,
        default: campaign.default_language.parse().unwrap_or(Language::Vi),
        from_name: campaign.sender_name.clone(),
        email_in_allowed_hours: true,
    })
}

/// The signed link and pixel URLs of one guest (`extra.link_N`,
/// `extra.open_url`).
pub(super) fn tracking_extra(
    links: &GuestLinks,
    campaign: &Campaign,
    guest_id: Uuid,
    count: usize,
) -> BTreeMap<String, serde_json::Value> {
    let link = |index: Option<u16>| {
        links.campaign_url(&CampaignLink {
            tenant_id: campaign.tenant_id,
            campaign_id: campaign.id,
            guest_id,
            link: index,
        })
    };
    let mut extra = BTreeMap::new();
    for index in 0..count {
        if let Ok(i) = u16::try_from(index) {
            extra.insert(tracking::link_variable(index), link(Some(i)).into());
        }
    }
    if campaign.track_opens {
        extra.insert(tracking::OPEN_VARIABLE.to_owned(), link(None).into());
    }
    extra
}
