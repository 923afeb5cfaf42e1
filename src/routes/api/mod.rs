//! The JSON API: the same actions as the pages, for scripts and other
//! front ends. Credentials travel as `Authorization: Bearer <secret>`: the
//! admin token, an event's host key or an attendee's token.

mod apart;
mod attendees;
mod body;
mod error;
mod events;
mod host;
mod json;
mod met;

use std::sync::Arc;

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, web};

pub use body::{BODY_LIMIT, JsonObject};
pub use error::ApiError;

use super::credential::{self, Refusal, Source};
use super::{at, find_event};
use crate::domain::Secret;
use crate::event::{AttendeeId, Event};
use crate::state::{AppState, EventSlot};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/events")
            .route(web::get().to(events::list))
            .route(web::post().to(events::create)),
    )
    .service(
        web::resource("/api/events/{code}")
            .route(web::patch().to(events::update))
            .route(web::delete().to(events::delete)),
    )
    .service(at("/api/events/{code}/board", web::get().to(events::board)))
    .service(at(
        "/api/events/{code}/round/{action}",
        web::post().to(events::round_clock),
    ))
    .service(at(
        "/api/events/{code}/rounds",
        web::post().to(events::start_round),
    ))
    .service(at(
        "/api/events/{code}/attendees",
        web::post().to(attendees::join),
    ))
    .service(
        web::resource("/api/events/{code}/attendees/me")
            .route(web::get().to(attendees::me))
            .route(web::patch().to(attendees::update_me))
            .route(web::delete().to(attendees::leave)),
    )
    .service(at(
        "/api/events/{code}/attendees/me/met",
        web::get().to(met::list),
    ))
    .service(at(
        "/api/events/{code}/attendees/me/met/{id}",
        web::put().to(met::keep),
    ))
    .service(at(
        "/api/events/{code}/attendees/me/contact",
        web::put().to(met::contact),
    ))
    .service(at(
        "/api/events/{code}/attendees/me/contacts.vcf",
        web::get().to(met::vcard),
    ))
    .service(at(
        "/api/events/{code}/attendees/me/erase",
        web::post().to(met::erase),
    ))
    .service(at(
        "/api/events/{code}/attendees/{id}",
        web::delete().to(attendees::remove),
    ))
    .service(at(
        "/api/events/{code}/attendees/{id}/restore",
        web::post().to(attendees::restore),
    ))
    .service(at(
        "/api/events/{code}/attendees/{id}/{action}",
        web::post().to(host::review),
    ))
    .service(at("/api/events/{code}/export", web::get().to(host::export)))
    .service(at("/api/events/{code}/end", web::post().to(host::end)))
    .service(
        web::resource("/api/events/{code}/never-together")
            .route(web::get().to(apart::list))
            .route(web::post().to(apart::add)),
    )
    .service(at(
        "/api/events/{code}/never-together/{a}/{b}",
        web::delete().to(apart::remove),
    ));
}

/// The event named in the path, or a JSON 404.
fn event(state: &AppState, raw_code: &str) -> Result<Arc<EventSlot>, ApiError> {
    find_event(state, raw_code).ok_or_else(ApiError::unknown_event)
}

/// The API's answer to a refused credential (see [`credential`]).
pub(crate) fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::UnknownEvent => ApiError::unknown_event(),
        Refusal::Missing => ApiError::Unauthorized("missing Authorization: Bearer header"),
        Refusal::Malformed => {
            ApiError::Unauthorized("the Authorization header must be \"Bearer <token>\"")
        }
        Refusal::Invalid => ApiError::Unauthorized("the bearer token is not valid for this event"),
        Refusal::Removed => ApiError::Forbidden("the organizer removed you from this event".into()),
    }
}

/// The text after `Authorization: Bearer ` (any case of `Bearer`).
fn bearer_text(req: &HttpRequest) -> Result<&str, ApiError> {
    credential::bearer_text(req)
        .map_err(refused)?
        .ok_or_else(|| refused(Refusal::Missing))
}

/// The event secret (host key or attendee token) in the bearer header.
fn bearer(req: &HttpRequest) -> Result<Secret, ApiError> {
    Secret::parse(bearer_text(req)?).ok_or(ApiError::Unauthorized("the bearer token is not valid"))
}

/// Passes when the request carries the event's host key: as the bearer,
/// or, for reading only (the console's download links), in the console's
/// cookie: a change over the API never rests on a cookie, which the
/// browser would send on a cross-site request too. An attendee's token is
/// told (403: wrong role) from a bad one (401).
fn require_host(event: &Event, req: &HttpRequest) -> Result<(), ApiError> {
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if reading
        && req.headers().get(header::AUTHORIZATION).is_none()
        && let Some(key) = super::cookie_secret(req, &super::host_cookie_name(&event.code))
        && event.host_key.matches(&key)
    {
        return Ok(());
    }
    let secret = bearer(req)?;
    if event.host_key.matches(&secret) {
        Ok(())
    } else if event.attendee_by_token(&secret).is_some() {
        Err(ApiError::Forbidden(
            "this needs the event's host key, not an attendee token".into(),
        ))
    } else {
        Err(ApiError::Unauthorized(
            "the bearer token is not valid for this event",
        ))
    }
}

/// As the host, runs `action` on the attendee numbered `raw_id` at
/// `event`: their number and what `action` gave back, or 404 when the
/// number names nobody (`action` returning `None`).
fn host_acts_on<T>(
    event: &mut Event,
    req: &HttpRequest,
    raw_id: &str,
    action: impl FnOnce(&mut Event, AttendeeId) -> Option<T>,
) -> Result<(AttendeeId, T), ApiError> {
    require_host(event, req)?;
    let not_found = || ApiError::NotFound("no attendee with that id at this event");
    let id: AttendeeId = raw_id.parse().map_err(|_| not_found())?;
    let done = action(event, id).ok_or_else(not_found)?;
    Ok((id, done))
}

/// The attendee whose bearer token the request carries, and that token
/// (see [`credential`]: removed and erased attendees are refused).
fn require_attendee(event: &Event, req: &HttpRequest) -> Result<(AttendeeId, Secret), ApiError> {
    let secret = credential::token(req, &event.code, Source::Bearer).map_err(refused)?;
    let id = credential::check(event, &secret).map_err(refused)?;
    Ok((id, secret))
}
