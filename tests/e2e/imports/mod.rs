//! Guest intake imports: files in, guests out, and a report of what failed.

mod erasure;
mod events;
mod formats;
mod front_desk;
mod resume;

use std::time::Duration;

use diesel::{QueryableByName, RunQueryDsl, sql_types::Text};
use guestcare_tests::{
    TestApp, TestDb,
    app::{pool_for, settings_for},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

/// The real worker in the test process, on `db`.
fn worker(db: &TestDb) -> TestWorker {
    TestWorker::spawn(settings_for(db), pool_for(db))
}

/// Uploads `body` as `content_type`; the 202 answer's import.
async fn upload(
    app: &TestApp,
    key: &str,
    content_type: &str,
    filename: &str,
    body: Vec<u8>,
) -> Value {
    let response = app
        .post(&format!("/v1/imports?filename={filename}"), key)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    response.json().await.unwrap()
}

/// Polls the import until it has finished; its last state.
async fn finished(app: &TestApp, key: &str, id: &str) -> Value {
    for _ in 0..3000 {
        let import: Value = app
            .get(&format!("/v1/imports/{id}"), key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if matches!(import["status"].as_str(), Some("succeeded" | "failed")) {
            return import;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not finish within five minutes");
}

/// `(created, merged, unchanged, rejected)` of an import.
fn counts(import: &Value) -> (i64, i64, i64, i64) {
    let c = &import["counts"];
    let n = |k: &str| c[k].as_i64().unwrap();
    (n("created"), n("merged"), n("unchanged"), n("rejected"))
}

/// The tenant's live guests' names, sorted.
fn guest_names(db: &TestDb, tenant_id: Uuid) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        full_name: String,
    }
    let rows: Vec<Name> = diesel::sql_query(
        "SELECT full_name FROM guests WHERE tenant_id = $1 AND merged_into IS NULL ORDER BY full_name",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant_id)
    .load(&mut db.connect())
    .unwrap();
    rows.into_iter().map(|r| r.full_name).collect()
}

/// The rows of a CSV text (BOM dropped), header first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}
