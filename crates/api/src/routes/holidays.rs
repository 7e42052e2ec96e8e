//! A year's holidays: the built-in calendars and the tenant's own occasions.

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use guestcare_db::occasions;
use guestcare_domain::{
    FieldError, Permission, ValidationErrors,
    holidays::{self, Calendar, Occasion, Occurrence},
    lunar,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::occasions::{OccasionNames, to_domain};
use crate::{auth::Auth, db, error::ApiError, extract::ValidQuery, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_holidays);
}

/// `?calendar=&year=&include_tenant=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HolidaysQuery {
    /// `intl`, `vn` or `tw` for a built-in calendar; `tenant` for the
    /// tenant's own active occasions only.
    pub calendar: Option<String>,
    /// The Gregorian year, 1900–2100.
    pub year: Option<i32>,
    /// With a built-in calendar, also list the tenant's active occasions
    /// (default `false`).
    pub include_tenant: Option<bool>,
}

/// One occasion on one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrenceView {
    /// Stable key: `vn.tet`, `tw.mid_autumn`, `intl.christmas`, or
    /// `tenant.<key>` for the tenant's own occasions.
    pub key: String,
    pub date: NaiveDate,
    pub names: OccasionNames,
    /// Whether the date follows the lunar calendar (Vietnamese lunar dates
    /// at UTC+7, Taiwanese at UTC+8).
    pub lunar: bool,
}

impl From<Occurrence> for OccurrenceView {
    fn from(o: Occurrence) -> Self {
        OccurrenceView {
            key: o.key.into_owned(),
            date: o.date,
            names: OccasionNames {
                vi: o.names.vi.into_owned(),
                en: o.names.en.into_owned(),
                zh_hant: o.names.zh_hant.into_owned(),
            },
            lunar: o.lunar,
        }
    }
}

/// A year of one calendar, by date then key.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayList {
    pub calendar: String,
    pub year: i32,
    pub items: Vec<OccurrenceView>,
}

/// What to list: a built-in calendar (or none), with or without the tenant's
/// occasions.
struct Selection {
    builtin: Option<Calendar>,
    tenant: bool,
    year: i32,
}

impl HolidaysQuery {
    fn validate(&self) -> Result<Selection, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let calendar = errors.require("query.calendar", self.calendar.as_deref());
        let builtin = match calendar {
            Some("tenant") => Some(None),
            Some(text) => errors
                .check(
                    "query.calendar",
                    text.parse::<Calendar>().map_err(|_| {
                        FieldError::new("invalid_calendar", "Use one of intl, vn, tw, tenant.")
                    }),
                )
                .map(Some),
            None => None,
        };
        let year = errors.require("query.year", self.year).and_then(|year| {
            errors.check(
                "query.year",
                (lunar::FIRST_YEAR..=lunar::LAST_YEAR)
                    .contains(&year)
                    .then_some(year)
                    .ok_or_else(|| {
                        FieldError::new("out_of_range", "The year must be between 1900 and 2100.")
                    }),
            )
        });
        match (builtin, year) {
            (Some(builtin), Some(year)) if errors.is_empty() => Ok(Selection {
                tenant: builtin.is_none() || self.include_tenant.unwrap_or(false),
                builtin,
                year,
            }),
            _ => Err(errors),
        }
    }
}

/// Lists a year's occasions of a built-in calendar (`intl`, `vn`, `tw`),
/// optionally with the tenant's own, or the tenant's own only (`tenant`).
#[utoipa::path(
    tag = "holidays",
    security(("bearer" = [])),
    params(HolidaysQuery),
    responses((status = 200, body = HolidayList), (status = 422, body = crate::error::Problem))
)]
#[get("/holidays")]
async fn list_holidays(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<HolidaysQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let query = query.into_inner();
    let selection = query.validate()?;
    let tenant_occasions = if selection.tenant {
        let rows = db::run(&state.pool, move |conn| {
            Ok(occasions::list_active_occasions(conn, auth.tenant_id)?)
        })
        .await?;
        rows.into_iter()
            .map(to_domain)
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let builtin = selection.builtin.map_or(&[][..], Calendar::occasions);
    let all: Vec<Occasion> = builtin.iter().cloned().chain(tenant_occasions).collect();
    let found = holidays::occurrences_of(&all, selection.year);
    Ok(HttpResponse::Ok().json(HolidayList {
        calendar: query.calendar.unwrap_or_default(),
        year: selection.year,
        items: found.into_iter().map(OccurrenceView::from).collect(),
    }))
}
