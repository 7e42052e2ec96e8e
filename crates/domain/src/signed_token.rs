//! Signed links guests follow without an account: the unsubscribe link of
//! marketing e-mail (`/u/{token}`) and the personal link of a survey
//! invitation (`/s/{token}`).
//!
//! A survey token is `base64url(2 ‖ tenant id ‖ recipient id ‖ tag)`, the
//! tag made as below. An unsubscribe token is `base64url(version ‖ channel ‖ purpose ‖ tenant id ‖ guest id ‖
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
/// The first byte of a survey token.
const SURVEY_V1: u8 = 2;
const TAG_LEN: usize = 16;
const BODY_LEN: usize = 3 + 3 * 16;
const SURVEY_BODY_LEN: usize = 1 + 2 * 16;

/// Whom a survey link is for: one recipient (a guest invited to a survey).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyLink {
    pub tenant_id: Uuid,
    /// The `survey_recipients` row.
    pub recipient_id: Uuid,
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
        self.seal(bytes)
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

    /// The signed token of a survey link.
    pub fn survey_token(&self, link: &SurveyLink) -> String {
        let mut bytes = Vec::with_capacity(SURVEY_BODY_LEN + TAG_LEN);
        bytes.push(SURVEY_V1);
        bytes.extend_from_slice(link.tenant_id.as_bytes());
        bytes.extend_from_slice(link.recipient_id.as_bytes());
        self.seal(bytes)
    }

    /// `{public_url}/s/{token}`.
    pub fn survey_url(&self, link: &SurveyLink) -> String {
        format!("{}/s/{}", self.public_url, self.survey_token(link))
    }

    /// The survey link `token` names, if this key signed it.
    pub fn open_survey(&self, token: &str) -> Option<SurveyLink> {
        let body = self.open(token, SURVEY_V1, SURVEY_BODY_LEN)?;
        Some(SurveyLink {
            tenant_id: Uuid::from_slice(body.get(1..17)?).ok()?,
            recipient_id: Uuid::from_slice(body.get(17..33)?).ok()?,
        })
    }

    /// `body` with its tag, encoded.
    fn seal(&self, mut body: Vec<u8>) -> String {
        let tag = self.mac(&body).finalize().into_bytes();
        body.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(body)
    }

    /// The body of `token` if it is of `version`, `len` bytes long and its
    /// tag verifies.
    fn open(&self, token: &str, version: u8, len: usize) -> Option<Vec<u8>> {
        let mut bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != len + TAG_LEN || bytes.first() != Some(&version) {
            return None;
        }
        let tag = bytes.split_off(len);
        self.mac(&bytes).verify_truncated_left(&tag).ok()?;
        Some(bytes)
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
    fn survey_links_open_only_as_survey_links() {
        let links = links(b"a master secret of at least 32 bytes!!");
        let link = SurveyLink {
            tenant_id: Uuid::now_v7(),
            recipient_id: Uuid::now_v7(),
        };
        let url = links.survey_url(&link);
        let token = url.strip_prefix("https://care.example.com/s/").unwrap();
        assert_eq!(links.open_survey(token), Some(link));
        assert_eq!(links.open_unsubscribe(token), None);
        assert_eq!(links.open_survey(&links.unsubscribe_token(&sample())), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
        bytes[5] ^= 1;
        assert_eq!(links.open_survey(&URL_SAFE_NO_PAD.encode(&bytes)), None);
    }
}
