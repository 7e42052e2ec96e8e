//! Signed links guests follow without an account: the unsubscribe link of
//! marketing e-mail (`/u/{token}`) and a campaign's tracked links
//! (`/c/{token}` redirects, `/o/{token}` the open pixel).
//!
//! A token is `base64url(version ‖ channel ‖ purpose ‖ tenant id ‖ guest id ‖
//! message id ‖ tag)`, where the tag is the first 16 bytes of an HMAC-SHA256
//! over everything before it, under a key derived from
//! `security.secret_key` with the purpose `guest-link`. It names rows by
//! their random ids only — never an address, a name or anything personal —
//! and cannot be guessed or altered without the key: changing the tenant,
//! guest, channel or purpose breaks the tag.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac, digest::KeyInit};
use sha2::Sha256;
use uuid::Uuid;

use crate::{
    guest::{ConsentChannel, ConsentPurpose},
    sealed::derive_key,
};

/// The key-derivation purpose of guest links.
const PURPOSE: &str = "guest-link";
/// The first byte of an unsubscribe token (room for other kinds and for a
/// later format).
const UNSUBSCRIBE_V1: u8 = 1;
/// The first byte of a campaign link token.
const CAMPAIGN_V1: u8 = 2;
const TAG_LEN: usize = 16;
const BODY_LEN: usize = 3 + 3 * 16;
/// kind ‖ link index (u16) ‖ tenant ‖ campaign ‖ guest.
const CAMPAIGN_BODY_LEN: usize = 1 + 2 + 3 * 16;

/// A campaign's tracked link for one guest: the open pixel (`link: None`)
/// or the `link`-th http(s) target of the campaign's HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignLink {
    pub tenant_id: Uuid,
    pub campaign_id: Uuid,
    pub guest_id: Uuid,
    pub link: Option<u16>,
}

/// What an unsubscribe link withdraws, and which message carried it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsubscribe {
    pub tenant_id: Uuid,
    pub guest_id: Uuid,
    /// The consent withdrawn: this channel …
    pub channel: ConsentChannel,
    /// … for this purpose (marketing).
    pub purpose: ConsentPurpose,
    /// The message the link was put on.
    pub message_id: Uuid,
}

/// Signs and checks guest links; builds their URLs under `api.public_url`.
#[derive(Clone)]
pub struct GuestLinks {
    /// The derived 32-byte key, zero-padded to SHA-256's block as HMAC
    /// pads it anyway (so the MAC can be keyed without a fallible call).
    key: [u8; 64],
    public_url: String,
}

impl std::fmt::Debug for GuestLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuestLinks")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl GuestLinks {
    /// Links under `public_url` (e.g. `https://care.example.com`) signed
    /// with a key derived from `master` (the decoded `security.secret_key`).
    pub fn new(master: &[u8], public_url: &str) -> GuestLinks {
        let mut key = [0u8; 64];
        key[..32].copy_from_slice(&derive_key(master, PURPOSE));
        GuestLinks {
            key,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The signed token of `unsubscribe`.
    pub fn unsubscribe_token(&self, unsubscribe: &Unsubscribe) -> String {
        let mut bytes = Vec::with_capacity(BODY_LEN + TAG_LEN);
        bytes.push(UNSUBSCRIBE_V1);
        bytes.push(index_of(ConsentChannel::ALL, unsubscribe.channel));
        bytes.push(index_of(ConsentPurpose::ALL, unsubscribe.purpose));
        bytes.extend_from_slice(unsubscribe.tenant_id.as_bytes());
        bytes.extend_from_slice(unsubscribe.guest_id.as_bytes());
        bytes.extend_from_slice(unsubscribe.message_id.as_bytes());
        self.sign(bytes)
    }

    /// `{public_url}/c/{token}` for a link, `{public_url}/o/{token}` for
    /// the open pixel.
    pub fn campaign_url(&self, link: &CampaignLink) -> String {
        let mut bytes = Vec::with_capacity(CAMPAIGN_BODY_LEN + TAG_LEN);
        bytes.push(CAMPAIGN_V1);
        bytes.extend_from_slice(&link.link.map_or(u16::MAX, |i| i).to_be_bytes());
        bytes.extend_from_slice(link.tenant_id.as_bytes());
        bytes.extend_from_slice(link.campaign_id.as_bytes());
        bytes.extend_from_slice(link.guest_id.as_bytes());
        let path = if link.link.is_some() { "c" } else { "o" };
        format!("{}/{path}/{}", self.public_url, self.sign(bytes))
    }

    /// What a campaign link token says, if this key signed it.
    pub fn open_campaign_link(&self, token: &str) -> Option<CampaignLink> {
        let body = self.open(token, CAMPAIGN_V1, CAMPAIGN_BODY_LEN)?;
        let id = |at: usize| Uuid::from_slice(body.get(at..at + 16)?).ok();
        let index = u16::from_be_bytes([body[1], body[2]]);
        Some(CampaignLink {
            link: (index != u16::MAX).then_some(index),
            tenant_id: id(3)?,
            campaign_id: id(19)?,
            guest_id: id(35)?,
        })
    }

    /// `body` with its tag, base64url.
    fn sign(&self, mut body: Vec<u8>) -> String {
        let tag = self.mac(&body).finalize().into_bytes();
        body.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(body)
    }

    /// The body of a token of `kind` and `body_len` bytes whose tag checks.
    fn open(&self, token: &str, kind: u8, body_len: usize) -> Option<Vec<u8>> {
        let mut bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != body_len + TAG_LEN || bytes.first() != Some(&kind) {
            return None;
        }
        let tag = bytes.split_off(body_len);
        self.mac(&bytes).verify_truncated_left(&tag).ok()?;
        Some(bytes)
    }

    /// `{public_url}/u/{token}`.
    pub fn unsubscribe_url(&self, unsubscribe: &Unsubscribe) -> String {
        format!(
            "{}/u/{}",
            self.public_url,
            self.unsubscribe_token(unsubscribe)
        )
    }

    /// What `token` says, if this key signed it; `None` for anything
    /// malformed, altered or signed under another key.
    pub fn open_unsubscribe(&self, token: &str) -> Option<Unsubscribe> {
        let body = self.open(token, UNSUBSCRIBE_V1, BODY_LEN)?;
        let id = |at: usize| Uuid::from_slice(body.get(at..at + 16)?).ok();
        Some(Unsubscribe {
            channel: *ConsentChannel::ALL.get(usize::from(body[1]))?,
            purpose: *ConsentPurpose::ALL.get(usize::from(body[2]))?,
            tenant_id: id(3)?,
            guest_id: id(19)?,
            message_id: id(35)?,
        })
    }

    fn mac(&self, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new(&self.key.into());
        mac.update(body);
        mac
    }
}

fn index_of<T: PartialEq>(all: &[T], value: T) -> u8 {
    all.iter()
        .position(|v| *v == value)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(secret: &[u8]) -> GuestLinks {
        GuestLinks::new(secret, "https://care.example.com/")
    }

    fn sample() -> Unsubscribe {
        Unsubscribe {
            tenant_id: Uuid::now_v7(),
            guest_id: Uuid::now_v7(),
            channel: ConsentChannel::Email,
            purpose: ConsentPurpose::Marketing,
            message_id: Uuid::now_v7(),
        }
    }

    #[test]
    fn a_token_opens_to_what_was_signed() {
        let links = links(b"a master secret of at least 32 bytes!!");
        let unsubscribe = sample();
        let url = links.unsubscribe_url(&unsubscribe);
        let token = url
            .strip_prefix("https://care.example.com/u/")
            .unwrap()
            .to_owned();
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(links.open_unsubscribe(&token), Some(unsubscribe));
    }

    #[test]
    fn altered_truncated_or_foreign_tokens_do_not_open() {
        let links = links(b"a master secret of at least 32 bytes!!");
        let token = links.unsubscribe_token(&sample());
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for at in [1, 2, 3, 20, 40, bytes.len() - 1] {
            bytes[at] ^= 1;
            assert_eq!(
                links.open_unsubscribe(&URL_SAFE_NO_PAD.encode(&bytes)),
                None
            );
            bytes[at] ^= 1;
        }
        assert_eq!(links.open_unsubscribe(&token[..token.len() - 2]), None);
        assert_eq!(links.open_unsubscribe("not a token"), None);
        assert_eq!(links.open_unsubscribe(""), None);
        let other = GuestLinks::new(b"another master secret of 32 bytes!!!!", "https://x");
        assert_eq!(other.open_unsubscribe(&token), None);
    }

    #[test]
    fn campaign_links_open_to_what_was_signed_and_never_as_unsubscribes() {
        let links = links(b"a master secret of at least 32 bytes!!");
        let u = sample();
        for link in [None, Some(0), Some(7)] {
            let signed = CampaignLink {
                tenant_id: u.tenant_id,
                campaign_id: u.message_id,
                guest_id: u.guest_id,
                link,
            };
            let url = links.campaign_url(&signed);
            let path = if link.is_some() { "/c/" } else { "/o/" };
            let token = url.rsplit_once(path).unwrap().1;
            assert_eq!(links.open_campaign_link(token), Some(signed));
            assert_eq!(links.open_unsubscribe(token), None);
        }
        let unsubscribe = links.unsubscribe_token(&u);
        assert_eq!(links.open_campaign_link(&unsubscribe), None);
    }
}
