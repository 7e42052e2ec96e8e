//! The care automations' heaviest day: a holiday greeting to every guest
//! (New Year's Day, the default rule: all guests, SMS, 09:00 local), run by
//! `care::run_greetings` (each guest: row lock, consent, suppression,
//! frequency cap, template in the guest's language, message, send job and
//! timeline entry), beside the floor of writing one row per greeted guest:
//! one `INSERT … SELECT` of the same guests into a bare table.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl, sql_types};
use guestcare_db::care;
use guestcare_domain::signed_token::GuestLinks;
use uuid::Uuid;

use crate::pg;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Guests to greet.
    #[arg(long, default_value_t = 100_000)]
    guests: i64,
    /// Postgres to use (a superuser URL); default: a private cluster under
    /// target/bench-pg.
    #[arg(long)]
    database_url: Option<String>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = pg::fresh_database(args.database_url.as_deref(), "gc_bench_care")?;
    let mut conn = PgConnection::establish(&url)?;
    let tenant_id = crate::imports::tenant(&mut conn, "bench-care")?;
    let started = Instant::now();
    seed(&mut conn, tenant_id, args.guests)?;
    println!(
        "seeded {} guests with SMS marketing consent in {:.0} s\n",
        args.guests,
        started.elapsed().as_secs_f64()
    );
    let links = GuestLinks::new(&[7u8; 32], "https://care.example.com");
    // 1 January 2027, 09:00 in Asia/Ho_Chi_Minh.
    let at = Utc
        .with_ymd_and_hms(2027, 1, 1, 2, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("bad instant"))?;
    let started = Instant::now();
    let report = conn.transaction(|conn| care::run_greetings(conn, &links, tenant_id, at))?;
    let greeting_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.queued as i64 == args.guests,
        "expected every guest greeted: {report:?}"
    );
    let started = Instant::now();
    let floor = bare_greetings(&mut conn, tenant_id)?;
    let floor_secs = started.elapsed().as_secs_f64();
    println!("| load | greeted | seconds | guests/s |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| guestcare greeting run (New Year, SMS) | {} | {greeting_secs:.1} | {:.0} |",
        report.queued,
        report.queued as f64 / greeting_secs
    );
    println!(
        "| one `INSERT … SELECT` into a bare table | {floor} | {floor_secs:.2} | {:.0} |",
        floor as f64 / floor_secs
    );
    println!(
        "\nThe bare insert is {:.0}× faster than the greeting run.",
        (floor as f64 / floor_secs) / (report.queued as f64 / greeting_secs)
    );
    Ok(())
}

/// Guests from Vietnam, Taiwan and elsewhere (their languages follow), each
/// with a mobile number and SMS marketing consent.
fn seed(conn: &mut PgConnection, tenant_id: Uuid, guests: i64) -> anyhow::Result<()> {
    diesel::sql_query(
        "INSERT INTO guests (id, tenant_id, code, full_name, name_folded, nationality, language, phones) \
         SELECT gen_random_uuid(), $1, n, 'Khách ' || n, 'khach ' || n, \
                (ARRAY['VN','VN','VN','VN','VN','VN','TW','KR','GB','US'])[1 + n % 10], \
                (ARRAY['vi','vi','vi','vi','vi','vi','zh-Hant','en','en','en'])[1 + n % 10], \
                ARRAY['+8490' || lpad(n::text, 7, '0')] \
         FROM generate_series(1, $2) AS n",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .bind::<sql_types::BigInt, _>(guests)
    .execute(conn)?;
    diesel::sql_query(
        "WITH events AS ( \
             INSERT INTO consent_events (id, tenant_id, guest_id, channel, purpose, status, \
                                         occurred_at, source, actor_type) \
             SELECT gen_random_uuid(), $1, id, 'sms', 'marketing', 'granted', now(), \
                    'registration_form', 'system' \
             FROM guests WHERE tenant_id = $1 RETURNING id, guest_id) \
         INSERT INTO consents (tenant_id, guest_id, channel, purpose, status, changed_at, event_id) \
         SELECT $1, guest_id, 'sms', 'marketing', 'granted', now(), id FROM events",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .execute(conn)?;
    diesel::sql_query("VACUUM ANALYZE guests, consents").execute(conn)?;
    Ok(())
}

/// The floor: one row per consenting guest, written by one statement.
fn bare_greetings(conn: &mut PgConnection, tenant_id: Uuid) -> anyhow::Result<usize> {
    diesel::sql_query(
        "CREATE TABLE bench_greetings (guest_id uuid PRIMARY KEY, phone text, language text, body text)",
    )
    .execute(conn)?;
    Ok(diesel::sql_query(
        "INSERT INTO bench_greetings \
         SELECT g.id, g.phones[1], g.language, 'Chúc mừng năm mới, ' || g.full_name || '!' \
         FROM guests g JOIN consents c ON c.guest_id = g.id AND c.tenant_id = g.tenant_id \
         WHERE g.tenant_id = $1 AND c.channel = 'sms' AND c.purpose = 'marketing' \
           AND c.status = 'granted'",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .execute(conn)?)
}
