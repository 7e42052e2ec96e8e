//! The satisfaction link of a resolved ticket: `{public_url}/s/{token}`,
//! with the token `base64url(version ‖ tenant id ‖ ticket id ‖ tag)` signed
//! like the unsubscribe link (same key, its own version byte, so neither
//! opens as the other).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::Mac;
use uuid::Uuid;

use super::{GuestLinks, TAG_LEN};

const SATISFACTION_V1: u8 = 2;
const BODY_LEN: usize = 1 + 2 * 16;

/// Which ticket a satisfaction link rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Satisfaction {
    pub tenant_id: Uuid,
    pub ticket_id: Uuid,
}

impl GuestLinks {
    /// The signed token of `link`.
    pub fn satisfaction_token(&self, link: &Satisfaction) -> String {
        let mut bytes = Vec::with_capacity(BODY_LEN + TAG_LEN);
        bytes.push(SATISFACTION_V1);
        bytes.extend_from_slice(link.tenant_id.as_bytes());
        bytes.extend_from_slice(link.ticket_id.as_bytes());
        let tag = self.mac(&bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// `{public_url}/s/{token}`.
    pub fn satisfaction_url(&self, link: &Satisfaction) -> String {
        format!("{}/s/{}", self.public_url, self.satisfaction_token(link))
    }

    /// What `token` rates, if this key signed it as a satisfaction link.
    pub fn open_satisfaction(&self, token: &str) -> Option<Satisfaction> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != BODY_LEN + TAG_LEN || bytes.first() != Some(&SATISFACTION_V1) {
            return None;
        }
        let (body, tag) = bytes.split_at(BODY_LEN);
        self.mac(body).verify_truncated_left(tag).ok()?;
        let id = |at: usize| Uuid::from_slice(body.get(at..at + 16)?).ok();
        Some(Satisfaction {
            tenant_id: id(1)?,
            ticket_id: id(17)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_open_only_as_what_they_were_signed_for() {
        let links = GuestLinks::new(b"a master secret of at least 32 bytes!!", "https://x.test/");
        let link = Satisfaction {
            tenant_id: Uuid::now_v7(),
            ticket_id: Uuid::now_v7(),
        };
        let url = links.satisfaction_url(&link);
        let token = url.strip_prefix("https://x.test/s/").unwrap();
        assert_eq!(links.open_satisfaction(token), Some(link));
        assert_eq!(links.open_unsubscribe(token), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
        bytes[5] ^= 1;
        assert_eq!(
            links.open_satisfaction(&URL_SAFE_NO_PAD.encode(&bytes)),
            None
        );
        let other = GuestLinks::new(b"another master secret of 32 bytes!!!!", "https://x.test");
        assert_eq!(other.open_satisfaction(token), None);
    }
}
