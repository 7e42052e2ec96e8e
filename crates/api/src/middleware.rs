//! Request-wide behaviour: request ids, tracing spans, access logs, metrics,
//! and problem documents for errors produced outside our handlers.

use std::time::Instant;

use actix_web::{
    Error, HttpMessage,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderName, HeaderValue},
    middleware::{ErrorHandlerResponse, Next},
    web,
};
use tracing::Instrument;

use crate::{
    error::{self, PROBLEM_JSON},
    state::AppState,
};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, from the client's `X-Request-Id` when it
/// sent a sane one, else a new UUID. Echoed in the response header.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn incoming_request_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(&REQUEST_ID)?.to_str().ok()?;
    let valid = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    valid.then(|| value.to_owned())
}

/// Wraps every request in a span, logs one line when it ends (method, route,
/// status, latency: never the query string or body, which may hold personal
/// data), records metrics and sets `X-Request-Id`.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let request_id = incoming_request_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let span = tracing::info_span!(
        "request",
        request.id = %request_id,
        http.method = %method,
        http.route = %route,
    );
    let started = Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    span.in_scope(|| {
        tracing::info!(
            http.status = status,
            latency_ms = elapsed.as_millis() as u64,
            "request finished"
        );
    });
    if let Some(state) = state {
        state
            .metrics
            .observe(&method, &route, status, elapsed.as_secs_f64());
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// Turns any error response that is not already a problem document (actix's
/// own 404, 405, 413…) into one, so clients parse a single error format.
/// Guest pages ([`crate::public::GuestPage`]) keep their HTML.
pub fn problem_fallback<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes() == PROBLEM_JSON.as_bytes());
    let is_page = response
        .response()
        .extensions()
        .get::<crate::public::GuestPage>()
        .is_some();
    if is_problem || is_page {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let code = match status.as_u16() {
        404 => "route_not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        400 => "bad_request",
        _ if status.is_server_error() => "internal_error",
        _ => "request_failed",
    };
    let detail = match code {
        "route_not_found" => "No endpoint matches this path; see /docs.",
        "method_not_allowed" => "This method is not allowed on this resource.",
        "payload_too_large" => "The request body is larger than this server accepts.",
        "internal_error" => "An internal error occurred.",
        _ => "The request could not be processed.",
    };
    let body = serde_json::to_string(&error::problem(status, code, detail.to_owned(), Vec::new()))
        .unwrap_or_default();
    let (req, mut res) = response.into_parts();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    let res = res.set_body(BoxBody::new(body));
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, res).map_into_right_body(),
    ))
}
