//! Care automations: reminder rules relative to dates and events, and the
//! daily run that follows them, driven day by day over a simulated year.

mod events;
mod forecast;
mod plans;
mod rules;
mod year;

use chrono::NaiveDate;
use diesel::{Connection, PgConnection, RunQueryDsl, sql_types::Text};
use guestcare_db::automations;
use guestcare_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::send;

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A new guest's id.
pub async fn guest(app: &TestApp, key: &str, body: Value) -> Uuid {
    let (status, guest) = send(app.post("/v1/guests", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    guest["id"].as_str().unwrap().parse().unwrap()
}

pub async fn stay(app: &TestApp, key: &str, guest: Uuid, check_in: &str, check_out: &str) {
    let (status, stay) = send(
        app.post(&format!("/v1/guests/{guest}/stays"), key)
            .json(&json!({ "check_in": check_in, "check_out": check_out })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{stay}");
}

pub async fn set_date(app: &TestApp, key: &str, guest: Uuid, kind: &str, date: &str) {
    let (status, body) = send(
        app.put(&format!("/v1/guests/{guest}/dates/{kind}"), key)
            .json(&json!({ "date": date })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A new rule's id.
pub async fn rule(app: &TestApp, key: &str, body: Value) -> Uuid {
    let (status, rule) = send(app.post("/v1/reminder-rules", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");
    rule["id"].as_str().unwrap().parse().unwrap()
}

/// Steps of `days` offsets on e-mail with the reminder texts.
pub fn day_steps(days: &[i64]) -> Value {
    days.iter()
        .map(|d| json!({ "offset_days": d, "channel": "email", "purpose": "reminder" }))
        .collect()
}

/// Runs the tenant's automations for `day` as the daily job does.
pub fn run_day(conn: &mut PgConnection, tenant: Uuid, day: NaiveDate) -> automations::DayReport {
    conn.transaction(|conn| automations::run_day(conn, &crate::support::links(), tenant, day))
        .unwrap()
}

#[derive(diesel::QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    dedupe_key: String,
}

/// The dedupe keys of the tenant's reminder messages, oldest first.
pub fn reminder_keys(conn: &mut PgConnection, tenant: Uuid) -> Vec<String> {
    diesel::sql_query(
        "SELECT dedupe_key FROM messages WHERE tenant_id = $1 AND dedupe_key IS NOT NULL \
         ORDER BY created_at, id",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant)
    .load::<Key>(conn)
    .unwrap()
    .into_iter()
    .map(|k| k.dedupe_key)
    .collect()
}
