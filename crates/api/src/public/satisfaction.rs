//! `/s/{token}`: the satisfaction link of a resolved ticket.
//!
//! `GET` shows the rating form (or says it was rated) and records nothing,
//! since mail scanners follow links. `POST` (the form: `rating` =
//! `excellent|good|fair|poor`, optional `comment`) records the rating once
//! per ticket through `guestcare_db::tickets::record_rating`; a second
//! answer is shown as already given. Pages are in the guest's language and
//! need no JavaScript. A token that does not verify, or names no ticket,
//! answers the 404 page.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use guestcare_db::{guests, messages::language_of, tenants, tickets};
use guestcare_domain::{
    Language,
    signed_token::satisfaction::Satisfaction,
    tickets::{Rating, TicketNumber},
};
use serde::Deserialize;

mod texts;

use texts::{
    ALREADY_TEXT, ALREADY_TITLE, COMMENT, FORM_TEXT, FORM_TITLE, LEGEND, MISSING, SUBMIT,
    THANKS_TEXT, THANKS_TITLE, rating_name,
};

use super::{
    layout::{Localized, Markup, escape, page},
    unsubscribe::invalid,
};
use crate::{db, error::ApiError, routes::imports::read_body, state::AppState};

/// The largest form accepted (a 4000-character comment, percent-encoded).
const MAX_FORM_BYTES: usize = 48 * 1024;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(rating_form).service(rate);
}

/// What the pages say about the ticket.
struct Subject {
    language: Language,
    tenant_name: String,
    number: TicketNumber,
    rated: bool,
}

/// The rating form of a satisfaction link; records nothing.
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, content_type = "text/html", body = String))
)]
#[get("/s/{token}")]
async fn rating_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(link) = state.guest_links().open_satisfaction(&token) else {
        return Ok(invalid(&req));
    };
    Ok(
        match db::run(&state.pool, move |conn| subject(conn, &link)).await {
            Ok(s) if s.rated => already(&s),
            Ok(s) => form(&s, StatusCode::OK, None),
            Err(ApiError::NotFound) => invalid(&req),
            Err(other) => return Err(other),
        },
    )
}

/// The form's answer.
#[derive(Debug, Deserialize)]
struct Answer {
    rating: Option<String>,
    comment: Option<String>,
}

/// Records the rating (once per ticket) and thanks the guest.
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "`rating` (excellent, good, fair, poor) and an optional `comment`"),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String),
        (status = 422, content_type = "text/html", body = String),
    )
)]
#[post("/s/{token}")]
async fn rate(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Some(link) = state.guest_links().open_satisfaction(&token) else {
        return Ok(invalid(&req));
    };
    // An unreadable, empty or oversized form is an answer without a rating.
    let body = read_body(&req, payload, MAX_FORM_BYTES)
        .await
        .unwrap_or_default();
    let answer: Answer = serde_urlencoded::from_bytes(&body).unwrap_or(Answer {
        rating: None,
        comment: None,
    });
    let rating = answer
        .rating
        .as_deref()
        .and_then(|r| r.parse::<Rating>().ok());
    let comment: Option<String> = answer
        .comment
        .map(|c| {
            guestcare_domain::text::clean(&c)
                .chars()
                .take(4000)
                .collect::<String>()
        })
        .filter(|c| !c.trim().is_empty());
    let recorded = db::transaction(&state.pool, move |conn| {
        let mut s = subject(conn, &link)?;
        if let Some(rating) = rating {
            s.rated = tickets::record_rating(
                conn,
                link.tenant_id,
                link.ticket_id,
                rating,
                comment.as_deref(),
            )?
            .is_none();
        }
        Ok(s)
    })
    .await;
    Ok(match recorded {
        Ok(s) if rating.is_none() => form(&s, StatusCode::UNPROCESSABLE_ENTITY, Some(&MISSING)),
        Ok(s) if s.rated => already(&s),
        Ok(s) => page(
            StatusCode::OK,
            s.language,
            THANKS_TITLE.get(s.language),
            paragraph(&THANKS_TEXT, &s),
        ),
        Err(ApiError::NotFound) => invalid(&req),
        Err(other) => return Err(other),
    })
}

fn subject(
    conn: &mut guestcare_db::PgConnection,
    link: &Satisfaction,
) -> Result<Subject, ApiError> {
    let ticket = tickets::get_ticket(conn, link.tenant_id, link.ticket_id)?;
    let tenant = tenants::get_tenant(conn, link.tenant_id)?;
    let default = tenant.default_language.parse().unwrap_or(Language::En);
    let language = match ticket.guest_id {
        Some(guest_id) => language_of(&guests::get_guest(conn, link.tenant_id, guest_id)?, default),
        None => default,
    };
    Ok(Subject {
        language,
        tenant_name: tenant.name,
        number: ticket.number(),
        rated: tickets::get_rating(conn, link.tenant_id, ticket.id)?.is_some(),
    })
}

fn form(s: &Subject, status: StatusCode, error: Option<&Localized>) -> HttpResponse {
    let l = s.language;
    let mut body = paragraph(&FORM_TEXT, s);
    if let Some(error) = error {
        body = body
            .and(Markup::trusted("<p class=\"error\" role=\"alert\">"))
            .and(Markup::text(error.get(l)))
            .and(Markup::trusted("</p>"));
    }
    let mut choices = String::new();
    for rating in Rating::ALL {
        choices.push_str(&format!(
            "<label><input type=\"radio\" name=\"rating\" value=\"{}\" required> {}</label>",
            rating.as_str(),
            escape(rating_name(*rating).get(l)),
        ));
    }
    body = body.and(Markup::trusted(format!(
        "<form method=\"post\"><fieldset><legend>{legend}</legend>{choices}</fieldset>\
         <label for=\"comment\">{comment}</label><textarea id=\"comment\" name=\"comment\" maxlength=\"4000\"></textarea>\
         <p><button type=\"submit\">{submit}</button></p></form>",
        legend = escape(LEGEND.get(l)),
        comment = escape(COMMENT.get(l)),
        submit = escape(SUBMIT.get(l)),
    )));
    page(status, l, FORM_TITLE.get(l), body)
}

fn already(s: &Subject) -> HttpResponse {
    page(
        StatusCode::OK,
        s.language,
        ALREADY_TITLE.get(s.language),
        paragraph(&ALREADY_TEXT, s),
    )
}

/// `text` with the tenant and ticket number filled in, as a paragraph.
fn paragraph(text: &Localized, s: &Subject) -> Markup {
    let filled = text
        .get(s.language)
        .replace("{tenant}", &s.tenant_name)
        .replace("{number}", &s.number.to_string());
    Markup::trusted("<p>")
        .and(Markup::text(&filled))
        .and(Markup::trusted("</p>"))
}
