//! Guest intake imports: upload a CSV, XLSX or JSON file, follow the
//! `import_guests` job's progress, and download the rejected rows.
//!
//! The upload is stored and its job enqueued in one transaction; the job
//! (in `guestcare-worker`) does the rest. Nothing is parsed here beyond the
//! request itself.

mod report;
mod upload;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::{
    imports::{self, Import, NewImport},
    new_id,
};
use guestcare_domain::Permission;
use guestcare_jobs::{NewJob, enqueue};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use upload::UploadQuery;
pub(crate) use upload::read_body;

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidQuery},
    idempotent::{self, Fingerprint},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

/// The job kind that runs an import, and its queue.
pub const IMPORT_JOB: &str = "import_guests";
pub const IMPORT_QUEUE: &str = "imports";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_imports)
        .service(create_import)
        .service(get_import)
        .service(report::import_errors_csv);
}

/// How many rows ended each way.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportCounts {
    /// New guests.
    pub created: i64,
    /// Known guests that got new data or a stay.
    pub merged: i64,
    /// Known guests with nothing new (a re-imported file is all `unchanged`).
    pub unchanged: i64,
    /// Rows refused; see `errors.csv`.
    pub rejected: i64,
}

/// An import and its progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportView {
    pub id: Uuid,
    /// `pending`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// `csv`, `xlsx` or `json`.
    pub format: String,
    pub filename: String,
    pub size_bytes: i64,
    /// Rows in the file (blank rows not counted); `null` until the job has
    /// counted them.
    pub rows_total: Option<i64>,
    /// Rows committed so far.
    pub rows_done: i64,
    pub counts: ImportCounts,
    /// Why the whole file failed (e.g. not UTF-8, no known column).
    pub error: Option<String>,
    /// Where the rejected rows can be downloaded as CSV.
    pub errors_url: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Import> for ImportView {
    fn from(i: Import) -> Self {
        ImportView {
            errors_url: format!("/v1/imports/{}/errors.csv", i.id),
            id: i.id,
            status: i.status,
            format: i.format,
            filename: i.filename,
            size_bytes: i.size_bytes,
            rows_total: i.rows_total,
            rows_done: i.rows_done,
            counts: ImportCounts {
                created: i.created_count,
                merged: i.merged_count,
                unchanged: i.unchanged_count,
                rejected: i.rejected_count,
            },
            error: i.error,
            created_at: i.created_at,
            started_at: i.started_at,
            finished_at: i.finished_at,
        }
    }
}

/// Uploads an intake file and starts importing it (front desk and up).
///
/// The body is the file itself: `text/csv` (UTF-8, with or without BOM,
/// `,` or `;`), an XLSX workbook (first sheet) or a JSON array of objects.
/// Columns are found by their headers in Vietnamese or English (`Họ tên`,
/// `Ngày sinh`, `Số CMND/CCCD`, `Full name`, …). Answers 202 with the
/// import; follow it with `GET /v1/imports/{id}`. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(
        UploadQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    request_body(
        content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Object = "application/json"),
        ),
        description = "The intake file",
    ),
    responses(
        (status = 202, body = ImportView),
        (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/imports")]
async fn create_import(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let format = upload::format_of(&req)?;
    let filename = upload::filename_of(&req, query.into_inner(), format)?;
    let content = upload::read_body(&req, payload, state.settings.api.max_import_bytes).await?;
    let fingerprint = Fingerprint::of(&req, &Sha256::digest(&content));
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let row = imports::insert_import(
            conn,
            &NewImport {
                id: new_id(),
                tenant_id: actor.tenant_id,
                format: format.as_str(),
                filename: &filename,
                content: &content,
                size_bytes: i64::try_from(content.len()).unwrap_or(i64::MAX),
            },
        )?;
        let job = NewJob::new(
            IMPORT_QUEUE,
            IMPORT_JOB,
            serde_json::json!({ "import_id": row.id }),
        )
        .with_tenant(actor.tenant_id)
        .with_max_attempts(5);
        enqueue(conn, &job)?;
        audit::record(conn, &actor, "import.create", "import", row.id)?;
        Ok((StatusCode::ACCEPTED, ImportView::from(row)))
    })
    .await
}

/// The tenant's imports, newest first.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<ImportView>))
)]
#[get("/imports")]
async fn list_imports(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(imports::list_imports(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |i| i.id, ImportView::from)))
}

/// One import: status, rows done of rows total, and counts.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ImportView), (status = 404, body = crate::error::Problem))
)]
#[get("/imports/{id}")]
async fn get_import(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(imports::get_import(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ImportView::from(row)))
}
