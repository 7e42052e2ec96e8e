//! A JSON body extractor with field paths in its errors.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::StatusCode, web};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::field_path;
use crate::error::ApiError;

/// A JSON request body deserialised into `T`.
///
/// - a body over the configured limit → 413;
/// - a content type other than JSON → 415;
/// - bytes that are not JSON → 400 `malformed_json`;
/// - JSON of the wrong shape → 422 with the path of the bad field, e.g.
///   `emergency_contact.phone` or `phones[2]`.
///
/// It also keeps the SHA-256 of the raw body, which idempotency keys compare.
#[derive(Debug)]
pub struct ValidJson<T> {
    pub value: T,
    pub digest: [u8; 32],
}

impl<T> ValidJson<T> {
    pub fn into_inner(self) -> T {
        self.value
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(content_type) = req.headers().get(actix_web::http::header::CONTENT_TYPE) else {
        return false;
    };
    let essence = content_type
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Parses `bytes` as JSON into `T`, reporting the failing field's path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = field_path(error.path(), "body");
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::BadRequest {
                code: "malformed_json",
                detail: format!("The body is not valid JSON ({inner})."),
            }
        } else {
            ApiError::field(&path, "invalid_type", describe(&inner))
        }
    })?;
    deserializer.end().map_err(|_| ApiError::BadRequest {
        code: "malformed_json",
        detail: "The body has trailing characters after the JSON value.".to_owned(),
    })?;
    Ok(value)
}

/// serde's message without its trailing "at line 1 column 9".
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = body.await.map_err(|error| {
                if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest {
                        code: "unreadable_body",
                        detail: "The request body could not be read.".to_owned(),
                    }
                }
            })?;
            if !json {
                return Err(ApiError::UnsupportedMediaType.into());
            }
            let value = parse_json(&bytes)?;
            Ok(ValidJson {
                value,
                digest: Sha256::digest(&bytes).into(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code, reason = "fields exist to be deserialised")]
    struct Contact {
        phone: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code, reason = "fields exist to be deserialised")]
    struct Guest {
        name: String,
        contacts: Vec<Contact>,
    }

    #[test]
    fn wrong_type_reports_nested_path() {
        let error = parse_json::<Guest>(br#"{"name":"A","contacts":[{"phone":"1"},{"phone":5}]}"#)
            .unwrap_err();
        let problem = error.problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors[0].field, "contacts[1].phone");
    }

    #[test]
    fn missing_field_is_reported_at_its_parent() {
        let problem = parse_json::<Guest>(br#"{"contacts":[]}"#)
            .unwrap_err()
            .problem();
        assert_eq!(problem.errors[0].field, "body");
        assert!(problem.errors[0].message.contains("name"));
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        let problem = parse_json::<Guest>(b"{\"name\":").unwrap_err().problem();
        assert_eq!(problem.status, 400);
        assert_eq!(problem.code, "malformed_json");
    }
}
