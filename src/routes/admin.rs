//! `/admin`: the server's events, for whoever holds the admin token. The
//! token arrives once (`/admin?token=…`), is kept in an HttpOnly cookie and
//! dropped from the address bar, like the host key.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::home::{html, html_with_status};
use super::join::see_other;
use super::{ConfirmForm, PageError};
use crate::domain::{EventCode, FieldErrors, parse_event_name};
use crate::event::Settings;
use crate::state::AppState;
use crate::views::{self, EventRow, NewEventForm};

const COOKIE: &str = "ib_admin";

/// The cookie holds the token hex-encoded: an admin token may contain
/// characters a cookie value cannot.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<String> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

fn is_admin(state: &AppState, req: &HttpRequest) -> bool {
    req.cookie(COOKIE)
        .and_then(|c| unhex(c.value()))
        .is_some_and(|token| state.config().admin_token.matches(&token))
}

fn require_admin(state: &AppState, req: &HttpRequest) -> Result<(), PageError> {
    if is_admin(state, req) {
        Ok(())
    } else {
        Err(PageError::NotAdmin)
    }
}

fn rows(state: &AppState) -> Vec<EventRow> {
    state
        .events()
        .iter()
        .map(|slot| {
            let snapshot = slot.read();
            let host_key = slot.lock().host_key.clone();
            EventRow {
                code: slot.code.to_string(),
                name: snapshot.name.clone(),
                attendees: snapshot.attendees().len(),
                rounds: snapshot.current_round().map_or(0, |r| r.number),
                ended: snapshot.ended_at.is_some(),
                board: format!("/e/{}/board", slot.code),
                join: format!("/e/{}", slot.code),
                host: format!("/e/{}/host?key={}", slot.code, host_key.reveal()),
            }
        })
        .collect()
}

/// A number as typed, or `default` when the field was left empty.
fn parse_or<T: std::str::FromStr>(raw: &str, default: T) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        Some(default)
    } else {
        raw.parse().ok()
    }
}

#[derive(Debug, Deserialize)]
pub struct AdminQuery {
    token: Option<String>,
    done: Option<String>,
}

/// `GET /admin`: the events list; with `?token=` it signs in.
pub async fn page(
    state: web::Data<AppState>,
    query: web::Query<AdminQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if let Some(token) = &query.token {
        if !state.config().admin_token.matches(token) {
            return Err(PageError::NotAdmin);
        }
        let cookie = Cookie::build(COOKIE, hex(token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config().public_url.starts_with("https://"))
            .max_age(CookieDuration::days(30))
            .finish();
        let mut response = see_other("/admin".to_string());
        response
            .add_cookie(&cookie)
            .map_err(|_| PageError::BadForm("could not set the cookie".into()))?;
        return Ok(response);
    }
    require_admin(&state, &req)?;
    let message = match query.done.as_deref() {
        Some("created") => Some("Event created. Open its organizer console to run it."),
        Some("deleted") => Some("Event deleted, with all its data."),
        _ => None,
    };
    Ok(html(views::admin_page(
        &rows(&state),
        &NewEventForm::default(),
        &FieldErrors::default(),
        message,
    )))
}

/// `POST /admin/events`: creates an event (422 with messages if bad).
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<NewEventForm>,
) -> Result<HttpResponse, PageError> {
    require_admin(&state, &req)?;
    let form = form.into_inner();
    let defaults = &state.config().defaults;
    let mut errors = FieldErrors::default();
    let name = parse_event_name(&form.name).unwrap_or_else(|e| {
        errors.0.insert("name", e);
        String::new()
    });
    let settings = match (
        parse_or(&form.group_size, defaults.group_size),
        parse_or(&form.round_minutes, defaults.round_minutes),
    ) {
        (Some(group_size), Some(round_minutes)) => Settings {
            group_size,
            round_minutes,
            registration_open: true,
            ..defaults.clone()
        },
        _ => {
            errors.0.insert(
                "settings",
                "group size and round length must be whole numbers".into(),
            );
            defaults.clone()
        }
    };
    if let Err(e) = settings.validate() {
        errors.0.insert("settings", e.to_string());
    }
    if !errors.is_empty() {
        let page = views::admin_page(&rows(&state), &form, &errors, None);
        return Ok(html_with_status(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    state.create_event(name, settings);
    Ok(see_other("/admin?done=created".to_string()))
}

/// `POST /admin/events/{code}/delete`: deletes an event once the box is
/// ticked; deleting a deleted event is fine.
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    require_admin(&state, &req)?;
    if !form.confirmed() {
        let mut errors = FieldErrors::default();
        errors.0.insert(
            "name",
            "Nothing deleted: tick the box to delete an event.".into(),
        );
        let page = views::admin_page(&rows(&state), &NewEventForm::default(), &errors, None);
        return Ok(html_with_status(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    if let Some(code) = EventCode::parse(&path) {
        state.delete_event(&code);
    }
    Ok(see_other("/admin?done=deleted".to_string()))
}
