//! Events over the API: create (admin), change settings and start rounds
//! (host key), read the board (anyone: it is on the wall anyway).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::{ApiError, JsonObject, event, json, require_host};
use crate::domain::{FieldErrors, parse_event_name};
use crate::event::{
    CHANGEOVER_SECONDS, Event, GROUP_SIZES, RETENTION_DAYS, ROUND_MINUTES, RoundError, Settings,
    SettingsChange,
};
use crate::state::{AppState, EventSlot, StartRoundError};

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
    require_admin(&state, &req)?;
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
        ..defaults.clone()
    };
    let name = parse_event_name(&name).map_err(|e| FieldErrors([("name", e)].into()));
    let name = body.finish_checked(name)?;
    let slot = state.create_event(name, settings);
    let host_key = slot.lock().host_key.clone();
    let created = Created {
        code: slot.code.to_string(),
        name: slot.read().name.clone(),
        host_key: host_key.reveal(),
        urls: Urls {
            join: slot.join_url.clone(),
            board: state.board_url(&slot.code),
            host: state.host_url(&slot.code, &host_key),
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
    let snapshot = slot.read();
    let text = slot.board_json(snapshot.version, || {
        serde_json::to_string(&json::board(&snapshot)).unwrap_or_default()
    });
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(text.to_string()))
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
        auto_rotate: body.boolean("auto_rotate"),
        changeover_seconds: body.integer("changeover_seconds", range(&CHANGEOVER_SECONDS)),
        facts_need_approval: body.boolean("facts_need_approval"),
        table_names: body.string_list("table_names"),
        retention_days: body.integer("retention_days", range(&RETENTION_DAYS)),
    };
    body.finish()?;
    event.change_settings(&change).map_err(|e| {
        ApiError::invalid(crate::domain::FieldErrors(
            [("settings", e.to_string())].into(),
        ))
    })?;
    Ok(HttpResponse::Ok().json(json::settings(&event.settings)))
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
        Ok(_) => Ok(HttpResponse::Created().json(current_round(&slot)?)),
        Err(StartRoundError::Round(
            e @ (RoundError::NotEnoughPeople(_) | RoundError::EventEnded),
        )) => Err(ApiError::Conflict(e.to_string())),
        Err(StartRoundError::Engine(_) | StartRoundError::Crashed) => {
            Err(ApiError::Internal("the matcher failed; please try again"))
        }
    }
}

/// The current round in the board's shape, from the latest snapshot.
fn current_round(slot: &EventSlot) -> Result<serde_json::Value, ApiError> {
    let event = slot.read();
    let round = event
        .current_round()
        .ok_or(ApiError::Internal("the round vanished"))?;
    serde_json::to_value(json::board_round(&event, round))
        .map_err(|_| ApiError::Internal("the round could not be written"))
}

/// `POST /api/events/{code}/round/{action}` (host key), action `pause`,
/// `resume` or `end`: 200 with the round; doing it twice is fine; 409
/// without a round (or pausing one that is over).
pub async fn round_clock(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (raw_code, action) = path.into_inner();
    let slot = event(&state, &raw_code)?;
    let action = Event::clock_action(&action).ok_or(ApiError::NotFound(
        "the round actions are pause, resume and end",
    ))?;
    {
        let mut event = slot.lock();
        require_host(&event, &req)?;
        action(&mut event, state.now()).map_err(|e| ApiError::Conflict(e.to_string()))?;
    }
    Ok(HttpResponse::Ok().json(current_round(&slot)?))
}

#[derive(Serialize)]
struct Listed {
    code: String,
    name: String,
    attendees: usize,
    rounds: usize,
    ended: bool,
    created_at: String,
    urls: Urls,
}

/// `GET /api/events` (admin token): every event, newest first, with links.
pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &req)?;
    let events: Vec<Listed> = state
        .events()
        .iter()
        .map(|slot| {
            let snapshot = slot.read();
            let host_key = slot.lock().host_key.clone();
            Listed {
                code: slot.code.to_string(),
                name: snapshot.name.clone(),
                attendees: snapshot.attendees().len(),
                rounds: snapshot.current_round().map_or(0, |r| r.number),
                ended: snapshot.ended_at.is_some(),
                created_at: crate::clock::rfc3339(slot.created_at),
                urls: Urls {
                    join: slot.join_url.clone(),
                    board: state.board_url(&slot.code),
                    host: state.host_url(&slot.code, &host_key),
                },
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "events": events })))
}

/// `DELETE /api/events/{code}` (admin token): removes the event and all
/// its data; 204, or 404 if there is no such event (any more).
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    require_admin(&state, &req)?;
    let code = crate::domain::EventCode::parse(&path).ok_or_else(ApiError::unknown_event)?;
    if state.delete_event(&code) {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::unknown_event())
    }
}

/// Passes when the bearer is the server's admin token.
fn require_admin(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let token = super::bearer_text(req)?;
    if state.config().admin_token.matches(token) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized("the admin token is not valid"))
    }
}
