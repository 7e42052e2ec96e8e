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
