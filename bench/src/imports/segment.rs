//! A dynamic segment over 1 000 000 guests (about 1.5 stays each, e-mail
//! marketing consent on a third), seeded with `generate_series`: how long
//! its one SQL query takes to count and to list the guests.

use std::time::Instant;

use diesel::{PgConnection, RunQueryDsl, sql_types};
use guestcare_db::segments::{count_segment, segment_guest_ids};
use guestcare_domain::segment::Filter;
use uuid::Uuid;

pub fn run(conn: &mut PgConnection, guests: i64) -> anyhow::Result<()> {
    let tenant_id = super::tenant(conn, "bench-segments")?;
    let started = Instant::now();
    seed(conn, tenant_id, guests)?;
    println!(
        "segment: seeded {guests} guests in {:.0} s\n",
        started.elapsed().as_secs_f64()
    );
    let filters = [
        (
            "nationality TW or KR",
            serde_json::json!({"nationality": ["TW", "KR"]}),
        ),
        (
            "domestic, 25–60 years, ≥ 2 stays, top 10 % spend, e-mail marketing consent, not negative",
            serde_json::json!({"and": [
                {"domestic": true},
                {"age": {"min": 25, "max": 60}},
                {"stays": {"min": 2}},
                {"spend_percentile": {"currency": "VND", "top": 10}},
                {"consent": {"channel": "email", "purpose": "marketing"}},
                {"not": {"tier": ["negative"]}}
            ]}),
        ),
        (
            "birthday in March or tag honeymoon, last stay in 2025",
            serde_json::json!({"and": [
                {"or": [{"birthday_month": [3]}, {"tags": {"any": ["honeymoon"]}}]},
                {"last_stay": {"after": "2025-01-01", "before": "2026-01-01"}}
            ]}),
        ),
    ];
    println!("| segment over {guests} guests | matched | count ms | ids ms |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, json) in filters {
        let filter = Filter::parse(&json).map_err(|e| anyhow::anyhow!("{e}"))?;
        let started = Instant::now();
        let count = count_segment(conn, tenant_id, &filter)?;
        let count_ms = started.elapsed().as_secs_f64() * 1e3;
        let started = Instant::now();
        let ids = segment_guest_ids(conn, tenant_id, &filter)?;
        let ids_ms = started.elapsed().as_secs_f64() * 1e3;
        anyhow::ensure!(ids.len() as i64 == count, "count and ids disagree");
        println!("| {name} | {count} | {count_ms:.0} | {ids_ms:.0} |");
    }
    Ok(())
}

fn seed(conn: &mut PgConnection, tenant_id: Uuid, guests: i64) -> anyhow::Result<()> {
    diesel::sql_query(
        "INSERT INTO guests (id, tenant_id, code, full_name, name_folded, nationality, birth_date, tier, tags) \
         SELECT gen_random_uuid(), $1, n, 'Khách ' || n, 'khach ' || n, \
                (ARRAY['VN','VN','VN','VN','VN','VN','TW','KR','GB','US'])[1 + n % 10], \
                date '1950-01-01' + (n * 7919 % 20000)::int, \
                CASE WHEN n % 20 = 0 THEN 'vip' WHEN n % 7 = 0 THEN 'loyal' \
                     WHEN n % 97 = 0 THEN 'negative' END, \
                CASE WHEN n % 11 = 0 THEN ARRAY['honeymoon'] WHEN n % 13 = 0 THEN ARRAY['business'] \
                     ELSE '{}'::text[] END \
         FROM generate_series(1, $2) AS n",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .bind::<sql_types::BigInt, _>(guests)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO stays (id, tenant_id, guest_id, check_in, amount_minor, currency) \
         SELECT gen_random_uuid(), $1, g.id, date '2023-01-01' + (s.k * 31 % 1090)::int, \
                500000 + (s.k * 7919 % 20000000), 'VND' \
         FROM generate_series(1, $2 * 3 / 2) AS s(k) \
         JOIN guests g ON g.tenant_id = $1 AND g.code = 1 + (s.k * 7 % $2)",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .bind::<sql_types::BigInt, _>(guests)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO consents (tenant_id, guest_id, channel, purpose, status, changed_at, event_id) \
         SELECT $1, id, 'email', 'marketing', \
                CASE WHEN code % 4 = 0 THEN 'withdrawn' ELSE 'granted' END, now(), gen_random_uuid() \
         FROM guests WHERE tenant_id = $1 AND code % 3 = 0",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .execute(conn)?;
    diesel::sql_query("ANALYZE guests, stays, consents").execute(conn)?;
    Ok(())
}
