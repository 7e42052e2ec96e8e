//! Canned responses: a tenant's reusable answers, written with the message
//! templates' variables (`guest.*`, `tenant.name`, `extra.ticket_number`,
//! `extra.agent_name`) and rendered by the same engine for one ticket.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    templates::{self, Content, Context, TemplateError, TenantVars},
};
use uuid::Uuid;

use super::Ticket;
use crate::{
    Cursor, guests,
    messages::{guest_vars, language_of},
    new_id,
    schema::canned_responses,
    tenants,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = canned_responses, check_for_backend(diesel::pg::Pg))]
pub struct CannedResponse {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The template content a canned body is checked and rendered as.
pub fn canned_content(body: &str) -> Content {
    Content::Sms {
        body: body.to_owned(),
        strip_diacritics: false,
    }
}

pub fn insert_canned(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    name: &str,
    body: &str,
) -> QueryResult<CannedResponse> {
    diesel::insert_into(canned_responses::table)
        .values((
            canned_responses::id.eq(new_id()),
            canned_responses::tenant_id.eq(tenant_id),
            canned_responses::name.eq(name),
            canned_responses::body.eq(body),
        ))
        .returning(CannedResponse::as_returning())
        .get_result(conn)
}

pub fn get_canned(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<CannedResponse> {
    canned_responses::table
        .filter(canned_responses::tenant_id.eq(tenant_id))
        .find(id)
        .select(CannedResponse::as_select())
        .first(conn)
}

/// Up to `limit + 1` canned responses after `cursor`, oldest first.
pub fn list_canned(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<CannedResponse>> {
    let mut query = canned_responses::table
        .filter(canned_responses::tenant_id.eq(tenant_id))
        .select(CannedResponse::as_select())
        .order(canned_responses::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(canned_responses::id.gt(after));
    }
    query.load(conn)
}

pub fn update_canned(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    name: &str,
    body: &str,
) -> QueryResult<CannedResponse> {
    diesel::update(
        canned_responses::table
            .filter(canned_responses::tenant_id.eq(tenant_id))
            .find(id),
    )
    .set((
        canned_responses::name.eq(name),
        canned_responses::body.eq(body),
        canned_responses::updated_at.eq(diesel::dsl::now),
    ))
    .returning(CannedResponse::as_returning())
    .get_result(conn)
}

/// Deletes it; `NotFound` if the tenant has no such canned response.
pub fn delete_canned(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        canned_responses::table
            .filter(canned_responses::tenant_id.eq(tenant_id))
            .find(id),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// Why a canned response could not be rendered for a ticket.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("template: {0:?}")]
    Template(TemplateError),
}

/// `body` rendered for `ticket`: in its guest's language (else the
/// tenant's default), with the guest's and tenant's variables,
/// `extra.ticket_number` and `extra.agent_name`.
pub fn render_canned(
    conn: &mut PgConnection,
    ticket: &Ticket,
    body: &str,
    agent_name: Option<&str>,
) -> Result<String, RenderError> {
    let tenant = tenants::get_tenant(conn, ticket.tenant_id)?;
    let default: Language = tenant.default_language.parse().unwrap_or(Language::En);
    let guest = ticket
        .guest_id
        .map(|id| guests::get_guest(conn, ticket.tenant_id, id))
        .transpose()?;
    let language = guest.as_ref().map_or(default, |g| language_of(g, default));
    let mut extra = BTreeMap::from([(
        "ticket_number".to_owned(),
        ticket.number().to_string().into(),
    )]);
    if let Some(name) = agent_name {
        extra.insert("agent_name".to_owned(), name.into());
    }
    let context = Context {
        guest: guest.as_ref().map(|g| guest_vars(g, language)),
        tenant: TenantVars {
            name: tenant.name,
            ..TenantVars::default()
        },
        occasion: None,
        extra,
    };
    let rendered = templates::render(&canned_content(body), language, &context)
        .map_err(RenderError::Template)?;
    Ok(rendered.body().unwrap_or_default().to_owned())
}
