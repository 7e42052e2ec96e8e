//! Holiday calendars and the tenant's own occasions.

mod calendars;
mod occasions;
