//! The organizer's page and its actions. The host key arrives once in the
//! organizer's link (`?key=`), is kept in an HttpOnly cookie and dropped
//! from the address bar.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::home::html;
use super::join::see_other;
use super::{PageError, cookie_secret, find_event, host_cookie_name, secret_cookie};
use crate::domain::Secret;
use crate::event::{Event, Presence, RoundError, SettingsChange};
use crate::state::{AppState, EventSlot, StartRoundError};
use crate::views::{self, HostLinks};

#[derive(Debug, Deserialize)]
pub struct HostQuery {
    key: Option<String>,
    /// Which action just succeeded, to say so on the page.
    done: Option<String>,
}

/// The event, if the request carries its host key in the cookie.
fn host(
    state: &AppState,
    raw_code: &str,
    req: &HttpRequest,
) -> Result<std::sync::Arc<EventSlot>, PageError> {
    let slot = find_event(state, raw_code).ok_or_else(|| PageError::unknown_event(raw_code))?;
    let allowed = {
        let event = slot.lock();
        cookie_secret(req, &host_cookie_name(&event.code))
            .is_some_and(|key| event.host_key.matches(&key))
    };
    if allowed {
        Ok(slot)
    } else {
        Err(PageError::NotHost)
    }
}

fn render(event: &Event, slot: &EventSlot, message: Option<&str>, now: i64) -> maud::Markup {
    let board = format!("/e/{}/board", event.code);
    let links = HostLinks {
        join: &slot.join_url,
        board: &board,
    };
    views::host_page(event, &links, message, now)
}

fn with_status(status: StatusCode, page: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "round" => Some("The round has started: the board and phones show the new tables."),
        "settings" => Some("Settings saved."),
        "removed" => Some("Removed. They are off the board and their phone says so."),
        _ => None,
    }
}

/// `GET /e/{code}/host`: with `?key=` it checks the key, stores it in a
/// cookie and redirects; without, it needs that cookie.
pub async fn page(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<HostQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if let Some(raw) = &query.key {
        let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
        let event = slot.lock();
        let key = Secret::parse(raw)
            .filter(|k| event.host_key.matches(k))
            .ok_or(PageError::NotHost)?;
        let mut response = see_other(format!("/e/{}/host", event.code));
        response
            .add_cookie(&secret_cookie(&state, host_cookie_name(&event.code), &key))
            .map_err(|_| PageError::BadForm("could not set the cookie".into()))?;
        return Ok(response);
    }
    let slot = host(&state, &path, &req)?;
    let event = slot.lock();
    let message = query.done.as_deref().and_then(done_message);
    Ok(html(render(&event, &slot, message, state.now())))
}

#[derive(Debug, Deserialize)]
pub struct StartRoundForm {
    /// The number of rounds the organizer's page showed.
    after: usize,
}

/// `POST /e/{code}/host/rounds`: starts the next round, unless one was
/// already started since the page was shown (a double click).
pub async fn start_round(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<StartRoundForm>,
) -> Result<HttpResponse, PageError> {
    let slot = host(&state, &path, &req)?;
    let (code, rounds) = {
        let event = slot.lock();
        (event.code.clone(), event.rounds().len())
    };
    if rounds > form.after {
        return Ok(see_other(format!("/e/{code}/host?done=round")));
    }
    match state.start_round(&slot).await {
        Ok(_) => Ok(see_other(format!("/e/{code}/host?done=round"))),
        Err(e) => {
            let status = match e {
                StartRoundError::Round(RoundError::NotEnoughPeople(_)) => StatusCode::CONFLICT,
                StartRoundError::Engine(_) | StartRoundError::Crashed => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            let event = slot.lock();
            let message = format!("No round started: {e}.");
            Ok(with_status(
                status,
                render(&event, &slot, Some(&message), state.now()),
            ))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    group_size: String,
    round_minutes: String,
    /// A checkbox: present when ticked.
    registration_open: Option<String>,
}

/// `POST /e/{code}/host/settings`.
pub async fn settings(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let slot = host(&state, &path, &req)?;
    let mut event = slot.lock();
    let change = SettingsChange {
        group_size: form.group_size.trim().parse().ok(),
        round_minutes: form.round_minutes.trim().parse().ok(),
        registration_open: Some(form.registration_open.is_some()),
    };
    let result = if change.group_size.is_none() || change.round_minutes.is_none() {
        Err("group size and round length must be whole numbers".to_string())
    } else {
        event.change_settings(&change).map_err(|e| e.to_string())
    };
    match result {
        Ok(()) => Ok(see_other(format!("/e/{}/host?done=settings", event.code))),
        Err(e) => {
            let message = format!("Settings not saved: {e}.");
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&event, &slot, Some(&message), state.now()),
            ))
        }
    }
}

/// `POST /e/{code}/host/remove/{id}`: takes someone off the event.
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let mut event = slot.lock();
    let removed = raw_id
        .parse()
        .is_ok_and(|id| event.set_presence(id, Presence::Removed));
    if !removed {
        return Err(PageError::NotFound(
            "No attendee with that number at this event.",
        ));
    }
    Ok(see_other(format!("/e/{}/host?done=removed", event.code)))
}
