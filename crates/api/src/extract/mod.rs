//! Request extractors that turn bad input into problem documents instead of
//! actix's plain-text errors: JSON bodies and query strings report the path
//! of the offending field.

mod idempotency;
mod json;
mod query;

pub use idempotency::IdempotencyKey;
pub use json::ValidJson;
pub use query::ValidQuery;

use actix_web::{HttpRequest, error::PathError, web};

use crate::error::ApiError;

/// Path segments that do not parse (e.g. an id that is not a UUID) name no
/// existing resource: 404, like any other unknown object.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_: PathError, _: &HttpRequest| ApiError::NotFound.into())
}

/// Renders a serde path (`a.b[2].c`) or `body` when the error is at the root.
fn field_path(path: &serde_path_to_error::Path, root: &str) -> String {
    let text = path.to_string();
    if text == "." || text.is_empty() {
        root.to_owned()
    } else {
        text
    }
}
