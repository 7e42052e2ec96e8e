//! A worker killed in the middle of a large import: the next one continues
//! after the last committed row, and no row is applied twice.

use std::time::Duration;

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use guestcare_tests::{TestApp, TestDb, TestTenant, worker::WorkerProcess};
use serde_json::Value;

use super::{counts, finished, upload};

const ROWS: usize = 4_000;

/// A worker process whose lease expires soon after it is killed (with room
/// for slow batches on a loaded machine: each batch extends the lease by it).
fn worker_process(db: &TestDb, id: &str) -> WorkerProcess {
    WorkerProcess::spawn(db.url(), id, &[("GUESTCARE__WORKER__LEASE_SECS", "15")])
}

fn count(db: &TestDb, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(&mut db.connect())
        .unwrap()
        .n
}

#[tokio::test]
async fn a_killed_import_resumes_where_it_stopped() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let mut file = String::from("Họ tên,Ngày sinh,Điện thoại,Ngày đến\n");
    for n in 0..ROWS {
        file.push_str(&format!("Khách {n},01/01/1990,09{n:08},01/12/2026\n"));
    }
    let import = upload(&app, &tenant.key, "text/csv", "big.csv", file.into_bytes()).await;
    let id = import["id"].as_str().unwrap().to_owned();

    let first = worker_process(&db, "first");
    let mut before_kill = 0;
    for _ in 0..1_200 {
        let import: Value = app
            .get(&format!("/v1/imports/{id}"), &tenant.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        before_kill = import["rows_done"].as_i64().unwrap();
        if before_kill > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    first.kill_hard();
    let import: Value = app
        .get(&format!("/v1/imports/{id}"), &tenant.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let at_kill = import["rows_done"].as_i64().unwrap();
    assert!(
        at_kill >= before_kill && at_kill > 0,
        "some rows were committed: {import}"
    );
    assert!(at_kill < ROWS as i64, "killed before the end: {import}");
    assert_eq!(import["status"], "running");

    let second = worker_process(&db, "second");
    let import = finished(&app, &tenant.key, &id).await;
    drop(second);
    assert_eq!(import["status"], "succeeded", "{import}");
    assert_eq!(import["rows_done"], ROWS);
    assert_eq!(counts(&import), (ROWS as i64, 0, 0, 0), "every row once");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM guests"), ROWS as i64);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM stays"), ROWS as i64);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM import_rows"),
        ROWS as i64
    );
    assert_eq!(
        count(
            &db,
            "SELECT attempts::bigint AS n FROM jobs WHERE kind = 'import_guests'"
        ),
        2
    );
}
