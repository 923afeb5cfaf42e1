//! The console's actions on people: remove (and undo it), approve, hide,
//! edit.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::super::PageError;
use super::super::home::html_with_status;
use super::{back, back_about, host};
use crate::domain::FieldErrors;
use crate::event::{ApartError, AttendeeId, Event};
use crate::state::{AppState, EventSlot};
use crate::views;

/// Runs `action` on the attendee numbered in the path and returns their
/// number; 404 if there is none.
fn on_attendee(
    slot: &EventSlot,
    raw_id: &str,
    action: impl FnOnce(&mut Event, AttendeeId) -> bool,
) -> Result<AttendeeId, PageError> {
    let id = raw_id.parse().map_err(|_| NO_SUCH)?;
    if action(&mut slot.lock(), id) {
        Ok(id)
    } else {
        Err(NO_SUCH)
    }
}

/// `POST /e/{code}/host/remove/{id}`: takes someone off the event, then
/// back to the people list, which names them and offers to undo it.
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let id = on_attendee(&slot, &raw_id, Event::remove)?;
    Ok(back_about(&slot, "removed", id))
}

/// `POST /e/{code}/host/restore/{id}`: undoes a removal (they get back the
/// status they had, a seat if here, and their phone). Twice is fine.
pub async fn restore(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let id = on_attendee(&slot, &raw_id, |event, id| event.reinstate(id).is_some())?;
    Ok(back_about(&slot, "restored", id))
}

/// `POST /e/{code}/host/review/{id}/{action}`: `approve` lets their held
/// answers show; `hide` keeps them hidden. Twice is fine.
pub async fn review(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id, name) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let action = Event::review_action(&name).ok_or(PageError::NotFound(
        "The review actions are approve and hide.",
    ))?;
    on_attendee(&slot, &raw_id, action)?;
    Ok(back(
        &slot,
        if name == "approve" {
            "approved"
        } else {
            "hidden"
        },
    ))
}

/// `GET /e/{code}/host/attendees/{id}`: edit or hide someone's answers.
pub async fn edit_form(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let id: AttendeeId = raw_id.parse().map_err(|_| NO_SUCH)?;
    edit_page(&slot, id, &FieldErrors::default(), StatusCode::OK)
}

const NO_SUCH: PageError = PageError::NotFound("No attendee with that number at this event.");

/// The edit page of attendee `id` as the event stands, with `errors`.
fn edit_page(
    slot: &EventSlot,
    id: AttendeeId,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let apart = slot.lock().never_together_with(id);
    let event = slot.read();
    let attendee = event.attendee(id).ok_or(NO_SUCH)?;
    if attendee.erased_at.is_some() {
        return Err(PageError::NotFound(
            "This person deleted their details: there is nothing left to edit.",
        ));
    }
    Ok(html_with_status(
        status,
        views::attendee_edit_page(&event, attendee, errors, &apart),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ApartForm {
    /// The other attendee's id, from the list…
    other: Option<String>,
    /// …or their number as the console shows it (`#12` is id 12, as in
    /// the JSON API).
    other_no: Option<String>,
    /// "yes" keeps them apart, "no" allows them together again.
    on: String,
}

/// `POST /e/{code}/host/attendees/{id}/apart`: keeps attendee `id` and
/// another apart (or no longer), then back to the edit page.
pub async fn apart(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
    form: web::Form<ApartForm>,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let id: AttendeeId = raw_id.parse().map_err(|_| NO_SUCH)?;
    let on = super::super::yes_no(&form.on, "on")?;
    let other = match (&form.other, &form.other_no) {
        (Some(other), _) if !other.is_empty() => other.trim().parse::<AttendeeId>().ok(),
        (_, Some(number)) => number
            .trim()
            .trim_start_matches('#')
            .parse::<AttendeeId>()
            .ok(),
        _ => None,
    };
    let Some(other) = other else {
        return Err(PageError::BadForm(
            "Choose the person to keep apart.".into(),
        ));
    };
    let result = slot.lock().set_never_together(id, other, on);
    match result {
        Ok(()) => Ok(super::super::join::see_other(format!(
            "/e/{}/host/attendees/{id}#apart",
            slot.code
        ))),
        Err(ApartError::Unknown(_)) if slot.read().attendee(id).is_none() => Err(NO_SUCH),
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors
                .0
                .insert("other", super::super::sentence(&e.to_string()));
            edit_page(&slot, id, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    name: Option<String>,
    call_me: Option<String>,
    work: Option<String>,
    weird_fact: Option<String>,
    hide_name: Option<String>,
    hide_call_me: Option<String>,
    hide_work: Option<String>,
    hide_weird_fact: Option<String>,
}

/// `POST /e/{code}/host/attendees/{id}`: saves the organizer's edits
/// (checked like the attendee's own answers; 422 with messages if bad) and
/// the hide boxes. Saving twice is fine.
pub async fn edit_submit(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
    form: web::Form<EditForm>,
) -> Result<HttpResponse, PageError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let not_found = PageError::NotFound("No attendee with that number at this event.");
    let id: AttendeeId = raw_id.parse().map_err(|_| not_found)?;
    let form = form.into_inner();
    let edits = [
        (views::EDITABLE[0], form.name, form.hide_name),
        (views::EDITABLE[1], form.call_me, form.hide_call_me),
        (views::EDITABLE[2], form.work, form.hide_work),
        (views::EDITABLE[3], form.weird_fact, form.hide_weird_fact),
    ];
    let mut errors = FieldErrors::default();
    {
        let mut event = slot.lock();
        let Some(current) = event.attendee(id).map(|a| a.profile.clone()) else {
            return Err(PageError::NotFound(
                "No attendee with that number at this event.",
            ));
        };
        for (field, text, hide) in edits {
            if let Some(text) = text.filter(|t| *t != field.text(&current))
                && let Err(e) = event.host_edit(id, field, &text)
            {
                errors.0.extend(e.0);
                continue;
            }
            event.set_hidden(id, field, hide.is_some());
        }
    }
    if errors.is_empty() {
        return Ok(back_about(&slot, "edited", id));
    }
    edit_page(&slot, id, &errors, StatusCode::UNPROCESSABLE_ENTITY)
}
