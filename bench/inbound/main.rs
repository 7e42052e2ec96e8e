//! Benchmark: IMAP ingestion. APPENDs N (default 10 000) realistic guest
//! e-mails (Vietnamese in UTF-8 and windows-1258, Big5 Chinese, HTML with
//! a PDF, plain notes; 2 000 senders) to a local Dovecot, then in one run:
//!
//! 1. the limit: a plain IMAP fetch of the whole mailbox with the same
//!    client (async-imap, the same batch size), no processing;
//! 2. guestcare: the real worker polling the mailbox (`poll_imap`) until
//!    every message is stored, parsed, matched to a guest and a ticket
//!    (with its acknowledgement queued and sent to an `smtp-sink`).
//!
//! Run from the workspace root (see bench/inbound/README.md):
//! `cargo run --release -p guestcare-tests --bin bench-inbound -- 10000`

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use diesel::RunQueryDsl;
use guestcare_db::{
    build_pool,
    mailboxes::{self, MailboxFields},
    new_id,
};
use guestcare_domain::{
    channels::purposes,
    inbound::{ImapSecurity, secret_context},
    sealed::Sealer,
    settings::{MailTransport, SmtpSecurity},
};
use guestcare_tests::{
    TestDb, TestTenant,
    app::settings_for,
    dovecot::{Dovecot, PASSWORD},
    guest_mail as mail,
    smtp_sink::{SinkMode, SmtpSink},
};
use guestcare_worker::imap::{Folder, Target, connect};

/// Messages per IMAP fetch, for both readers.
const BATCH: u32 = 100;

/// Guest `n`'s message: one of five kinds, from one of 2 000 senders.
fn message(n: usize) -> Vec<u8> {
    let id = format!("bench-{n}");
    let sender = format!("guest{}@example.com", n % 2000);
    let raw = match n % 5 {
        0 => mail::vietnamese_utf8(&id),
        1 => mail::vietnamese_legacy(&id),
        2 => mail::chinese_big5(&id),
        3 => mail::html_with_attachment(&id),
        _ => return mail::plain(&id, &sender, n),
    };
    let text = String::from_utf8_lossy(&raw).into_owned();
    [
        "lan.nguyen@example.com",
        "binh.tran@example.vn",
        "mei.chen@example.tw",
        "john.smith@example.org",
    ]
    .iter()
    .fold(text, |t, a| t.replace(a, &sender))
    .into_bytes()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut diesel::PgConnection, sql: &str) -> anyhow::Result<i64> {
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

/// The limit: every message fetched with the worker's IMAP client, nothing done with it.
async fn plain_fetch(port: u16) -> anyhow::Result<(usize, usize)> {
    let target = Target {
        host: "127.0.0.1".to_owned(),
        port,
        security: ImapSecurity::None,
        username: "bench".to_owned(),
        password: PASSWORD.to_owned(),
        allow_hosts: vec!["127.0.0.1".to_owned()],
    };
    let mut folder = Folder::select(connect(&target).await?, "INBOX").await?;
    let listed = folder.list_after(0).await?;
    let (mut messages, mut bytes) = (0, 0);
    for chunk in listed.chunks(BATCH as usize) {
        for m in folder.fetch(chunk, u32::MAX).await? {
            messages += 1;
            bytes += m.bytes.len();
        }
    }
    folder.logout().await;
    Ok((messages, bytes))
}

fn main() -> anyhow::Result<()> {
    let total: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let sink = SmtpSink::start(SinkMode::Discard);
    let dovecot = Dovecot::start(&["bench"]);
    let messages: Vec<Vec<u8>> = (0..total).map(message).collect();
    let size: usize = messages.iter().map(Vec::len).sum();
    let started = Instant::now();
    dovecot.login("bench").append_all("INBOX", &messages);
    let appended = started.elapsed();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let (fetched, bytes) = runtime.block_on(plain_fetch(dovecot.port))?;
    let limit = started.elapsed();

    let mut settings = settings_for(&db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.host = "127.0.0.1".to_owned();
    settings.mail.smtp.port = sink.port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings.worker.poll_interval_ms = 50;
    settings.inbound.fetch_batch = BATCH;
    settings.inbound.idle_secs = 5;
    let id = new_id();
    let sealed = Sealer::new(&settings.security.master_key(), purposes::IMAP_PASSWORD)
        .seal(PASSWORD.as_bytes(), &secret_context(tenant.id, id));
    let fields = MailboxFields {
        name: "Góp ý".to_owned(),
        purpose: "feedback".to_owned(),
        host: "127.0.0.1".to_owned(),
        port: i32::from(dovecot.port),
        security: "none".to_owned(),
        username: "bench".to_owned(),
        folder: "INBOX".to_owned(),
        processed_action: "flag".to_owned(),
        processed_folder: None,
        poll_interval_secs: 2,
        active: true,
    };
    mailboxes::insert_mailbox(&mut conn, tenant.id, id, &fields, &sealed)?;
    let pool = build_pool(db.url(), 20, Duration::from_secs(5));
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let worker = runtime.spawn(guestcare_worker::run(Arc::new(settings), pool, shutdown));
    let expected = i64::try_from(total)?;
    while count(&mut conn, "SELECT count(*) AS n FROM inbound_messages")? < expected {
        std::thread::sleep(Duration::from_millis(20));
    }
    let ours = started.elapsed();
    let _ = stop.send(true);
    let _ = runtime.block_on(worker);
    let tickets = count(&mut conn, "SELECT count(*) AS n FROM tickets")?;
    let guests = count(&mut conn, "SELECT count(*) AS n FROM guests")?;
    let acks = count(
        &mut conn,
        "SELECT count(*) AS n FROM messages WHERE category = 'auto_reply'",
    )?;

    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "{total} messages, {:.1} KiB on average, APPENDed in {:.1} s; {tickets} tickets, {guests} guests, {acks} acknowledgements",
        size as f64 / total as f64 / 1024.0,
        appended.as_secs_f64()
    );
    println!();
    println!("| reader | messages | seconds | messages/s |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| plain IMAP fetch, no processing (the limit; {:.0} MiB) | {fetched} | {:.2} | {:.0} |",
        bytes as f64 / 1_048_576.0,
        limit.as_secs_f64(),
        rate(fetched, limit)
    );
    println!(
        "| guestcare `poll_imap` → tickets | {total} | {:.2} | {:.0} |",
        ours.as_secs_f64(),
        rate(total, ours)
    );
    println!();
    println!(
        "guestcare / limit = {:.2}",
        rate(total, ours) / rate(fetched, limit)
    );
    Ok(())
}
