//! `/v1/automations/forecast` (what the automations would send or create
//! on each day of a period) and `/v1/care-list` (the guests planned for care
//! in a month, as JSON or CSV). Both are computed by the functions the
//! daily run uses, in dry-run: nothing is sent or created.

mod care_list;

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use guestcare_db::{
    automations::{
        self,
        forecast::{self, Planned},
    },
    guests::Guest,
};
use guestcare_domain::{FieldError, Permission, guest::GuestCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{auth::Auth, db, error::ApiError, extract::ValidQuery, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_forecast).service(care_list::get_care_list);
}

/// The longest period a forecast covers.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ForecastQuery {
    /// First day (`YYYY-MM-DD`, the tenant's local date).
    pub from: NaiveDate,
    /// Last day, included; at most 366 days after `from`.
    pub to: NaiveDate,
}

/// A guest as a forecast names them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuestRef {
    pub id: Uuid,
    pub code: String,
    pub full_name: String,
}

impl GuestRef {
    fn of(id: Uuid, guests: &HashMap<Uuid, Guest>) -> GuestRef {
        let guest = guests.get(&id);
        GuestRef {
            id,
            code: guest.map_or_else(String::new, |g| {
                GuestCode::from_number(g.code.unsigned_abs()).to_string()
            }),
            full_name: guest.map_or_else(String::new, |g| g.full_name.clone()),
        }
    }
}

/// One thing the automations would do.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ForecastItem {
    /// A reminder step that would be sent (consent, caps and quiet hours
    /// are decided when it is).
    Reminder {
        guest: GuestRef,
        rule_id: Uuid,
        rule_name: String,
        /// The step's offset (`d-30`, `m11`).
        step: String,
        channel: String,
        purpose: String,
        /// The date the step counts from.
        anchor_date: NaiveDate,
    },
    /// A call task a contact plan would create.
    ContactTask {
        guest: GuestRef,
        plan_id: Uuid,
        plan_name: String,
    },
    /// The birthday scan's call task.
    BirthdayTask { guest: GuestRef },
    /// A holiday greeting a greeting rule would send.
    Greeting {
        guest: GuestRef,
        rule_id: Uuid,
        /// `vn.tet`, `intl.christmas`, `tenant.<key>`.
        occasion_key: String,
        channel: String,
        /// The tenant-local hour it goes out.
        send_hour: i16,
    },
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastDay {
    pub date: NaiveDate,
    pub items: Vec<ForecastItem>,
}

/// Days with something planned, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Forecast {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<ForecastDay>,
}

/// Checks a period: `to` not before `from`, at most `MAX_DAYS` long.
fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), FieldError> {
    if to < from {
        Err(FieldError::new("invalid_period", "`to` is before `from`.").at("to"))
    } else if (to - from).num_days() > MAX_DAYS {
        Err(FieldError::new(
            "period_too_long",
            format!("A forecast covers at most {MAX_DAYS} days."),
        )
        .at("to"))
    } else {
        Ok(())
    }
}

/// What the reminder rules, contact plans, the birthday scan and the
/// greeting rules would send or create on each day of a period, from the data as it is now, without
/// doing any of it.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(ForecastQuery),
    responses((status = 200, body = Forecast), (status = 422, body = crate::error::Problem))
)]
#[get("/automations/forecast")]
async fn get_forecast(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<ForecastQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let ForecastQuery { from, to } = query.0;
    check_period(from, to)?;
    let (planned, guests) = db::run(&state.pool, move |conn| {
        let planned = forecast::forecast(conn, auth.tenant_id, from, to)?;
        let ids: Vec<Uuid> = planned.iter().map(Planned::guest_id).collect();
        let guests = automations::guests_by_id(conn, auth.tenant_id, &ids)?;
        Ok((planned, guests))
    })
    .await?;
    let mut days: BTreeMap<NaiveDate, Vec<ForecastItem>> = BTreeMap::new();
    for item in planned {
        let date = item.date();
        let guest = GuestRef::of(item.guest_id(), &guests);
        let item = match item {
            Planned::Reminder(due) => ForecastItem::Reminder {
                guest,
                rule_id: due.rule_id,
                rule_name: due.rule_name,
                step: due.step.offset.to_string(),
                channel: due.step.channel.as_str().to_owned(),
                purpose: due.step.purpose.as_str().to_owned(),
                anchor_date: due.anchor_date,
            },
            Planned::ContactTask(plan) => ForecastItem::ContactTask {
                guest,
                plan_id: plan.plan_id,
                plan_name: plan.plan_name,
            },
            Planned::Birthday { .. } => ForecastItem::BirthdayTask { guest },
            Planned::Greeting {
                rule_id,
                occasion_key,
                channel,
                send_hour,
                ..
            } => ForecastItem::Greeting {
                guest,
                rule_id,
                occasion_key,
                channel,
                send_hour,
            },
        };
        days.entry(date).or_default().push(item);
    }
    Ok(HttpResponse::Ok().json(Forecast {
        from,
        to,
        days: days
            .into_iter()
            .map(|(date, items)| ForecastDay { date, items })
            .collect(),
    }))
}
