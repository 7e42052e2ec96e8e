//! One committed batch of import rows.

use std::sync::Arc;

use diesel::{
    Connection, PgConnection,
    result::{DatabaseErrorKind, Error as DbError},
};
use guestcare_db::{
    guests::resolve_intake,
    imports::{self, ImportRow},
    timeline::Actor,
};
use guestcare_domain::{
    Country,
    guest::Outcome,
    intake::{self, Rejection, SourceRow},
};
use guestcare_jobs::{JobError, store};

use super::Run;

/// Applies `rows` (emptied) in one transaction: heartbeat the lease, lock
/// the import, skip rows already committed, resolve each remaining row in a
/// savepoint, store outcomes and progress.
pub(super) fn commit(
    conn: &mut PgConnection,
    run: &Run,
    country: Country,
    rows: &mut Vec<SourceRow>,
) -> Result<(), JobError> {
    if rows.is_empty() {
        return Ok(());
    }
    let batch = std::mem::take(rows);
    conn.transaction(|conn| {
        if !store::heartbeat(conn, &run.lease, run.extend)? {
            return Err(JobError::transient("the job's lease was lost"));
        }
        let last_row = imports::lock_import_progress(conn, run.tenant_id, run.import_id)?;
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut last = last_row;
        for row in &batch {
            let number = i64::try_from(super::number(row)).unwrap_or(i64::MAX);
            if number <= last_row {
                continue;
            }
            outcomes.push(apply(conn, run, country, row, number)?);
            last = number;
        }
        imports::record_import_batch(conn, run.tenant_id, run.import_id, &outcomes, last)?;
        Ok(())
    })
}

/// Resolves one row in a savepoint; a row the registry refuses is rolled
/// back to the savepoint and reported, never half-written.
fn apply(
    conn: &mut PgConnection,
    run: &Run,
    country: Country,
    row: &SourceRow,
    number: i64,
) -> Result<ImportRow, JobError> {
    let rejected = |rejection: Rejection, raw: serde_json::Value| ImportRow {
        import_id: run.import_id,
        row_number: number,
        tenant_id: run.tenant_id,
        outcome: "rejected".to_owned(),
        guest_id: None,
        column_name: Some(rejection.column),
        code: Some(rejection.code.to_owned()),
        reason: Some(rejection.reason),
        raw: Some(raw),
    };
    let raw_row = match row {
        Ok(raw_row) => raw_row,
        Err(bad) => {
            let rejection = Rejection {
                column: String::new(),
                code: "invalid_row",
                reason: bad.reason.clone(),
            };
            return Ok(rejected(rejection, serde_json::json!([])));
        }
    };
    let raw = raw_json(&raw_row.raw);
    let record = match intake::to_intake(raw_row, country) {
        Ok(record) => record,
        Err(rejection) => return Ok(rejected(rejection, raw)),
    };
    let resolved = conn
        .transaction(|conn| resolve_intake(conn, &run.keys, run.tenant_id, Actor::SYSTEM, &record));
    match resolved {
        Ok(resolution) => Ok(ImportRow {
            import_id: run.import_id,
            row_number: number,
            tenant_id: run.tenant_id,
            outcome: outcome_name(resolution.outcome).to_owned(),
            guest_id: Some(resolution.guest_id),
            column_name: None,
            code: None,
            reason: None,
            raw: None,
        }),
        Err(DbError::DatabaseError(kind, info)) if is_data_error(&kind) => {
            let rejection = Rejection {
                column: info.column_name().unwrap_or_default().to_owned(),
                code: "not_stored",
                reason: format!(
                    "The registry refused the row ({}).",
                    info.constraint_name().unwrap_or("constraint")
                ),
            };
            Ok(rejected(rejection, raw))
        }
        Err(other) => Err(other.into()),
    }
}

/// Errors caused by the row's data rather than the database's state.
fn is_data_error(kind: &DatabaseErrorKind) -> bool {
    matches!(
        kind,
        DatabaseErrorKind::CheckViolation
            | DatabaseErrorKind::NotNullViolation
            | DatabaseErrorKind::UniqueViolation
            | DatabaseErrorKind::ForeignKeyViolation
    )
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Created => "created",
        Outcome::Merged => "merged",
        Outcome::Unchanged => "unchanged",
    }
}

/// A row's cells as written, `[[header, text], …]`.
fn raw_json(raw: &[(Arc<str>, String)]) -> serde_json::Value {
    serde_json::Value::Array(
        raw.iter()
            .map(|(header, text)| serde_json::json!([header.as_ref(), text]))
            .collect(),
    )
}
