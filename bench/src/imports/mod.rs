//! The intake-import benchmark: a generated front-desk file of 100 000 rows
//! imported through the real `import_guests` job (the whole worker, as in
//! production: parse, validate, resolve identity, write guest, stay and
//! timeline, record each row's outcome), and the same bytes `COPY`-ed into
//! a bare table of text columns on the same Postgres in the same run: the
//! physical floor of loading those rows. Then a dynamic segment over
//! 1 000 000 guests seeded in SQL ([`segment`]).

mod data;
mod segment;

use std::{
    io::Write,
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use diesel::{
    Connection, PgConnection, RunQueryDsl,
    pg::{CopyFormat, CopyHeader},
    prelude::ExecuteCopyFromDsl,
};
use guestcare_db::{
    build_pool,
    imports::{self, NewImport},
    new_id,
    tenants::{self, NewTenant},
};
use guestcare_domain::settings;
use secrecy::SecretString;
use tokio::sync::watch;
use uuid::Uuid;

use crate::pg;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rows in the generated intake file.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Guests seeded for the segment timing (0 skips it).
    #[arg(long, default_value_t = 1_000_000)]
    segment_guests: i64,
    /// Postgres to use (a superuser URL); default: a private cluster under
    /// target/bench-pg.
    #[arg(long)]
    database_url: Option<String>,
}

diesel::table! {
    /// The bare table `COPY` loads: one text column per file column.
    bare_intake (full_name) {
        full_name -> Nullable<Text>,
        birth_date -> Nullable<Text>,
        gender -> Nullable<Text>,
        national_id -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        nationality -> Nullable<Text>,
        check_in -> Nullable<Text>,
        check_out -> Nullable<Text>,
        room_type -> Nullable<Text>,
        party_size -> Nullable<Text>,
        booking_channel -> Nullable<Text>,
        amount -> Nullable<Text>,
    }
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = pg::fresh_database(args.database_url.as_deref(), "gc_bench_imports")?;
    let mut conn = PgConnection::establish(&url)?;
    let (file, mix) = data::generate(args.rows);
    println!(
        "intake file: {} rows ({} new guests, {} returning, {} broken), {:.1} MB\n",
        args.rows,
        mix.new_guests,
        mix.returning,
        mix.broken,
        file.len() as f64 / 1e6
    );

    let tenant_id = tenant(&mut conn, "bench-imports")?;
    let (import_secs, import) = import_through_the_job(&url, &mut conn, tenant_id, &file)?;
    let copy_secs = copy_into_bare_table(&mut conn, &file)?;
    let rows = args.rows as f64;
    println!("| load | rows | seconds | rows/s |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| guestcare import job (created {}, merged {}, unchanged {}, rejected {}) | {} | {import_secs:.1} | {:.0} |",
        import.created_count,
        import.merged_count,
        import.unchanged_count,
        import.rejected_count,
        import.rows_done,
        rows / import_secs
    );
    println!(
        "| Postgres `COPY` into a bare table | {} | {copy_secs:.2} | {:.0} |",
        args.rows,
        rows / copy_secs
    );
    println!(
        "\nCOPY is {:.0}× faster than the import job.\n",
        import_secs / copy_secs
    );

    if args.segment_guests > 0 {
        segment::run(&mut conn, args.segment_guests)?;
    }
    Ok(())
}

/// A Vietnamese resort; its id.
pub(crate) fn tenant(conn: &mut PgConnection, slug: &str) -> anyhow::Result<Uuid> {
    Ok(tenants::insert_tenant(
        conn,
        &NewTenant {
            id: new_id(),
            slug,
            name: slug,
            country: "VN",
            default_language: "vi",
            time_zone: "Asia/Ho_Chi_Minh",
        },
    )?
    .id)
}

/// Uploads the file as `POST /v1/imports` stores it (import row and job in
/// one transaction), runs the worker until the import has finished; the
/// seconds from start to finish and the final import.
fn import_through_the_job(
    url: &str,
    conn: &mut PgConnection,
    tenant_id: Uuid,
    file: &[u8],
) -> anyhow::Result<(f64, imports::Import)> {
    let id = conn.transaction(|conn| {
        let import = imports::insert_import(
            conn,
            &NewImport {
                id: new_id(),
                tenant_id,
                format: "csv",
                filename: "bench.csv",
                content: file,
                size_bytes: i64::try_from(file.len()).unwrap_or(i64::MAX),
            },
        )?;
        guestcare_jobs::enqueue(
            conn,
            &guestcare_jobs::NewJob::new(
                "imports",
                "import_guests",
                serde_json::json!({ "import_id": import.id }),
            )
            .with_tenant(tenant_id),
        )?;
        diesel::QueryResult::Ok(import.id)
    })?;
    let mut settings = settings::load_from(Path::new("config"), "test")?;
    settings.database.url = SecretString::from(url.to_owned());
    settings.worker.lease_secs = 60;
    let pool = build_pool(url, 8, Duration::from_secs(5));
    let runtime = tokio::runtime::Runtime::new()?;
    let (stop, shutdown) = watch::channel(false);
    let started = Instant::now();
    let worker = runtime.spawn(guestcare_worker::run(Arc::new(settings), pool, shutdown));
    let import = loop {
        std::thread::sleep(Duration::from_millis(200));
        let import = imports::get_import(conn, tenant_id, id)?;
        if matches!(import.status.as_str(), "succeeded" | "failed") {
            break import;
        }
    };
    let seconds = import
        .finished_at
        .zip(import.started_at)
        .map_or(started.elapsed().as_secs_f64(), |(end, start)| {
            (end - start).as_seconds_f64()
        });
    let _ = stop.send(true);
    runtime.block_on(worker)??;
    anyhow::ensure!(
        import.status == "succeeded",
        "the import failed: {:?}",
        import.error
    );
    Ok((seconds, import))
}

/// `COPY bare_intake FROM STDIN (FORMAT csv, DELIMITER ';', HEADER)` of the
/// same bytes; seconds.
fn copy_into_bare_table(conn: &mut PgConnection, file: &[u8]) -> anyhow::Result<f64> {
    diesel::sql_query(
        "CREATE TABLE bare_intake (full_name text, birth_date text, gender text, national_id text, \
         phone text, email text, nationality text, check_in text, check_out text, room_type text, \
         party_size text, booking_channel text, amount text)",
    )
    .execute(conn)?;
    let started = Instant::now();
    let copied = diesel::copy_from(bare_intake::table)
        .from_raw_data(bare_intake::table, |out: &mut dyn Write| {
            out.write_all(file)
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
        })
        .with_format(CopyFormat::Csv)
        .with_delimiter(';')
        .with_header(CopyHeader::Set(true))
        .execute(conn)?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(copied > 0, "COPY loaded no rows");
    Ok(seconds)
}
