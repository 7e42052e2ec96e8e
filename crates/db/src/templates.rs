//! A tenant's own message templates, one per (purpose, channel, language).
//! Purpose, channel and language are stored as their API names
//! (`birthday`, `email`, `zh-Hant`). An e-mail template keeps its subject
//! and HTML in `subject` and `html` and its plain-text part in `body`; an SMS
//! template has only `body`.

use chrono::{DateTime, Utc};
use diesel::{pg::upsert::excluded, prelude::*};
use guestcare_domain::templates::Content;
use uuid::Uuid;

use crate::schema::templates;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = templates, check_for_backend(diesel::pg::Pg))]
pub struct Template {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub purpose: String,
    pub channel: String,
    pub language: String,
    pub subject: Option<String>,
    pub html: Option<String>,
    pub body: String,
    pub strip_diacritics: bool,
    /// Assets the HTML embeds with `cid:`, in order of first use.
    pub inline_asset_ids: Vec<Option<Uuid>>,
    /// Assets attached to every message.
    pub attachment_ids: Vec<Option<Uuid>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Template {
    /// The source to render: an e-mail when it has a subject and HTML, else
    /// an SMS.
    pub fn content(&self) -> Content {
        match (&self.subject, &self.html) {
            (Some(subject), Some(html)) => Content::Email {
                subject: subject.clone(),
                html: html.clone(),
                text: self.body.clone(),
            },
            _ => Content::Sms {
                body: self.body.clone(),
                strip_diacritics: self.strip_diacritics,
            },
        }
    }
}

/// Which template: purpose, channel and language names.
#[derive(Debug, Clone, Copy)]
pub struct TemplateKey<'a> {
    pub purpose: &'a str,
    pub channel: &'a str,
    pub language: &'a str,
}

/// Everything a save replaces.
#[derive(Debug, Insertable)]
#[diesel(table_name = templates)]
pub struct TemplateFields<'a> {
    pub purpose: &'a str,
    pub channel: &'a str,
    pub language: &'a str,
    pub subject: Option<&'a str>,
    pub html: Option<&'a str>,
    pub body: &'a str,
    pub strip_diacritics: bool,
    pub inline_asset_ids: Vec<Option<Uuid>>,
    pub attachment_ids: Vec<Option<Uuid>>,
}

/// Every template of the tenant, by purpose, channel and language.
pub fn list_templates(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<Vec<Template>> {
    templates::table
        .filter(templates::tenant_id.eq(tenant_id))
        .select(Template::as_select())
        .order((
            templates::purpose.asc(),
            templates::channel.asc(),
            templates::language.asc(),
        ))
        .load(conn)
}

pub fn get_template(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    key: TemplateKey<'_>,
) -> QueryResult<Template> {
    templates::table
        .filter(templates::tenant_id.eq(tenant_id))
        .filter(templates::purpose.eq(key.purpose))
        .filter(templates::channel.eq(key.channel))
        .filter(templates::language.eq(key.language))
        .select(Template::as_select())
        .first(conn)
}

/// The languages the tenant has its own template in for a purpose and
/// channel: what the fallback choice between tenant and built-in texts needs.
pub fn list_template_languages(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    purpose: &str,
    channel: &str,
) -> QueryResult<Vec<String>> {
    templates::table
        .filter(templates::tenant_id.eq(tenant_id))
        .filter(templates::purpose.eq(purpose))
        .filter(templates::channel.eq(channel))
        .select(templates::language)
        .load(conn)
}

/// Inserts the template or replaces the one with the same key; `new_id` is
/// used only on insert. Returns the row and whether it was created.
pub fn upsert_template(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    new_id: Uuid,
    fields: &TemplateFields<'_>,
) -> QueryResult<(Template, bool)> {
    let row = diesel::insert_into(templates::table)
        .values((
            templates::id.eq(new_id),
            templates::tenant_id.eq(tenant_id),
            fields,
        ))
        .on_conflict((
            templates::tenant_id,
            templates::purpose,
            templates::channel,
            templates::language,
        ))
        .do_update()
        .set((
            templates::subject.eq(excluded(templates::subject)),
            templates::html.eq(excluded(templates::html)),
            templates::body.eq(excluded(templates::body)),
            templates::strip_diacritics.eq(excluded(templates::strip_diacritics)),
            templates::inline_asset_ids.eq(excluded(templates::inline_asset_ids)),
            templates::attachment_ids.eq(excluded(templates::attachment_ids)),
            templates::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Template::as_returning())
        .get_result::<Template>(conn)?;
    let created = row.id == new_id;
    Ok((row, created))
}

/// Deletes the template; `NotFound` if the tenant has none with this key.
pub fn delete_template(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    key: TemplateKey<'_>,
) -> QueryResult<Uuid> {
    diesel::delete(
        templates::table
            .filter(templates::tenant_id.eq(tenant_id))
            .filter(templates::purpose.eq(key.purpose))
            .filter(templates::channel.eq(key.channel))
            .filter(templates::language.eq(key.language)),
    )
    .returning(templates::id)
    .get_result(conn)
}
