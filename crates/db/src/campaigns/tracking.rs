//! Opens (the pixel) and clicks (signed redirect links) of campaign
//! e-mail, recorded against the recipient row. Callers have verified the
//! signed token; a guest who is not a recipient records nothing.

use chrono::Utc;
use diesel::prelude::*;
use guestcare_domain::campaigns::{Variants, tracking};
use uuid::Uuid;

use super::get_campaign;
use crate::{
    new_id,
    schema::{campaign_clicks, campaign_recipients as r},
};

/// Notes the first open of the campaign by the guest.
pub fn record_open(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    campaign_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<()> {
    diesel::update(
        r::table
            .filter(r::tenant_id.eq(tenant_id))
            .filter(r::campaign_id.eq(campaign_id))
            .filter(r::guest_id.eq(guest_id))
            .filter(r::opened_at.is_null()),
    )
    .set(r::opened_at.eq(Utc::now()))
    .execute(conn)?;
    Ok(())
}

/// Records a click on the campaign's `link`-th target and returns where to
/// send the browser; `None` if the campaign has no such target or the
/// guest was not a recipient. A click also counts as an open.
pub fn record_click(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    campaign_id: Uuid,
    guest_id: Uuid,
    link: u16,
) -> QueryResult<Option<String>> {
    let campaign = get_campaign(conn, tenant_id, campaign_id)?;
    let variants: Variants = serde_json::from_value(campaign.variants).unwrap_or_default();
    let Some(target) = tracking::campaign_targets(&variants)
        .into_iter()
        .nth(usize::from(link))
    else {
        return Ok(None);
    };
    let now = Utc::now();
    let touched = diesel::update(
        r::table
            .filter(r::tenant_id.eq(tenant_id))
            .filter(r::campaign_id.eq(campaign_id))
            .filter(r::guest_id.eq(guest_id)),
    )
    .set((
        r::clicked_at.eq(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        >("coalesce(clicked_at, now())")),
        r::opened_at.eq(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        >("coalesce(opened_at, now())")),
    ))
    .execute(conn)?;
    if touched == 0 {
        return Ok(None);
    }
    let target = tracking::redirect_target(&target);
    diesel::insert_into(campaign_clicks::table)
        .values((
            campaign_clicks::id.eq(new_id()),
            campaign_clicks::tenant_id.eq(tenant_id),
            campaign_clicks::campaign_id.eq(campaign_id),
            campaign_clicks::guest_id.eq(guest_id),
            campaign_clicks::url.eq(&target),
            campaign_clicks::clicked_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(target))
}
