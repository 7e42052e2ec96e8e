//! The job-queue benchmark: 100 000 no-op jobs and 100 000 jobs that each
//! write one row (then complete, as the peer does, and fenced: row and
//! completion in one transaction), run by 1, 4 and 16 runners, through guestcare's `Runner`
//! and through a bare SQL loop issuing the same claim and complete
//! statements with no runner around them (the floor of what the database
//! allows). Pickup latency is measured separately under a trickle of jobs
//! (one per transaction) with idle runners woken by NOTIFY. A peer's
//! figures (`bench/queue/pgqueuer_peer.py`, same database server, same
//! run) are read from `--peer` and shown beside ours.

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{BigInt, Double, Uuid as SqlUuid},
};
use guestcare_db::build_pool;
use guestcare_jobs::{
    JobContext, JobError, NewJob, Registry, Runner, RunnerConfig, enqueue, listener, store,
};
use tokio::sync::watch;

use crate::pg;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Jobs per measurement.
    #[arg(long, default_value_t = 100_000)]
    jobs: usize,
    /// Runner counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
    runners: Vec<usize>,
    /// Postgres to use (a superuser URL); default: a private cluster under
    /// target/bench-pg.
    #[arg(long)]
    database_url: Option<String>,
    /// The peer's results (JSON lines written by pgqueuer_peer.py).
    #[arg(long)]
    peer: Option<std::path::PathBuf>,
}

/// Jobs claimed per round trip by both the runner and the bare loop.
const BATCH: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Work {
    Noop,
    /// Insert one row, then complete: the peer's work.
    WriteRow,
    /// Insert one row and complete in one transaction
    /// (`JobContext::complete_with`): a lost lease rolls the row back.
    WriteRowFenced,
}

impl Work {
    /// The job kind and the table's label.
    fn name(self) -> &'static str {
        match self {
            Work::Noop => "noop",
            Work::WriteRow => "write",
            Work::WriteRowFenced => "write_fenced",
        }
    }

    /// The peer's work to compare with: it has no fenced write.
    fn peer_name(self) -> &'static str {
        match self {
            Work::WriteRowFenced => Work::WriteRow.name(),
            other => other.name(),
        }
    }
}

/// One measured configuration.
#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    enqueue_per_sec: f64,
    complete_per_sec: f64,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = pg::fresh_database(args.database_url.as_deref(), "gc_bench_queue")?;
    let mut conn = PgConnection::establish(&url)?;
    diesel::sql_query(
        "CREATE TABLE IF NOT EXISTS bench_effects (id bigserial PRIMARY KEY, job_id uuid NOT NULL)",
    )
    .execute(&mut conn)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let peer = read_peer(args.peer.as_deref())?;
    println!(
        "| work | runners | guestcare enqueue/s | guestcare complete/s | bare SQL complete/s | peer complete/s | vs bare | vs peer |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for work in [Work::Noop, Work::WriteRow, Work::WriteRowFenced] {
        for &runners in &args.runners {
            let ours = runtime.block_on(measure_runner(&url, work, runners, args.jobs))?;
            let bare = measure_bare_loop(&url, work, runners, args.jobs)?;
            let peer = peer.get(&(work.peer_name().to_owned(), runners)).copied();
            println!(
                "| {} | {runners} | {:.0} | {:.0} | {:.0} | {} | {:.2}× | {} |",
                work.name(),
                ours.enqueue_per_sec,
                ours.complete_per_sec,
                bare.complete_per_sec,
                peer.map_or("–".to_owned(), |p| format!("{p:.0}")),
                ours.complete_per_sec / bare.complete_per_sec,
                peer.map_or("–".to_owned(), |p| format!(
                    "{:.2}×",
                    ours.complete_per_sec / p
                )),
            );
        }
    }
    println!();
    println!("| runners | pickup p50 ms | pickup p99 ms |");
    println!("|---|---|---|");
    for &runners in &args.runners {
        let (p50, p99) = runtime.block_on(measure_pickup(&url, runners))?;
        println!("| {runners} | {p50:.2} | {p99:.2} |");
    }
    Ok(())
}

/// The peer's complete/s by (work, runners).
fn read_peer(path: Option<&std::path::Path>) -> anyhow::Result<BTreeMap<(String, usize), f64>> {
    let mut figures = BTreeMap::new();
    let Some(path) = path else {
        return Ok(figures);
    };
    for line in std::fs::read_to_string(path)?.lines() {
        let row: serde_json::Value = serde_json::from_str(line)?;
        if let (Some(work), Some(runners), Some(rate)) = (
            row["work"].as_str(),
            row["runners"].as_u64(),
            row["complete_per_sec"].as_f64(),
        ) {
            figures.insert((work.to_owned(), runners as usize), rate);
        }
    }
    Ok(figures)
}

fn reset(conn: &mut PgConnection) -> diesel::QueryResult<()> {
    diesel::sql_query("TRUNCATE jobs, bench_effects").execute(conn)?;
    diesel::sql_query("VACUUM ANALYZE jobs").execute(conn)?;
    Ok(())
}

/// Enqueues `n` jobs, one INSERT each, 1000 per transaction (as an
/// application enqueues one job per domain row); returns jobs/s.
fn enqueue_jobs(conn: &mut PgConnection, work: Work, n: usize) -> anyhow::Result<f64> {
    let started = Instant::now();
    let job = NewJob::new("bench", work.name(), serde_json::json!({}));
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        conn.transaction(|conn| {
            for _ in chunk {
                enqueue(conn, &job)?;
            }
            diesel::QueryResult::Ok(())
        })?;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn live_jobs(conn: &mut PgConnection) -> diesel::QueryResult<i64> {
    Ok(
        diesel::sql_query("SELECT count(*) AS n FROM jobs WHERE status IN ('pending', 'running')")
            .get_result::<Count>(conn)?
            .n,
    )
}

fn write_effect(conn: &mut PgConnection, job_id: uuid::Uuid) -> diesel::QueryResult<usize> {
    diesel::sql_query("INSERT INTO bench_effects (job_id) VALUES ($1)")
        .bind::<SqlUuid, _>(job_id)
        .execute(conn)
}

fn registry() -> Registry {
    let mut registry = Registry::new();
    registry
        .register("noop", Duration::from_secs(30), |_ctx| async { Ok(()) })
        .register(
            "write",
            Duration::from_secs(30),
            |ctx: JobContext| async move {
                tokio::task::spawn_blocking(move || {
                    let mut conn = ctx.pool.get().map_err(JobError::transient)?;
                    write_effect(&mut conn, ctx.job.id).map_err(JobError::transient)
                })
                .await
                .map_err(JobError::transient)?
                .map(drop)
            },
        )
        .register(
            "write_fenced",
            Duration::from_secs(30),
            |ctx: JobContext| async move {
                tokio::task::spawn_blocking(move || {
                    let id = ctx.job.id;
                    ctx.complete_with(|conn| write_effect(conn, id))
                })
                .await
                .map_err(JobError::transient)?
                .map(drop)
            },
        );
    registry
}

fn runner_config(worker: usize, poll: Duration) -> RunnerConfig {
    RunnerConfig {
        worker_id: format!("bench-{worker}"),
        queue: "bench".to_owned(),
        concurrency: BATCH,
        claim_ahead: BATCH,
        poll_interval: poll,
        lease: Duration::from_secs(300),
        shutdown_grace: Duration::from_secs(30),
    }
}

/// `runners` guestcare runners (each claiming up to [`BATCH`] at a time)
/// until every job is done.
async fn measure_runner(
    url: &str,
    work: Work,
    runners: usize,
    n: usize,
) -> anyhow::Result<Figures> {
    let mut conn = PgConnection::establish(url)?;
    reset(&mut conn)?;
    let enqueue_per_sec = enqueue_jobs(&mut conn, work, n)?;
    let pool = build_pool(url, (runners * 2 + 2) as u32, Duration::from_secs(30));
    let registry = Arc::new(registry());
    let (stop, shutdown) = watch::channel(false);
    let started = Instant::now();
    let tasks: Vec<_> = (0..runners)
        .map(|w| {
            let runner = Runner::new(
                runner_config(w, Duration::from_millis(20)),
                pool.clone(),
                registry.clone(),
            );
            tokio::spawn(runner.run(shutdown.clone()))
        })
        .collect();
    while live_jobs(&mut conn)? > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let _ = stop.send(true);
    for task in tasks {
        task.await?;
    }
    Ok(Figures {
        enqueue_per_sec,
        complete_per_sec: n as f64 / elapsed.as_secs_f64(),
    })
}

/// `runners` threads issuing the queue's own claim and complete statements
/// back to back: no tasks, no timeouts, no registry.
fn measure_bare_loop(url: &str, work: Work, runners: usize, n: usize) -> anyhow::Result<Figures> {
    let mut conn = PgConnection::establish(url)?;
    reset(&mut conn)?;
    let enqueue_per_sec = enqueue_jobs(&mut conn, work, n)?;
    let started = Instant::now();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let threads: Vec<_> = (0..runners)
            .map(|w| {
                scope.spawn(move || -> anyhow::Result<()> {
                    let mut conn = PgConnection::establish(url)?;
                    let worker = format!("bare-{w}");
                    loop {
                        let jobs = store::claim(
                            &mut conn,
                            "bench",
                            &worker,
                            BATCH as i64,
                            Duration::from_secs(300),
                        )?;
                        if jobs.is_empty() {
                            return Ok(());
                        }
                        for job in jobs {
                            let lease = job.lease();
                            match work {
                                Work::Noop => {
                                    store::complete(&mut conn, &lease)?;
                                }
                                Work::WriteRow => {
                                    write_effect(&mut conn, job.id)?;
                                    store::complete(&mut conn, &lease)?;
                                }
                                Work::WriteRowFenced => {
                                    conn.transaction(|conn| {
                                        write_effect(conn, job.id)?;
                                        store::complete(conn, &lease)
                                    })?;
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        for thread in threads {
            thread
                .join()
                .map_err(|_| anyhow::anyhow!("a bare-loop thread panicked"))??;
        }
        Ok(())
    })?;
    Ok(Figures {
        enqueue_per_sec,
        complete_per_sec: n as f64 / started.elapsed().as_secs_f64(),
    })
}

/// Idle runners woken by NOTIFY; 2000 jobs enqueued one per transaction at
/// about 500/s; pickup = claimed (`started_at`) − committed (`created_at`).
async fn measure_pickup(url: &str, runners: usize) -> anyhow::Result<(f64, f64)> {
    let mut conn = PgConnection::establish(url)?;
    reset(&mut conn)?;
    let pool = build_pool(url, (runners * 2 + 2) as u32, Duration::from_secs(30));
    let registry = Arc::new(registry());
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = Vec::new();
    let mut listeners = Vec::new();
    for w in 0..runners {
        // As `runners` worker processes: each its own listener and runner,
        // with a long poll so that wake-ups come from NOTIFY.
        let runner = Runner::new(
            runner_config(w, Duration::from_secs(5)),
            pool.clone(),
            registry.clone(),
        );
        let wakers = listener::Wakers::from([("bench".to_owned(), runner.waker())]);
        let (url, listen_shutdown) = (url.to_owned(), shutdown.clone());
        listeners.push(tokio::task::spawn_blocking(move || {
            listener::listen(&url, &wakers, &listen_shutdown);
        }));
        tasks.push(tokio::spawn(runner.run(shutdown.clone())));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let job = NewJob::new("bench", "noop", serde_json::json!({}));
    for _ in 0..2000 {
        enqueue(&mut conn, &job)?;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    while live_jobs(&mut conn)? > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    for task in tasks {
        task.await?;
    }
    for listening in listeners {
        listening.await?;
    }
    #[derive(QueryableByName)]
    struct Percentiles {
        #[diesel(sql_type = Double)]
        p50: f64,
        #[diesel(sql_type = Double)]
        p99: f64,
    }
    let p: Percentiles = diesel::sql_query(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, \
                percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99 \
         FROM (SELECT extract(epoch FROM started_at - created_at) * 1000 AS ms FROM jobs) AS pickup",
    )
    .get_result(&mut conn)?;
    Ok((p.p50, p.p99))
}
