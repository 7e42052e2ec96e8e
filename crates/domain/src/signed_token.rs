//! Signed links guests follow without an account: the unsubscribe link of
//! marketing e-mail and SMS (`/u/{token}`), the satisfaction link of a
//! resolved ticket (`/s/{token}`, [`satisfaction`]), the personal link of a
//! survey invitation (`/q/{token}`, [`survey`]) and a campaign's tracked links
//! (`/c/{token}` redirects, `/o/{token}` the open pixel, [`campaign`]).
//!
//! A token is `base64url(version ‖ channel ‖ purpose ‖ tenant id ‖ guest id ‖
//! message id ‖ tag)`, where the tag is the first 16 bytes of an HMAC-SHA256
//! over everything before it, under a key derived from
//! `security.secret_key` with the purpose `guest-link`. It names rows by
//! their random ids only — never an address, a name or anything personal —
//! and cannot be guessed or altered without the key: changing the tenant,
//! guest, channel or purpose breaks the tag.
//!
//! SMS, where every character costs, carries the short form
//! `base64url(0x10 ‖ message id ‖ tag)` with an 8-byte tag (34 characters):
//! it names the message only, and the link's consent is the marketing
//! consent of that message's guest on its channel.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac, digest::KeyInit};
use sha2::Sha256;
use uuid::Uuid;

use crate::{
    guest::{ConsentChannel, ConsentPurpose},
    sealed::derive_key,
};

pub mod campaign;
pub mod satisfaction;
pub mod survey;

pub use campaign::CampaignLink;

/// The key-derivation purpose of guest links.
const PURPOSE: &str = "guest-link";
/// The first byte of an unsubscribe token (room for other kinds and for a
/// later format).
const UNSUBSCRIBE_V1: u8 = 1;
const TAG_LEN: usize = 16;
const BODY_LEN: usize = 3 + 3 * 16;
/// The first byte of a short (message-only) unsubscribe token.
const MESSAGE_UNSUBSCRIBE_V1: u8 = 0x10;
const SHORT_TAG_LEN: usize = 8;
const SHORT_BODY_LEN: usize = 1 + 16;

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

    /// `{public_url}/u/{short token}` for message `message_id`: the
    /// unsubscribe link of a marketing SMS.
    pub fn message_unsubscribe_url(&self, message_id: Uuid) -> String {
        let mut bytes = Vec::with_capacity(SHORT_BODY_LEN + SHORT_TAG_LEN);
        bytes.push(MESSAGE_UNSUBSCRIBE_V1);
        bytes.extend_from_slice(message_id.as_bytes());
        let tag = self.mac(&bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag[..SHORT_TAG_LEN]);
        format!("{}/u/{}", self.public_url, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The message a short unsubscribe token names, if this key signed it.
    pub fn open_message_unsubscribe(&self, token: &str) -> Option<Uuid> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != SHORT_BODY_LEN + SHORT_TAG_LEN
            || bytes.first() != Some(&MESSAGE_UNSUBSCRIBE_V1)
        {
            return None;
        }
        let (body, tag) = bytes.split_at(SHORT_BODY_LEN);
        self.mac(body).verify_truncated_left(tag).ok()?;
        Uuid::from_slice(body.get(1..)?).ok()
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
    fn a_short_token_names_its_message_and_resists_tampering() {
        let links = links(b"a master secret of at least 32 bytes!!");
        let message = Uuid::now_v7();
        let url = links.message_unsubscribe_url(message);
        let token = url.strip_prefix("https://care.example.com/u/").unwrap();
        assert_eq!(token.len(), 34);
        assert_eq!(links.open_message_unsubscribe(token), Some(message));
        assert_eq!(links.open_unsubscribe(token), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
        for at in [0, 1, 16, bytes.len() - 1] {
            bytes[at] ^= 1;
            let altered = URL_SAFE_NO_PAD.encode(&bytes);
            assert_eq!(links.open_message_unsubscribe(&altered), None);
            bytes[at] ^= 1;
        }
        let long = links.unsubscribe_token(&sample());
        assert_eq!(links.open_message_unsubscribe(&long), None);
        let other = GuestLinks::new(b"another master secret of 32 bytes!!!!", "https://x");
        assert_eq!(other.open_message_unsubscribe(token), None);
    }
}
