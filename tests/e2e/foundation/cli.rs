//! The `guestcare` admin command, run as a real process.

use std::process::Command;

use guestcare_tests::{TestApp, TestDb, bin_path};
use reqwest::StatusCode;
use serde_json::Value;

fn guestcare(db: &TestDb) -> Command {
    let mut command = Command::new(bin_path("guestcare"));
    command
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("GUESTCARE_ENV", "test")
        .env("GUESTCARE__DATABASE__URL", db.url())
        .env("RUST_LOG", "error");
    command
}

#[tokio::test]
async fn a_newcomer_creates_a_tenant_user_and_key_and_calls_the_api() {
    let db = TestDb::empty();
    let status = guestcare(&db).arg("migrate").status().unwrap();
    assert!(status.success());
    let check = guestcare(&db)
        .args(["migrate", "--check"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let tenant = guestcare(&db)
        .args([
            "tenant",
            "create",
            "--slug",
            "sen-bnb",
            "--name",
            "Sen B&B Đà Lạt",
        ])
        .output()
        .unwrap();
    assert!(
        tenant.status.success(),
        "{}",
        String::from_utf8_lossy(&tenant.stderr)
    );

    let user = guestcare(&db)
        .args([
            "user",
            "create",
            "--tenant",
            "sen-bnb",
            "--email",
            "mai@sen.vn",
            "--name",
            "Mai",
            "--role",
            "owner",
        ])
        .env("GUESTCARE_PASSWORD", "mai-password-12")
        .output()
        .unwrap();
    assert!(
        user.status.success(),
        "{}",
        String::from_utf8_lossy(&user.stderr)
    );

    let key = guestcare(&db)
        .args([
            "api-key", "create", "--tenant", "sen-bnb", "--name", "frontend", "--role", "manager",
        ])
        .output()
        .unwrap();
    assert!(
        key.status.success(),
        "{}",
        String::from_utf8_lossy(&key.stderr)
    );
    let token = String::from_utf8(key.stdout).unwrap().trim().to_owned();

    let app = TestApp::spawn(&db);
    let me: Value = app
        .get("/v1/me", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["tenant"]["name"], "Sen B&B Đà Lạt");
    assert_eq!(me["role"], "manager");

    let prefix = &token[..12];
    let revoke = guestcare(&db)
        .args([
            "api-key", "revoke", "--tenant", "sen-bnb", "--prefix", prefix,
        ])
        .output()
        .unwrap();
    assert!(
        revoke.status.success(),
        "{}",
        String::from_utf8_lossy(&revoke.stderr)
    );
    let response = app.get("/v1/me", &token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn check_config_names_the_bad_key() {
    let db = TestDb::new();
    let output = guestcare(&db)
        .arg("check-config")
        .env("GUESTCARE__DATABASE__POOL_SIZE", "lots")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("database.pool_size"), "{stderr}");

    let output = guestcare(&db)
        .arg("check-config")
        .env("GUESTCARE__SECURITY__SECRET_KEY", "short")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("security.secret_key"), "{stderr}");
    assert!(!stderr.contains("short"), "secrets are never printed");

    let output = guestcare(&db).arg("check-config").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn production_config_requires_secrets_from_the_environment() {
    let db = TestDb::new();
    let output = guestcare(&db)
        .arg("check-config")
        .env("GUESTCARE_ENV", "production")
        .env_remove("GUESTCARE__DATABASE__URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("database.url"), "{stderr}");
}
