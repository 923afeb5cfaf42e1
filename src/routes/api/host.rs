//! The organizer's API: exports, the review queue, ending the event.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{ApiError, event, host_acts_on, require_host};
use crate::event::Event;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    /// `csv` (default) or `json`.
    format: Option<String>,
    /// For CSV: `attendees` (default) or `rounds`.
    what: Option<String>,
}

/// `GET /api/events/{code}/export?format=csv|json[&what=attendees|rounds]`
/// (host key as bearer, or the console's cookie): a download.
pub async fn export(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ExportQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let event = slot.lock();
    require_host(&event, &req)?;
    let code = &slot.code;
    let (body, content_type, filename) = match (
        query.format.as_deref().unwrap_or("csv"),
        query.what.as_deref().unwrap_or("attendees"),
    ) {
        ("json", _) => (
            crate::export::json(&event).to_string(),
            "application/json",
            format!("{code}.json"),
        ),
        ("csv", "attendees") => (
            crate::export::attendees_csv(&event)
                .map_err(|_| ApiError::Internal("the export could not be written"))?,
            "text/csv; charset=utf-8",
            format!("{code}-attendees.csv"),
        ),
        ("csv", "rounds") => (
            crate::export::rounds_csv(&event)
                .map_err(|_| ApiError::Internal("the export could not be written"))?,
            "text/csv; charset=utf-8",
            format!("{code}-rounds.csv"),
        ),
        _ => {
            return Err(ApiError::BadRequest(
                "format is csv or json; what (for csv) is attendees or rounds".into(),
            ));
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// `POST /api/events/{code}/attendees/{id}/{action}` (host key), action
/// `approve` (their held answers show) or `hide` (they stay hidden): 204;
/// twice is fine.
pub async fn review(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (raw_code, raw_id, action) = path.into_inner();
    let slot = event(&state, &raw_code)?;
    let action = Event::review_action(&action).ok_or(ApiError::NotFound(
        "the review actions are approve and hide",
    ))?;
    host_acts_on(&mut slot.lock(), &req, &raw_id, |event, id| {
        action(event, id).then_some(())
    })?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/events/{code}/end` (host key): ends the event; 204, twice
/// is fine.
pub async fn end(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let mut event = slot.lock();
    require_host(&event, &req)?;
    event.end_event(state.now());
    Ok(HttpResponse::NoContent().finish())
}
