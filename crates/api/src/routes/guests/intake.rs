//! Intake: a guest arriving, resolved against the registry by the same
//! function the daily import uses (`guestcare_db::guests::resolve_intake`).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use guestcare_db::guests::{self, resolve};
use guestcare_domain::{
    Permission, ValidationErrors,
    guest::{IntakeRecord, Outcome, ProfileInput, StayInput},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{GuestContext, GuestView, actor, redact_national_ids};
use crate::{
    audit,
    auth::Auth,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    state::AppState,
};

/// Moves every error under `prefix` (`profile`, `stay`).
fn nest(errors: ValidationErrors, prefix: &str) -> ValidationErrors {
    let mut nested = ValidationErrors::new();
    for error in errors {
        nested.push(error.at(prefix));
    }
    nested
}

/// A guest arriving: a profile and maybe the stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    pub profile: ProfileInput,
    pub stay: Option<StayInput>,
}

/// What identity resolution did, and the guest.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeResult {
    pub outcome: Outcome,
    /// The stay added, if any (none when the guest already had it).
    pub stay_id: Option<Uuid>,
    /// For `merged`: the merge record; `POST /v1/guests/merges/{id}/revert`
    /// undoes it if this arrival was someone else.
    pub merge_id: Option<Uuid>,
    pub guest: GuestView,
}

/// Registers a guest arriving, the way the daily import does: the known
/// guest with the same national ID, else e-mail (never a booking relay),
/// else phone and birth date gets the new data (newer values win, conflicts
/// go on the timeline) and the stay — `merged`, or `unchanged` if nothing
/// was new (200); otherwise a new guest is created (201). Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    request_body = IntakeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 200, body = IntakeResult, description = "Merged into a known guest, or unchanged"),
        (status = 201, body = IntakeResult, description = "A new guest"),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/guests/intake")]
pub(super) async fn intake(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<IntakeRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let keys = GuestContext::keys(&state);
    let caller = auth.clone();
    let work = move |conn: &mut diesel::PgConnection| {
        let context = GuestContext::load(conn, keys, &caller)?;
        let mut errors = ValidationErrors::new();
        let profile = request
            .profile
            .parse(context.country)
            .map_err(|e| nest(e, "profile").into_iter().for_each(|e| errors.push(e)))
            .ok();
        let stay = match &request.stay {
            None => None,
            Some(stay) => match stay.parse() {
                Ok(stay) => Some(stay),
                Err(e) => {
                    nest(e, "stay").into_iter().for_each(|e| errors.push(e));
                    None
                }
            },
        };
        let (Some(profile), true) = (profile, errors.is_empty()) else {
            return Err(errors.into());
        };
        let record = IntakeRecord { profile, stay };
        let resolution = resolve::resolve_intake(
            conn,
            &context.keys,
            caller.tenant_id,
            actor(&caller),
            &record,
        )?;
        let action = match resolution.outcome {
            Outcome::Created => "guest.create",
            Outcome::Merged | Outcome::Unchanged => "guest.intake",
        };
        audit::record(conn, &caller, action, "guest", resolution.guest_id)?;
        let guest = guests::get_guest(conn, caller.tenant_id, resolution.guest_id)?;
        let status = match resolution.outcome {
            Outcome::Created => StatusCode::CREATED,
            Outcome::Merged | Outcome::Unchanged => StatusCode::OK,
        };
        Ok((
            status,
            IntakeResult {
                outcome: resolution.outcome,
                stay_id: resolution.stay_id,
                merge_id: resolution.merge_id,
                guest: context.view(guest)?,
            },
        ))
    };
    idempotent::respond_redacted(&state, &auth, key, fingerprint, work, redact_national_ids).await
}
