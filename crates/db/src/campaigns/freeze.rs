//! Freezing a campaign's audience into `campaign_recipients` when sending
//! starts: one `INSERT … SELECT` over the audience's compiled segment
//! filter, then one `UPDATE` per included segment to note which segment
//! brought each guest (for per-segment results).

use diesel::prelude::*;
use guestcare_domain::{campaigns::Audience, segment::Filter};
use uuid::Uuid;

use super::Campaign;
use crate::segments::{self, Bind, bound, compile};

/// Inserts a recipient row for every guest the audience selects now (live
/// guests only; a guest already frozen stays as is), each with the instant
/// it may be sent (now, or the campaign's local date and time in the
/// guest's zone, else the tenant's); returns how many rows the campaign
/// has.
pub fn freeze_audience(conn: &mut PgConnection, campaign: &Campaign) -> QueryResult<i64> {
    let tenant_id = campaign.tenant_id;
    let audience: Audience = serde_json::from_value(campaign.audience.clone())
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let mut saved = Vec::new();
    for id in audience.segment_ids() {
        saved.push((id, segment_filter(conn, tenant_id, id)?));
    }
    let filter_of = |id: Uuid| {
        saved
            .iter()
            .find(|(s, _)| *s == id)
            .map_or(Filter::Or(Vec::new()), |(_, f)| f.clone())
    };
    let today = chrono::Utc::now().date_naive();
    let c = compile(tenant_id, &audience.filter(filter_of), today);
    let mut binds = c.binds;
    binds.push(Bind::Uuid(campaign.id));
    let campaign_param = binds.len();
    let send_after = match (campaign.local_date, campaign.local_time) {
        (Some(date), Some(time)) => {
            binds.push(Bind::Text(date.and_time(time).to_string()));
            format!(
                "(${}::timestamp AT TIME ZONE coalesce(g.time_zone, t.time_zone))",
                binds.len()
            )
        }
        _ => "now()".to_owned(),
    };
    let sql = format!(
        "INSERT INTO campaign_recipients (tenant_id, campaign_id, guest_id, send_after) \
         SELECT $1, ${campaign_param}, g.id, {send_after} \
         FROM guests g JOIN tenants t ON t.id = g.tenant_id \
         WHERE g.tenant_id = $1 AND g.id IN ({}) \
         ON CONFLICT DO NOTHING",
        c.sql
    );
    bound(&sql, binds).execute(conn)?;
    for id in &audience.include.segment_ids {
        let Some((_, filter)) = saved.iter().find(|(s, _)| s == id) else {
            continue;
        };
        let c = compile(tenant_id, filter, today);
        let mut binds = c.binds;
        binds.push(Bind::Uuid(campaign.id));
        binds.push(Bind::Uuid(*id));
        let sql = format!(
            "UPDATE campaign_recipients SET segment_id = ${} \
             WHERE tenant_id = $1 AND campaign_id = ${} AND segment_id IS NULL \
             AND guest_id IN ({})",
            binds.len(),
            binds.len() - 1,
            c.sql
        );
        bound(&sql, binds).execute(conn)?;
    }
    use crate::schema::campaign_recipients as r;
    r::table
        .filter(r::tenant_id.eq(tenant_id))
        .filter(r::campaign_id.eq(campaign.id))
        .count()
        .get_result(conn)
}

/// A saved segment's filter; a deleted or unreadable segment selects no one.
fn segment_filter(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Filter> {
    Ok(segments::get_segment(conn, tenant_id, id)
        .optional()?
        .and_then(|s| Filter::parse(&s.filter).ok())
        .unwrap_or(Filter::Or(Vec::new())))
}
