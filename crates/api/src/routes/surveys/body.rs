//! The JSON shapes of surveys and sends, and their validation.

use chrono::{DateTime, Utc};
use guestcare_db::surveys::{Survey, SurveySend};
use guestcare_domain::{
    FieldError, ValidationErrors,
    surveys::{Question, Texts},
};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// A survey.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    pub id: Uuid,
    /// The title in each of the survey's languages (`vi`, `en`, `zh-Hant`).
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: Texts,
    /// Numbered from 1 in this order (the e-mail reply form uses the numbers).
    pub questions: Vec<Question>,
    /// Answers are accepted until then; absent: no closing date.
    pub closes_at: Option<DateTime<Utc>>,
    pub results_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl SurveyView {
    pub fn of(survey: Survey) -> Result<SurveyView, ApiError> {
        let definition = survey.definition().map_err(ApiError::internal)?;
        Ok(SurveyView {
            results_url: format!("/v1/surveys/{}/results", survey.id),
            id: survey.id,
            title: definition.title,
            questions: definition.questions,
            closes_at: survey.closes_at,
            created_at: survey.created_at,
            updated_at: survey.updated_at,
        })
    }
}

/// A new survey.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSurveyRequest {
    /// `{"vi": "…", "en": "…", "zh-Hant": "…"}`: its languages are the
    /// survey's, and every question and option needs a text in each.
    #[schema(value_type = BTreeMap<String, String>)]
    pub title: Texts,
    /// 1–40 questions: `single_choice` and `multiple_choice` (with 2–26
    /// `options`), `rating_numbers` (1–5), `rating_words` (Excellent, Good,
    /// Fair, Poor) and `free_text`; `required` defaults to false.
    pub questions: Vec<Question>,
    pub closes_at: Option<DateTime<Utc>>,
}

/// Fields to change; absent fields stay as they are. Title and questions
/// can change only before the survey is first sent; `closes_at: null`
/// removes the closing date.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyUpdate {
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub title: Option<Texts>,
    pub questions: Option<Vec<Question>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub closes_at: Option<Option<DateTime<Utc>>>,
}

/// A field that was given, even as `null`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Whom to send a survey to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSendRequest {
    /// The segment whose guests (now) are invited.
    pub segment_id: Uuid,
    /// Invite only a random sample of the segment.
    pub sample: Option<SampleRequest>,
    /// Remind guests who have not answered this many days later (1–90).
    pub remind_after_days: Option<i32>,
}

/// A seeded random sample: the same seed over the same guests picks the
/// same guests.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleRequest {
    /// How many guests (1–100 000).
    pub size: u32,
    /// Any integer; keep it to reproduce the sample.
    pub seed: i64,
}

impl NewSendRequest {
    pub(super) fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if let Some(sample) = &self.sample
            && !(1..=100_000).contains(&sample.size)
        {
            errors.push(
                FieldError::new("out_of_range", "A sample has 1–100 000 guests.").at("sample.size"),
            );
        }
        if let Some(days) = self.remind_after_days
            && !(1..=90).contains(&days)
        {
            errors.push(
                FieldError::new("out_of_range", "Remind after 1–90 days.").at("remind_after_days"),
            );
        }
        errors.finish(|| ())
    }
}

/// A send: the guests it invited are invited by a background job.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendView {
    pub id: Uuid,
    pub survey_id: Uuid,
    pub segment_id: Option<Uuid>,
    pub sample_size: Option<i32>,
    pub seed: Option<i64>,
    pub remind_after_days: Option<i32>,
    /// Guests newly invited (guests invited by an earlier send of the same
    /// survey are not invited again).
    pub recipients: i32,
    /// When every invitation was queued.
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<SurveySend> for SendView {
    fn from(s: SurveySend) -> Self {
        SendView {
            id: s.id,
            survey_id: s.survey_id,
            segment_id: s.segment_id,
            sample_size: s.sample_size,
            seed: s.seed,
            remind_after_days: s.remind_after_days,
            recipients: s.recipients,
            finished_at: s.finished_at,
            created_at: s.created_at,
        }
    }
}
