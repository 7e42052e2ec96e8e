//! Staff users of the tenant.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, patch, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::{
    credentials,
    users::{self, User, UserChanges},
};
use guestcare_domain::{AllValid, Email, Permission, Role, bounded_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    audit,
    auth::{Auth, issue},
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson, ValidQuery},
    idempotent::{self, Fingerprint},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user);
}

/// A staff user. Password hashes never leave the server.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<User> for UserView {
    type Error = ApiError;

    fn try_from(u: User) -> Result<Self, ApiError> {
        Ok(UserView {
            id: u.id,
            role: u
                .role
                .parse()
                .map_err(|e: guestcare_domain::FieldError| ApiError::internal(e))?,
            email: u.email,
            display_name: u.display_name,
            disabled: u.disabled_at.is_some(),
            created_at: u.created_at,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub email: String,
    pub display_name: String,
    /// `owner`, `manager`, `care_agent`, `front_desk` or `auditor`.
    pub role: String,
    /// At least 10 characters.
    pub password: String,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub role: Option<String>,
    /// `true` disables the user and ends their sessions; `false` re-enables.
    pub disabled: Option<bool>,
    /// A new password; ends the user's sessions.
    pub password: Option<String>,
}

/// Lists the tenant's staff users.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<UserView>))
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(users::list_users(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    let views: Result<Vec<UserView>, ApiError> = rows.into_iter().map(UserView::try_from).collect();
    let views = views?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(views, page, |u| u.id, |u| u)))
}

/// Creates a staff user (owner). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = NewUserRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = UserView),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/users")]
async fn create_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewUserRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Administer)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let (email, role, display_name, ()) = (
        request.email.parse::<Email>().map_err(|e| e.at("email")),
        request.role.parse::<Role>().map_err(|e| e.at("role")),
        bounded_text(&request.display_name, 1, 200).map_err(|e| e.at("display_name")),
        issue::check_password(&request.password),
    )
        .all_valid()?;
    if !auth.role.can_grant(role) {
        return Err(ApiError::Forbidden);
    }
    let password = request.password;
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let user = issue::create_user(
            conn,
            actor.tenant_id,
            &email,
            &display_name,
            role,
            &password,
        )?;
        audit::record(conn, &actor, "user.create", "user", user.id)?;
        Ok((StatusCode::CREATED, UserView::try_from(user)?))
    })
    .await
}

/// One staff user.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = UserView), (status = 404, body = crate::error::Problem))
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let user = db::run(&state.pool, move |conn| {
        Ok(users::get_user(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UserView::try_from(user)?))
}

/// Changes a staff user's name, role, password or disables them (owner).
/// The last enabled owner can be neither demoted nor disabled.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = UserUpdate,
    responses(
        (status = 200, body = UserView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<UserUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Administer)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let (display_name, role, ()) = (
        update
            .display_name
            .as_deref()
            .map(|name| bounded_text(name, 1, 200).map_err(|e| e.at("display_name")))
            .transpose(),
        update
            .role
            .as_deref()
            .map(|role| role.parse::<Role>().map_err(|e| e.at("role")))
            .transpose(),
        update
            .password
            .as_deref()
            .map_or(Ok(()), issue::check_password),
    )
        .all_valid()?;
    let password_hash = update
        .password
        .as_deref()
        .map(issue::hash_password)
        .transpose()?;
    let disabled = update.disabled;
    let user = db::transaction(&state.pool, move |conn| {
        let current = users::get_user(conn, auth.tenant_id, id)?;
        let stays_owner = role.map_or(current.role == "owner", |r| r == Role::Owner);
        let stays_enabled = disabled.map_or(current.disabled_at.is_none(), |d| !d);
        if current.role == "owner"
            && current.disabled_at.is_none()
            && !(stays_owner && stays_enabled)
            && users::count_active_owners(conn, auth.tenant_id)? <= 1
        {
            return Err(ApiError::Conflict {
                code: "last_owner",
                detail: "The tenant's last owner can be neither demoted nor disabled.".to_owned(),
            });
        }
        let changes = UserChanges {
            display_name: display_name.as_deref(),
            role: role.map(Role::as_str),
            password_hash: password_hash.as_deref(),
            disabled_at: disabled.map(|d| d.then(Utc::now)),
        };
        let user = users::update_user(conn, auth.tenant_id, id, &changes)?;
        if disabled == Some(true) || password_hash.is_some() {
            credentials::revoke_user_sessions(conn, user.id)?;
        }
        audit::record(conn, &auth, "user.update", "user", user.id)?;
        Ok(user)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UserView::try_from(user)?))
}
