//! The message log: every e-mail and SMS sent (or not) to guests and staff,
//! and `POST /v1/messages` to send one to a guest.

mod send;

pub(crate) use send::send_error;

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use guestcare_db::messages::{self, Message, MessageFilter};
use guestcare_domain::{
    FieldError, Permission, ValidationErrors,
    channels::{Channel, MessageStatus},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    auth::Auth,
    db,
    error::ApiError,
    extract::ValidQuery,
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_messages)
        .service(get_message)
        .service(send::send_message);
}

/// `?status=&channel=&guest_id=&limit=&cursor=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MessagesQuery {
    /// `queued`, `sent`, `failed`, `suppressed` or `bounced`.
    pub status: Option<String>,
    /// `email` or `sms`.
    pub channel: Option<String>,
    pub guest_id: Option<Uuid>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl MessagesQuery {
    fn filter(&self) -> Result<MessageFilter, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let status = self.status.as_deref().and_then(|s| {
            errors.check(
                "query.status",
                MessageStatus::parse(s).ok_or_else(|| {
                    FieldError::new(
                        "invalid_status",
                        "Use queued, sent, failed, suppressed or bounced.",
                    )
                }),
            )
        });
        let channel = self.channel.as_deref().and_then(|c| {
            errors.check(
                "query.channel",
                Channel::parse(c)
                    .ok_or_else(|| FieldError::new("invalid_channel", "Use email or sms.")),
            )
        });
        errors.finish(|| MessageFilter {
            status,
            channel,
            guest_id: self.guest_id,
        })
    }
}

/// A message as staff see it. The body is included; the recipient address
/// is shown so staff can tell whom it went to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: Uuid,
    pub guest_id: Option<Uuid>,
    /// `email` or `sms`.
    pub channel: String,
    pub purpose: String,
    /// `service`, `marketing` or `auto_reply`.
    pub category: String,
    pub template_key: Option<String>,
    pub language: Option<String>,
    pub recipient: String,
    pub subject: Option<String>,
    pub body_text: String,
    pub body_html: Option<String>,
    /// `queued`, `sent`, `failed`, `suppressed` or `bounced`.
    pub status: String,
    /// `hard_bounce`, `soft_bounces`, `unsubscribe` or `manual` when suppressed.
    pub suppression_reason: Option<String>,
    /// The provider's id: SMTP queue reply, SMS provider id, outbox file.
    pub provider_id: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
}

impl From<Message> for MessageView {
    fn from(m: Message) -> Self {
        MessageView {
            id: m.id,
            guest_id: m.guest_id,
            channel: m.channel,
            purpose: m.purpose,
            category: m.category,
            template_key: m.template_key,
            language: m.language,
            recipient: m.recipient,
            subject: m.subject,
            body_text: m.body_text,
            body_html: m.body_html,
            status: m.status,
            suppression_reason: m.suppression_reason,
            provider_id: m.provider_id,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            updated_at: m.updated_at,
            sent_at: m.sent_at,
            failed_at: m.failed_at,
        }
    }
}

/// Lists messages, newest first, optionally by status, channel or guest.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(MessagesQuery),
    responses((status = 200, body = PageOf<MessageView>), (status = 422, body = crate::error::Problem))
)]
#[get("/messages")]
async fn list_messages(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let query = query.into_inner();
    let filter = query.filter()?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(messages::list_messages(
            conn,
            auth.tenant_id,
            &filter,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |m| m.id, MessageView::from)))
}

/// One message.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MessageView), (status = 404, body = crate::error::Problem))
)]
#[get("/messages/{id}")]
async fn get_message(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(messages::get_message(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MessageView::from(row)))
}
