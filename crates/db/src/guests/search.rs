//! Listing and searching guests the way staff type: a name without
//! diacritics in any case (`nguyen van a` finds `Nguyễn Văn A`), a guest code,
//! a phone number in any format, an e-mail address or a national ID number.

use diesel::{
    pg::Pg,
    prelude::*,
    sql_types::{Bool, Nullable},
};
use guestcare_domain::{
    Country, Phone,
    guest::{GuestCode, national_id::normalise_number},
    text::fold,
};
use uuid::Uuid;

use super::{Guest, GuestKeys, resolve::lower};
use crate::{Cursor, schema::guests};

type Condition = Box<dyn BoxableExpression<guests::table, Pg, SqlType = Nullable<Bool>>>;

fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    format!("%{escaped}%")
}

/// The conditions `q` may mean, any of which matches.
fn conditions(
    keys: &GuestKeys,
    tenant_id: Uuid,
    tenant_country: Country,
    q: &str,
) -> Option<Condition> {
    let folded = fold(q);
    if folded.is_empty() {
        return None;
    }
    let mut any: Condition = Box::new(guests::name_folded.like(like_pattern(&folded)).nullable());
    if let Some(code) = GuestCode::parse(q).and_then(|c| i64::try_from(c.number()).ok()) {
        any = Box::new(any.or(guests::code.eq(code).nullable()));
    }
    if let Ok(phone) = Phone::parse(q, tenant_country) {
        let wanted = vec![Some(phone.to_string())];
        any = Box::new(any.or(guests::phones.contains(wanted).nullable()));
    }
    if q.contains('@') {
        any = Box::new(any.or(lower(guests::email).eq(q.trim().to_lowercase())));
    }
    let number = normalise_number(q);
    if (3..=30).contains(&number.len())
        && number.chars().all(|c| c.is_ascii_alphanumeric())
        && number.chars().any(|c| c.is_ascii_digit())
    {
        let digest = keys.digest(tenant_id, &number);
        any = Box::new(any.or(guests::national_id_digest.eq(digest)));
    }
    Some(any)
}

/// Up to `limit + 1` live guests (not merged away, not erased) matching `q`
/// (every guest without it), newest first, before `cursor`. National
/// phone numbers in `q` are read in `tenant_country`.
pub fn search_guests(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    tenant_country: Country,
    q: Option<&str>,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Guest>> {
    let mut query = guests::table
        .filter(guests::tenant_id.eq(tenant_id))
        .filter(guests::merged_into.is_null())
        .filter(guests::erased_at.is_null())
        .select(Guest::as_select())
        .order(guests::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(guests::id.lt(before));
    }
    match q.map(|q| conditions(keys, tenant_id, tenant_country, q)) {
        None | Some(None) => {}
        Some(Some(condition)) => query = query.filter(condition),
    }
    query.load(conn)
}
