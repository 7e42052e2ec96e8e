//! The monthly care list: every guest planned for care in a month
//! (birthdays, contact-plan calls, reminder steps), one row per thing
//! planned, as JSON or as CSV for the care team.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use chrono::{Datelike, Months, NaiveDate};
use guestcare_db::automations::{
    self,
    forecast::{self, Planned},
};
use guestcare_domain::{AllValid, FieldError, Permission};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::GuestRef;
use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidQuery, state::AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CareListQuery {
    /// `YYYY-MM`.
    pub month: String,
    /// `csv` for CSV whatever `Accept` says; else `Accept: text/csv` asks
    /// for CSV, anything else gets JSON.
    pub format: Option<String>,
}

/// One guest to care for on one day, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct CareRow {
    pub date: NaiveDate,
    pub guest: GuestRef,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `birthday`, `contact_task` or `reminder`.
    pub reason: &'static str,
    /// The plan's or rule's name (and the step), empty for birthdays.
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareList {
    /// `YYYY-MM`.
    pub month: String,
    pub rows: Vec<CareRow>,
}

fn parse_month(month: &str) -> Result<(NaiveDate, NaiveDate), FieldError> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| month.len() == 7)
        .ok_or_else(|| FieldError::new("invalid_month", "Use YYYY-MM.").at("month"))?;
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| FieldError::new("invalid_month", "Use YYYY-MM.").at("month"))?;
    Ok((first, last))
}

fn wants_csv(req: &HttpRequest, format: Option<&str>) -> Result<bool, FieldError> {
    match format {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(_) => Err(FieldError::new("invalid_format", "Use csv or json.").at("format")),
        None => Ok(req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/csv"))),
    }
}

/// The guests planned for care in a month: birthdays, contact-plan calls
/// and reminder steps, by day and name. It lists phones and e-mails, so
/// each read is audited (`care_list.read`).
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(CareListQuery),
    responses(
        (status = 200, body = CareList),
        (status = 200, content_type = "text/csv", body = String),
        (status = 422, body = crate::error::Problem),
    )
)]
#[get("/care-list")]
pub(super) async fn get_care_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<CareListQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let query = query.0;
    let ((from, to), csv) = (
        parse_month(&query.month),
        wants_csv(&req, query.format.as_deref()),
    )
        .all_valid()?;
    let rows = db::transaction(&state.pool, move |conn| {
        let planned = forecast::forecast(conn, auth.tenant_id, from, to)?;
        let ids: Vec<Uuid> = planned.iter().map(Planned::guest_id).collect();
        let guests = automations::guests_by_id(conn, auth.tenant_id, &ids)?;
        audit::record(conn, &auth, "care_list.read", "tenant", auth.tenant_id)?;
        let mut rows: Vec<CareRow> = planned
            .into_iter()
            .filter_map(|item| {
                let guest = guests.get(&item.guest_id());
                let (reason, detail) = match &item {
                    // Greetings go to whole audiences; the list is about
                    // personal care.
                    Planned::Greeting { .. } => return None,
                    Planned::Birthday { .. } => ("birthday", String::new()),
                    Planned::ContactTask(p) => ("contact_task", p.plan_name.clone()),
                    Planned::Reminder(d) => {
                        ("reminder", format!("{} ({})", d.rule_name, d.step.offset))
                    }
                };
                Some(CareRow {
                    date: item.date(),
                    guest: GuestRef::of(item.guest_id(), &guests),
                    phone: guest.and_then(|g| g.phones.iter().flatten().next().cloned()),
                    email: guest.and_then(|g| g.email.clone()),
                    reason,
                    detail,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.date, &a.guest.full_name, a.guest.id, a.reason).cmp(&(
                b.date,
                &b.guest.full_name,
                b.guest.id,
                b.reason,
            ))
        });
        Ok(rows)
    })
    .await?;
    let month = format!("{:04}-{:02}", from.year(), from.month());
    if csv {
        let body = render(&rows).map_err(ApiError::internal)?;
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"care-list-{month}.csv\""),
            ))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(CareList { month, rows }))
}

/// UTF-8 with BOM, so spreadsheet programs show Vietnamese correctly.
fn render(rows: &[CareRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record([
            "date",
            "code",
            "full_name",
            "phone",
            "email",
            "reason",
            "detail",
        ])?;
        for row in rows {
            writer.write_record([
                row.date.to_string().as_str(),
                &row.guest.code,
                &row.guest.full_name,
                row.phone.as_deref().unwrap_or(""),
                row.email.as_deref().unwrap_or(""),
                row.reason,
                &row.detail,
            ])?;
        }
        writer.flush()?;
    }
    Ok(out)
}
