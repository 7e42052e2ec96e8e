//! Logging in and out, and asking who you are.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, TimeDelta, Utc};
use guestcare_db::{
    credentials::{self, NewSession},
    login_failures, new_id, tenants, users,
};
use guestcare_domain::{Permission, Role};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{tenant::TenantView, users::UserView};
use crate::{
    auth::{Actor, Auth, tokens},
    db,
    error::ApiError,
    extract::ValidJson,
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login).service(logout).service(me);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The tenant's slug, e.g. `lotus-resort`.
    pub tenant: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// The bearer token for `Authorization: Bearer …`; shown only now.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

/// Who the caller is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub tenant: TenantView,
    pub role: Role,
    /// `user` or `api_key`.
    pub actor_type: String,
    pub actor_id: Uuid,
    /// The staff user, when logged in with a session.
    pub user: Option<UserView>,
}

/// The rate-limit identity of a login attempt: tenant and e-mail, hashed so
/// that the failure table holds no address.
fn account_digest(tenant: &str, email: &str) -> Vec<u8> {
    Sha256::digest(format!(
        "{}\n{}",
        tenant.to_lowercase(),
        email.trim().to_lowercase()
    ))
    .to_vec()
}

/// Logs a staff user in and returns a session token. Repeated failures for
/// one account or one client address answer 429 for a while.
#[utoipa::path(
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 201, body = SessionCreated),
        (status = 401, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem),
    )
)]
#[post("/sessions")]
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let client_ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let account = account_digest(&request.tenant, &request.email);
    let api = state.settings.api.clone();
    let window = i32::try_from(api.login_window_secs).unwrap_or(i32::MAX);
    let ttl = TimeDelta::hours(api.session_ttl_hours);
    let outcome = db::run(&state.pool, move |conn| {
        let failures = login_failures::count_login_failures(conn, &account, &client_ip, window)?;
        if failures.account >= api.login_max_failures_per_account
            || failures.client_ip >= api.login_max_failures_per_ip
        {
            return Err(ApiError::TooManyRequests {
                retry_after_secs: u64::try_from(api.login_window_secs).unwrap_or(60),
            });
        }
        let user = match tenants::find_tenant_by_slug(conn, &request.tenant)? {
            Some(tenant) => users::find_user_by_email(conn, tenant.id, &request.email)?,
            None => None,
        };
        let hash = user
            .as_ref()
            .map_or(tokens::decoy_hash(), |u| u.password_hash.as_str());
        let verified = tokens::verify_password(&request.password, hash);
        let user = match user {
            Some(user) if verified && user.disabled_at.is_none() => user,
            _ => {
                login_failures::record_login_failure(conn, &account, &client_ip)?;
                return Err(ApiError::InvalidCredentials);
            }
        };
        login_failures::clear_login_failures(conn, &account)?;
        let token = tokens::mint_session_token();
        let expires_at = Utc::now() + ttl;
        credentials::insert_session(
            conn,
            &NewSession {
                id: new_id(),
                tenant_id: user.tenant_id,
                user_id: user.id,
                token_hash: &tokens::digest(&token),
                expires_at,
            },
        )?;
        tracing::info!(tenant.id = %user.tenant_id, user.id = %user.id, "user logged in");
        Ok(SessionCreated {
            token,
            expires_at,
            user: UserView::try_from(user)?,
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(outcome))
}

/// Ends the current session. API keys are revoked through `/v1/api-keys`.
#[utoipa::path(
    tag = "sessions",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 409, body = crate::error::Problem))
)]
#[delete("/sessions/current")]
async fn logout(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    let Actor::User { session_id, .. } = auth.actor else {
        return Err(ApiError::Conflict {
            code: "not_a_session",
            detail: "This credential is an API key; revoke it through /v1/api-keys.".to_owned(),
        });
    };
    db::run(&state.pool, move |conn| {
        Ok(credentials::revoke_session(
            conn,
            auth.tenant_id,
            session_id,
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller: tenant, role, and user when logged in.
#[utoipa::path(
    tag = "sessions",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = crate::error::Problem))
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let me = db::run(&state.pool, move |conn| {
        let tenant = tenants::get_tenant(conn, auth.tenant_id)?;
        let user = match auth.user_id() {
            Some(id) => Some(UserView::try_from(users::get_user(
                conn,
                auth.tenant_id,
                id,
            )?)?),
            None => None,
        };
        Ok(Me {
            tenant: tenant.into(),
            role: auth.role,
            actor_type: auth.actor.kind().to_owned(),
            actor_id: auth.actor.id(),
            user,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(me))
}
