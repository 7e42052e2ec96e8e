//! A campaign's tracked links: `{public_url}/c/{token}` redirects to the
//! `link`-th http(s) target of the campaign's HTML, `{public_url}/o/{token}`
//! is the open pixel. The token is `base64url(version ‖ link index (u16,
//! `0xFFFF` for the pixel) ‖ tenant id ‖ campaign id ‖ guest id ‖ tag)`,
//! signed like the unsubscribe link (same key, its own version byte).

use uuid::Uuid;

use super::GuestLinks;

/// The first byte of a campaign link token.
const CAMPAIGN_V1: u8 = 3;
/// version ‖ link index ‖ tenant ‖ campaign ‖ guest.
const BODY_LEN: usize = 1 + 2 + 3 * 16;

/// A campaign's tracked link for one guest: the open pixel (`link: None`)
/// or the `link`-th http(s) target of the campaign's HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignLink {
    pub tenant_id: Uuid,
    pub campaign_id: Uuid,
    pub guest_id: Uuid,
    pub link: Option<u16>,
}

impl GuestLinks {
    /// `{public_url}/c/{token}` for a link, `{public_url}/o/{token}` for
    /// the open pixel.
    pub fn campaign_url(&self, link: &CampaignLink) -> String {
        let mut bytes = Vec::with_capacity(BODY_LEN);
        bytes.push(CAMPAIGN_V1);
        bytes.extend_from_slice(&link.link.unwrap_or(u16::MAX).to_be_bytes());
        bytes.extend_from_slice(link.tenant_id.as_bytes());
        bytes.extend_from_slice(link.campaign_id.as_bytes());
        bytes.extend_from_slice(link.guest_id.as_bytes());
        let path = if link.link.is_some() { "c" } else { "o" };
        format!("{}/{path}/{}", self.public_url, self.sign(bytes))
    }

    /// What a campaign link token says, if this key signed it.
    pub fn open_campaign_link(&self, token: &str) -> Option<CampaignLink> {
        let body = self.open(token, CAMPAIGN_V1, BODY_LEN)?;
        let id = |at: usize| Uuid::from_slice(body.get(at..at + 16)?).ok();
        let index = u16::from_be_bytes([*body.get(1)?, *body.get(2)?]);
        Some(CampaignLink {
            link: (index != u16::MAX).then_some(index),
            tenant_id: id(3)?,
            campaign_id: id(19)?,
            guest_id: id(35)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::{ConsentChannel, ConsentPurpose};
    use crate::signed_token::{Unsubscribe, satisfaction::Satisfaction};

    #[test]
    fn campaign_links_open_to_what_was_signed_and_as_nothing_else() {
        let links = GuestLinks::new(
            b"a master secret of at least 32 bytes!!",
            "https://care.example.com/",
        );
        let (tenant_id, campaign_id, guest_id) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        for link in [None, Some(0), Some(7)] {
            let signed = CampaignLink {
                tenant_id,
                campaign_id,
                guest_id,
                link,
            };
            let url = links.campaign_url(&signed);
            let path = if link.is_some() { "/c/" } else { "/o/" };
            let token = url.rsplit_once(path).unwrap().1;
            assert_eq!(links.open_campaign_link(token), Some(signed));
            assert_eq!(links.open_unsubscribe(token), None);
            assert_eq!(links.open_satisfaction(token), None);
            let mut altered = token.to_owned();
            altered.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
            assert_eq!(links.open_campaign_link(&altered), None);
        }
        let unsubscribe = links.unsubscribe_token(&Unsubscribe {
            tenant_id,
            guest_id,
            channel: ConsentChannel::Email,
            purpose: ConsentPurpose::Marketing,
            message_id: campaign_id,
        });
        assert_eq!(links.open_campaign_link(&unsubscribe), None);
        let rating = links.satisfaction_token(&Satisfaction {
            tenant_id,
            ticket_id: campaign_id,
        });
        assert_eq!(links.open_campaign_link(&rating), None);
    }
}
