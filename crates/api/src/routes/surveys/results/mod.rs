//! Survey results: JSON, CSV and an SVG chart per question, all from the
//! same computation (`params::compute`).

mod csv;
mod params;

use actix_web::{HttpResponse, get, web};
use guestcare_db::surveys;
use guestcare_domain::{
    FieldError, Language, Permission,
    surveys::{
        QuestionType,
        chart::{Bar, bar_chart},
        results::GroupResults,
        words::Words,
    },
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use params::ResultsQuery;

use crate::{auth::Auth, db, error::ApiError, extract::ValidQuery, state::AppState};

/// A survey's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsView {
    pub survey_id: Uuid,
    /// The language of question texts and labels.
    pub language: Language,
    /// `nationality`, `language`, `stay_month`, `segment`, or absent.
    pub by: Option<String>,
    /// One group (all respondents), or one per value of `by`.
    pub groups: Vec<GroupResults>,
}

async fn load(
    state: &AppState,
    auth: Auth,
    id: Uuid,
    query: ResultsQuery,
) -> Result<(ResultsQuery, Language, Vec<GroupResults>), ApiError> {
    auth.require(Permission::Read)?;
    db::run(&state.pool, move |conn| {
        let survey = surveys::get_survey(conn, auth.tenant_id, id)?;
        let (language, groups) = params::compute(conn, &survey, &query)?;
        Ok((query, language, groups))
    })
    .await
}

/// Per question: counts and percentages of each option (single choice and
/// ratings add up to exactly 100.0 — largest-remainder rounding to one
/// decimal — multiple choice may add up to more), rating averages, the
/// newest free-text answers; invited guests, responses and response rate.
/// Filter by segment, nationality, language and stay period; cross-tabulate
/// with `by`.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ResultsQuery),
    responses(
        (status = 200, body = ResultsView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[get("/surveys/{id}/results")]
pub(super) async fn survey_results(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: ValidQuery<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (query, language, groups) = load(&state, auth, id, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ResultsView {
        survey_id: id,
        language,
        by: query.by,
        groups,
    }))
}

/// The same results as CSV (UTF-8 with BOM): one row per group, question
/// and option (`code`, `option`, `count`, `percent`), the question's
/// `answered` and `average`, and one row per listed free-text answer.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ResultsQuery),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[get("/surveys/{id}/results.csv")]
pub(super) async fn survey_results_csv(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: ValidQuery<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (_, _, groups) = load(&state, auth, id, query.into_inner()).await?;
    let body = csv::render(&groups).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"survey-{id}-results.csv\""),
        ))
        .body(body))
}

const CAPTION: Words = Words {
    vi: "{n} câu trả lời",
    en: "{n} answers",
    zh_hant: "{n} 份回答",
};
const AVERAGE: Words = Words {
    vi: " · điểm trung bình {avg}",
    en: " · average {avg}",
    zh_hant: " · 平均 {avg}",
};

/// One question's results as an SVG bar chart (the first group's, so
/// filter rather than cross-tabulate), labelled in `lang`. Free-text
/// questions have no chart (422).
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("number" = u16, Path, description = "The question's number, from 1"), ResultsQuery),
    responses(
        (status = 200, content_type = "image/svg+xml", body = String),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[get("/surveys/{id}/questions/{number}/chart.svg")]
pub(super) async fn question_chart(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, u16)>,
    query: ValidQuery<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let (_, language, groups) = load(&state, auth, id, query.into_inner()).await?;
    let question = groups
        .first()
        .and_then(|g| g.questions.iter().find(|q| q.number == number))
        .ok_or(ApiError::NotFound)?;
    if question.kind == QuestionType::FreeText {
        return Err(FieldError::new(
            "no_chart",
            "Free-text questions have no chart; see the results' texts.",
        )
        .at("number")
        .into());
    }
    let mut caption = CAPTION
        .get(language)
        .replace("{n}", &question.answered.to_string());
    if let Some(average) = question.average {
        caption.push_str(
            &AVERAGE
                .get(language)
                .replace("{avg}", &format!("{average:.2}")),
        );
    }
    let bars: Vec<Bar> = question
        .options
        .iter()
        .map(|o| Bar {
            label: format!("{} · {}", o.code, o.label),
            count: o.count,
            tenths: (o.percent * 10.0).round() as u64,
        })
        .collect();
    let svg = bar_chart(
        &format!("{}. {}", question.number, question.text),
        &caption,
        &bars,
        language,
    );
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(svg))
}
