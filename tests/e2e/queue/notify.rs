//! Wake-up by LISTEN/NOTIFY: an idle runner starts a new job at once, not
//! at its next poll.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use guestcare_jobs::{NewJob, Registry, Runner, enqueue, listener};
use guestcare_tests::{TestDb, app::pool_for};
use tokio::sync::{mpsc, watch};

use super::config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notify_wakes_an_idle_runner_long_before_its_next_poll() {
    let db = TestDb::new();
    let (ran, mut runs) = mpsc::unbounded_channel();
    let mut registry = Registry::new();
    registry.register("ping", Duration::from_secs(5), move |_ctx| {
        let ran = ran.clone();
        async move {
            let _ = ran.send(Instant::now());
            Ok(())
        }
    });
    let mut cfg = config("default", "w");
    cfg.poll_interval = Duration::from_secs(60);
    let runner = Runner::new(cfg, pool_for(&db), Arc::new(registry));
    let wakers = listener::Wakers::from([("default".to_owned(), runner.waker())]);
    let (stop, shutdown) = watch::channel(false);
    let task = tokio::spawn(runner.run(shutdown.clone()));
    let url = db.url().to_owned();
    let listening = tokio::task::spawn_blocking(move || listener::listen(&url, &wakers, &shutdown));
    // Let the runner find the queue empty and go idle.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut latencies = Vec::new();
    for _ in 0..5 {
        let enqueued = Instant::now();
        enqueue(
            &mut db.connect(),
            &NewJob::new("default", "ping", serde_json::json!({})),
        )
        .unwrap();
        let started = tokio::time::timeout(Duration::from_secs(20), runs.recv())
            .await
            .expect("the job runs well before the 60 s poll")
            .unwrap();
        latencies.push(started - enqueued);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    task.await.unwrap();
    listening.await.unwrap();
    println!("NOTIFY wake-up latencies: {latencies:?}");
}
