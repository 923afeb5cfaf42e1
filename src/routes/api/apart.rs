//! The organizer's never-together pairs over the API (host key as bearer).
//! Attendees' own "rather not" marks are private and never listed here.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::body::JsonObject;
use super::{ApiError, event, require_host};
use crate::event::{ApartError, AttendeeId, Event};
use crate::state::AppState;

fn pairs_json(event: &Event) -> serde_json::Value {
    let name = |id: AttendeeId| event.attendee(id).map(|a| a.profile.name.clone());
    json!({
        "pairs": event.never_together().into_iter().map(|(a, b)| json!({
            "a": a,
            "b": b,
            "names": [name(a), name(b)],
        })).collect::<Vec<_>>(),
    })
}

fn apart_error(e: ApartError) -> ApiError {
    match e {
        ApartError::Unknown(_) => ApiError::NotFound("no attendee with that id at this event"),
        ApartError::SamePerson => ApiError::invalid(crate::domain::FieldErrors(
            [("b", "choose two different people".to_string())].into(),
        )),
    }
}

/// `GET /api/events/{code}/never-together`: `{"pairs": [{"a", "b",
/// "names"}]}`.
pub async fn list(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let event = slot.lock();
    require_host(&event, &req)?;
    Ok(HttpResponse::Ok().json(pairs_json(&event)))
}

/// `POST /api/events/{code}/never-together` `{"a": id, "b": id}`: keeps
/// them apart from the next seating on; answers with every pair. Twice is
/// fine.
pub async fn add(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let mut event = slot.lock();
    require_host(&event, &req)?;
    let a = body.integer::<AttendeeId>("a", 0..=u64::from(u32::MAX));
    let b = body.integer::<AttendeeId>("b", 0..=u64::from(u32::MAX));
    let pair = match (a, b) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => {
            let missing = [("a", a.is_none()), ("b", b.is_none())]
                .into_iter()
                .filter(|&(_, missing)| missing)
                .map(|(key, _)| (key, format!("{key} (an attendee id) is required")));
            Err(crate::domain::FieldErrors(missing.collect()))
        }
    };
    let (a, b) = body.finish_checked(pair)?;
    event.set_never_together(a, b, true).map_err(apart_error)?;
    Ok(HttpResponse::Ok().json(pairs_json(&event)))
}

/// `DELETE /api/events/{code}/never-together/{a}/{b}`: they may share a
/// table again; 204, twice is fine.
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (code, a, b) = path.into_inner();
    let slot = event(&state, &code)?;
    let mut event = slot.lock();
    require_host(&event, &req)?;
    let not_found = || ApiError::NotFound("no attendee with that id at this event");
    let a: AttendeeId = a.parse().map_err(|_| not_found())?;
    let b: AttendeeId = b.parse().map_err(|_| not_found())?;
    event.set_never_together(a, b, false).map_err(apart_error)?;
    Ok(HttpResponse::NoContent().finish())
}
