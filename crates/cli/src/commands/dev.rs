//! `guestcare dev`: the embedded default.
//!
//! Starts a private Postgres cluster under the project's data folder
//! (`dev.data_dir`, default `.guestcare/`), installing Postgres with apt when
//! it is missing and we are root; creates and migrates the database; makes
//! sure a demo tenant with an owner and an API key exists; then runs the API
//! and the worker until Ctrl-C, and stops everything cleanly. Mail goes to
//! `.guestcare/outbox/` and SMS to `.guestcare/sms.log` (the development
//! configuration). A second run reuses the cluster, the tenant and the key.

use std::{
    fs,
    net::TcpListener,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    thread,
    time::Duration,
};

use anyhow::{Context, anyhow};
use diesel::{Connection, PgConnection, RunQueryDsl, sql_types::Text};
use guestcare_api::{
    Signals,
    auth::{issue, tokens},
    state::AppState,
};
use guestcare_db::{
    build_pool,
    cluster::{Cluster, ClusterSpec},
    credentials, migrations, tenants,
};
use guestcare_domain::{Role, settings::Settings};
use secrecy::SecretString;
use tokio::sync::watch;

use super::user::generate_password;

const DATABASE: &str = "guestcare";
const DEMO_SLUG: &str = "demo";
const DEMO_OWNER: &str = "owner@demo.guestcare.local";

/// What `dev.env` remembers between runs.
#[derive(Debug, Default)]
struct DevEnv {
    api_key: Option<String>,
    owner_password: Option<String>,
}

pub fn run() -> anyhow::Result<ExitCode> {
    let mut settings = super::load_settings()?;
    let data_dir = settings.dev.data_dir.clone();
    fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    println!("guestcare dev: data folder {}", data_dir.display());

    let cluster = start_cluster(&settings, &data_dir)?;
    let url = cluster.url(DATABASE);
    settings.database.url = SecretString::from(url.clone());
    let mut conn =
        PgConnection::establish(&url).context("cannot connect to the private cluster")?;
    let applied = migrations::run_pending(&mut conn).map_err(|e| anyhow!(e))?;
    println!("migrations: {} applied, schema current", applied.len());

    let env_path = data_dir.join("dev.env");
    let remembered = read_dev_env(&env_path);
    let (api_key, owner_password) = ensure_demo_tenant(&mut conn, remembered)?;
    drop(conn);
    let outbox = &settings.mail.outbox_dir;
    fs::create_dir_all(outbox).with_context(|| format!("cannot create {}", outbox.display()))?;

    let listener = TcpListener::bind(settings.api.bind).with_context(|| {
        format!(
            "cannot listen on {} (set GUESTCARE__API__BIND)",
            settings.api.bind
        )
    })?;
    let base_url = format!("http://{}", listener.local_addr()?);
    write_dev_env(&env_path, &base_url, &api_key, &owner_password)?;

    let result = serve(settings, listener, &base_url, &api_key, &owner_password);
    println!("stopping Postgres…");
    cluster.stop()?;
    result.map(|()| ExitCode::SUCCESS)
}

fn start_cluster(settings: &Settings, data_dir: &Path) -> anyhow::Result<Cluster> {
    let password_file = data_dir.join("pg.password");
    let password = match fs::read_to_string(&password_file) {
        Ok(text) if !text.trim().is_empty() => text.trim().to_owned(),
        _ => {
            let password = generate_password();
            fs::write(&password_file, &password)?;
            restrict_to_owner(&password_file)?;
            password
        }
    };
    let spec = ClusterSpec {
        data_dir: data_dir.join("pg"),
        port: Some(settings.dev.pg_port),
        superuser: "guestcare".to_owned(),
        password,
        ephemeral: false,
    };
    let cluster = Cluster::ensure(&spec, true)?;
    println!(
        "postgres: running on 127.0.0.1:{} (data in {})",
        cluster.port(),
        cluster.data_dir().display()
    );
    let mut admin = PgConnection::establish(&cluster.url("postgres"))
        .context("cannot connect to the private cluster")?;
    create_database_if_missing(&mut admin, DATABASE)?;
    Ok(cluster)
}

fn create_database_if_missing(admin: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(admin)?;
    if !found.exists {
        diesel::sql_query(format!("CREATE DATABASE \"{name}\"")).execute(admin)?;
    }
    Ok(())
}

/// Makes sure the demo tenant, its owner and a working API key exist;
/// returns the key and the owner's password.
fn ensure_demo_tenant(
    conn: &mut PgConnection,
    remembered: DevEnv,
) -> anyhow::Result<(String, String)> {
    let tenant = match tenants::find_tenant_by_slug(conn, DEMO_SLUG)? {
        Some(tenant) => tenant,
        None => {
            let tenant = super::tenant::insert(
                conn,
                &DEMO_SLUG.parse()?,
                "Demo Lotus Resort",
                "VN".parse()?,
                "Asia/Ho_Chi_Minh".parse()?,
                "vi".parse()?,
            )?;
            println!("created demo tenant `{DEMO_SLUG}`");
            tenant
        }
    };
    let owner_password = match (
        guestcare_db::users::find_user_by_email(conn, tenant.id, DEMO_OWNER)?,
        remembered.owner_password,
    ) {
        (Some(_), Some(password)) => password,
        (Some(user), None) => {
            let password = generate_password();
            let hash = issue::hash_password(&password).map_err(|e| anyhow!("{e}"))?;
            let changes = guestcare_db::users::UserChanges {
                password_hash: Some(&hash),
                ..Default::default()
            };
            guestcare_db::users::update_user(conn, tenant.id, user.id, &changes)?;
            password
        }
        (None, _) => {
            let password = generate_password();
            issue::create_user(
                conn,
                tenant.id,
                &DEMO_OWNER.parse()?,
                "Demo Owner",
                Role::Owner,
                &password,
            )
            .map_err(|e| anyhow!("{e}"))?;
            password
        }
    };
    let still_valid = match &remembered.api_key {
        Some(key) => credentials::find_api_key_principal(conn, &tokens::digest(key))?
            .is_some_and(|principal| principal.tenant_id == tenant.id),
        None => false,
    };
    let api_key = match remembered.api_key {
        Some(key) if still_valid => key,
        _ => {
            let (_, token) =
                issue::create_api_key(conn, tenant.id, "guestcare dev", Role::Owner, None)
                    .map_err(|e| anyhow!("{e}"))?;
            token
        }
    };
    Ok((api_key, owner_password))
}

fn read_dev_env(path: &Path) -> DevEnv {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut env = DevEnv::default();
    for line in text.lines() {
        match line.split_once('=') {
            Some(("GUESTCARE_API_KEY", value)) => env.api_key = Some(value.trim().to_owned()),
            Some(("GUESTCARE_OWNER_PASSWORD", value)) => {
                env.owner_password = Some(value.trim().to_owned())
            }
            _ => {}
        }
    }
    env
}

fn write_dev_env(
    path: &Path,
    base_url: &str,
    api_key: &str,
    owner_password: &str,
) -> anyhow::Result<()> {
    let text = format!(
        "# Written by `guestcare dev`; read by scripts that drive the local API.\n\
         GUESTCARE_URL={base_url}\n\
         GUESTCARE_API_KEY={api_key}\n\
         GUESTCARE_TENANT={DEMO_SLUG}\n\
         GUESTCARE_OWNER_EMAIL={DEMO_OWNER}\n\
         GUESTCARE_OWNER_PASSWORD={owner_password}\n"
    );
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    restrict_to_owner(path)
}

fn restrict_to_owner(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    Ok(())
}

/// Runs the API (on an actix system in this thread) and the worker (on its
/// own tokio runtime in another thread) until Ctrl-C or SIGTERM.
fn serve(
    settings: Settings,
    listener: TcpListener,
    base_url: &str,
    api_key: &str,
    owner_password: &str,
) -> anyhow::Result<()> {
    let settings = Arc::new(settings);
    let pool = build_pool(
        secrecy::ExposeSecret::expose_secret(&settings.database.url),
        settings.database.pool_size,
        Duration::from_secs(settings.database.connect_timeout_secs),
    );
    let (stop_worker, worker_shutdown) = watch::channel(false);
    let worker = {
        let settings = settings.clone();
        let pool = pool.clone();
        thread::Builder::new()
            .name("worker".into())
            .spawn(move || {
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .thread_name("worker-rt")
                    .build()
                    .map_err(anyhow::Error::from)
                    .and_then(|rt| {
                        rt.block_on(guestcare_worker::run(settings, pool, worker_shutdown))
                    })
            })?
    };
    let state = AppState::new(pool, (*settings).clone())?;
    let outbox: PathBuf = settings.mail.outbox_dir.clone();
    print_banner(
        base_url,
        api_key,
        owner_password,
        &outbox,
        &settings.sms.log_path,
    );
    let served = actix_web::rt::System::new().block_on(async move {
        let server = guestcare_api::server(state, listener, Signals::Ignore)?;
        let handle = server.handle();
        let running = actix_web::rt::spawn(server);
        wait_for_signal().await?;
        println!("\nshutting down: API…");
        handle.stop(true).await;
        let _ = running.await;
        anyhow::Ok(())
    });
    println!("shutting down: worker…");
    let _ = stop_worker.send(true);
    let worker_result = worker
        .join()
        .map_err(|_| anyhow!("the worker thread panicked"))?;
    served.and(worker_result)
}

async fn wait_for_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result?,
        _ = terminate.recv() => {},
    }
    Ok(())
}

fn print_banner(
    base_url: &str,
    api_key: &str,
    owner_password: &str,
    outbox: &Path,
    sms_log: &Path,
) {
    println!(
        "\n\
         ┌ guestcare is running ─────────────────────────────────────────\n\
         │ API:       {base_url}/v1   (docs: {base_url}/docs)\n\
         │ API key:   {api_key}\n\
         │ Owner:     {DEMO_OWNER} / {owner_password}  (tenant `{DEMO_SLUG}`)\n\
         │ Mail:      {} (one .eml per message)\n\
         │ SMS:       {}\n\
         │ Try:       curl -H \"Authorization: Bearer $GUESTCARE_API_KEY\" {base_url}/v1/me\n\
         │            (source .guestcare/dev.env first)\n\
         └ Ctrl-C stops the API, the worker and Postgres ────────────────\n",
        outbox.display(),
        sms_log.display()
    );
}
