//! The error report of an import: its rejected rows as CSV, with the row
//! number, the column at fault, the reason, and the row's cells as written.

use actix_web::{HttpResponse, get, web};
use guestcare_db::imports::{self, ImportRow};
use guestcare_domain::Permission;
use uuid::Uuid;

use crate::{audit, auth::Auth, db, error::ApiError, state::AppState};

/// Rejected rows read per query.
const PAGE: i64 = 1_000;

/// The rejected rows of an import as CSV (UTF-8 with BOM, so spreadsheet
/// programs show Vietnamese correctly): `row`, `column`, `code`, `reason`,
/// then the file's own columns with the row's values. Empty when nothing
/// was rejected (yet). The rows hold personal data, so each download is
/// audited (`import.errors.read`).
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 404, body = crate::error::Problem),
    )
)]
#[get("/imports/{id}/errors.csv")]
pub(super) async fn import_errors_csv(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let (filename, rows) = db::transaction(&state.pool, move |conn| {
        let import = imports::get_import(conn, auth.tenant_id, id)?;
        audit::record(conn, &auth, "import.errors.read", "import", id)?;
        let mut rows = Vec::new();
        loop {
            let after = rows.last().map_or(0, |r: &ImportRow| r.row_number);
            let page = imports::list_rejected_rows(conn, auth.tenant_id, id, after, PAGE)?;
            let done = page.len() < PAGE as usize;
            rows.extend(page);
            if done {
                break;
            }
        }
        Ok((import.filename, rows))
    })
    .await?;
    let body = render(&rows).map_err(ApiError::internal)?;
    let stem = filename
        .rsplit_once('.')
        .map_or(filename.as_str(), |(s, _)| s);
    let download: String = format!("{stem}-errors.csv")
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{download}\""),
        ))
        .body(body))
}

/// The CSV text: fixed columns, then every header seen in the rows, in
/// order of first appearance.
fn render(rows: &[ImportRow]) -> Result<Vec<u8>, csv::Error> {
    let cells: Vec<Vec<(String, String)>> = rows.iter().map(raw_cells).collect();
    let mut headers: Vec<&str> = Vec::new();
    for (header, _) in cells.iter().flatten() {
        if !headers.contains(&header.as_str()) {
            headers.push(header);
        }
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let mut record = vec!["row", "column", "code", "reason"];
        record.extend(&headers);
        writer.write_record(&record)?;
        for (row, cells) in rows.iter().zip(&cells) {
            let mut record = vec![
                row.row_number.to_string(),
                row.column_name.clone().unwrap_or_default(),
                row.code.clone().unwrap_or_default(),
                row.reason.clone().unwrap_or_default(),
            ];
            for header in &headers {
                let values: Vec<&str> = cells
                    .iter()
                    .filter(|(h, _)| h == header)
                    .map(|(_, v)| v.as_str())
                    .collect();
                record.push(values.join(" | "));
            }
            writer.write_record(&record)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// A row's `[[header, text], …]` cells.
fn raw_cells(row: &ImportRow) -> Vec<(String, String)> {
    row.raw
        .as_ref()
        .and_then(|raw| serde_json::from_value(raw.clone()).ok())
        .unwrap_or_default()
}
