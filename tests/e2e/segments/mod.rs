//! Dynamic segments over seeded guests: counts, samples, the function
//! campaigns call, and filters refused with the path of the bad value.

mod filters;

use chrono::{Months, NaiveDate, Utc};
use diesel::{PgConnection, RunQueryDsl, sql_types};
use guestcare_db::new_id;
use uuid::Uuid;

/// A guest to seed.
struct Seed {
    name: &'static str,
    nationality: Option<&'static str>,
    /// Age in years today, born in `birth_month`.
    age: Option<(u32, u32)>,
    tier: Option<&'static str>,
    tags: &'static [&'static str],
    /// `(check_in, amount in VND)`.
    stays: &'static [(&'static str, i64)],
    /// E-mail marketing consent: granted or withdrawn.
    email_marketing: Option<&'static str>,
}

/// Inserts the guest with its stays and consent; its id.
fn seed(conn: &mut PgConnection, tenant_id: Uuid, code: i64, guest: &Seed) -> Uuid {
    let id = new_id();
    let birth_date = guest.age.map(|(years, month)| {
        let today = Utc::now().date_naive();
        let date = NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), month, 1).unwrap();
        // Born `years` ago in `month`, on a day already past this year.
        let date = if date > today {
            date - Months::new(12)
        } else {
            date
        };
        date - Months::new(12 * years)
    });
    let tags: Vec<String> = guest.tags.iter().map(|t| (*t).to_owned()).collect();
    diesel::sql_query(
        "INSERT INTO guests (id, tenant_id, code, full_name, name_folded, nationality, birth_date, tier, tags) \
         VALUES ($1, $2, $3, $4, lower($4), $5, $6, $7, $8)",
    )
    .bind::<sql_types::Uuid, _>(id)
    .bind::<sql_types::Uuid, _>(tenant_id)
    .bind::<sql_types::BigInt, _>(code)
    .bind::<sql_types::Text, _>(guest.name)
    .bind::<sql_types::Nullable<sql_types::Text>, _>(guest.nationality)
    .bind::<sql_types::Nullable<sql_types::Date>, _>(birth_date)
    .bind::<sql_types::Nullable<sql_types::Text>, _>(guest.tier)
    .bind::<sql_types::Array<sql_types::Text>, _>(tags)
    .execute(conn)
    .unwrap();
    for (check_in, amount) in guest.stays {
        diesel::sql_query(
            "INSERT INTO stays (id, tenant_id, guest_id, check_in, amount_minor, currency) \
             VALUES ($1, $2, $3, $4::date, $5, 'VND')",
        )
        .bind::<sql_types::Uuid, _>(new_id())
        .bind::<sql_types::Uuid, _>(tenant_id)
        .bind::<sql_types::Uuid, _>(id)
        .bind::<sql_types::Text, _>(*check_in)
        .bind::<sql_types::BigInt, _>(*amount)
        .execute(conn)
        .unwrap();
    }
    if let Some(status) = guest.email_marketing {
        diesel::sql_query(
            "INSERT INTO consents (tenant_id, guest_id, channel, purpose, status, changed_at, event_id) \
             VALUES ($1, $2, 'email', 'marketing', $3, now(), $4)",
        )
        .bind::<sql_types::Uuid, _>(tenant_id)
        .bind::<sql_types::Uuid, _>(id)
        .bind::<sql_types::Text, _>(status)
        .bind::<sql_types::Uuid, _>(new_id())
        .execute(conn)
        .unwrap();
    }
    id
}

/// Four guests of a Vietnamese resort, one merged-away duplicate, and a
/// guest of another tenant.
fn seed_guests(conn: &mut PgConnection, tenant_id: Uuid, other_tenant: Uuid) {
    let an = seed(
        conn,
        tenant_id,
        1,
        &Seed {
            name: "Nguyễn Văn An",
            nationality: Some("VN"),
            age: Some((40, 5)),
            tier: Some("vip"),
            tags: &["vip"],
            stays: &[
                ("2024-02-10", 2_000_000),
                ("2025-07-01", 3_000_000),
                ("2026-11-01", 4_000_000),
            ],
            email_marketing: Some("granted"),
        },
    );
    seed(
        conn,
        tenant_id,
        2,
        &Seed {
            name: "Trần Thị Bích",
            nationality: Some("VN"),
            age: Some((34, 3)),
            tier: Some("loyal"),
            tags: &[],
            stays: &[("2025-03-01", 1_000_000)],
            email_marketing: None,
        },
    );
    seed(
        conn,
        tenant_id,
        3,
        &Seed {
            name: "Chen Mei-ling",
            nationality: Some("TW"),
            age: Some((38, 11)),
            tier: None,
            tags: &[],
            stays: &[("2026-06-01", 12_000_000), ("2026-09-01", 8_000_000)],
            email_marketing: Some("withdrawn"),
        },
    );
    seed(
        conn,
        tenant_id,
        4,
        &Seed {
            name: "John Smith",
            nationality: Some("GB"),
            age: None,
            tier: None,
            tags: &["honeymoon"],
            stays: &[],
            email_marketing: None,
        },
    );
    let duplicate = seed(
        conn,
        tenant_id,
        5,
        &Seed {
            name: "Nguyen Van An",
            nationality: Some("VN"),
            age: Some((40, 5)),
            tier: Some("vip"),
            tags: &["vip"],
            stays: &[],
            email_marketing: Some("granted"),
        },
    );
    diesel::sql_query("UPDATE guests SET merged_into = $1 WHERE id = $2")
        .bind::<sql_types::Uuid, _>(an)
        .bind::<sql_types::Uuid, _>(duplicate)
        .execute(conn)
        .unwrap();
    seed(
        conn,
        other_tenant,
        1,
        &Seed {
            name: "Lê Văn Khác",
            nationality: Some("VN"),
            age: Some((40, 5)),
            tier: Some("vip"),
            tags: &["vip"],
            stays: &[("2026-11-01", 50_000_000)],
            email_marketing: Some("granted"),
        },
    );
}
