//! Webhook signatures per the Standard Webhooks specification: the signed
//! content is `{webhook-id}.{webhook-timestamp}.{body}`, the signature
//! `v1,` + base64(HMAC-SHA256(secret, content)), and secrets are written
//! `whsec_` + base64 of the key bytes.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "whsec_";

/// The key of a `whsec_…` secret (the prefix is optional).
#[derive(Clone)]
pub struct WebhookSecret {
    bytes: Vec<u8>,
    mac: Hmac<Sha256>,
}

impl PartialEq for WebhookSecret {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for WebhookSecret {}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret([REDACTED])")
    }
}

/// The text is not a `whsec_` secret of 24 to 64 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a webhook secret")]
pub struct InvalidSecret;

impl WebhookSecret {
    /// A secret from random key bytes (24–64 of them).
    pub fn from_bytes(bytes: &[u8]) -> Result<WebhookSecret, InvalidSecret> {
        if !(24..=64).contains(&bytes.len()) {
            return Err(InvalidSecret);
        }
        let mac = Hmac::<Sha256>::new_from_slice(bytes).map_err(|_| InvalidSecret)?;
        Ok(WebhookSecret {
            bytes: bytes.to_vec(),
            mac,
        })
    }

    /// Parses `whsec_<base64>`.
    pub fn parse(text: &str) -> Result<WebhookSecret, InvalidSecret> {
        let encoded = text.strip_prefix(PREFIX).unwrap_or(text);
        let bytes = STANDARD.decode(encoded).map_err(|_| InvalidSecret)?;
        WebhookSecret::from_bytes(&bytes)
    }

    /// The `whsec_…` form shown to the tenant.
    pub fn expose(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.bytes))
    }

    /// The `webhook-signature` header value for one delivery.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!("v1,{}", STANDARD.encode(self.mac(id, timestamp, body)))
    }

    /// Whether any space-separated `v1,` entry of a `webhook-signature`
    /// header matches (compared in constant time).
    pub fn verify(&self, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
        header.split(' ').any(|entry| {
            entry
                .strip_prefix("v1,")
                .and_then(|sig| STANDARD.decode(sig).ok())
                .is_some_and(|sig| {
                    let mut mac = self.mac.clone();
                    mac.update(&content(id, timestamp, body));
                    mac.verify_slice(&sig).is_ok()
                })
        })
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(&content(id, timestamp, body));
        mac.finalize().into_bytes().to_vec()
    }
}

fn content(id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    signed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The specification's published test vector.
    #[test]
    fn matches_the_standard_webhooks_test_vector() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let signature = secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body);
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(secret.verify(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            body,
            &format!("v1,bm90IGl0 {signature}")
        ));
        assert!(!secret.verify(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_331,
            body,
            &signature
        ));
    }

    #[test]
    fn secrets_round_trip_and_bad_ones_are_refused() {
        let secret = WebhookSecret::from_bytes(&[7u8; 32]).unwrap();
        assert_eq!(WebhookSecret::parse(&secret.expose()).unwrap(), secret);
        assert!(secret.expose().starts_with("whsec_"));
        assert_eq!(WebhookSecret::parse("whsec_c2hvcnQ="), Err(InvalidSecret));
        assert_eq!(
            WebhookSecret::parse("whsec_not base64!"),
            Err(InvalidSecret)
        );
        assert_eq!(format!("{secret:?}"), "WebhookSecret([REDACTED])");
    }
}
