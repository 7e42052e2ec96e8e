//! The `jobs` columns the hottest transition touches, for diesel's typed
//! queries: those are prepared once per connection and reused, where a raw
//! statement is parsed and planned on every call.

diesel::table! {
    jobs (id) {
        id -> Uuid,
        status -> Text,
        attempts -> Int4,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        finished_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}
