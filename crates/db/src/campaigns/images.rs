//! Inline images of campaign e-mail (`cid:{asset id}` in a variant's
//! HTML). The asset bytes are stored once per language variant, as the
//! parts of the first message written in that language (its carrier, kept
//! in `campaigns.image_carriers`); every later message of the variant names
//! the carrier in `messages.parts_of`, which the sender follows.

use std::collections::BTreeMap;

use diesel::{
    prelude::*,
    sql_types::{Array, Uuid as SqlUuid},
};
use guestcare_domain::{Language, campaigns::Variants, templates::cid_references};
use uuid::Uuid;

use super::Campaign;
use crate::{
    assets,
    messages::{Message, NewMessagePart, insert_message_part},
    schema::campaigns,
};

/// Gives `fresh` (messages just written for the campaign) their variant's
/// inline images, in the caller's transaction.
pub(super) fn attach_images(
    conn: &mut PgConnection,
    campaign: &Campaign,
    variants: &Variants,
    fresh: &[&Message],
) -> QueryResult<()> {
    let mut carriers: BTreeMap<Language, Uuid> =
        serde_json::from_value(campaign.image_carriers.clone()).unwrap_or_default();
    let known = carriers.len();
    let (mut ids, mut owners) = (Vec::new(), Vec::new());
    for message in fresh {
        let Some(language) = message.language.as_deref().and_then(|l| l.parse().ok()) else {
            continue;
        };
        let Some(variant) = variants.get(&language) else {
            continue;
        };
        let assets = cid_references(&variant.html).unwrap_or_default();
        if assets.is_empty() {
            continue;
        }
        match carriers.get(&language) {
            Some(carrier) => {
                ids.push(message.id);
                owners.push(*carrier);
            }
            None => {
                store_parts(conn, campaign.tenant_id, message.id, &assets)?;
                carriers.insert(language, message.id);
            }
        }
    }
    if !ids.is_empty() {
        diesel::sql_query(
            "UPDATE messages m SET parts_of = v.o FROM unnest($2::uuid[], $3::uuid[]) AS v(id, o) \
             WHERE m.tenant_id = $1 AND m.id = v.id",
        )
        .bind::<SqlUuid, _>(campaign.tenant_id)
        .bind::<Array<SqlUuid>, _>(ids)
        .bind::<Array<SqlUuid>, _>(owners)
        .execute(conn)?;
    }
    if carriers.len() > known {
        diesel::update(campaigns::table.find(campaign.id))
            .set(campaigns::image_carriers.eq(serde_json::json!(carriers)))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores the assets as inline parts of `message_id`.
fn store_parts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    message_id: Uuid,
    asset_ids: &[Uuid],
) -> QueryResult<()> {
    for part in image_parts(conn, tenant_id, asset_ids)? {
        insert_message_part(conn, tenant_id, message_id, &part)?;
    }
    Ok(())
}

/// The assets as inline parts (`Content-ID` = the asset id, as
/// `cid:{asset id}` names it): what a variant's e-mail (or a test send of
/// it) carries.
pub fn image_parts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    asset_ids: &[Uuid],
) -> QueryResult<Vec<NewMessagePart>> {
    Ok(assets::load_asset_files(conn, tenant_id, asset_ids)?
        .into_iter()
        .map(|file| NewMessagePart {
            content_id: Some(file.id.to_string()),
            filename: file.file_name,
            content_type: file.content_type,
            data: file.bytes,
        })
        .collect())
}
