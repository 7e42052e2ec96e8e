//! `/q/{token}`: the survey page of a personal link.
//!
//! `GET` shows the form in the guest's language (the language of an earlier
//! response, else the guest's, else the tenant's — as the survey has it)
//! with any earlier answers filled in, and records nothing: mail scanners
//! follow links. `POST` (the form) checks the answers; problems re-show the
//! form with a summary and a message at each question (422), otherwise the
//! answers are recorded as the guest's one response (replacing an earlier
//! one) and a thank-you page follows. After the closing date both show a
//! "closed" page (`POST` answers 410). A token that does not verify, or
//! names no recipient, answers the shared 404 page.

mod form;
mod texts;

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::{Duration, Utc};
use guestcare_db::{
    guests,
    messages::language_of,
    surveys::{self, Recipient, Response, Survey, respond::Submission},
    tenants,
};
use guestcare_domain::{
    Language,
    signed_token::survey::SurveyLink,
    surveys::{Definition, check_answers, text_in},
};

use super::{
    layout::{Markup, escape, page},
    unsubscribe::invalid,
};
use crate::{db, error::ApiError, state::AppState};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(show_survey).service(answer_survey);
}

/// What the page needs.
struct Loaded {
    survey: Survey,
    definition: Definition,
    recipient: Recipient,
    response: Option<Response>,
    language: Language,
}

fn load(conn: &mut guestcare_db::PgConnection, link: SurveyLink) -> Result<Loaded, ApiError> {
    let recipient = surveys::get_recipient(conn, link.tenant_id, link.recipient_id)?;
    let survey = surveys::get_survey(conn, link.tenant_id, recipient.survey_id)?;
    let definition = survey.definition()?;
    let response = surveys::get_response(conn, link.tenant_id, recipient.id)?;
    let default = tenants::get_tenant(conn, link.tenant_id)?
        .default_language
        .parse()
        .unwrap_or(Language::En);
    let language = match response.as_ref().and_then(|r| r.language.parse().ok()) {
        Some(language) => language,
        None => {
            let guest = guests::get_guest(conn, link.tenant_id, recipient.guest_id)?;
            definition.language_for(language_of(&guest, default), default)
        }
    };
    Ok(Loaded {
        survey,
        definition,
        recipient,
        response,
        language,
    })
}

/// The survey form of a personal link; records nothing.
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String),
    )
)]
#[get("/q/{token}")]
async fn show_survey(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(link) = state.guest_links().open_survey(&token) else {
        return Ok(invalid(&req));
    };
    let loaded = match db::run(&state.pool, move |conn| load(conn, link)).await {
        Ok(loaded) => loaded,
        Err(ApiError::NotFound) => return Ok(invalid(&req)),
        Err(other) => return Err(other),
    };
    if !loaded.survey.is_open_at(Utc::now()) {
        return Ok(closed(StatusCode::OK, loaded.language));
    }
    let answers = loaded
        .response
        .as_ref()
        .map(Response::answers)
        .unwrap_or_default();
    Ok(show_form(
        StatusCode::OK,
        &loaded,
        &answers,
        &BTreeMap::new(),
    ))
}

/// Records the form's answers, or shows what to correct.
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded",
        description = "`q{number}` per question: an option index (repeated for multiple choice), a rating or text"),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String),
        (status = 410, content_type = "text/html", body = String),
        (status = 422, content_type = "text/html", body = String),
    )
)]
#[post("/q/{token}")]
async fn answer_survey(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let Some(link) = state.guest_links().open_survey(&token) else {
        return Ok(invalid(&req));
    };
    let outcome = db::transaction(&state.pool, move |conn| {
        let loaded = load(conn, link)?;
        if !loaded.survey.is_open_at(Utc::now()) {
            return Ok(Err((None, loaded)));
        }
        let (answers, mut problems) = form::parse(&loaded.definition, &body);
        problems.extend(check_answers(&loaded.definition.questions, &answers));
        if !problems.is_empty() {
            return Ok(Err((Some((answers, problems)), loaded)));
        }
        let submission = Submission {
            answers,
            channel: "web",
            language: loaded.language,
            remarks: None,
        };
        surveys::record_response(conn, &loaded.survey, &loaded.recipient, &submission)?;
        Ok(Ok(loaded.language))
    })
    .await;
    Ok(match outcome {
        Ok(Ok(language)) => thanks(language),
        Ok(Err((Some((answers, problems)), loaded))) => show_form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &loaded,
            &answers,
            &problems,
        ),
        Ok(Err((None, loaded))) => closed(StatusCode::GONE, loaded.language),
        Err(ApiError::NotFound) => invalid(&req),
        Err(other) => return Err(other),
    })
}

fn show_form(
    status: StatusCode,
    loaded: &Loaded,
    answers: &guestcare_domain::surveys::Answers,
    problems: &BTreeMap<u16, guestcare_domain::surveys::Problem>,
) -> HttpResponse {
    let language = loaded.language;
    let mut notes = Vec::new();
    if loaded.response.is_some() {
        notes.push(texts::EDITING.get(language).to_owned());
    }
    if let Some(closes) = loaded.survey.closes_at {
        let last = (closes - Duration::seconds(1)).date_naive();
        notes.push(
            texts::UNTIL
                .get(language)
                .replace("{date}", &last.to_string()),
        );
    }
    let body = form::render(&form::FormView {
        definition: &loaded.definition,
        language,
        answers,
        problems,
        notes,
    });
    page(
        status,
        language,
        text_in(&loaded.definition.title, language),
        body,
    )
}

fn thanks(language: Language) -> HttpResponse {
    let body = Markup::trusted(format!(
        "<p>{}</p>",
        escape(texts::THANKS_TEXT.get(language))
    ));
    page(
        StatusCode::OK,
        language,
        texts::THANKS_TITLE.get(language),
        body,
    )
}

fn closed(status: StatusCode, language: Language) -> HttpResponse {
    let body = Markup::trusted(format!(
        "<p>{}</p>",
        escape(texts::CLOSED_TEXT.get(language))
    ));
    page(status, language, texts::CLOSED_TITLE.get(language), body)
}
