//! Which reminder steps fall on which days: the one computation behind the
//! daily run (a single day) and the forecast (a period).

use chrono::NaiveDate;
use diesel::{
    prelude::*,
    sql_types::{Date, Nullable, Text, Uuid as SqlUuid},
};
use guestcare_domain::reminders::{Anchor, Step};
use uuid::Uuid;

use super::list_active_rules;

/// One step of one rule due for one guest on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueStep {
    pub rule_id: Uuid,
    pub rule_name: String,
    pub step: Step,
    pub guest_id: Uuid,
    /// The anchor's date the step counts from (the expiry, the check-out).
    pub anchor_date: NaiveDate,
    pub due_date: NaiveDate,
}

impl DueStep {
    /// `reminder:{rule}:{step}:{guest}:{anchor date}`: the send's dedupe
    /// key, so a step is sent once per anchor date whatever reruns; a new
    /// anchor date (a renewal) starts a fresh schedule.
    pub fn dedupe_key(&self) -> String {
        format!(
            "reminder:{}:{}:{}:{}",
            self.rule_id,
            self.step.key(),
            self.guest_id,
            self.anchor_date
        )
    }
}

#[derive(Debug, QueryableByName)]
struct Candidate {
    #[diesel(sql_type = SqlUuid)]
    guest_id: Uuid,
    #[diesel(sql_type = Date)]
    anchor: NaiveDate,
    /// The guest's first check-in after the anchor, if any.
    #[diesel(sql_type = Nullable<Date>)]
    next_check_in: Option<NaiveDate>,
}

/// Live guests only (not merged away, not erased).
const LIVE: &str = "g.merged_into IS NULL AND g.erased_at IS NULL";

/// Every step of the tenant's active date rules that falls in
/// `from..=to`, by due date, rule, guest. A step is due when its anchor
/// plus its offset is that day, computed from the data as it is now (a
/// renewal moves the anchor, so the old date's remaining steps are never
/// due); with `stop_on_new_stay`, not when the guest checked in after the
/// anchor and on or before the step's day.
pub fn due_between(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<DueStep>> {
    let mut due = Vec::new();
    for row in list_active_rules(conn, tenant_id)? {
        let Some(rule) = row.parse() else { continue };
        let windows: Vec<(NaiveDate, NaiveDate)> = rule
            .steps
            .iter()
            .filter_map(|s| s.offset.anchor_window(from, to))
            .collect();
        let (Some(lo), Some(hi)) = (
            windows.iter().map(|w| w.0).min(),
            windows.iter().map(|w| w.1).max(),
        ) else {
            continue;
        };
        let Some(sql) = candidates_sql(&rule.anchor) else {
            continue;
        };
        let candidates: Vec<Candidate> = diesel::sql_query(sql)
            .bind::<SqlUuid, _>(tenant_id)
            .bind::<Text, _>(rule.anchor.key().unwrap_or(""))
            .bind::<Date, _>(lo)
            .bind::<Date, _>(hi)
            .load(conn)?;
        for step in &rule.steps {
            for c in &candidates {
                let Some(day) = step.offset.due_date(c.anchor) else {
                    continue;
                };
                let stopped = row.stop_on_new_stay && c.next_check_in.is_some_and(|d| d <= day);
                if (from..=to).contains(&day) && !stopped {
                    due.push(DueStep {
                        rule_id: row.id,
                        rule_name: rule.name.clone(),
                        step: *step,
                        guest_id: c.guest_id,
                        anchor_date: c.anchor,
                        due_date: day,
                    });
                }
            }
        }
    }
    due.sort_by_key(|d| (d.due_date, d.rule_id, d.guest_id, d.step.offset));
    Ok(due)
}

/// The query listing `(guest_id, anchor, next_check_in)` with the anchor
/// in `$3..=$4` for tenant `$1` (`$2` is the anchor key); `None` for event
/// rules, which have no dates.
fn candidates_sql(anchor: &Anchor) -> Option<String> {
    let anchors = match anchor {
        Anchor::GuestDate(_) => format!(
            "SELECT d.guest_id, d.date AS anchor FROM guest_dates d \
             JOIN guests g ON g.id = d.guest_id AND g.tenant_id = d.tenant_id \
             WHERE d.tenant_id = $1 AND d.kind = $2 AND d.date BETWEEN $3 AND $4 AND {LIVE}"
        ),
        Anchor::StayCheckOut => format!(
            "SELECT DISTINCT s.guest_id, s.check_out AS anchor FROM stays s \
             JOIN guests g ON g.id = s.guest_id AND g.tenant_id = s.tenant_id \
             WHERE s.tenant_id = $1 AND $2 = $2 AND s.check_out BETWEEN $3 AND $4 AND {LIVE}"
        ),
        Anchor::LastStay => format!(
            "SELECT l.guest_id, l.anchor FROM ( \
                 SELECT s.guest_id, max(coalesce(s.check_out, s.check_in)) AS anchor \
                 FROM stays s WHERE s.tenant_id = $1 GROUP BY s.guest_id) l \
             JOIN guests g ON g.id = l.guest_id AND g.tenant_id = $1 \
             WHERE $2 = $2 AND l.anchor BETWEEN $3 AND $4 AND {LIVE}"
        ),
        Anchor::CarePeriodEnd => format!(
            "SELECT g.id AS guest_id, upper(g.care_period) AS anchor FROM guests g \
             WHERE g.tenant_id = $1 AND $2 = $2 AND upper(g.care_period) BETWEEN $3 AND $4 \
               AND {LIVE}"
        ),
        Anchor::Event(_) => return None,
    };
    Some(format!(
        "SELECT c.guest_id, c.anchor, \
                (SELECT min(s.check_in) FROM stays s \
                 WHERE s.tenant_id = $1 AND s.guest_id = c.guest_id AND s.check_in > c.anchor) \
                AS next_check_in \
         FROM ({anchors}) c"
    ))
}
