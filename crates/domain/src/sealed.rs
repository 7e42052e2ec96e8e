//! Secrets at rest: authenticated encryption under keys derived from the
//! configured `security.secret_key`.
//!
//! Each use has its own key, derived with HKDF-SHA256 and a purpose label
//! (`"smtp-password"`, `"webhook-secret"`, …), so a value sealed for one use
//! cannot be opened as another. Values are sealed with XChaCha20-Poly1305
//! under a random 192-bit nonce (`nonce ‖ ciphertext ‖ tag`), and bound to
//! their row by associated data (e.g. tenant id and row id), so a ciphertext
//! copied to another row or tenant does not open.

use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const NONCE_LEN: usize = 24;

/// A sealed value could not be opened: wrong key, wrong row, or tampered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sealed value cannot be opened with this key and context")]
pub struct OpenError;

/// Seals and opens values for one purpose.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer([REDACTED])")
    }
}

/// Derives a 32-byte key for `purpose` from the master secret.
pub fn derive_key(master: &[u8], purpose: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit: expand cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(b"guestcare"), master).expand(purpose.as_bytes(), &mut key);
    key
}

impl Sealer {
    /// The sealer for `purpose` under `master` (the decoded `security.secret_key`).
    pub fn new(master: &[u8], purpose: &str) -> Sealer {
        let key = derive_key(master, purpose);
        Sealer {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    /// Encrypts `plaintext`, bound to `context` (e.g. tenant id ‖ row id).
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts a value sealed with the same purpose key and `context`.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, OpenError> {
        if sealed.len() < NONCE_LEN + 16 {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .map_err(|_| OpenError)
    }

    /// Decrypts a sealed UTF-8 string.
    pub fn open_string(&self, sealed: &[u8], context: &[u8]) -> Result<String, OpenError> {
        String::from_utf8(self.open(sealed, context)?).map_err(|_| OpenError)
    }
}

/// Keyed digests (HMAC-SHA256) for exact lookups of values that are sealed:
/// equal inputs in the same context give equal digests, and without the key
/// a digest reveals nothing (no dictionary attack on short numbers).
#[derive(Clone)]
pub struct Digester {
    key: [u8; 32],
}

impl std::fmt::Debug for Digester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Digester([REDACTED])")
    }
}

impl Digester {
    /// The digester for `purpose` under `master`.
    pub fn new(master: &[u8], purpose: &str) -> Digester {
        Digester {
            key: derive_key(master, purpose),
        }
    }

    /// The 32-byte digest of `value` in `context` (e.g. the tenant id).
    pub fn digest(&self, value: &[u8], context: &[u8]) -> Vec<u8> {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.key) else {
            return Vec::new();
        };
        let context_len = (context.len() as u64).to_be_bytes();
        mac.update(&context_len);
        mac.update(context);
        mac.update(value);
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_within_its_context() {
        let sealer = Sealer::new(b"a master secret of at least 32 bytes!!", "smtp-password");
        let sealed = sealer.seal("mật khẩu".as_bytes(), b"tenant-1");
        assert_eq!(
            sealer.open_string(&sealed, b"tenant-1").unwrap(),
            "mật khẩu"
        );
        assert_ne!(
            sealer.seal(b"x", b"c"),
            sealer.seal(b"x", b"c"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn digests_are_keyed_and_bound_to_their_context() {
        let master = b"a master secret of at least 32 bytes!!";
        let digester = Digester::new(master, "national-id");
        let one = digester.digest(b"079123456789", b"tenant-1");
        assert_eq!(one.len(), 32);
        assert_eq!(one, digester.digest(b"079123456789", b"tenant-1"));
        assert_ne!(one, digester.digest(b"079123456789", b"tenant-2"));
        assert_ne!(
            one,
            Digester::new(master, "other").digest(b"079123456789", b"tenant-1")
        );
    }

    #[test]
    fn refuses_another_context_purpose_key_or_tampering() {
        let master = b"a master secret of at least 32 bytes!!";
        let sealer = Sealer::new(master, "smtp-password");
        let sealed = sealer.seal(b"secret", b"tenant-1");
        assert_eq!(sealer.open(&sealed, b"tenant-2"), Err(OpenError));
        assert_eq!(
            Sealer::new(master, "webhook-secret").open(&sealed, b"tenant-1"),
            Err(OpenError)
        );
        assert_eq!(
            Sealer::new(b"another master secret of 32 bytes!!!!", "smtp-password")
                .open(&sealed, b"tenant-1"),
            Err(OpenError)
        );
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(sealer.open(&tampered, b"tenant-1"), Err(OpenError));
        assert_eq!(sealer.open(b"short", b"tenant-1"), Err(OpenError));
    }
}
