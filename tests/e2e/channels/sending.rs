//! `send_to_guest`: consent, suppressions, the frequency cap, addresses,
//! languages and repeats, each recorded as a message on the guest.

use diesel::{Connection, PgConnection};
use guestcare_db::{
    messages::{GuestMessage, SendError, SendOutcome, send_to_guest},
    suppressions::insert_suppression,
    timeline::Actor,
};
use guestcare_domain::{
    Language, Role,
    channels::{self, SuppressionReason},
    templates::{Channel, Context, Purpose},
};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{links, send};

fn message(guest_id: Uuid, channel: Channel, purpose: Purpose, key: &str) -> GuestMessage {
    GuestMessage {
        guest_id,
        channel,
        purpose,
        extra: Context::sample(purpose, Language::Vi).extra,
        occasion: None,
        text: Default::default(),
        dedupe_key: key.to_owned(),
        actor: Actor::SYSTEM,
    }
}

fn send_now(conn: &mut PgConnection, tenant: Uuid, send: &GuestMessage) -> SendOutcome {
    conn.transaction::<_, SendError, _>(|conn| send_to_guest(conn, tenant, send, &links()))
        .unwrap()
}

/// `(status, reason)` of an outcome's message.
fn state(outcome: &SendOutcome) -> (String, Option<String>) {
    let m = outcome.message();
    (m.status.clone(), m.suppression_reason.clone())
}

async fn guest(app: &TestApp, key: &str, body: Value) -> Uuid {
    let (status, guest) = send(app.post("/v1/guests", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    guest["id"].as_str().unwrap().parse().unwrap()
}

async fn grant_marketing(app: &TestApp, key: &str, guest: Uuid, channel: &str) {
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

#[tokio::test]
async fn marketing_needs_consent_and_service_does_not() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sen");
    let app = TestApp::spawn(&db);
    let mei = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "陳美玲", "email": "mei@example.tw", "language": "zh-Hant"
        }),
    )
    .await;
    let conn = &mut db.connect();

    let promo = send_now(
        conn,
        tenant.id,
        &message(mei, Channel::Email, Purpose::Birthday, "b1"),
    );
    assert_eq!(
        state(&promo),
        ("suppressed".into(), Some("no_consent".into()))
    );
    let ack = message(
        mei,
        Channel::Email,
        Purpose::FeedbackAcknowledgement,
        "ack1",
    );
    let queued = send_now(conn, tenant.id, &ack);
    assert!(matches!(queued, SendOutcome::Queued(_)));
    let row = queued.message();
    assert_eq!(row.language.as_deref(), Some("zh-Hant"));
    assert_eq!(row.recipient, "mei@example.tw");
    assert!(
        row.body_text.contains("陳美玲") || row.body_text.contains("美玲"),
        "{}",
        row.body_text
    );
    // The same occurrence again: the first message, nothing new.
    let again = send_now(conn, tenant.id, &ack);
    assert!(matches!(&again, SendOutcome::Repeated(m) if m.id == row.id));

    let (_, page) = send(app.get(&format!("/v1/guests/{mei}/timeline"), &tenant.key)).await;
    let kinds: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| k.starts_with("message."))
        .collect();
    assert_eq!(kinds, ["message.queued", "message.suppressed"]);
}

#[tokio::test]
async fn cap_suppression_and_missing_address_hold_messages_back() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sen");
    let agent = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let app = TestApp::spawn(&db);
    let lan = guest(
        &app,
        &agent,
        json!({
            "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "language": "vi"
        }),
    )
    .await;
    grant_marketing(&app, &agent, lan, "email").await;
    grant_marketing(&app, &agent, lan, "sms").await;
    let conn = &mut db.connect();

    for key in ["p1", "p2"] {
        let outcome = send_now(
            conn,
            tenant.id,
            &message(lan, Channel::Email, Purpose::Promotion, key),
        );
        assert_eq!(state(&outcome), ("queued".into(), None));
    }
    let third = send_now(
        conn,
        tenant.id,
        &message(lan, Channel::Email, Purpose::Promotion, "p3"),
    );
    assert_eq!(
        state(&third),
        ("suppressed".into(), Some("frequency_cap".into()))
    );
    // Service messages are not capped.
    let ack = send_now(
        conn,
        tenant.id,
        &message(lan, Channel::Email, Purpose::FeedbackAcknowledgement, "a"),
    );
    assert_eq!(state(&ack), ("queued".into(), None));
    // No phone: nothing to send an SMS to.
    let sms = send_now(
        conn,
        tenant.id,
        &message(lan, Channel::Sms, Purpose::Reminder, "s"),
    );
    assert_eq!(
        state(&sms),
        ("suppressed".into(), Some("no_address".into()))
    );

    let hoa = guest(
        &app,
        &agent,
        json!({ "full_name": "Trần Hoa", "email": "hoa@example.com" }),
    )
    .await;
    insert_suppression(
        conn,
        tenant.id,
        channels::Channel::Email,
        "hoa@example.com",
        SuppressionReason::HardBounce,
    )
    .unwrap();
    let bounced = send_now(
        conn,
        tenant.id,
        &message(hoa, Channel::Email, Purpose::Reminder, "r"),
    );
    assert_eq!(
        state(&bounced),
        ("suppressed".into(), Some("suppressed_address".into()))
    );
}

#[tokio::test]
async fn sms_waits_for_the_guests_allowed_hours() {
    use chrono::{Duration, Timelike, Utc};
    use diesel::prelude::*;
    use guestcare_db::{channel_settings as cs, schema::jobs};

    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sen");
    let app = TestApp::spawn(&db);
    let an = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "Lê Văn An", "phones": ["0903 123 456"], "time_zone": "UTC"
        }),
    )
    .await;
    let conn = &mut db.connect();
    // Allowed only from two to three hours from now (UTC).
    let now = Utc::now();
    let start = (now + Duration::hours(2)).time().with_second(0).unwrap();
    let end = (now + Duration::hours(3)).time().with_second(0).unwrap();
    let fields = cs::ChannelSettingsFields {
        smtp_host: None,
        smtp_port: None,
        smtp_security: None,
        smtp_username: None,
        mail_from: None,
        mail_domain: None,
        sms_provider: None,
        sms_config: json!({}),
        quiet_start: start,
        quiet_end: end,
    };
    cs::put_channel_settings(conn, tenant.id, &fields, None, None).unwrap();

    let outcome = send_now(
        conn,
        tenant.id,
        &message(an, Channel::Sms, Purpose::Reminder, "sms"),
    );
    assert_eq!(outcome.message().recipient, "+84903123456");
    let run_at: chrono::DateTime<Utc> = jobs::table
        .filter(jobs::tenant_id.eq(tenant.id))
        .filter(jobs::kind.eq("send_sms"))
        .select(jobs::run_at)
        .first(conn)
        .unwrap();
    assert!(run_at > now + Duration::minutes(110), "{run_at}");
}

#[tokio::test]
async fn concurrent_sends_cannot_both_pass_the_cap() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sen");
    let app = TestApp::spawn(&db);
    let lan = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Phạm Lan", "email": "lan@example.vn" }),
    )
    .await;
    grant_marketing(&app, &tenant.key, lan, "email").await;

    let threads: Vec<_> = (0..4)
        .map(|i| {
            let mut conn = db.connect();
            let tenant_id = tenant.id;
            std::thread::spawn(move || {
                let send = message(lan, Channel::Email, Purpose::Promotion, &format!("c{i}"));
                state(&send_now(&mut conn, tenant_id, &send))
            })
        })
        .collect();
    let mut states: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    states.sort();
    let queued = ("queued".to_owned(), None);
    let capped = ("suppressed".to_owned(), Some("frequency_cap".to_owned()));
    assert_eq!(states, [queued.clone(), queued, capped.clone(), capped]);
}
