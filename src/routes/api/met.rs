//! The JSON side of "people I met": the list, stay-in-touch ticks, contact
//! details, the vCard download and erasure (attendee token as bearer).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::body::JsonObject;
use super::{ApiError, event, require_attendee};
use crate::domain::{Contact, ContactInput};
use crate::event::{AttendeeId, Event, KeepError, MetPerson};
use crate::state::AppState;

fn contact_json(c: &Contact) -> serde_json::Value {
    json!({
        "email": c.email,
        "phone": c.phone,
        "link": c.link,
        "share_with_organizer": c.share_with_organizer,
    })
}

fn person_json(event: &Event, m: &MetPerson) -> serde_json::Value {
    let p = &m.attendee.public;
    let erased = m.attendee.erased_at.is_some();
    json!({
        "id": m.attendee.id,
        "name": p.name,
        "work": p.work,
        "interests": p.interests,
        "ask_me_about": p.ask_me_about,
        "left_and_deleted_details": erased,
        "met_at": m.tables.iter().map(|&(round, table)| json!({
            "round": round,
            "table": table,
            "table_name": event.settings.table_label(table),
        })).collect::<Vec<_>>(),
        "stay_in_touch": m.ticked,
        // Private: only this attendee ever sees their own marks.
        "rather_not": m.rather_not,
        "mutual": m.contact.is_some(),
        // Only when both ticked each other.
        "contact": m.contact.as_ref().map(contact_json),
    })
}

fn met_json(event: &Event, id: AttendeeId) -> serde_json::Value {
    let people = event.met_list(id);
    json!({
        "people": people.iter().map(|m| person_json(event, m)).collect::<Vec<_>>(),
        "my_contact": event.attendee(id).map(|a| contact_json(&a.contact)),
    })
}

/// `GET /api/events/{code}/attendees/me/met`.
pub async fn list(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let event = slot.lock();
    let (id, _) = require_attendee(&event, &req)?;
    Ok(HttpResponse::Ok().json(met_json(&event, id)))
}

/// `PUT /api/events/{code}/attendees/me/met/{id}`: `{"stay_in_touch":
/// bool}` or `{"rather_not": bool}` (never group us again; private);
/// answers with the person as the list shows them.
pub async fn keep(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let (code, other) = path.into_inner();
    let slot = event(&state, &code)?;
    let mut event = slot.lock();
    let (id, _) = require_attendee(&event, &req)?;
    let other: AttendeeId = other
        .parse()
        .map_err(|_| ApiError::NotFound("there is nobody with that number at this event"))?;
    let keep = body.boolean("stay_in_touch");
    let rather_not = body.boolean("rather_not");
    body.finish()?;
    let result = match (keep, rather_not) {
        (Some(keep), None) => event.set_keep_in_touch(id, other, keep),
        (None, Some(on)) => event.set_rather_not(id, other, on),
        _ => {
            let message = "give one of stay_in_touch or rather_not (true or false)";
            return Err(ApiError::invalid(crate::domain::FieldErrors(
                [("stay_in_touch", message.to_string())].into(),
            )));
        }
    };
    result.map_err(|e| match e {
        KeepError::Unknown => ApiError::NotFound("there is nobody with that number at this event"),
        e => ApiError::Conflict(e.to_string()),
    })?;
    let person = event
        .met_list(id)
        .into_iter()
        .find(|m| m.attendee.id == other)
        .map(|m| person_json(&event, &m));
    Ok(HttpResponse::Ok().json(person))
}

/// `PUT /api/events/{code}/attendees/me/contact`: `{"email", "phone",
/// "link", "share_with_organizer"}`, each optional (absent = empty).
pub async fn contact(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    mut body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let mut event = slot.lock();
    let (id, _) = require_attendee(&event, &req)?;
    let input = ContactInput {
        email: body.string("email").unwrap_or_default(),
        phone: body.string("phone").unwrap_or_default(),
        link: body.string("link").unwrap_or_default(),
        share_with_organizer: body.boolean("share_with_organizer").unwrap_or(false),
    };
    let contact = body.finish_checked(Contact::try_from(input))?;
    event.set_contact(id, contact.clone());
    Ok(HttpResponse::Ok().json(contact_json(&contact)))
}

/// `GET /api/events/{code}/attendees/me/contacts.vcf`.
pub async fn vcard(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let event = slot.lock();
    let (id, _) = require_attendee(&event, &req)?;
    Ok(crate::routes::met::vcard_response(&event, id))
}

/// `POST /api/events/{code}/attendees/me/erase`: deletes the caller's
/// answers and contact details (204); the token stops working.
pub async fn erase(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let slot = event(&state, &path)?;
    let mut event = slot.lock();
    let (id, _) = require_attendee(&event, &req)?;
    event.erase_attendee(id, state.now());
    Ok(HttpResponse::NoContent().finish())
}
