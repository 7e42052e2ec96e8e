//! Care automations: care tasks, the daily birthday, greeting and digest
//! scans, and a simulated year of them.

mod birthdays;
mod digest;
mod greetings;
mod tasks;
mod year;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use diesel::{PgConnection, prelude::*};
use guestcare_db::schema::messages;
use guestcare_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::send;

/// Creates a guest and answers its id.
async fn guest(app: &TestApp, key: &str, body: Value) -> String {
    let (status, guest) = send(app.post("/v1/guests", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    guest["id"].as_str().unwrap().to_owned()
}

/// Records the guest's marketing consent on `channel`.
async fn allow_marketing(app: &TestApp, key: &str, guest: &str, channel: &str) {
    let (status, view) = send(
        app.put(&format!("/v1/guests/{guest}/consents"), key)
            .json(&json!({
                "changes": [{ "channel": channel, "purpose": "marketing", "status": "granted",
                              "source": "registration_form" }]
            })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
}

/// `hour`:00 on `day` in Vietnam, the test tenants' zone.
fn hcm(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// One message as the greeting run left it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Sent {
    guest_id: Uuid,
    /// The dedupe key's last part: the day of a greeting
    /// (`greeting:{rule}:{guest}:{day}`), the year of a birthday message.
    occurrence: String,
    language: String,
    status: String,
    body: String,
}

/// Every message of `purpose` of the tenant whose dedupe key starts with
/// `prefix`, by guest and day.
fn sent(conn: &mut PgConnection, tenant: Uuid, purpose: &str, prefix: &str) -> Vec<Sent> {
    type Row = (Option<Uuid>, Option<String>, Option<String>, String, String);
    let rows: Vec<Row> = messages::table
        .filter(messages::tenant_id.eq(tenant))
        .filter(messages::purpose.eq(purpose))
        .select((
            messages::guest_id,
            messages::dedupe_key,
            messages::language,
            messages::status,
            messages::body_text,
        ))
        .load(conn)
        .unwrap();
    let mut sent: Vec<Sent> = rows
        .into_iter()
        .filter(|r| r.1.as_deref().unwrap_or("").starts_with(prefix))
        .map(|(guest, key, language, status, body)| Sent {
            guest_id: guest.unwrap(),
            occurrence: key.unwrap().rsplit(':').next().unwrap().to_owned(),
            language: language.unwrap(),
            status,
            body,
        })
        .collect();
    sent.sort();
    sent
}
