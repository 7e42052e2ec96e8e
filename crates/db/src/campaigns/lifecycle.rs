//! Moving a campaign through its life (`campaigns::Status::can_become`):
//! scheduling and resuming start a new dispatch chain, pausing and
//! cancelling end the live one at its next step (within one step, about
//! five seconds at most).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::campaigns::Status;
use uuid::Uuid;

use super::{Campaign, dispatch::enqueue_step, lock_campaign};
use crate::{schema::campaigns, webhooks};

/// A staff action on a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// draft → scheduled: sending starts at the campaign's schedule.
    Schedule,
    /// sending → paused.
    Pause,
    /// paused → sending.
    Resume,
    /// anything unfinished → cancelled.
    Cancel,
}

impl Move {
    fn target(self) -> Status {
        match self {
            Move::Schedule => Status::Scheduled,
            Move::Pause => Status::Paused,
            Move::Resume => Status::Sending,
            Move::Cancel => Status::Cancelled,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// The campaign's state does not allow the move.
    #[error("a {from} campaign cannot become {to}")]
    Invalid { from: String, to: Status },
}

/// Applies `action` in the caller's transaction (locking the campaign) and
/// returns the campaign as it now is.
pub fn move_campaign(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    action: Move,
) -> Result<Campaign, LifecycleError> {
    let campaign = lock_campaign(conn, tenant_id, id)?;
    let target = action.target();
    // Resuming is for paused campaigns only (the worker, not staff, moves
    // a scheduled one to sending).
    let allowed = campaign
        .status
        .parse::<Status>()
        .is_ok_and(|s| s.can_become(target) && (action != Move::Resume || s == Status::Paused));
    if !allowed {
        return Err(LifecycleError::Invalid {
            from: campaign.status,
            to: target,
        });
    }
    let scope = campaigns::table
        .filter(campaigns::tenant_id.eq(tenant_id))
        .find(id);
    let now = Utc::now();
    let updated: Campaign = match action {
        Move::Schedule | Move::Resume => {
            let row = diesel::update(scope)
                .set((
                    campaigns::status.eq(target.as_str()),
                    campaigns::dispatch_seq.eq(campaigns::dispatch_seq + 1),
                    campaigns::updated_at.eq(now),
                ))
                .returning(Campaign::as_returning())
                .get_result(conn)?;
            let at = match action {
                Move::Schedule => start_of(&row),
                _ => None,
            };
            enqueue_step(conn, &row, 0, at)?;
            row
        }
        Move::Pause => diesel::update(scope)
            .set((
                campaigns::status.eq(target.as_str()),
                campaigns::updated_at.eq(now),
            ))
            .returning(Campaign::as_returning())
            .get_result(conn)?,
        Move::Cancel => {
            let row: Campaign = diesel::update(scope)
                .set((
                    campaigns::status.eq(target.as_str()),
                    campaigns::finished_at.eq(now),
                    campaigns::updated_at.eq(now),
                ))
                .returning(Campaign::as_returning())
                .get_result(conn)?;
            if row.started_at.is_some() {
                emit_finished(conn, &row)?;
            }
            row
        }
    };
    Ok(updated)
}

/// When sending starts: now, the chosen instant, or — for each guest's
/// own local time — the moment that local time first comes anywhere
/// (UTC+14), when the audience is frozen with each guest's own instant.
fn start_of(campaign: &Campaign) -> Option<DateTime<Utc>> {
    match campaign.schedule.as_str() {
        "at" => campaign.send_at,
        "guest_local" => {
            let local = campaign.local_date?.and_time(campaign.local_time?);
            Some(local.and_utc() - Duration::hours(14))
        }
        _ => None,
    }
}

/// `campaign.finished` with the campaign's final status.
pub(super) fn emit_finished(conn: &mut PgConnection, campaign: &Campaign) -> QueryResult<()> {
    webhooks::emit_event(
        conn,
        campaign.tenant_id,
        "campaign.finished",
        &serde_json::json!({
            "id": campaign.id,
            "status": campaign.status,
            "recipients": campaign.recipients,
        }),
    )?;
    Ok(())
}
