//! `import_guests`: reads an uploaded intake file row by row and resolves
//! each row into the guest registry.
//!
//! The file is read twice as a stream (once to count its rows for the
//! progress, once to import them); rows are committed in batches of
//! [`BATCH`]. Each batch is one transaction that locks the import, skips
//! rows at or before its `last_row`, resolves every row in a savepoint, and
//! writes the outcomes and the new `last_row` before committing. So a crash
//! loses at most the batch in flight, a restarted job continues after the
//! last committed row, and no row is ever applied twice. A finished import
//! is never run again; re-importing the same file as a new import finds
//! every guest `unchanged`.

mod batch;

use std::{io::Cursor, sync::Arc, time::Duration};

use diesel::PgConnection;
use guestcare_db::{guests::GuestKeys, imports, tenants};
use guestcare_domain::{
    Country,
    intake::{self, Format, ReadError, SourceRow},
};
use guestcare_jobs::{JobContext, JobError, Lease};
use serde::Deserialize;
use uuid::Uuid;

/// Rows per committed batch. Each row runs in a savepoint (a
/// subtransaction); Postgres caches 64 subtransactions per transaction and
/// past that its visibility checks slow down sharply, so a batch stays
/// below that.
pub const BATCH: usize = 50;

/// The job kind (as enqueued by `POST /v1/imports`).
pub const KIND: &str = "import_guests";

/// The payload: which import to run.
#[derive(Debug, Deserialize)]
pub struct Payload {
    pub import_id: Uuid,
}

/// Runs the job on the blocking pool; `lease` is how long each committed
/// batch extends the job's lease.
pub async fn run(ctx: JobContext, keys: Arc<GuestKeys>, lease: Duration) -> Result<(), JobError> {
    let payload: Payload = ctx.payload()?;
    let tenant_id = ctx
        .job
        .tenant_id
        .ok_or_else(|| JobError::permanent("an import job needs a tenant"))?;
    let job = Run {
        tenant_id,
        import_id: payload.import_id,
        lease: ctx.job.lease(),
        extend: lease,
        keys,
    };
    let last_attempt = ctx.job.attempts >= ctx.job.max_attempts;
    let pool = ctx.pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(JobError::transient)?;
        let result = job.run(&mut conn);
        if let Err(error) = &result
            && (last_attempt || error.is_permanent())
        {
            // The job is about to fail for good: say so on the import, so
            // that it does not look `running` forever.
            let reason = "The import stopped after repeated errors; the rows counted as done \
                          were saved. Upload the file again to import the rest.";
            let _ = job.fail(&mut conn, reason);
        }
        result
    })
    .await
    .map_err(JobError::transient)?
}

/// One attempt at one import.
pub(crate) struct Run {
    pub tenant_id: Uuid,
    pub import_id: Uuid,
    pub lease: Lease,
    pub extend: Duration,
    pub keys: Arc<GuestKeys>,
}

impl Run {
    fn run(&self, conn: &mut PgConnection) -> Result<(), JobError> {
        let import = imports::get_import(conn, self.tenant_id, self.import_id)?;
        if matches!(import.status.as_str(), "succeeded" | "failed") {
            return Ok(());
        }
        let format = Format::parse(&import.format)
            .ok_or_else(|| JobError::permanent("unknown import format"))?;
        let content = imports::get_import_content(conn, self.tenant_id, self.import_id)?;
        let country = tenant_country(conn, self.tenant_id)?;
        let total = match intake::count_rows(format, Cursor::new(&content)) {
            Ok(total) => total,
            Err(error) => return self.fail(conn, &error.to_string()),
        };
        let started = imports::start_import(
            conn,
            self.tenant_id,
            self.import_id,
            i64::try_from(total).unwrap_or(i64::MAX),
        )?;
        tracing::info!(import.id = %self.import_id, rows = total, resume_after = started.last_row, "importing guests");
        let resume_after = u64::try_from(started.last_row).unwrap_or(0);
        let mut pending: Vec<SourceRow> = Vec::with_capacity(BATCH);
        let read = intake::read_rows(format, Cursor::new(&content), |row| {
            if number(&row) <= resume_after {
                return Ok(());
            }
            pending.push(row);
            if pending.len() >= BATCH {
                batch::commit(conn, self, country, &mut pending)?;
            }
            Ok(())
        });
        match read {
            Ok(_) => {}
            Err(ReadError::File(error)) => return self.fail(conn, &error.to_string()),
            Err(ReadError::Sink(error)) => return Err(error),
        }
        batch::commit(conn, self, country, &mut pending)?;
        imports::finish_import(conn, self.tenant_id, self.import_id, None)?;
        tracing::info!(import.id = %self.import_id, "import finished");
        Ok(())
    }

    /// Ends the import as failed with a reason for people; the job itself
    /// succeeded (retrying cannot fix the file).
    fn fail(&self, conn: &mut PgConnection, reason: &str) -> Result<(), JobError> {
        imports::finish_import(conn, self.tenant_id, self.import_id, Some(reason))?;
        tracing::info!(import.id = %self.import_id, "import refused the file");
        Ok(())
    }
}

/// The row number of a source row.
fn number(row: &SourceRow) -> u64 {
    match row {
        Ok(row) => row.number,
        Err(bad) => bad.number,
    }
}

fn tenant_country(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Country, JobError> {
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    tenant
        .country
        .parse()
        .map_err(|_| JobError::permanent("the tenant's country is not valid"))
}
