//! Tenants, staff and keys, created the way the CLI creates them.

use diesel::PgConnection;
use guestcare_api::auth::issue;
use guestcare_db::{
    new_id,
    tenants::{self, NewTenant},
};
use guestcare_domain::{Email, Role};
use uuid::Uuid;

/// A tenant with an owner user and an owner API key.
#[derive(Debug, Clone)]
pub struct TestTenant {
    pub id: Uuid,
    pub slug: String,
    pub owner_id: Uuid,
    pub owner_email: String,
    pub owner_password: String,
    /// An owner API key.
    pub key: String,
}

pub const OWNER_PASSWORD: &str = "owner-password-123";

impl TestTenant {
    /// A Vietnamese resort (country VN, Asia/Ho_Chi_Minh, vi).
    pub fn create(conn: &mut PgConnection, slug: &str) -> TestTenant {
        Self::create_in(conn, slug, "VN", "Asia/Ho_Chi_Minh", "vi")
    }

    pub fn create_in(
        conn: &mut PgConnection,
        slug: &str,
        country: &str,
        time_zone: &str,
        language: &str,
    ) -> TestTenant {
        let tenant = tenants::insert_tenant(
            conn,
            &NewTenant {
                id: new_id(),
                slug,
                name: &format!("Resort {slug}"),
                country,
                default_language: language,
                time_zone,
            },
        )
        .expect("insert tenant");
        let owner_email = format!("owner@{slug}.example.com");
        let email: Email = owner_email.parse().expect("valid e-mail");
        let owner = issue::create_user(
            conn,
            tenant.id,
            &email,
            "Owner",
            Role::Owner,
            OWNER_PASSWORD,
        )
        .expect("create owner");
        let (_, key) = issue::create_api_key(conn, tenant.id, "test owner key", Role::Owner, None)
            .expect("create key");
        TestTenant {
            id: tenant.id,
            slug: slug.to_owned(),
            owner_id: owner.id,
            owner_email,
            owner_password: OWNER_PASSWORD.to_owned(),
            key,
        }
    }

    /// A new API key of this tenant with `role`.
    pub fn key_with_role(&self, conn: &mut PgConnection, role: Role) -> String {
        issue::create_api_key(conn, self.id, &format!("{role} key"), role, None)
            .expect("create key")
            .1
    }
}

/// Inserts `count` live guests `guest{n}@example.com` (codes from
/// `first_code`, far above what the API hands out; languages cycling vi,
/// vi, en, zh-Hant) with e-mail marketing consent, in a few statements:
/// what campaign tests and the campaign benchmark send to.
pub fn seed_email_guests(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    first_code: i64,
    count: i64,
) -> diesel::QueryResult<()> {
    use diesel::{RunQueryDsl, sql_types};
    diesel::sql_query(
        "WITH g AS ( \
             INSERT INTO guests (id, tenant_id, code, full_name, name_folded, nationality, language, email) \
             SELECT gen_random_uuid(), $1, n, 'Khách ' || n, 'khach ' || n, \
                    (ARRAY['VN','VN','GB','TW'])[1 + n % 4], \
                    (ARRAY['vi','vi','en','zh-Hant'])[1 + n % 4], 'guest' || n || '@example.com' \
             FROM generate_series($2::bigint, $2::bigint + $3 - 1) AS n RETURNING id), \
         e AS ( \
             INSERT INTO consent_events (id, tenant_id, guest_id, channel, purpose, status, \
                                         occurred_at, source, actor_type) \
             SELECT gen_random_uuid(), $1, id, 'email', 'marketing', 'granted', now(), \
                    'registration_form', 'system' FROM g RETURNING id, guest_id) \
         INSERT INTO consents (tenant_id, guest_id, channel, purpose, status, changed_at, event_id) \
         SELECT $1, guest_id, 'email', 'marketing', 'granted', now(), id FROM e",
    )
    .bind::<sql_types::Uuid, _>(tenant_id)
    .bind::<sql_types::BigInt, _>(first_code)
    .bind::<sql_types::BigInt, _>(count)
    .execute(conn)?;
    Ok(())
}
