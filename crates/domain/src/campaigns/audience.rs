//! Who a campaign is for: everyone, or the union of segments, tiers, tags
//! and listed guests, less the exclusions.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{FieldError, ValidationErrors, guest::Tier, segment::Filter};

/// The most guests an audience may list by id.
pub const MAX_LISTED: usize = 10_000;

/// Guests chosen by saved segment, tier, tag (any of) or id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Selection {
    pub segment_ids: Vec<Uuid>,
    #[schema(value_type = Vec<String>)]
    pub tiers: Vec<Tier>,
    pub tags: Vec<String>,
    pub guest_ids: Vec<Uuid>,
}

impl Selection {
    fn is_empty(&self) -> bool {
        self.segment_ids.is_empty()
            && self.tiers.is_empty()
            && self.tags.is_empty()
            && self.guest_ids.is_empty()
    }

    /// The union as a filter; `segment` gives a saved segment's filter.
    fn filter(&self, segment: &impl Fn(Uuid) -> Filter) -> Filter {
        let mut any: Vec<Filter> = self.segment_ids.iter().map(|id| segment(*id)).collect();
        if !self.tiers.is_empty() {
            any.push(Filter::Tier(self.tiers.clone()));
        }
        if !self.tags.is_empty() {
            any.push(Filter::TagsAny(self.tags.clone()));
        }
        if !self.guest_ids.is_empty() {
            any.push(Filter::Guests(self.guest_ids.clone()));
        }
        Filter::Or(any)
    }

    fn validate(&self, path: &str, errors: &mut ValidationErrors) {
        for (i, tag) in self.tags.iter().enumerate() {
            if tag.trim().is_empty() || tag.chars().count() > 64 {
                errors.push(
                    FieldError::new("invalid_tag", "Tags have 1–64 characters.")
                        .at(format!("{path}.tags[{i}]")),
                );
            }
        }
        if self.guest_ids.len() > MAX_LISTED {
            errors.push(
                FieldError::new(
                    "too_many",
                    format!("List at most {MAX_LISTED} guests; use a segment or tag."),
                )
                .at(format!("{path}.guest_ids")),
            );
        }
    }
}

/// A campaign's audience.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Audience {
    /// Every live guest of the tenant (the other fields then only exclude).
    pub all: bool,
    #[serde(flatten)]
    pub include: Selection,
    pub exclude: Selection,
}

impl Audience {
    /// Errors at `audience.…`: an audience must select someone, tags must
    /// be sane, lists bounded. Whether segments exist is the caller's check.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if !self.all && self.include.is_empty() {
            errors.push(
                FieldError::new(
                    "empty_audience",
                    "Choose all guests, or at least one segment, tier, tag or guest.",
                )
                .at("audience"),
            );
        }
        self.include.validate("audience", &mut errors);
        self.exclude.validate("audience.exclude", &mut errors);
        errors.finish(|| ())
    }

    /// Every saved segment the audience names, included or excluded.
    pub fn segment_ids(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.include
            .segment_ids
            .iter()
            .chain(&self.exclude.segment_ids)
            .copied()
    }

    /// The audience as one segment filter (compiled to one SQL query);
    /// `segment` gives each saved segment's filter.
    pub fn filter(&self, segment: impl Fn(Uuid) -> Filter) -> Filter {
        let include = if self.all {
            Filter::And(Vec::new())
        } else {
            self.include.filter(&segment)
        };
        if self.exclude.is_empty() {
            include
        } else {
            Filter::And(vec![
                include,
                Filter::Not(Box::new(self.exclude.filter(&segment))),
            ])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_reads_from_json_and_becomes_one_filter() {
        let segment = Uuid::now_v7();
        let guest = Uuid::now_v7();
        let audience: Audience = serde_json::from_value(serde_json::json!({
            "segment_ids": [segment],
            "tiers": ["vip"],
            "exclude": {"guest_ids": [guest], "tags": ["staff"]}
        }))
        .unwrap();
        assert!(audience.validate().is_ok());
        let filter = audience.filter(|_| Filter::Domestic(true));
        assert_eq!(
            filter,
            Filter::And(vec![
                Filter::Or(vec![Filter::Domestic(true), Filter::Tier(vec![Tier::Vip])]),
                Filter::Not(Box::new(Filter::Or(vec![
                    Filter::TagsAny(vec!["staff".to_owned()]),
                    Filter::Guests(vec![guest]),
                ]))),
            ])
        );
    }

    #[test]
    fn an_empty_audience_is_refused_at_its_path() {
        let errors = Audience::default().validate().unwrap_err();
        assert_eq!(errors.errors()[0].field, "audience");
        let all = Audience {
            all: true,
            ..Audience::default()
        };
        assert_eq!(all.filter(|_| Filter::Or(vec![])), Filter::And(vec![]));
    }
}
