//! Reading an intake file from a raw request body: its format from
//! `Content-Type`, its name from `?filename=` or `Content-Disposition`, and
//! its bytes up to `api.max_import_bytes`.

use actix_web::{HttpRequest, http::header, web};
use futures::StreamExt;
use guestcare_domain::{FieldError, bounded_text, intake::Format};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// `?filename=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as the user knows it (else `Content-Disposition`'s
    /// `filename`, else `upload.<format>`).
    pub filename: Option<String>,
}

/// The format named by the request's `Content-Type`; 415 for others.
pub(super) fn format_of(req: &HttpRequest) -> Result<Format, ApiError> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(Format::from_content_type)
        .ok_or(ApiError::UnsupportedContentType {
            detail: format!(
                "Send the file as text/csv, {} or application/json.",
                Format::XLSX_CONTENT_TYPE
            ),
        })
}

/// The file name from the query, else from `Content-Disposition`.
pub(super) fn filename_of(
    req: &HttpRequest,
    query: UploadQuery,
    format: Format,
) -> Result<String, ApiError> {
    let from_header = || {
        let disposition = req
            .headers()
            .get(header::CONTENT_DISPOSITION)?
            .to_str()
            .ok()?;
        let (_, rest) = disposition.split_once("filename=")?;
        Some(rest.split(';').next()?.trim().trim_matches('"').to_owned())
    };
    let name = query
        .filename
        .or_else(from_header)
        .unwrap_or_else(|| format!("upload.{}", format.as_str()));
    bounded_text(&name, 1, 255).map_err(|e| e.at("query.filename").into())
}

/// The whole body, refused with 413 as soon as it passes `limit` bytes.
pub(crate) async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadRequest {
            code: "unreadable_body",
            detail: "The request body could not be read.".to_owned(),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    if body.is_empty() {
        return Err(FieldError::new("empty_file", "The uploaded file is empty.")
            .at("body")
            .into());
    }
    Ok(body)
}
