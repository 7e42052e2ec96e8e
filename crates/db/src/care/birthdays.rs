//! The birthday scan: on each tenant-local morning, a call task for every
//! guest celebrating that day (29 February birthdays on 28 February in
//! common years), with the guest's profile, last stay and a call script in
//! the guest's language; optionally the birthday message with a voucher.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::{
    dsl::sql,
    prelude::*,
    sql_types::{Array, Bool, Text},
};
use guestcare_domain::{
    care::{birthday, script, tasks::TaskKind},
    guest::GuestCode,
    signed_token::GuestLinks,
    templates::{Channel, Purpose},
};
use uuid::Uuid;

use super::{get_care_settings, guest_language, local_run};
use crate::{
    guests::Guest,
    messages::{GuestMessage, SendError, SendOutcome, send_to_guest},
    schema::{guests, stays},
    stays::Stay,
    tasks::{NewTask, create_task},
    timeline::Actor,
};

/// The job kind of the scan; its schedule is `care.birthdays`.
pub const BIRTHDAYS: &str = "care_birthdays";

/// What one scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BirthdayReport {
    /// Guests celebrating that day.
    pub guests: usize,
    /// Call tasks created (0 for guests whose task of that year exists).
    pub tasks_created: usize,
    /// Birthday messages queued (not withheld, not repeated).
    pub messages_queued: usize,
    /// Birthday messages that could not be rendered (no template).
    pub messages_failed: usize,
}

/// The gift voucher of a guest's birthday in `year`: the tenant's prefix,
/// the year and six hexadecimal digits from the guest id's random bits, so
/// the same for every run of that year, e.g. `BDAY-2027-3F9A1C`.
pub fn voucher_code(prefix: &str, guest_id: Uuid, year: i32) -> String {
    let hex = guest_id.simple().to_string().to_uppercase();
    let tail = hex.get(hex.len().saturating_sub(6)..).unwrap_or_default();
    format!("{prefix}-{year}-{tail}")
}

/// Runs the scan for the tenant-local day of `at`, in the caller's
/// transaction. One task per guest per year (occurrence key
/// `birthday:{guest}:{year}`), one message per guest per year (dedupe key
/// the same), whatever the number of runs.
pub fn run_birthday_scan(
    conn: &mut PgConnection,
    links: &GuestLinks,
    tenant_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<BirthdayReport> {
    let run = local_run(conn, tenant_id, at)?;
    let settings = get_care_settings(conn, tenant_id)?;
    let staff_language = run
        .tenant
        .default_language
        .parse()
        .unwrap_or(guestcare_domain::Language::En);
    let celebrating = celebrating_on(conn, tenant_id, run.date)?;
    let year = run.date.year();
    let mut report = BirthdayReport {
        guests: celebrating.len(),
        ..BirthdayReport::default()
    };
    for guest in &celebrating {
        let key = format!("birthday:{}:{year}", guest.id);
        let language = guest_language(guest, &run.tenant);
        let voucher = voucher_code(&settings.voucher_prefix, guest.id, year);
        let voucher_shown = settings.birthday_channel.is_some().then_some(&voucher);
        let context = profile(conn, guest, year, language, voucher_shown)?;
        let created = create_task(
            conn,
            tenant_id,
            &NewTask {
                kind: TaskKind::Call,
                guest_id: guest.id,
                due_on: run.date,
                assignee_id: None,
                title: script::birthday_title(staff_language, &guest.full_name),
                script: Some(script::birthday_call(
                    language,
                    &guest.full_name,
                    &run.tenant.name,
                )),
                context,
                source: "birthday".to_owned(),
                occurrence_key: Some(key.clone()),
                actor: Actor::SYSTEM,
            },
        )?;
        report.tasks_created += usize::from(created.created);
        let Some(channel) = settings
            .birthday_channel
            .as_deref()
            .and_then(|c| c.parse::<Channel>().ok())
        else {
            continue;
        };
        let valid_until = run.date + Duration::days(settings.voucher_valid_days.into());
        let message = GuestMessage {
            guest_id: guest.id,
            channel,
            purpose: Purpose::Birthday,
            extra: [
                ("voucher_code".to_owned(), voucher.into()),
                ("valid_until".to_owned(), valid_until.to_string().into()),
            ]
            .into(),
            occasion: None,
            text: Default::default(),
            dedupe_key: key,
            actor: Actor::SYSTEM,
        };
        match send_to_guest(conn, tenant_id, &message, links) {
            Ok(SendOutcome::Queued(_)) => report.messages_queued += 1,
            Ok(_) => {}
            Err(SendError::Query(error)) => return Err(error),
            Err(SendError::NoTemplate | SendError::Template(_)) => report.messages_failed += 1,
        }
    }
    Ok(report)
}

/// The tenant's live guests celebrating their birthday on `date`, by code.
pub(super) fn celebrating_on(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    date: NaiveDate,
) -> QueryResult<Vec<Guest>> {
    let days: Vec<String> = birthday::birth_days_celebrated_on(date)
        .into_iter()
        .map(|(m, d)| format!("{m:02}-{d:02}"))
        .collect();
    guests::table
        .filter(guests::tenant_id.eq(tenant_id))
        .filter(guests::merged_into.is_null())
        .filter(guests::erased_at.is_null())
        .filter(
            sql::<Bool>("to_char(birth_date, 'MM-DD') = ANY(")
                .bind::<Array<Text>, _>(days)
                .sql(")"),
        )
        .select(Guest::as_select())
        .order(guests::code.asc())
        .load(conn)
}

/// What the caller sees with the task: who the guest is and their last stay.
fn profile(
    conn: &mut PgConnection,
    guest: &Guest,
    year: i32,
    language: guestcare_domain::Language,
    voucher: Option<&String>,
) -> QueryResult<serde_json::Value> {
    let last_stay: Option<Stay> = stays::table
        .filter(stays::tenant_id.eq(guest.tenant_id))
        .filter(stays::guest_id.eq(guest.id))
        .select(Stay::as_select())
        .order((stays::check_in.desc(), stays::id.desc()))
        .first(conn)
        .optional()?;
    let age = guest
        .birth_date
        .map(|b: NaiveDate| birthday::age_in(b, year));
    Ok(serde_json::json!({
        "guest": {
            "code": GuestCode::from_number(guest.code.unsigned_abs()).to_string(),
            "full_name": guest.full_name,
            "age": age,
            "language": language.as_str(),
            "nationality": guest.nationality,
            "tier": guest.tier,
            "phone": guest.phones.iter().flatten().next(),
            "email": guest.email,
        },
        "last_stay": last_stay.map(|s| serde_json::json!({
            "check_in": s.check_in,
            "check_out": s.check_out,
            "property": s.property,
            "room_type": s.room_type,
        })),
        "voucher_code": voucher,
    }))
}
