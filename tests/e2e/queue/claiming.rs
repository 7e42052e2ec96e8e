//! Claiming: each job once, whoever claims; dedupe; run_at; cancel.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use diesel::Connection;
use guestcare_jobs::{JobError, NewJob, Registry, Runner, enqueue, store};
use guestcare_tests::{TestDb, app::pool_for};
use tokio::sync::watch;
use uuid::Uuid;

use super::{config, count, eventually};

fn enqueue_many(conn: &mut diesel::PgConnection, queue: &str, n: usize) {
    conn.transaction(|conn| {
        for i in 0..n {
            enqueue(
                conn,
                &NewJob::new(queue, "record", serde_json::json!({ "i": i })),
            )?;
        }
        diesel::QueryResult::Ok(())
    })
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_runners_run_every_job_exactly_once() {
    let db = TestDb::new();
    let pool = pool_for(&db);
    let mut conn = db.connect();
    enqueue_many(&mut conn, "default", 2000);

    let seen: Arc<Mutex<HashMap<Uuid, usize>>> = Arc::default();
    let mut registry = Registry::new();
    let record = seen.clone();
    registry.register("record", Duration::from_secs(5), move |ctx| {
        let record = record.clone();
        async move {
            *record.lock().unwrap().entry(ctx.job.id).or_default() += 1;
            Ok::<(), JobError>(())
        }
    });
    let registry = Arc::new(registry);
    let (stop, shutdown) = watch::channel(false);
    let runners: Vec<_> = (0..8)
        .map(|w| {
            let runner = Runner::new(
                config("default", &format!("worker-{w}")),
                pool.clone(),
                registry.clone(),
            );
            tokio::spawn(runner.run(shutdown.clone()))
        })
        .collect();
    let done = eventually(Duration::from_secs(60), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE status = 'succeeded'",
        ) == 2000
    })
    .await;
    stop.send(true).unwrap();
    for runner in runners {
        runner.await.unwrap();
    }
    assert!(done, "every job succeeds");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2000);
    assert!(seen.values().all(|&runs| runs == 1), "no job ran twice");
}

#[test]
fn concurrent_claims_never_hand_out_the_same_job() {
    let db = TestDb::new();
    enqueue_many(&mut db.connect(), "default", 500);
    let claimed: Vec<Uuid> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|w| {
                let db = &db;
                scope.spawn(move || {
                    let mut conn = db.connect();
                    let mut mine = Vec::new();
                    loop {
                        let batch = store::claim(
                            &mut conn,
                            "default",
                            &format!("claimer-{w}"),
                            7,
                            Duration::from_secs(30),
                        )
                        .unwrap();
                        if batch.is_empty() {
                            return mine;
                        }
                        mine.extend(batch.iter().map(|job| job.id));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut unique = claimed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(claimed.len(), 500);
    assert_eq!(unique.len(), 500);
}

#[test]
fn a_job_is_not_claimed_before_its_run_at() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let soon = Utc::now() + chrono::Duration::milliseconds(1500);
    enqueue(
        &mut conn,
        &NewJob::new("default", "record", serde_json::json!({})).with_run_at(soon),
    )
    .unwrap();
    let claim = |conn: &mut diesel::PgConnection| {
        store::claim(conn, "default", "w", 10, Duration::from_secs(30)).unwrap()
    };
    assert!(claim(&mut conn).is_empty());
    std::thread::sleep(Duration::from_millis(1700));
    assert_eq!(claim(&mut conn).len(), 1);
}

#[test]
fn a_dedupe_key_admits_one_live_job_at_a_time() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let job = NewJob::new("default", "record", serde_json::json!({})).with_dedupe_key("scan:1");
    let first = enqueue(&mut conn, &job).unwrap();
    assert!(first.is_some());
    assert_eq!(enqueue(&mut conn, &job).unwrap(), None, "pending: ignored");
    let claimed = store::claim(&mut conn, "default", "w", 1, Duration::from_secs(30)).unwrap();
    assert_eq!(enqueue(&mut conn, &job).unwrap(), None, "running: ignored");
    assert!(store::complete(&mut conn, &claimed[0].lease()).unwrap());
    assert!(
        enqueue(&mut conn, &job).unwrap().is_some(),
        "finished: a new one may start"
    );
}

#[test]
fn a_job_enqueued_in_a_rolled_back_transaction_does_not_exist() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let _ = conn.transaction(|conn| {
        enqueue(
            conn,
            &NewJob::new("default", "record", serde_json::json!({})),
        )?;
        Err::<(), _>(diesel::result::Error::RollbackTransaction)
    });
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM jobs"), 0);
}

#[test]
fn only_a_pending_job_can_be_cancelled_and_then_it_never_runs() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let new = |conn: &mut diesel::PgConnection| {
        enqueue(
            conn,
            &NewJob::new("default", "record", serde_json::json!({})),
        )
        .unwrap()
        .unwrap()
    };
    let pending = new(&mut conn);
    assert!(store::cancel(&mut conn, None, pending).unwrap());
    assert!(
        store::claim(&mut conn, "default", "w", 10, Duration::from_secs(30))
            .unwrap()
            .is_empty()
    );
    let running = new(&mut conn);
    store::claim(&mut conn, "default", "w", 10, Duration::from_secs(30)).unwrap();
    assert!(!store::cancel(&mut conn, None, running).unwrap());
}
