//! Benchmark: personalised e-mails through guestcare's real send path
//! (message rows, `send_email` jobs claimed by the worker, MIME built by
//! lettre, pooled SMTP, outcome recorded) against Postfix's `smtp-source`
//! pushing the same number of same-size messages to the same `smtp-sink`.
//!
//! Run from the workspace root (see bench/channels/README.md):
//! `cargo run --release -p guestcare-tests --bin bench-channels -- 50000`

use std::{
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use diesel::{Connection, RunQueryDsl};
use guestcare_db::{
    build_pool,
    messages::{self, NewMessage},
    new_id,
};
use guestcare_domain::settings::{MailTransport, SmtpSecurity};
use guestcare_tests::{
    TestDb, TestTenant,
    app::settings_for,
    smtp_sink::{SinkMode, SmtpSink},
};
use guestcare_worker::email::OutgoingEmail;

const FIRST_NAMES: [&str; 6] = ["Lan", "Minh", "Hương", "Tuấn", "美玲", "John"];
/// Parallel SMTP sessions, for both senders.
const SESSIONS: usize = 8;

fn personalised(tenant_id: uuid::Uuid, n: usize) -> NewMessage {
    let name = FIRST_NAMES[n % FIRST_NAMES.len()];
    NewMessage {
        id: new_id(),
        tenant_id,
        guest_id: Some(new_id()),
        channel: "email".to_owned(),
        purpose: "promotion".to_owned(),
        category: "marketing".to_owned(),
        template_key: Some("promotion".to_owned()),
        language: Some("vi".to_owned()),
        recipient: format!("guest{n}@example.com"),
        time_zone: None,
        subject: Some(format!("{name} ơi, ưu đãi mùa lễ hội dành riêng cho bạn")),
        body_text: format!(
            "Xin chào {name},\n\nCảm ơn bạn đã lưu trú tại Sunrise Resort. Nhân mùa lễ hội, \
             chúng tôi dành tặng bạn ưu đãi 20% cho kỳ nghỉ tiếp theo (mã SUN{n:06}).\n\n\
             Trân trọng,\nSunrise Resort\n"
        ),
        body_html: Some(format!(
            "<p>Xin chào <b>{name}</b>,</p><p>Cảm ơn bạn đã lưu trú tại Sunrise Resort. \
             Nhân mùa lễ hội, chúng tôi dành tặng bạn ưu đãi <b>20%</b> cho kỳ nghỉ tiếp theo \
             (mã <code>SUN{n:06}</code>).</p><p>Trân trọng,<br>Sunrise Resort</p>"
        )),
        unsubscribe_url: Some(format!("https://sunrise.example.com/u/{n}")),
    }
}

/// The size of one of our messages on the wire, for `smtp-source -l`.
fn message_size(row: &NewMessage) -> usize {
    OutgoingEmail::new(
        row.id,
        "guestcare.localhost",
        "Sunrise Resort <care@sunrise.example.com>",
        &row.recipient,
        row.subject.as_deref().unwrap_or_default(),
        &row.body_text,
    )
    .html(row.body_html.as_deref().unwrap_or_default())
    .marketing(row.unsubscribe_url.as_deref().unwrap_or_default())
    .build()
    .map(|m| m.formatted().len())
    .unwrap_or(2048)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(50_000);
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let sink = SmtpSink::start(SinkMode::Discard);

    let queued = Instant::now();
    let size = message_size(&personalised(tenant.id, 0));
    for chunk in (0..count).collect::<Vec<_>>().chunks(1000) {
        conn.transaction(|conn| {
            for &n in chunk {
                messages::queue_message(conn, &personalised(tenant.id, n), &[], None)?;
            }
            diesel::QueryResult::Ok(())
        })?;
    }
    let queued = queued.elapsed();

    let mut settings = settings_for(&db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.host = "127.0.0.1".to_owned();
    settings.mail.smtp.port = sink.port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings.mail.smtp.pool_size = u32::try_from(SESSIONS)?;
    settings.worker.poll_interval_ms = 50;
    settings
        .worker
        .queues
        .insert("email".to_owned(), SESSIONS * 2);
    let pool = build_pool(db.url(), 24, Duration::from_secs(5));
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let worker = runtime.spawn(guestcare_worker::run(Arc::new(settings), pool, shutdown));
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let left: Count =
            diesel::sql_query("SELECT count(*) AS n FROM messages WHERE status = 'queued'")
                .get_result(&mut conn)?;
        if left.n == 0 {
            break;
        }
    }
    let ours = started.elapsed();
    let _ = stop.send(true);
    let _ = runtime.block_on(worker);
    let sent: Count = diesel::sql_query("SELECT count(*) AS n FROM messages WHERE status = 'sent'")
        .get_result(&mut conn)?;

    let started = Instant::now();
    let status = Command::new("smtp-source")
        .args(["-s", &SESSIONS.to_string(), "-m", &count.to_string()])
        .args(["-l", &size.to_string(), "-f", "care@sunrise.example.com"])
        .args([
            "-t",
            "guest@example.com",
            &format!("127.0.0.1:{}", sink.port),
        ])
        .status()?;
    let theirs = started.elapsed();
    anyhow::ensure!(status.success(), "smtp-source failed: {status}");

    let rate = |d: Duration| count as f64 / d.as_secs_f64();
    println!(
        "{count} personalised e-mails of ~{size} bytes, {SESSIONS} SMTP sessions, one smtp-sink"
    );
    println!(
        "(queueing the {count} messages with their jobs took {:.1} s, not counted below)",
        queued.as_secs_f64()
    );
    println!();
    println!("| sender | sent | seconds | messages/s |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| guestcare send_email jobs | {} | {:.1} | {:.0} |",
        sent.n,
        ours.as_secs_f64(),
        rate(ours)
    );
    println!(
        "| Postfix smtp-source | {count} | {:.1} | {:.0} |",
        theirs.as_secs_f64(),
        rate(theirs)
    );
    println!();
    println!(
        "ratio guestcare / smtp-source: {:.2}",
        rate(ours) / rate(theirs)
    );
    Ok(())
}
