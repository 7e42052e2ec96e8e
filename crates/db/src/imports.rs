//! Guest intake imports: the uploaded file, the job's progress and counts,
//! and each row's outcome.
//!
//! The `import_guests` job commits rows in batches through
//! [`lock_import_progress`] and [`record_import_batch`] in one transaction:
//! the import row is locked, rows at or before `last_row` are skipped, and
//! the batch's outcomes, counts and new `last_row` are written together, so
//! a crash or a second worker never applies a row twice.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    Cursor,
    schema::{import_rows, imports},
    webhooks,
};

/// An import without its file.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = imports, check_for_backend(diesel::pg::Pg))]
pub struct Import {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub status: String,
    pub format: String,
    pub filename: String,
    pub size_bytes: i64,
    pub rows_total: Option<i64>,
    pub rows_done: i64,
    pub last_row: i64,
    pub created_count: i64,
    pub merged_count: i64,
    pub unchanged_count: i64,
    pub rejected_count: i64,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// The webhook event emitted when an import ends, successfully or not.
pub const IMPORT_FINISHED: &str = "import.finished";

/// An uploaded file to import.
#[derive(Debug, Insertable)]
#[diesel(table_name = imports)]
pub struct NewImport<'a> {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub format: &'a str,
    pub filename: &'a str,
    pub content: &'a [u8],
    pub size_bytes: i64,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Insertable, Queryable, Selectable)]
#[diesel(table_name = import_rows, check_for_backend(diesel::pg::Pg))]
pub struct ImportRow {
    pub import_id: Uuid,
    pub row_number: i64,
    pub tenant_id: Uuid,
    /// `created`, `merged`, `unchanged` or `rejected`.
    pub outcome: String,
    pub guest_id: Option<Uuid>,
    /// The header of the column at fault, as written in the file.
    pub column_name: Option<String>,
    pub code: Option<String>,
    pub reason: Option<String>,
    /// The rejected row's cells as `[[header, text], …]`.
    pub raw: Option<serde_json::Value>,
}

pub fn insert_import(conn: &mut PgConnection, new: &NewImport<'_>) -> QueryResult<Import> {
    diesel::insert_into(imports::table)
        .values(new)
        .returning(Import::as_returning())
        .get_result(conn)
}

pub fn get_import(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Import> {
    imports::table
        .filter(imports::tenant_id.eq(tenant_id))
        .find(id)
        .select(Import::as_select())
        .first(conn)
}

/// Up to `limit + 1` imports after `cursor`, newest first.
pub fn list_imports(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Import>> {
    let mut query = imports::table
        .filter(imports::tenant_id.eq(tenant_id))
        .select(Import::as_select())
        .order(imports::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(imports::id.lt(before));
    }
    query.load(conn)
}

/// The uploaded file's bytes.
pub fn get_import_content(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<Vec<u8>> {
    imports::table
        .filter(imports::tenant_id.eq(tenant_id))
        .find(id)
        .select(imports::content)
        .first(conn)
}

/// Marks the import running (keeping the first start time) and records how
/// many rows the file has.
pub fn start_import(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    rows_total: i64,
) -> QueryResult<Import> {
    diesel::update(
        imports::table
            .filter(imports::tenant_id.eq(tenant_id))
            .find(id),
    )
    .set((
        imports::status.eq("running"),
        imports::rows_total.eq(rows_total),
        imports::started_at.eq(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        >("coalesce(started_at, now())")),
        imports::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Import::as_returning())
    .get_result(conn)
}

/// Locks the import for a batch and returns the last committed row number.
/// Call inside the batch's transaction.
pub fn lock_import_progress(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<i64> {
    imports::table
        .filter(imports::tenant_id.eq(tenant_id))
        .find(id)
        .select(imports::last_row)
        .for_update()
        .first(conn)
}

/// Per-outcome counts of a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub created: i64,
    pub merged: i64,
    pub unchanged: i64,
    pub rejected: i64,
}

impl BatchCounts {
    pub fn total(&self) -> i64 {
        self.created + self.merged + self.unchanged + self.rejected
    }
}

/// Stores a batch's row outcomes and advances the import's counters and
/// `last_row`. Call in the transaction that applied the rows, after
/// [`lock_import_progress`].
pub fn record_import_batch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    rows: &[ImportRow],
    last_row: i64,
) -> QueryResult<()> {
    let mut counts = BatchCounts::default();
    for row in rows {
        match row.outcome.as_str() {
            "created" => counts.created += 1,
            "merged" => counts.merged += 1,
            "unchanged" => counts.unchanged += 1,
            _ => counts.rejected += 1,
        }
    }
    // Postgres takes at most 65 535 bind parameters per statement.
    for chunk in rows.chunks(5_000) {
        diesel::insert_into(import_rows::table)
            .values(chunk)
            .execute(conn)?;
    }
    diesel::update(
        imports::table
            .filter(imports::tenant_id.eq(tenant_id))
            .find(id),
    )
    .set((
        imports::last_row.eq(last_row),
        imports::rows_done.eq(imports::rows_done + counts.total()),
        imports::created_count.eq(imports::created_count + counts.created),
        imports::merged_count.eq(imports::merged_count + counts.merged),
        imports::unchanged_count.eq(imports::unchanged_count + counts.unchanged),
        imports::rejected_count.eq(imports::rejected_count + counts.rejected),
        imports::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Ends the import (`error`: why it failed), drops the uploaded file (its
/// rows' outcomes are kept; the personal data in it is not) and emits
/// `import.finished` to the tenant's webhooks in the same transaction. The event carries the
/// import's id, status and counts, never a row's content.
pub fn finish_import(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    error: Option<&str>,
) -> QueryResult<Import> {
    let status = if error.is_some() {
        "failed"
    } else {
        "succeeded"
    };
    conn.transaction(|conn| {
        let import = diesel::update(
            imports::table
                .filter(imports::tenant_id.eq(tenant_id))
                .find(id),
        )
        .set((
            imports::status.eq(status),
            imports::error.eq(error),
            imports::content.eq(Vec::<u8>::new()),
            imports::finished_at.eq(diesel::dsl::now),
            imports::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Import::as_returning())
        .get_result(conn)?;
        webhooks::emit_event(
            conn,
            tenant_id,
            IMPORT_FINISHED,
            &serde_json::json!({
                "import_id": import.id,
                "status": import.status,
                "rows_total": import.rows_total,
                "rows_done": import.rows_done,
                "created": import.created_count,
                "merged": import.merged_count,
                "unchanged": import.unchanged_count,
                "rejected": import.rejected_count,
            }),
        )?;
        Ok(import)
    })
}

/// Up to `limit` rejected rows of the import after row number `after`, in
/// file order.
pub fn list_rejected_rows(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<ImportRow>> {
    import_rows::table
        .filter(import_rows::tenant_id.eq(tenant_id))
        .filter(import_rows::import_id.eq(import_id))
        .filter(import_rows::outcome.eq("rejected"))
        .filter(import_rows::row_number.gt(after))
        .order(import_rows::row_number.asc())
        .limit(limit)
        .select(ImportRow::as_select())
        .load(conn)
}
