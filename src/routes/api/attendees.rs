//! Attendees over the API: join, read and change one's own page, leave;
//! the host removes someone, or undoes that.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{ApiError, JsonObject, event, host_acts_on, json, require_attendee};
use crate::domain::{EventCode, FieldErrors, PersonKey, Profile, ProfileInput, Secret};
use crate::event::{AttendeeId, Event, JoinError, Presence};
use crate::state::{AppState, EventSlot};

/// Takes the profile fields out of a body, starting from `base` (the
/// current answers when editing, empty when joining).
fn profile_input(body: &mut JsonObject, base: ProfileInput) -> ProfileInput {
    ProfileInput {
        name: body.string("name").unwrap_or(base.name),
        call_me: body.string("call_me").unwrap_or(base.call_me),
        work: body.string("work").unwrap_or(base.work),
        interests: body.string_list("interests").unwrap_or(base.interests),
        ask_me_about: body.string("ask_me_about").unwrap_or(base.ask_me_about),
        weird_fact: body.string("weird_fact").unwrap_or(base.weird_fact),
        spot_me: body.string("spot_me").unwrap_or(base.spot_me),
    }
}

/// Checks the profile and reports every bad field, type errors and
/// `more` (other fields' errors) included.
fn checked(body: JsonObject, input: ProfileInput, more: FieldErrors) -> Result<Profile, ApiError> {
    let checked = match (Profile::try_from(input), more) {
        (Ok(profile), more) if more.is_empty() => Ok(profile),
        (result, mut errors) => {
            errors
                .0
                .extend(result.err().map(|e| e.0).unwrap_or_default());
            Err(errors)
        }
    };
    body.finish_checked(checked)
}

/// The person a join comes back as: `returning_event` and
/// `returning_token` (the attendee's token at an earlier event here, as in
/// their personal link), both or neither. A pair that names nobody is an
/// error, not a silent new start.
fn returning_person(
    state: &AppState,
    here: &EventSlot,
    body: &mut JsonObject,
) -> Result<Option<PersonKey>, FieldErrors> {
    let (code, token) = (
        body.string("returning_event"),
        body.string("returning_token"),
    );
    let (code, token) = match (code, token) {
        (None, None) => return Ok(None),
        (Some(code), Some(token)) => (code, token),
        _ => {
            let message = "give both returning_event and returning_token, or neither";
            return Err(FieldErrors(
                [("returning_token", message.to_string())].into(),
            ));
        }
    };
    let found = EventCode::parse(&code)
        .zip(Secret::parse(&token))
        .and_then(|pair| state.returning(&here.code, [pair]));
    match found {
        Some(earlier) => Ok(Some(earlier.person)),
        None => Err(FieldErrors(
            [(
                "returning_token",
                "that token is not valid for that event (or its details were deleted)".to_string(),
            )]
            .into(),
        )),
    }
}

/// `POST /api/events/{code}/attendees`: joins; 201 with the attendee's
/// token (keep it: it is the only way back in). With `returning_event`
/// and `returning_token` the attendee is linked to that earlier visit
/// (weekly memory: the matcher avoids last week's tables).
pub async fn join(
    state: web::Data<AppState>,
    path: web::Path<String>,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let returning = returning_person(&state, &slot, &mut body);
    let input = profile_input(&mut body, ProfileInput::default());
    let more = returning.as_ref().err().cloned().unwrap_or_default();
    let profile = checked(body, input, more)?;
    let returning = returning.map_err(ApiError::invalid)?;
    let token = Secret::generate();
    let id = slot
        .lock()
        .join_as(profile, token.clone(), returning, state.now())
        .map_err(|e| match e {
            JoinError::RegistrationClosed | JoinError::Full(_) | JoinError::Ended => {
                ApiError::Forbidden(e.to_string())
            }
        })?;
    let event = slot.read();
    let attendee = event
        .attendee(id)
        .ok_or(ApiError::Internal("the new attendee vanished"))?;
    let mut me = json::me(&event, attendee, state.personal_link(&slot.code, &token));
    me.token = Some(token.reveal());
    Ok(HttpResponse::Created().json(me))
}

/// `GET /api/events/{code}/attendees/me`: profile, status and group.
pub async fn me(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let (id, token) = require_attendee(&slot.lock(), &req)?;
    me_response(&state, &slot, id, &token)
}

/// The attendee's view from the latest snapshot.
fn me_response(
    state: &AppState,
    slot: &EventSlot,
    id: AttendeeId,
    token: &Secret,
) -> Result<HttpResponse, ApiError> {
    let event = slot.read();
    let attendee = event
        .attendee(id)
        .ok_or(ApiError::NotFound("no such attendee"))?;
    let link = state.personal_link(&slot.code, token);
    Ok(HttpResponse::Ok().json(json::me(&event, attendee, link)))
}

/// `PATCH /api/events/{code}/attendees/me`: `{"present": bool}` and/or
/// profile fields (only those given change).
pub async fn update_me(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let (id, token) = {
        let mut event = slot.lock();
        let (id, token) = require_attendee(&event, &req)?;
        let current = match event.attendee(id) {
            Some(a) => ProfileInput::from(a.profile.as_ref()),
            None => return Err(ApiError::NotFound("no such attendee")),
        };
        let present = body.boolean("present");
        let input = profile_input(&mut body, current);
        let profile = checked(body, input, FieldErrors::default())?;
        event.update_profile(id, profile);
        if let Some(present) = present {
            let presence = if present {
                Presence::Present
            } else {
                Presence::OnBreak
            };
            event.set_presence(id, presence);
        }
        (id, token)
    };
    me_response(&state, &slot, id, &token)
}

/// `DELETE /api/events/{code}/attendees/me`: leaves the event (204).
pub async fn leave(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let mut event = slot.lock();
    let (id, _) = require_attendee(&event, &req)?;
    event.set_presence(id, Presence::Left);
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/events/{code}/attendees/{id}` (host key): removes someone
/// (204; again is fine).
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = event(&state, &raw_code)?;
    host_acts_on(&mut slot.lock(), &req, &raw_id, |event, id| {
        event.remove(id).then_some(())
    })?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/events/{code}/attendees/{id}/restore` (host key): undoes a
/// removal: they get back the status they had (seated again if here) and
/// their token works again. 200 with `{"id", "status"}`; again, or for
/// someone never removed, changes nothing.
pub async fn restore(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (raw_code, raw_id) = path.into_inner();
    let slot = event(&state, &raw_code)?;
    let (id, presence) = host_acts_on(&mut slot.lock(), &req, &raw_id, Event::reinstate)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "id": id,
        "status": presence.key(),
    })))
}
