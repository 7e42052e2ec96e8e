//! The `limit` and `cursor` query parameters every list accepts.

use guestcare_db::{Cursor, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// `?limit=&cursor=` as sent.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

impl PageQuery {
    pub fn validate(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::field(
                "query.limit",
                "out_of_range",
                format!("limit must be between 1 and {MAX_LIMIT}."),
            ));
        }
        let cursor = match &self.cursor {
            None => None,
            Some(text) => Some(Cursor::decode(text).ok_or_else(|| {
                ApiError::field(
                    "query.cursor",
                    "invalid_cursor",
                    "Use the next_cursor of a previous page.",
                )
            })?),
        };
        Ok(PageRequest { limit, cursor })
    }
}

/// One page of a list, as sent to clients.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> PageOf<T> {
    /// Builds the response page from up to `limit + 1` rows.
    pub fn from_rows<R>(
        rows: Vec<R>,
        request: PageRequest,
        id_of: impl Fn(&R) -> uuid::Uuid,
        to_item: impl FnMut(R) -> T,
    ) -> PageOf<T> {
        let page = Page::from_rows(rows, request.limit, id_of).map(to_item);
        PageOf {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_bounded() {
        let query = PageQuery {
            limit: Some(0),
            cursor: None,
        };
        assert!(query.validate().is_err());
        let query = PageQuery {
            limit: Some(201),
            cursor: None,
        };
        assert!(query.validate().is_err());
        assert_eq!(
            PageQuery::default().validate().unwrap().limit,
            DEFAULT_LIMIT
        );
    }

    #[test]
    fn bad_cursor_is_a_field_error() {
        let query = PageQuery {
            limit: None,
            cursor: Some("%%%".into()),
        };
        assert_eq!(
            query.validate().unwrap_err().problem().errors[0].field,
            "query.cursor"
        );
    }
}
