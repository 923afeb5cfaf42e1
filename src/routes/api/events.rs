//! Events over the API: create (admin), change settings and start rounds
//! (host key), read the board (anyone: it is on the wall anyway).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::{ApiError, JsonObject, event, json, require_host};
use crate::domain::FieldErrors;
use crate::event::{GROUP_SIZES, ROUND_MINUTES, RoundError, Settings, SettingsChange};
use crate::state::{AppState, StartRoundError};

/// Longest event name, in characters.
const NAME_LIMIT: usize = 80;

#[derive(Serialize)]
struct Urls {
    join: String,
    board: String,
    host: String,
}

#[derive(Serialize)]
struct Created {
    code: String,
    name: String,
    host_key: String,
    urls: Urls,
}

fn range<T: Into<u64> + Copy>(r: &std::ops::RangeInclusive<T>) -> std::ops::RangeInclusive<u64> {
    (*r.start()).into()..=(*r.end()).into()
}

fn usize_range(r: &std::ops::RangeInclusive<usize>) -> std::ops::RangeInclusive<u64> {
    (*r.start() as u64)..=(*r.end() as u64)
}

/// `POST /api/events` (admin token): `{"name", "group_size", "round_minutes"}`.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let token = super::bearer_text(&req)?;
    if !state.config().admin_token.matches(token) {
        return Err(ApiError::Unauthorized("the admin token is not valid"));
    }
    let name = body.string("name").unwrap_or_default();
    let defaults = &state.config().defaults;
    let settings = Settings {
        group_size: body
            .integer("group_size", usize_range(&GROUP_SIZES))
            .unwrap_or(defaults.group_size),
        round_minutes: body
            .integer("round_minutes", range(&ROUND_MINUTES))
            .unwrap_or(defaults.round_minutes),
        registration_open: true,
        max_attendees: defaults.max_attendees,
    };
    let mut errors = FieldErrors::default();
    let name = name.trim().to_string();
    if name.is_empty() {
        errors.0.insert("name", "name is required".into());
    } else if name.chars().count() > NAME_LIMIT || name.chars().any(char::is_control) {
        errors.0.insert(
            "name",
            format!("name must be at most {NAME_LIMIT} characters, without control characters"),
        );
    }
    body.finish_with(errors)?;
    let slot = state.create_event(name, settings);
    let event = slot.lock();
    let created = Created {
        code: event.code.to_string(),
        name: event.name.clone(),
        host_key: event.host_key.reveal(),
        urls: Urls {
            join: slot.join_url.clone(),
            board: state.board_url(&event.code),
            host: state.host_url(&event.code, &event.host_key),
        },
    };
    Ok(HttpResponse::Created().json(created))
}

/// `GET /api/events/{code}/board`: the board's data, first names and
/// tables only.
pub async fn board(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let event = slot.lock();
    Ok(HttpResponse::Ok().json(json::board(&event)))
}

/// `PATCH /api/events/{code}` (host key): `{"round_minutes", "group_size",
/// "registration_open"}`, each optional; answers with the settings.
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let mut event = slot.lock();
    require_host(&event, &req)?;
    let change = SettingsChange {
        group_size: body.integer("group_size", usize_range(&GROUP_SIZES)),
        round_minutes: body.integer("round_minutes", range(&ROUND_MINUTES)),
        registration_open: body.boolean("registration_open"),
    };
    body.finish()?;
    event
        .change_settings(&change)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let s = &event.settings;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "group_size": s.group_size,
        "round_minutes": s.round_minutes,
        "registration_open": s.registration_open,
        "max_attendees": s.max_attendees,
    })))
}

/// `POST /api/events/{code}/rounds` (host key): plans and starts the next
/// round; 201 with the round in the board's shape, 409 with fewer than 2
/// people present.
pub async fn start_round(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    require_host(&slot.lock(), &req)?;
    match state.start_round(&slot).await {
        Ok(_) => {
            let event = slot.lock();
            let round = event
                .current_round()
                .ok_or(ApiError::Internal("the round vanished"))?;
            Ok(HttpResponse::Created().json(json::board_round(&event, round)))
        }
        Err(StartRoundError::Round(e @ RoundError::NotEnoughPeople(_))) => {
            Err(ApiError::Conflict(e.to_string()))
        }
        Err(StartRoundError::Engine(_) | StartRoundError::Crashed) => {
            Err(ApiError::Internal("the matcher failed; please try again"))
        }
    }
}
