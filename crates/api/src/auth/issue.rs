//! Creating credentials: shared by the API's handlers and the `guestcare` CLI.

use diesel::PgConnection;
use guestcare_db::{
    credentials::{self, ApiKey, NewApiKey},
    new_id,
    users::{self, NewUser, User},
};
use guestcare_domain::{Email, FieldError, Role};
use uuid::Uuid;

use super::tokens;
use crate::error::ApiError;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Creates an API key and returns it with its one-time secret.
pub fn create_api_key(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
    role: Role,
    created_by: Option<Uuid>,
) -> Result<(ApiKey, String), ApiError> {
    let minted = tokens::mint_api_key();
    let digest = tokens::digest(&minted.token);
    let key = credentials::insert_api_key(
        conn,
        &NewApiKey {
            id: new_id(),
            tenant_id,
            name,
            prefix: &minted.prefix,
            secret_hash: &digest,
            role: role.as_str(),
            created_by,
        },
    )?;
    Ok((key, minted.token))
}

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "too_short",
            format!("Use at least {MIN_PASSWORD_CHARS} characters."),
        )
        .at("password"));
    }
    Ok(())
}

/// Hashes a password for storage.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    tokens::hash_password(password)
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))
}

/// Creates a staff user with an Argon2id-hashed password. A second user
/// with the same e-mail in the tenant answers 409.
pub fn create_user(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    email: &Email,
    display_name: &str,
    role: Role,
    password: &str,
) -> Result<User, ApiError> {
    check_password(password)?;
    let hash = hash_password(password)?;
    if users::find_user_by_email(conn, tenant_id, email.as_str())?.is_some() {
        return Err(ApiError::Conflict {
            code: "email_taken",
            detail: "A user with this e-mail already exists in this tenant.".to_owned(),
        });
    }
    Ok(users::insert_user(
        conn,
        &NewUser {
            id: new_id(),
            tenant_id,
            email: email.as_str(),
            display_name,
            role: role.as_str(),
            password_hash: &hash,
        },
    )?)
}
