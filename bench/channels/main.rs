//! Benchmark: personalised e-mails through guestcare's real path —
//! rendered from the built-in Vietnamese promotion by the template engine,
//! queued in chunks (`queue_email_batch`, as campaigns queue), sent by the
//! worker's `send_email_batch` jobs over pooled SMTP with each outcome
//! recorded — against Postfix's `smtp-source` pushing the same number of
//! same-size messages to the same `smtp-sink`.
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
use guestcare_domain::{
    Language,
    settings::{MailTransport, SmtpSecurity},
    templates::{self, Compiled, Context, GuestVars, Purpose, Rendered},
};
use guestcare_tests::{
    TestDb, TestTenant,
    app::settings_for,
    smtp_sink::{SinkMode, SmtpSink},
};
use guestcare_worker::email::OutgoingEmail;

const FULL_NAMES: [&str; 6] = [
    "Nguyễn Thị Lan",
    "Trần Minh Tuấn",
    "Lê Thu Hương",
    "Phạm Quốc Minh",
    "陳美玲",
    "John Carter",
];
/// Parallel SMTP sessions, for both senders.
const SESSIONS: usize = 8;
/// Messages per `queue_email_batch` call (one `send_email_batch` job each).
const CHUNK: usize = 500;

/// Guest `n`'s promotion, rendered and ready to queue.
fn personalised(
    compiled: &Compiled,
    base: &Context,
    tenant_id: uuid::Uuid,
    n: usize,
) -> anyhow::Result<NewMessage> {
    let unsubscribe_url = format!("https://sunrise.example.com/u/{n:08}");
    let mut context = base.clone();
    context.guest = Some(GuestVars::new(
        FULL_NAMES[n % FULL_NAMES.len()],
        &format!("G{n:07}"),
        Language::Vi,
    ));
    context
        .extra
        .insert("voucher_code".to_owned(), format!("SUN{n:06}").into());
    context
        .extra
        .insert("unsubscribe_url".to_owned(), unsubscribe_url.clone().into());
    let Rendered::Email(mail) = compiled.render(&context)? else {
        anyhow::bail!("the promotion template is an e-mail");
    };
    Ok(NewMessage {
        id: new_id(),
        tenant_id,
        guest_id: None,
        channel: "email".to_owned(),
        purpose: "promotion".to_owned(),
        category: "marketing".to_owned(),
        template_key: Some("promotion/email/vi".to_owned()),
        language: Some("vi".to_owned()),
        recipient: format!("guest{n}@example.com"),
        time_zone: None,
        subject: Some(mail.subject),
        body_text: mail.text,
        body_html: Some(mail.html),
        unsubscribe_url: Some(unsubscribe_url),
        parts_of: None,
        dedupe_key: Some(format!("bench:{n}")),
    })
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
    let content = templates::builtin(Purpose::Promotion, templates::Channel::Email, Language::Vi)
        .ok_or_else(|| anyhow::anyhow!("no built-in promotion"))?;
    let compiled = templates::compile(&content, Language::Vi)?;
    let base = Context::sample(Purpose::Promotion, Language::Vi);
    let size = message_size(&personalised(&compiled, &base, tenant.id, 0)?);

    let mut settings = settings_for(&db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.host = "127.0.0.1".to_owned();
    settings.mail.smtp.port = sink.port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings.mail.smtp.pool_size = u32::try_from(SESSIONS)?;
    settings.worker.poll_interval_ms = 50;
    settings.worker.queues.insert("email".to_owned(), 4);
    let pool = build_pool(db.url(), 40, Duration::from_secs(5));
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let worker = runtime.spawn(guestcare_worker::run(Arc::new(settings), pool, shutdown));

    let started = Instant::now();
    for chunk in (0..count).collect::<Vec<_>>().chunks(CHUNK) {
        let batch = chunk
            .iter()
            .map(|&n| personalised(&compiled, &base, tenant.id, n))
            .collect::<anyhow::Result<Vec<_>>>()?;
        conn.transaction(|conn| messages::queue_email_batch(conn, tenant.id, &batch, None))?;
    }
    let queued = started.elapsed();
    loop {
        let left: Count =
            diesel::sql_query("SELECT count(*) AS n FROM messages WHERE status = 'queued'")
                .get_result(&mut conn)?;
        if left.n == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
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
        "(rendering and queueing them in chunks of {CHUNK} took {:.1} s of the time below, \
         while the worker was already sending)",
        queued.as_secs_f64()
    );
    println!();
    println!("| sender | sent | seconds | messages/s |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| guestcare: render, queue, send_email_batch jobs | {} | {:.1} | {:.0} |",
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
