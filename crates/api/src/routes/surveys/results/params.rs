//! The results query (`?lang=&segment_id=&nationality=&language=&stayed_from=
//! &stayed_to=&by=&segments=&texts=`) turned into what the database counts.

use chrono::NaiveDate;
use guestcare_db::{
    DbError, PgConnection, segments,
    surveys::{
        Survey,
        results::{GroupBy, ResultsFilter, survey_results},
    },
    tenants,
};
use guestcare_domain::{
    FieldError, Language, ValidationErrors, segment::Filter, surveys::results::GroupResults,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::ApiError;

/// Which respondents count, how to group them, and the labels' language.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// Labels' language (`vi`, `en`, `zh-Hant`); default the tenant's, or
    /// the survey's nearest.
    pub lang: Option<Language>,
    /// Only guests this segment selects now.
    pub segment_id: Option<Uuid>,
    /// Only these nationalities (comma-separated ISO codes, `VN,TW`).
    pub nationality: Option<String>,
    /// Only these effective languages (comma-separated, `vi,zh-Hant`).
    pub language: Option<String>,
    /// Only guests with a stay overlapping this period (either end open).
    pub stayed_from: Option<NaiveDate>,
    pub stayed_to: Option<NaiveDate>,
    /// Cross-tabulate: `nationality`, `language`, `stay_month` (month of the
    /// latest check-in) or `segment` (one group per id in `segments`).
    pub by: Option<String>,
    /// Comma-separated segment ids for `by=segment`.
    pub segments: Option<String>,
    /// Free-text answers listed per question, 1–1000 (default 100).
    pub texts: Option<i64>,
}

/// The labelled groups and their language.
pub(super) fn compute(
    conn: &mut PgConnection,
    survey: &Survey,
    query: &ResultsQuery,
) -> Result<(Language, Vec<GroupResults>), ApiError> {
    let mut errors = ValidationErrors::new();
    let texts = query.texts.unwrap_or(100);
    if !(1..=1000).contains(&texts) {
        errors.push(FieldError::new("out_of_range", "Use 1–1000.").at("query.texts"));
    }
    let by = match query.by.as_deref() {
        None | Some("segment") => None,
        Some("nationality") => Some(GroupBy::Nationality),
        Some("language") => Some(GroupBy::Language),
        Some("stay_month") => Some(GroupBy::StayMonth),
        Some(_) => {
            errors.push(
                FieldError::new(
                    "invalid_value",
                    "Use nationality, language, stay_month or segment.",
                )
                .at("query.by"),
            );
            None
        }
    };
    let by_segment = query.by.as_deref() == Some("segment");
    let group_segments = list(query.segments.as_deref());
    if by_segment && group_segments.is_empty() {
        errors.push(
            FieldError::new("required", "Give the segments to compare.").at("query.segments"),
        );
    }
    let mut base = ResultsFilter {
        segment: None,
        nationalities: list(query.nationality.as_deref())
            .iter()
            .map(|n| n.to_uppercase())
            .collect(),
        languages: list(query.language.as_deref()),
        stayed_from: query.stayed_from,
        stayed_to: query.stayed_to,
    };
    let tenant = survey.tenant_id;
    let segment_filter = |conn: &mut PgConnection,
                          raw: &str,
                          at: &str|
     -> Result<Filter, ApiError> {
        let not_found = || {
            ApiError::from(FieldError::new("not_found", "The tenant has no such segment.").at(at))
        };
        let id: Uuid = raw.parse().map_err(|_| not_found())?;
        match segments::get_segment(conn, tenant, id) {
            Ok(segment) => Filter::parse(&segment.filter).map_err(ApiError::internal),
            Err(DbError::NotFound) => Err(not_found()),
            Err(e) => Err(e.into()),
        }
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    if let Some(id) = query.segment_id {
        base.segment = Some(segment_filter(conn, &id.to_string(), "query.segment_id")?);
    }
    let default = tenants::get_tenant(conn, tenant)?
        .default_language
        .parse()
        .unwrap_or(Language::En);
    let definition = survey.definition()?;
    let language = definition.language_for(query.lang.unwrap_or(default), default);
    if !by_segment {
        return Ok((
            language,
            survey_results(conn, survey, language, &base, by, texts)?,
        ));
    }
    let mut groups = Vec::new();
    for raw in group_segments {
        let filter = segment_filter(conn, &raw, "query.segments")?;
        let mut scoped = base.clone();
        scoped.segment = Some(match base.segment.clone() {
            Some(outer) => Filter::And(vec![outer, filter]),
            None => filter,
        });
        for mut group in survey_results(conn, survey, language, &scoped, None, texts)? {
            group.key = Some(raw.clone());
            groups.push(group);
        }
    }
    Ok((language, groups))
}

fn list(raw: Option<&str>) -> Vec<String> {
    raw.map(|r| {
        r.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}
