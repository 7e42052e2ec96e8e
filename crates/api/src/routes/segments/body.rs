//! The JSON shapes of segments and their validation.

use chrono::{DateTime, Utc};
use guestcare_db::segments::{SampleGuest, Segment};
use guestcare_domain::{ValidationErrors, bounded_text, guest::GuestCode, segment::Filter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A saved segment.
#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentView {
    pub id: Uuid,
    pub name: String,
    /// The filter as saved; see the segment filter reference in the docs.
    #[schema(value_type = Object)]
    pub filter: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Segment> for SegmentView {
    fn from(s: Segment) -> Self {
        SegmentView {
            id: s.id,
            name: s.name,
            filter: s.filter,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSegmentRequest {
    /// 1–200 characters, unique in the tenant.
    pub name: String,
    /// e.g. `{"and": [{"nationality": ["TW"]}, {"stays": {"min": 2}}]}`.
    #[schema(value_type = Object)]
    pub filter: serde_json::Value,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentUpdate {
    pub name: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub filter: Option<serde_json::Value>,
}

/// Validates a segment's name and filter; the cleaned name. Errors carry
/// `name` or `filter.<path>`.
pub(super) fn validate(name: &str, filter: &serde_json::Value) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let name = errors.check("name", bounded_text(name, 1, 200));
    if let Err(found) = Filter::parse(filter) {
        for error in found {
            errors.push(error.at("filter"));
        }
    }
    match name {
        Some(name) if errors.is_empty() => Ok(name),
        _ => Err(errors),
    }
}

/// `?sample=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// How many guests to show, 0–100 (default 20).
    pub sample: Option<i64>,
}

/// How many guests a segment selects now, and some of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentPreview {
    pub count: i64,
    pub sample: Vec<SampleGuestView>,
}

/// A guest in a preview.
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleGuestView {
    pub id: Uuid,
    /// e.g. `G-000123`.
    pub code: String,
    pub full_name: String,
    pub nationality: Option<String>,
    pub tier: Option<String>,
}

impl From<SampleGuest> for SampleGuestView {
    fn from(g: SampleGuest) -> Self {
        SampleGuestView {
            id: g.id,
            code: GuestCode::from_number(u64::try_from(g.code).unwrap_or(0)).to_string(),
            full_name: g.full_name,
            nationality: g.nationality,
            tier: g.tier,
        }
    }
}
