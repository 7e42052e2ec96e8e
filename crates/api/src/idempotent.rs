//! Creating and sending endpoints that honour `Idempotency-Key`.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use diesel::PgConnection;
use guestcare_db::idempotency::{KeyClaim, claim_idempotency_key, store_idempotent_response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{auth::Auth, db, error::ApiError, extract::IdempotencyKey, state::AppState};

/// Identifies a request for idempotency: method, path and body digest. The
/// same key sent with a different request is refused with 422.
#[derive(Debug, Clone)]
pub struct Fingerprint(Vec<u8>);

impl Fingerprint {
    pub fn of(req: &HttpRequest, body_digest: &[u8]) -> Fingerprint {
        let mut hasher = Sha256::new();
        hasher.update(req.method().as_str().as_bytes());
        hasher.update(b" ");
        hasher.update(req.path().as_bytes());
        hasher.update(b"\n");
        hasher.update(body_digest);
        Fingerprint(hasher.finalize().to_vec())
    }
}

/// Runs `work` in one transaction and answers with its status and JSON body.
///
/// With an `Idempotency-Key`, the key is claimed in the same transaction and
/// the answer stored before commit: a retry (even a concurrent one) gets the
/// first answer back, marked `Idempotent-Replayed: true`, and the work is
/// done once. If `work` fails, everything rolls back, the key included, so a
/// corrected retry can succeed.
pub async fn respond<T, F>(
    state: &AppState,
    auth: &Auth,
    key: IdempotencyKey,
    fingerprint: Fingerprint,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    F: FnOnce(&mut PgConnection) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    respond_redacted(state, auth, key, fingerprint, work, |_| {}).await
}

/// Like [`respond`], but `redact` edits the copy of the answer that is stored
/// for replays, so that a secret shown once (an API key) is never stored in
/// clear; replays get the redacted copy.
pub async fn respond_redacted<T, F>(
    state: &AppState,
    auth: &Auth,
    key: IdempotencyKey,
    fingerprint: Fingerprint,
    work: F,
    redact: fn(&mut serde_json::Value),
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    F: FnOnce(&mut PgConnection) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    let tenant_id = auth.tenant_id;
    let outcome = db::transaction(&state.pool, move |conn| {
        let Some(key) = key.0 else {
            let (status, body) = work(conn)?;
            return Ok((status, to_json(&body)?, false));
        };
        match claim_idempotency_key(conn, tenant_id, &key, &fingerprint.0)? {
            KeyClaim::Fresh => {
                let (status, body) = work(conn)?;
                let body = to_json(&body)?;
                let mut stored = body.clone();
                redact(&mut stored);
                store_idempotent_response(conn, tenant_id, &key, status.as_u16() as i16, &stored)?;
                Ok((status, body, false))
            }
            KeyClaim::Replay { status_code, body } => {
                let status =
                    StatusCode::from_u16(status_code as u16).map_err(ApiError::internal)?;
                Ok((status, body, true))
            }
            KeyClaim::Mismatch => Err(ApiError::Unprocessable {
                code: "idempotency_key_reused",
                detail: "This Idempotency-Key was already used for a different request.".to_owned(),
            }),
        }
    })
    .await?;
    let (status, body, replayed) = outcome;
    let mut response = HttpResponse::build(status);
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.json(body))
}

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}
