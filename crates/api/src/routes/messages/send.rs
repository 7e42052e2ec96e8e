//! `POST /v1/messages`: send one message to a guest through
//! `guestcare_db::messages::send_to_guest` (consent, suppressions, cap,
//! template, quiet hours all apply there).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use guestcare_db::messages::{GuestMessage, SendError, send_to_guest};
use guestcare_domain::{
    FieldError, Permission, ValidationErrors,
    templates::{Channel, OccasionVars, Purpose},
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::MessageView;
use crate::{
    auth::Auth,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    routes::{
        guests::actor,
        templates::{OccasionBody, check_extra},
    },
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessageRequest {
    pub guest_id: Uuid,
    pub channel: Channel,
    pub purpose: Purpose,
    /// Values of the purpose's `extra` template fields (e.g.
    /// `voucher_code`); marketing e-mail gets its own `unsubscribe_url`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Required for `holiday_greeting`, refused for other purposes.
    pub occasion: Option<OccasionBody>,
}

impl SendMessageRequest {
    fn occasion(&self) -> Result<Option<OccasionVars>, ValidationErrors> {
        let greeting = self.purpose == Purpose::HolidayGreeting;
        match (&self.occasion, greeting) {
            (Some(occasion), true) => {
                let vars = occasion.to_vars().map_err(|e| e.at("occasion.date"))?;
                Ok(Some(vars))
            }
            (None, false) => Ok(None),
            (None, true) => Err(FieldError::new(
                "required",
                "A holiday greeting needs its occasion.",
            )
            .at("occasion")
            .into()),
            (Some(_), false) => Err(FieldError::new(
                "unknown_field",
                "Only holiday greetings have an occasion.",
            )
            .at("occasion")
            .into()),
        }
    }
}

/// Sends a message to a guest: `201` with the message, `queued` (its job
/// sends it; SMS not before the guest's allowed hours) or `suppressed` with
/// `suppression_reason` (`no_address`, `no_consent`, `suppressed_address`,
/// `frequency_cap`). `Idempotency-Key` is required: a retry answers the
/// first message and sends nothing more. Marketing purposes need the
/// manager role, service ones the right to write guests.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    request_body = SendMessageRequest,
    params(("Idempotency-Key" = String, Header, description = "Required; a retry with the same key sends nothing more")),
    responses(
        (status = 201, body = MessageView),
        (status = 400, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/messages")]
pub(super) async fn send_message(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<SendMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    auth.require(if request.purpose.is_marketing() {
        Permission::Manage
    } else {
        Permission::WriteGuests
    })?;
    let Some(dedupe) = key.0.as_deref().map(|k| format!("api:{k}")) else {
        return Err(ApiError::BadRequest {
            code: "idempotency_key_required",
            detail: "Sending a message needs an Idempotency-Key header.".to_owned(),
        });
    };
    check_extra(request.purpose, &request.extra)?;
    let send = GuestMessage {
        guest_id: request.guest_id,
        channel: request.channel,
        purpose: request.purpose,
        occasion: request.occasion()?,
        extra: request.extra,
        text: Default::default(),
        dedupe_key: dedupe,
        actor: actor(&auth),
    };
    let links = state.guest_links();
    let tenant_id = auth.tenant_id;
    let work = move |conn: &mut diesel::PgConnection| {
        let outcome = send_to_guest(conn, tenant_id, &send, &links).map_err(send_error)?;
        Ok((
            StatusCode::CREATED,
            MessageView::from(outcome.message().clone()),
        ))
    };
    idempotent::respond(&state, &auth, key, fingerprint, work).await
}

/// The problem a failed send answers: 422 at `purpose` or `extra`.
pub(crate) fn send_error(error: SendError) -> ApiError {
    match error {
        SendError::Query(e) => e.into(),
        SendError::NoTemplate => ApiError::Validation(
            FieldError::new(
                "no_template",
                "There is no text for this purpose and channel.",
            )
            .at("purpose")
            .into(),
        ),
        // The text could not be rendered with the values given.
        SendError::Template(e) => {
            ApiError::Validation(FieldError::new(e.code, e.to_string()).at("extra").into())
        }
    }
}
