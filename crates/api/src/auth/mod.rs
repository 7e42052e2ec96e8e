//! Who is calling: the bearer-token extractor and role checks.
//!
//! Every `/v1` handler takes an [`Auth`]. Its extraction answers 401 when the
//! token is missing, malformed, unknown, revoked or expired; the handler then
//! calls [`Auth::require`] with the permission it needs (403 otherwise). The
//! tenant of every query comes from the credential, never from the request.

pub mod issue;
pub mod tokens;

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use guestcare_db::credentials::{self, Principal, PrincipalKind};
use guestcare_domain::{Permission, Role};
use uuid::Uuid;

use crate::{error::ApiError, middleware::RequestId, state::AppState};

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Auth {
    pub tenant_id: Uuid,
    pub role: Role,
    pub actor: Actor,
    /// The request's id, recorded in audit entries.
    pub request_id: String,
}

/// The staff user or API key behind a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User { user_id: Uuid, session_id: Uuid },
    ApiKey { key_id: Uuid },
}

impl Actor {
    /// `user` or `api_key`, as stored in the audit log.
    pub fn kind(self) -> &'static str {
        match self {
            Actor::User { .. } => "user",
            Actor::ApiKey { .. } => "api_key",
        }
    }

    pub fn id(self) -> Uuid {
        match self {
            Actor::User { user_id, .. } => user_id,
            Actor::ApiKey { key_id } => key_id,
        }
    }
}

impl Auth {
    /// 403 unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.role.can(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The user id, when the caller is a staff user rather than a key.
    pub fn user_id(&self) -> Option<Uuid> {
        match self.actor {
            Actor::User { user_id, .. } => Some(user_id),
            Actor::ApiKey { .. } => None,
        }
    }

    fn from_principal(principal: Principal, request_id: String) -> Result<Auth, ApiError> {
        let role: Role = principal
            .role
            .parse()
            .map_err(|e: guestcare_domain::FieldError| ApiError::internal(e))?;
        let actor = match principal.kind {
            PrincipalKind::User {
                user_id,
                session_id,
            } => Actor::User {
                user_id,
                session_id,
            },
            PrincipalKind::ApiKey { key_id } => Actor::ApiKey { key_id },
        };
        Ok(Auth {
            tenant_id: principal.tenant_id,
            role,
            actor,
            request_id,
        })
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|token| !token.is_empty())
}

impl FromRequest for Auth {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let request_id = req
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default();
        Box::pin(async move {
            let token = token.ok_or(ApiError::Unauthorized)?;
            let state =
                state.ok_or_else(|| ApiError::internal(std::io::Error::other("no app state")))?;
            let digest = tokens::digest(&token);
            let principal = crate::db::run(&state.pool, move |conn| {
                let found = if token.starts_with(tokens::API_KEY_PREFIX) {
                    credentials::find_api_key_principal(conn, &digest)?
                } else if token.starts_with(tokens::SESSION_PREFIX) {
                    credentials::find_session_principal(conn, &digest)?
                } else {
                    None
                };
                Ok(found)
            })
            .await?
            .ok_or(ApiError::Unauthorized)?;
            Ok(Auth::from_principal(principal, request_id)?)
        })
    }
}
