//! A query-string extractor with field paths in its errors.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::de::DeserializeOwned;

use super::field_path;
use crate::error::ApiError;

/// The query string deserialised into `T`; a bad parameter answers 422 with
/// the field `query.<name>`.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = field_path(error.path(), "");
        let field = if path.is_empty() {
            "query".to_owned()
        } else {
            format!("query.{path}")
        };
        ApiError::field(&field, "invalid_parameter", error.into_inner().to_string())
    })
}

impl<T: DeserializeOwned> FromRequest for ValidQuery<T> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            parse_query(req.query_string())
                .map(ValidQuery)
                .map_err(Into::into),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Params {
        limit: Option<i64>,
    }

    #[test]
    fn bad_numbers_name_the_parameter() {
        let problem = parse_query::<Params>("limit=ten").unwrap_err().problem();
        assert_eq!(problem.errors[0].field, "query.limit");
        assert_eq!(parse_query::<Params>("limit=5").unwrap().limit, Some(5));
    }
}
