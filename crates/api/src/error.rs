//! The API's one error type and its RFC 9457 `application/problem+json` form.
//!
//! Every failure a client can see is an [`ApiError`] with a stable machine
//! `code`. Internal causes are logged once, here, and replaced by a generic
//! sentence: no SQL, stack or path ever reaches a client.

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use guestcare_domain::{FieldError, ValidationErrors};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A failure to answer a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request could not be read (malformed JSON, bad header).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// 401: no valid credential.
    #[error("A valid bearer token is required.")]
    Unauthorized,
    /// 401 on login: wrong tenant, e-mail or password (never says which).
    #[error("The tenant, e-mail or password is not correct.")]
    InvalidCredentials,
    /// 403: the credential's role does not allow this.
    #[error("Your role does not allow this action.")]
    Forbidden,
    /// 404: no such object in this tenant (or no such route).
    #[error("The requested resource was not found.")]
    NotFound,
    /// 404: no route matches the request's path.
    #[error("No endpoint matches this path; see /docs.")]
    NoRoute,
    /// 405.
    #[error("This method is not allowed on this resource.")]
    MethodNotAllowed,
    /// 409: the change conflicts with the current state.
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// 413.
    #[error("The request body is larger than this server accepts.")]
    PayloadTooLarge,
    /// 415: JSON endpoints take `application/json`; `/v1/assets` takes the
    /// image types it lists.
    #[error("This endpoint does not accept the body's content type; see /docs.")]
    UnsupportedMediaType,
    /// 415 on a route that takes other media types than JSON.
    #[error("{detail}")]
    UnsupportedContentType { detail: String },
    /// 422: the request was read but some fields are invalid.
    #[error("{0}")]
    Validation(ValidationErrors),
    /// 422 without a specific field.
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    /// 429.
    #[error("Too many attempts; try again in {retry_after_secs} seconds.")]
    TooManyRequests { retry_after_secs: u64 },
    /// 503: the database is unreachable or busy.
    #[error("The service is temporarily unavailable; try again shortly.")]
    Unavailable,
    /// 500: a bug or an unexpected failure; the cause is logged, not returned.
    #[error("An internal error occurred.")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The problem document (RFC 9457) every error response carries.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    pub detail: String,
    /// Per-field errors, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// Path of the field in the request, e.g. `phones[1]` or `query.limit`.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// 422 for one field.
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(FieldError::new(code, message).at(field).into())
    }

    /// Wraps any unexpected error as a 500.
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> ApiError {
        ApiError::Internal(Box::new(error))
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Unprocessable { code, .. } => code,
            ApiError::Unauthorized => "unauthorized",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::NoRoute => "route_not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType | ApiError::UnsupportedContentType { .. } => {
                "unsupported_media_type"
            }
            ApiError::Validation(_) => "validation_failed",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            ApiError::Validation(errors) => errors
                .errors()
                .iter()
                .map(|e| FieldProblem {
                    field: e.field.clone(),
                    code: e.code.to_owned(),
                    message: e.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let detail = match self {
            ApiError::Validation(_) => "Some fields are invalid; see `errors`.".to_owned(),
            other => other.to_string(),
        };
        problem(status, self.code(), detail, errors)
    }
}

/// Builds a problem document.
pub fn problem(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<FieldProblem>,
) -> Problem {
    Problem {
        type_uri: format!("/docs#problem-{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        code: code.to_owned(),
        detail,
        errors,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType | ApiError::UnsupportedContentType { .. } => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::Validation(_) | ApiError::Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = %cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::Unauthorized | ApiError::InvalidCredentials => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ApiError::Conflict {
                code: "already_exists",
                detail: "An object with the same unique value already exists.".to_owned(),
            },
            // A delete of an object others still refer to (a segment a
            // contact plan uses).
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::Conflict {
                code: "in_use",
                detail: "Other objects still refer to this one.".to_owned(),
            },
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => ApiError::Unavailable,
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::Conflict {
                    code: "concurrent_update",
                    detail: "The object changed concurrently; retry the request.".to_owned(),
                }
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::Validation(errors)
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        ApiError::Validation(error.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_lists_fields() {
        let error = ApiError::field("email", "invalid_email", "bad");
        let problem = error.problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.code, "validation_failed");
        assert_eq!(problem.errors[0].field, "email");
    }

    #[test]
    fn internal_detail_never_leaks() {
        let error = ApiError::internal(std::io::Error::other("SELECT secret FROM x"));
        assert!(!error.problem().detail.contains("SELECT"));
    }

    #[test]
    fn unique_violation_is_a_conflict() {
        let error: ApiError = diesel::result::Error::NotFound.into();
        assert_eq!(error.status_code(), StatusCode::NOT_FOUND);
    }
}
