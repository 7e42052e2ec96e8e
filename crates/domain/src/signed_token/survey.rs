//! The personal link of a survey invitation: `{public_url}/q/{token}`, with
//! the token `base64url(3 ‖ tenant id ‖ recipient id ‖ tag)` signed like the
//! unsubscribe link (same key, its own version byte, so it opens as no
//! other link and no other link opens as it).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::Mac;
use uuid::Uuid;

use super::{GuestLinks, TAG_LEN};

const SURVEY_V1: u8 = 3;
const BODY_LEN: usize = 1 + 2 * 16;

/// Whom a survey link is for: one recipient (a guest invited to a survey).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyLink {
    pub tenant_id: Uuid,
    /// The `survey_recipients` row.
    pub recipient_id: Uuid,
}

impl GuestLinks {
    /// The signed token of a survey link.
    pub fn survey_token(&self, link: &SurveyLink) -> String {
        let mut bytes = Vec::with_capacity(BODY_LEN + TAG_LEN);
        bytes.push(SURVEY_V1);
        bytes.extend_from_slice(link.tenant_id.as_bytes());
        bytes.extend_from_slice(link.recipient_id.as_bytes());
        let tag = self.mac(&bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// `{public_url}/q/{token}`.
    pub fn survey_url(&self, link: &SurveyLink) -> String {
        format!("{}/q/{}", self.public_url, self.survey_token(link))
    }

    /// The survey link `token` names, if this key signed it as one.
    pub fn open_survey(&self, token: &str) -> Option<SurveyLink> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != BODY_LEN + TAG_LEN || bytes.first() != Some(&SURVEY_V1) {
            return None;
        }
        let (body, tag) = bytes.split_at(BODY_LEN);
        self.mac(body).verify_truncated_left(tag).ok()?;
        Some(SurveyLink {
            tenant_id: Uuid::from_slice(body.get(1..17)?).ok()?,
            recipient_id: Uuid::from_slice(body.get(17..33)?).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signed_token::satisfaction::Satisfaction;

    #[test]
    fn survey_links_open_only_as_survey_links() {
        let links = GuestLinks::new(b"a master secret of at least 32 bytes!!", "https://x.test/");
        let link = SurveyLink {
            tenant_id: Uuid::now_v7(),
            recipient_id: Uuid::now_v7(),
        };
        let url = links.survey_url(&link);
        let token = url.strip_prefix("https://x.test/q/").unwrap();
        assert_eq!(links.open_survey(token), Some(link));
        assert_eq!(links.open_unsubscribe(token), None);
        assert_eq!(links.open_satisfaction(token), None);
        let rating = links.satisfaction_token(&Satisfaction {
            tenant_id: link.tenant_id,
            ticket_id: link.recipient_id,
        });
        assert_eq!(links.open_survey(&rating), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
        bytes[5] ^= 1;
        assert_eq!(links.open_survey(&URL_SAFE_NO_PAD.encode(&bytes)), None);
        let other = GuestLinks::new(b"another master secret of 32 bytes!!!!", "https://x.test");
        assert_eq!(other.open_survey(token), None);
    }
}
