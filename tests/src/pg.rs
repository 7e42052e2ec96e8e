//! Postgres for tests: a shared private cluster, a template, a database per test.

use std::{
    fs::{self, File},
    path::PathBuf,
    sync::OnceLock,
};

use diesel::{Connection, PgConnection, RunQueryDsl, sql_types::Text};
use guestcare_db::{
    cluster::{Cluster, ClusterSpec},
    migrations,
};

const TEMPLATE: &str = "gc_template";
const PASSWORD: &str = "guestcare-test";
/// Serialises template maintenance and database creation across processes.
const TEMPLATE_LOCK: i64 = 0x6775_6573_7463;

/// The folder holding the test cluster: `$GUESTCARE_TEST_PG_DIR`, else
/// `target/test-pg` of this workspace.
fn cluster_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GUESTCARE_TEST_PG_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("test-pg")
}

/// The shared cluster, started on first use by whichever test process gets
/// the file lock first; later processes find it running.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let dir = cluster_dir();
        fs::create_dir_all(&dir).expect("create the test cluster folder");
        let lock = File::create(dir.join("cluster.lock")).expect("create the cluster lock");
        lock.lock().expect("lock the test cluster");
        let cluster = Cluster::ensure(
            &ClusterSpec {
                data_dir: dir.join("data"),
                port: None,
                superuser: "guestcare".to_owned(),
                password: PASSWORD.to_owned(),
                ephemeral: true,
            },
            true,
        )
        .expect("start the test Postgres cluster");
        ensure_template(&cluster);
        cluster
    })
}

fn admin(cluster: &Cluster) -> PgConnection {
    PgConnection::establish(&cluster.url("postgres")).expect("connect to the test cluster")
}

fn lock(conn: &mut PgConnection) {
    diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
        .execute(conn)
        .expect("take the template lock");
}

fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let count: Count =
        diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(name)
            .get_result(conn)
            .expect("query pg_database");
    count.n > 0
}

/// Creates the template if missing and applies pending migrations to it.
fn ensure_template(cluster: &Cluster) {
    let mut admin = admin(cluster);
    lock(&mut admin);
    if !database_exists(&mut admin, TEMPLATE) {
        diesel::sql_query(format!("CREATE DATABASE {TEMPLATE}"))
            .execute(&mut admin)
            .expect("create the template database");
    }
    let mut template =
        PgConnection::establish(&cluster.url(TEMPLATE)).expect("connect to the template");
    migrations::run_pending(&mut template).expect("migrate the template");
    drop(template);
}

/// A fresh, migrated database for one test, dropped when this is dropped.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    url: String,
}

impl TestDb {
    /// A copy of the migrated template.
    pub fn new() -> TestDb {
        Self::create(Some(TEMPLATE))
    }

    /// An empty database with no schema at all (for migration tests).
    pub fn empty() -> TestDb {
        Self::create(None)
    }

    fn create(template: Option<&str>) -> TestDb {
        let cluster = cluster();
        let name = format!("gc_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = admin(cluster);
        lock(&mut admin);
        let template = template.map_or_else(|| "template0".to_owned(), str::to_owned);
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin)
            .expect("create the test database");
        TestDb {
            url: cluster.url(&name),
            name,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A direct connection to this database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        drop_database(&self.name);
    }
}

/// Drops a test database, disconnecting its clients.
pub fn drop_database(name: &str) {
    let mut admin = admin(cluster());
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin);
}

/// Stops the shared test cluster if it is running (its data stays).
pub fn stop_cluster() -> Result<(), guestcare_db::cluster::ClusterError> {
    let data = cluster_dir().join("data");
    if !data.join("PG_VERSION").exists() {
        return Ok(());
    }
    cluster().stop()
}
