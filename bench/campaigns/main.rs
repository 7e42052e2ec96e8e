//! Benchmark and fault test: a campaign to N guests (default 100 000)
//! through guestcare's whole path — audience frozen by one `INSERT …
//! SELECT`, rate-limited dispatch steps through `send_to_guests`, the
//! release `guestcare-worker` binary sending over pooled SMTP — to a local
//! Postfix `smtp-sink`, with the worker killed (SIGKILL) twice during the
//! send; then Postfix's `smtp-source` pushes the same number of messages of
//! the same size to the same sink. Afterwards every recipient must be
//! accounted for once and the sink's deliveries are tallied by recipient.
//!
//! Run from the workspace root (see bench/campaigns/README.md):
//! `cargo build --release --workspace --bins &&
//!  cargo run --release -p guestcare-tests --bin bench-campaigns -- 100000`

use std::{
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use chrono::NaiveTime;
use diesel::{Connection, PgConnection};
use guestcare_db::{
    campaigns::{self, CampaignFields, Move},
    channel_settings::{self, ChannelSettingsFields},
    new_id,
};
use guestcare_tests::{
    TestDb, TestTenant,
    fixtures::seed_email_guests,
    smtp_sink::{SinkMode, SmtpSink, deliveries},
    worker::WorkerProcess,
};
use serde_json::json;

/// Parallel SMTP sessions, for both senders.
const SESSIONS: usize = 8;

fn variants() -> serde_json::Value {
    json!({
        "vi": {
            "subject": "Bảng giá mùa lễ hội 2027 dành cho {{ guest.full_name }}",
            "html": "<p>Kính gửi {{ guest.full_name }},</p><p>Sunrise Resort trân trọng gửi Quý khách \
                     bảng giá phòng và biệt thự mùa lễ hội 2027, cùng ưu đãi 20% cho khách quen.</p>\
                     <p><img src=\"https://cdn.sunrise.example.com/gia-2027.jpg\" alt=\"Bảng giá\"></p>\
                     <p><a href=\"https://sunrise.example.com/bang-gia-2027\">Xem bảng giá</a></p>\
                     <p><a href=\"{{ extra.unsubscribe_url }}\">Hủy đăng ký</a></p>",
            "text": "Kính gửi {{ guest.full_name }}, bảng giá mùa lễ hội 2027: \
                     https://sunrise.example.com/bang-gia-2027 — Hủy đăng ký: {{ extra.unsubscribe_url }}"
        },
        "en": {
            "subject": "Our 2027 festive season prices, {{ guest.full_name }}",
            "html": "<p>Dear {{ guest.full_name }},</p><p>Here are Sunrise Resort's room and villa \
                     prices for the 2027 festive season, with 20% off for returning guests.</p>\
                     <p><a href=\"https://sunrise.example.com/prices-2027\">See the prices</a></p>\
                     <p><a href=\"{{ extra.unsubscribe_url }}\">Unsubscribe</a></p>",
            "text": "Dear {{ guest.full_name }}, our 2027 prices: https://sunrise.example.com/prices-2027"
        },
        "zh-Hant": {
            "subject": "{{ guest.full_name }}貴賓，2027 年節慶房價表",
            "html": "<p>親愛的{{ guest.full_name }}貴賓：</p><p>Sunrise Resort 誠摯奉上 2027 年節慶期間\
                     客房與別墅價目表，老顧客享八折優惠。</p>\
                     <p><a href=\"https://sunrise.example.com/prices-2027\">查看價目表</a></p>\
                     <p><a href=\"{{ extra.unsubscribe_url }}\">取消訂閱</a></p>",
            "text": "親愛的{{ guest.full_name }}貴賓：2027 年節慶房價表 https://sunrise.example.com/prices-2027"
        }
    })
}

/// Sending hours all day, the tenant's sender, and a campaign to everyone
/// at an unlimited rate, scheduled now.
fn schedule_campaign(conn: &mut PgConnection, tenant_id: uuid::Uuid) -> anyhow::Result<uuid::Uuid> {
    conn.transaction(|conn| {
        channel_settings::put_channel_settings(
            conn,
            tenant_id,
            &ChannelSettingsFields {
                smtp_host: None,
                smtp_port: None,
                smtp_security: None,
                smtp_username: None,
                mail_from: Some("Sunrise Resort <care@sunrise.example.com>".to_owned()),
                mail_domain: Some("sunrise.example.com".to_owned()),
                sms_provider: None,
                sms_config: json!({}),
                quiet_start: NaiveTime::MIN,
                quiet_end: NaiveTime::MIN,
            },
            None,
            None,
        )?;
        let fields = CampaignFields {
            name: "Bảng giá 2027".to_owned(),
            audience: json!({ "all": true }),
            variants: variants(),
            default_language: "vi".to_owned(),
            sender_name: Some("Sunrise Resort".to_owned()),
            schedule: "now".to_owned(),
            send_at: None,
            local_date: None,
            local_time: None,
            rate_per_minute: 1_000_000,
            track_opens: true,
        };
        let campaign = campaigns::insert_campaign(conn, tenant_id, new_id(), &fields)?;
        campaigns::move_campaign(conn, tenant_id, campaign.id, Move::Schedule)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(campaign.id)
    })
}

fn worker(db: &TestDb, sink: &SmtpSink, id: &str) -> WorkerProcess {
    let port = sink.port.to_string();
    let sessions = SESSIONS.to_string();
    let slots = (SESSIONS * 2).to_string();
    WorkerProcess::spawn(
        db.url(),
        id,
        &[
            ("GUESTCARE__WORKER__LEASE_SECS", "10"),
            ("GUESTCARE__WORKER__POLL_INTERVAL_MS", "50"),
            ("GUESTCARE__WORKER__QUEUES__EMAIL", &slots),
            ("GUESTCARE__MAIL__SMTP__HOST", "127.0.0.1"),
            ("GUESTCARE__MAIL__SMTP__PORT", &port),
            ("GUESTCARE__MAIL__SMTP__POOL_SIZE", &sessions),
            ("RUST_LOG", "warn"),
        ],
    )
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> anyhow::Result<i64> {
    use diesel::RunQueryDsl;
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

/// Waits until `sql` counts at least `n`.
fn wait_for(conn: &mut PgConnection, sql: &str, n: i64) -> anyhow::Result<()> {
    while count(conn, sql)? < n {
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

const SENT: &str = "SELECT count(*) AS n FROM messages WHERE status = 'sent'";

fn main() -> anyhow::Result<()> {
    let guests: i64 = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let seeded = Instant::now();
    seed_email_guests(&mut conn, tenant.id, 1_000_000, guests)?;
    let seeded = seeded.elapsed();
    let sink = SmtpSink::start(SinkMode::Accept);

    let started = Instant::now();
    let campaign = schedule_campaign(&mut conn, tenant.id)?;
    let mut kills = Vec::new();
    let mut current = worker(&db, &sink, "bench-1");
    for (i, share) in [0.3, 0.65].into_iter().enumerate() {
        wait_for(&mut conn, SENT, (guests as f64 * share) as i64)?;
        current.kill_hard();
        kills.push((count(&mut conn, SENT)?, started.elapsed()));
        current = worker(&db, &sink, &format!("bench-{}", i + 2));
    }
    wait_for(
        &mut conn,
        "SELECT count(*) AS n FROM campaigns WHERE status = 'sent'",
        1,
    )?;
    let ours = started.elapsed();
    current.terminate();

    let row = campaigns::get_campaign(&mut conn, tenant.id, campaign)?;
    let progress = campaigns::campaign_progress(&mut conn, &row)?;
    let messages = count(
        &mut conn,
        "SELECT count(*) AS n FROM messages WHERE dedupe_key LIKE 'campaign:%'",
    )?;
    let mails = sink.wait_for(usize::try_from(guests)?, Duration::from_secs(10));
    let size = mails.iter().map(String::len).sum::<usize>() / mails.len().max(1);
    let received = deliveries(&mails);
    let repeats: usize = received.values().map(|ids| ids.len() - 1).sum();
    let different: usize = received
        .values()
        .filter(|ids| ids.iter().any(|m| *m != ids[0]))
        .count();

    let theirs = Instant::now();
    let status = Command::new("smtp-source")
        .args(["-s", &SESSIONS.to_string(), "-m", &guests.to_string()])
        .args(["-l", &size.to_string(), "-f", "care@sunrise.example.com"])
        .args([
            "-t",
            "guest@example.com",
            &format!("127.0.0.1:{}", sink.port),
        ])
        .status()
        .context("run smtp-source (scripts/deps.sh test)")?;
    let theirs = theirs.elapsed();
    anyhow::ensure!(status.success(), "smtp-source failed: {status}");

    let rate = |d: Duration| guests as f64 / d.as_secs_f64();
    println!(
        "{guests} guests seeded in {:.1} s; campaign in 3 languages, ~{size} bytes a message, {SESSIONS} SMTP sessions, one smtp-sink (saving every message)",
        seeded.as_secs_f64()
    );
    println!(
        "worker killed (SIGKILL) at {} sent ({:.1} s) and {} sent ({:.1} s), restarted at once; \
         each kill leaves its leased jobs to the reaper (lease 10 s)",
        kills[0].0,
        kills[0].1.as_secs_f64(),
        kills[1].0,
        kills[1].1.as_secs_f64()
    );
    println!(
        "before the first kill: {:.0} messages/s",
        kills[0].0 as f64 / kills[0].1.as_secs_f64()
    );
    println!();
    println!("| sender | messages | seconds | messages/s |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| guestcare campaign (schedule → sent, 2 kills) | {} | {:.1} | {:.0} |",
        progress.sent,
        ours.as_secs_f64(),
        rate(ours)
    );
    println!(
        "| Postfix smtp-source | {guests} | {:.1} | {:.0} |",
        theirs.as_secs_f64(),
        rate(theirs)
    );
    println!();
    println!(
        "ratio guestcare / smtp-source: {:.2}",
        rate(ours) / rate(theirs)
    );
    println!();
    println!(
        "recipients {} (pending {}, sent {}, failed {}, suppressed {}); campaign messages {messages}",
        progress.recipients, progress.pending, progress.sent, progress.failed, progress.suppressed
    );
    println!(
        "sink: {} recipients reached, {} deliveries, {repeats} repeated (same Message-ID), {different} recipients with two different messages",
        received.len(),
        mails.len()
    );
    anyhow::ensure!(
        progress.recipients == guests && messages == guests,
        "a recipient is not accounted for once"
    );
    anyhow::ensure!(
        different == 0 && received.len() == mails.len() - repeats,
        "a recipient got two different messages"
    );
    Ok(())
}
