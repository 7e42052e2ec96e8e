//! What became of a campaign's recipients: live progress and per-language
//! and per-segment breakdowns, counted in SQL from the recipient rows and
//! their messages (whose status the worker, and the bounce handling of
//! inbound mail, keep current).

use std::collections::BTreeMap;

use diesel::{
    prelude::*,
    sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid},
};
use uuid::Uuid;

use super::Campaign;

/// Counts by outcome. `pending`: not yet handed to the message path;
/// `queued`, `sent`, `failed`, `bounced`: the message's status;
/// `suppressed`: withheld, with `reasons` (`no_consent`, `frequency_cap`,
/// `suppressed_address`, `no_address`, `hard_bounce`, `unsubscribe`, …;
/// `render_error` for a text that failed to render for the guest).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub recipients: i64,
    pub pending: i64,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub bounced: i64,
    pub suppressed: i64,
    pub reasons: BTreeMap<String, i64>,
    pub opened: i64,
    pub clicked: i64,
    /// Recipients who withdrew e-mail marketing consent through an
    /// unsubscribe link since the campaign started.
    pub unsubscribed: i64,
}

impl Progress {
    fn add(&mut self, status: &str, reason: Option<String>, n: i64) {
        self.recipients += n;
        match status {
            "pending" => self.pending += n,
            "queued" => self.queued += n,
            "sent" => self.sent += n,
            "bounced" => self.bounced += n,
            "suppressed" => self.suppressed += n,
            _ => self.failed += n,
        }
        if let Some(reason) = reason {
            *self.reasons.entry(reason).or_default() += n;
        }
    }
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Text>)]
    reason: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    opened: i64,
    #[diesel(sql_type = BigInt)]
    clicked: i64,
}

/// Counts grouped by `key_sql` (an expression over `r` and `m`).
fn counts(
    conn: &mut PgConnection,
    campaign: &Campaign,
    key_sql: &str,
) -> QueryResult<BTreeMap<Option<String>, Progress>> {
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT {key_sql} AS key, \
           CASE WHEN r.error IS NOT NULL THEN 'failed' ELSE coalesce(m.status, 'pending') END AS status, \
           CASE WHEN r.error IS NOT NULL THEN 'render_error' ELSE m.suppression_reason END AS reason, \
           count(*) AS n, count(r.opened_at) AS opened, count(r.clicked_at) AS clicked \
         FROM campaign_recipients r \
         LEFT JOIN messages m ON m.id = r.message_id AND m.tenant_id = r.tenant_id \
         WHERE r.tenant_id = $1 AND r.campaign_id = $2 GROUP BY 1, 2, 3"
    ))
    .bind::<SqlUuid, _>(campaign.tenant_id)
    .bind::<SqlUuid, _>(campaign.id)
    .load(conn)?;
    let mut out: BTreeMap<Option<String>, Progress> = BTreeMap::new();
    for row in rows {
        let entry = out.entry(row.key).or_default();
        entry.add(&row.status, row.reason, row.n);
        entry.opened += row.opened;
        entry.clicked += row.clicked;
    }
    Ok(out)
}

/// The campaign's progress, readable at any time.
pub fn campaign_progress(conn: &mut PgConnection, campaign: &Campaign) -> QueryResult<Progress> {
    let mut total = counts(conn, campaign, "NULL::text")?
        .remove(&None)
        .unwrap_or_default();
    total.unsubscribed = unsubscribed(conn, campaign)?;
    Ok(total)
}

/// Results by the language each guest was written in and by the segment
/// that brought them (`None`: tiers, tags, lists or everyone).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Breakdown {
    pub by_language: BTreeMap<String, Progress>,
    pub by_segment: Vec<(Option<Uuid>, Progress)>,
}

pub fn campaign_breakdowns(conn: &mut PgConnection, campaign: &Campaign) -> QueryResult<Breakdown> {
    let by_language = counts(conn, campaign, "m.language")?
        .into_iter()
        .map(|(k, v)| (k.unwrap_or_else(|| "none".to_owned()), v))
        .collect();
    let by_segment = counts(conn, campaign, "r.segment_id::text")?
        .into_iter()
        .map(|(k, v)| (k.and_then(|s| s.parse().ok()), v))
        .collect();
    Ok(Breakdown {
        by_language,
        by_segment,
    })
}

fn unsubscribed(conn: &mut PgConnection, campaign: &Campaign) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let Some(started) = campaign.started_at else {
        return Ok(0);
    };
    Ok(diesel::sql_query(
        "SELECT count(DISTINCT e.guest_id) AS n FROM consent_events e \
         JOIN campaign_recipients r ON r.tenant_id = e.tenant_id AND r.guest_id = e.guest_id \
         WHERE r.tenant_id = $1 AND r.campaign_id = $2 AND e.source = 'unsubscribe_link' \
         AND e.channel = 'email' AND e.purpose = 'marketing' AND e.status = 'withdrawn' \
         AND e.occurred_at >= $3",
    )
    .bind::<SqlUuid, _>(campaign.tenant_id)
    .bind::<SqlUuid, _>(campaign.id)
    .bind::<diesel::sql_types::Timestamptz, _>(started)
    .get_result::<Count>(conn)?
    .n)
}
