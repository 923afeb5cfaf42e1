//! "People I met", the stay-in-touch ticks, contact details, the vCard
//! download and deleting one's details (pages; the JSON API is in
//! `api::met`).

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::home::{html, html_with_status};
use super::join::see_other;
use super::me::me;
use super::{ConfirmForm, PageError, attendee_cookie_name, sentence, yes_no};
use crate::domain::{Contact, ContactInput, FieldErrors};
use crate::event::{AttendeeId, Event, KeepError};
use crate::state::{AppState, EventSlot};
use crate::views::{self, MetPage};

/// The page for attendee `id`, from the event as it stands.
fn render(
    slot: &EventSlot,
    id: AttendeeId,
    contact: Option<&ContactInput>,
    errors: &FieldErrors,
    notice: Option<&str>,
    just_ticked: Option<AttendeeId>,
) -> maud::Markup {
    let event = slot.lock();
    let people = event.met_list(id);
    let own = event.attendee(id).map(|a| &a.contact);
    let saved = own.map(ContactInput::from).unwrap_or_default();
    views::met_page(&MetPage {
        event_name: &event.name,
        code: event.code.as_str(),
        settings: &event.settings,
        people: &people,
        contact: contact.unwrap_or(&saved),
        errors,
        notice,
        has_details: own.is_some_and(|c| !c.is_empty()),
        just_ticked,
    })
}

#[derive(Debug, Deserialize)]
pub struct MetQuery {
    /// Set by the redirect after ticking "I'd like to stay in touch": the
    /// page asks for one's own details under that person if none are saved.
    ticked: Option<AttendeeId>,
}

/// `GET /e/{code}/met` (`?ticked=` after ticking someone).
pub async fn page(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<MetQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    Ok(html(render(
        &me.slot,
        me.id,
        None,
        &FieldErrors::default(),
        None,
        query.ticked,
    )))
}

/// A choice about one person met: exactly one of the fields, "yes" or "no".
#[derive(Debug, Deserialize)]
pub struct ChoiceForm {
    /// "I'd like to stay in touch".
    keep: Option<String>,
    /// "Rather not be grouped with them again".
    rather_not: Option<String>,
}

/// `POST /e/{code}/met/{id}`: ticks (or unticks) "I'd like to stay in
/// touch" with attendee `id` (`keep`), or privately marks them "rather
/// not be grouped with again" (`rather_not`).
pub async fn keep(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
    form: web::Form<ChoiceForm>,
) -> Result<HttpResponse, PageError> {
    let (code, other) = path.into_inner();
    let me = me(&state, &code, &req)?;
    let other: AttendeeId = other
        .parse()
        .map_err(|_| PageError::NotFound("There is nobody with that number at this event."))?;
    let mut ticked = false;
    let result = match (&form.keep, &form.rather_not) {
        (Some(keep), None) => {
            ticked = yes_no(keep, "keep")?;
            me.slot.lock().set_keep_in_touch(me.id, other, ticked)
        }
        (None, Some(rather_not)) => {
            let on = yes_no(rather_not, "rather_not")?;
            me.slot.lock().set_rather_not(me.id, other, on)
        }
        _ => {
            return Err(PageError::BadForm(
                "send either keep or rather_not (yes or no)".into(),
            ));
        }
    };
    match result {
        Ok(()) if ticked => Ok(see_other(format!(
            "/e/{}/met?ticked={other}#p{other}",
            me.slot.code
        ))),
        Ok(()) => Ok(see_other(format!("/e/{}/met#p{other}", me.slot.code))),
        Err(KeepError::Unknown) => Err(PageError::NotFound(
            "There is nobody with that number at this event.",
        )),
        Err(e) => Ok(html_with_status(
            StatusCode::CONFLICT,
            render(
                &me.slot,
                me.id,
                None,
                &FieldErrors::default(),
                Some(&sentence(&e.to_string())),
                None,
            ),
        )),
    }
}

#[derive(Debug, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    link: String,
    /// A checkbox: present when ticked.
    share_with_organizer: Option<String>,
}

/// `POST /e/{code}/me/contact`: saves contact details (422 with a message
/// per field if one is not right; nothing is saved then).
pub async fn contact(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    let form = form.into_inner();
    let input = ContactInput {
        email: form.email,
        phone: form.phone,
        link: form.link,
        share_with_organizer: form.share_with_organizer.is_some(),
    };
    match Contact::try_from(input.clone()) {
        Ok(contact) => {
            me.slot.lock().set_contact(me.id, contact);
            Ok(html(render(
                &me.slot,
                me.id,
                None,
                &FieldErrors::default(),
                Some("Saved."),
                None,
            )))
        }
        Err(errors) => Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&me.slot, me.id, Some(&input), &errors, None, None),
        )),
    }
}

/// The vCard file of everyone `id` and who both chose to stay in touch.
pub(crate) fn vcard_response(event: &Event, id: AttendeeId) -> HttpResponse {
    let people = event.met_list(id);
    let cards = crate::vcard::cards(
        &event.name,
        people
            .iter()
            .filter_map(|m| Some((m.attendee.public.as_ref(), m.contact.as_ref()?))),
    );
    HttpResponse::Ok()
        .content_type("text/vcard; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "icebreaker-{}-contacts.vcf",
                event.code
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(cards)
}

/// `GET /e/{code}/met/contacts.vcf`.
pub async fn vcard(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    Ok(vcard_response(&me.slot.lock(), me.id))
}

/// `POST /e/{code}/me/erase`: deletes the attendee's details (the tick
/// box must be ticked) and signs the browser out.
pub async fn erase(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    if !form.confirmed() {
        return Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &me.slot,
                me.id,
                None,
                &FieldErrors::default(),
                Some("Nothing was deleted: tick “Yes, delete my details” first."),
                None,
            ),
        ));
    }
    me.slot.lock().erase_attendee(me.id, state.now());
    let mut response = html(views::message_page(
        "Your details are deleted",
        "Your answers and contact details are gone from this event. Thank you for coming.",
    ));
    let mut gone = Cookie::new(attendee_cookie_name(&me.slot.code), "");
    gone.set_path("/");
    gone.make_removal();
    response
        .add_cookie(&gone)
        .map_err(|_| PageError::BadForm("could not clear the cookie".into()))?;
    Ok(response)
}
