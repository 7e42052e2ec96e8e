//! Holiday calendars and the tenant's own occasions.

mod calendars;
mod occasions;

use crate::support::{error_fields, into_json, send};
