//! Secrets: bearer tokens and password hashes.
//!
//! Tokens are 32 random bytes in URL-safe base64 behind a readable prefix:
//! `gck_<8-char id>_<secret>` for API keys, `gcs_<secret>` for sessions. Only
//! their SHA-256 digests are stored: a token has enough entropy that a fast
//! hash is safe, and a lookup by digest costs one index probe. Passwords,
//! which people choose, are hashed with Argon2id.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::{Rng, distr::Alphanumeric};
use sha2::{Digest, Sha256};

pub const API_KEY_PREFIX: &str = "gck_";
pub const SESSION_PREFIX: &str = "gcs_";

/// A freshly minted API key: the full secret (shown once) and its public id.
#[derive(Debug)]
pub struct MintedApiKey {
    pub token: String,
    pub prefix: String,
}

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn mint_api_key() -> MintedApiKey {
    let id: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(8)
        .map(|b| char::from(b).to_ascii_lowercase())
        .collect();
    let prefix = format!("{API_KEY_PREFIX}{id}");
    MintedApiKey {
        token: format!("{prefix}_{}", random_secret()),
        prefix,
    }
}

pub fn mint_session_token() -> String {
    format!("{SESSION_PREFIX}{}", random_secret())
}

/// The stored digest of a token.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// An Argon2id hash in PHC string form.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password, verified against when the user does not
/// exist so that a login takes as long for unknown accounts as for known ones.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_secret()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_carry_their_prefix() {
        let key = mint_api_key();
        assert!(key.token.starts_with(&key.prefix));
        assert_eq!(key.prefix.len(), API_KEY_PREFIX.len() + 8);
        assert_ne!(mint_api_key().token, key.token);
    }

    #[test]
    fn passwords_verify() {
        let hash = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }
}
