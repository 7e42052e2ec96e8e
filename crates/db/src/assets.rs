//! Images staff upload for e-mails, stored in Postgres with their SHA-256.
//! Each has an unguessable `public_token` under which hosted images are
//! served without authentication (`/a/{tenant slug}/{token}`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::{assets, tenants};

/// An asset without its bytes.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = assets, check_for_backend(diesel::pg::Pg))]
pub struct Asset {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub public_token: String,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i32,
    pub sha256: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// An asset's bytes and what a sender or the public route needs with them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assets, check_for_backend(diesel::pg::Pg))]
pub struct AssetFile {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub sha256: Vec<u8>,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = assets)]
pub struct NewAsset<'a> {
    pub id: Uuid,
    pub public_token: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub byte_size: i32,
    pub sha256: &'a [u8],
    pub bytes: &'a [u8],
}

pub fn insert_asset(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    asset: &NewAsset<'_>,
) -> QueryResult<Asset> {
    diesel::insert_into(assets::table)
        .values((assets::tenant_id.eq(tenant_id), asset))
        .returning(Asset::as_returning())
        .get_result(conn)
}

pub fn get_asset(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Asset> {
    assets::table
        .filter(assets::tenant_id.eq(tenant_id))
        .find(id)
        .select(Asset::as_select())
        .first(conn)
}

/// Which of `ids` are the tenant's assets.
pub fn existing_asset_ids(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    assets::table
        .filter(assets::tenant_id.eq(tenant_id))
        .filter(assets::id.eq_any(ids))
        .select(assets::id)
        .load(conn)
}

/// The bytes of the tenant's assets among `ids` (for inline parts and
/// attachments), in no particular order.
pub fn load_asset_files(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<Vec<AssetFile>> {
    assets::table
        .filter(assets::tenant_id.eq(tenant_id))
        .filter(assets::id.eq_any(ids))
        .select(AssetFile::as_select())
        .load(conn)
}

/// The asset published under `token` by the tenant with `slug`.
pub fn get_public_asset(
    conn: &mut PgConnection,
    tenant_slug: &str,
    token: &str,
) -> QueryResult<AssetFile> {
    assets::table
        .inner_join(tenants::table)
        .filter(tenants::slug.eq(tenant_slug))
        .filter(assets::public_token.eq(token))
        .select(AssetFile::as_select())
        .first(conn)
}
