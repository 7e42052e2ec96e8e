//! A tenant's own transports (SMTP server, SMS provider), allowed hours and
//! marketing frequency cap.
//! Secrets are stored sealed; this module never sees them in the clear.

use chrono::{DateTime, NaiveTime, Utc};
use diesel::prelude::*;
use guestcare_domain::channels::cap::MarketingCap;
use uuid::Uuid;

use crate::schema::channel_settings;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = channel_settings, check_for_backend(diesel::pg::Pg))]
pub struct ChannelSettings {
    pub tenant_id: Uuid,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<i32>,
    pub smtp_security: Option<String>,
    pub smtp_username: Option<String>,
    pub smtp_password_sealed: Option<Vec<u8>>,
    pub mail_from: Option<String>,
    pub mail_domain: Option<String>,
    pub sms_provider: Option<String>,
    pub sms_config: serde_json::Value,
    pub sms_secret_sealed: Option<Vec<u8>>,
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
    pub updated_at: DateTime<Utc>,
    /// At most this many marketing messages per guest in `marketing_cap_days` days.
    pub marketing_cap: i32,
    pub marketing_cap_days: i32,
}

/// Every field staff set; secrets are replaced only when `Some`.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = channel_settings, treat_none_as_null = true)]
pub struct ChannelSettingsFields {
    pub smtp_host: Option<String>,
    pub smtp_port: Option<i32>,
    pub smtp_security: Option<String>,
    pub smtp_username: Option<String>,
    pub mail_from: Option<String>,
    pub mail_domain: Option<String>,
    pub sms_provider: Option<String>,
    pub sms_config: serde_json::Value,
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
}

/// The tenant's settings, or `None` when it uses the system defaults only.
pub fn get_channel_settings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> QueryResult<Option<ChannelSettings>> {
    channel_settings::table
        .filter(channel_settings::tenant_id.eq(tenant_id))
        .select(ChannelSettings::as_select())
        .first(conn)
        .optional()
}

/// Sets the tenant's marketing frequency cap (creating its settings row
/// with the defaults if it has none); the other settings stay.
pub fn set_marketing_cap(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cap: MarketingCap,
) -> QueryResult<ChannelSettings> {
    let values = (
        channel_settings::marketing_cap.eq(cap.messages),
        channel_settings::marketing_cap_days.eq(cap.days),
        channel_settings::updated_at.eq(diesel::dsl::now),
    );
    diesel::insert_into(channel_settings::table)
        .values((channel_settings::tenant_id.eq(tenant_id), values))
        .on_conflict(channel_settings::tenant_id)
        .do_update()
        .set(values)
        .returning(ChannelSettings::as_returning())
        .get_result(conn)
}

impl ChannelSettings {
    /// The cap stored for the tenant.
    pub fn marketing_cap(&self) -> MarketingCap {
        MarketingCap {
            messages: self.marketing_cap,
            days: self.marketing_cap_days,
        }
    }
}

/// Writes the tenant's settings. A sealed secret given as `Some(Some(..))`
/// replaces the stored one, `Some(None)` clears it, `None` keeps it.
pub fn put_channel_settings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    fields: &ChannelSettingsFields,
    smtp_password_sealed: Option<Option<Vec<u8>>>,
    sms_secret_sealed: Option<Option<Vec<u8>>>,
) -> QueryResult<ChannelSettings> {
    diesel::insert_into(channel_settings::table)
        .values((channel_settings::tenant_id.eq(tenant_id), fields))
        .on_conflict(channel_settings::tenant_id)
        .do_update()
        .set((fields, channel_settings::updated_at.eq(diesel::dsl::now)))
        .execute(conn)?;
    let scope = channel_settings::table.filter(channel_settings::tenant_id.eq(tenant_id));
    if let Some(sealed) = smtp_password_sealed {
        diesel::update(scope)
            .set(channel_settings::smtp_password_sealed.eq(sealed))
            .execute(conn)?;
    }
    if let Some(sealed) = sms_secret_sealed {
        diesel::update(scope)
            .set(channel_settings::sms_secret_sealed.eq(sealed))
            .execute(conn)?;
    }
    get_channel_settings(conn, tenant_id)?.ok_or(diesel::result::Error::NotFound)
}
