//! Joining an event: the form, its submission and the QR code that leads
//! to it.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::home::{html, html_with_status};
use super::{
    PageError, attendee_cookie_name, attendee_tokens, credential, find_event, secret_cookie,
};
use crate::domain::{FieldErrors, Profile, ProfileInput, Secret};
use crate::event::Snapshot;
use crate::state::{AppState, EventSlot};
use crate::views::{self, FormMode, ProfileForm};

/// Interests offered as suggestions on the form.
const SUGGESTIONS: usize = 12;

fn render_form(
    event: &Snapshot,
    form: &ProfileForm,
    errors: &FieldErrors,
    mode: FormMode,
    closed: Option<&str>,
) -> maud::Markup {
    views::join_page(
        &event.name,
        event.code.as_str(),
        form,
        errors,
        &event.popular_interests(SUGGESTIONS),
        mode,
        closed,
    )
}

/// The name of the attendee this browser is signed in as at `slot`'s
/// event, if any; someone the organizer removed is refused here too.
fn signed_in_as(req: &HttpRequest, slot: &EventSlot) -> Result<Option<String>, PageError> {
    let Ok(token) = credential::token(req, &slot.code, credential::Source::Cookie) else {
        return Ok(None);
    };
    let event = slot.lock();
    match credential::check(&event, &token) {
        Ok(id) => Ok(event.attendee(id).map(|a| a.profile.name.clone())),
        Err(credential::Refusal::Removed) => Err(PageError::Removed),
        Err(_) => Ok(None),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct SubmitQuery {
    /// "yes" once the visitor confirmed joining again as someone new while
    /// signed in (see `views::join_again_page`).
    switch: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct JoinQuery {
    /// Set by "Not you? Start with an empty form": no answers filled in
    /// from an earlier event.
    fresh: Option<String>,
}

/// Why someone cannot join right now, if they cannot.
fn closed_reason(event: &Snapshot) -> Option<String> {
    if event.ended_at.is_some() {
        Some(
            "This event has ended. Thanks for coming! To see the people you met, open this \
             page on the phone you joined with, or open your personal link (under “Your \
             personal link” on your page)."
                .to_string(),
        )
    } else if !event.settings.registration_open {
        Some("Registration for this event is closed. Please talk to the organizer.".to_string())
    } else if event.attendees().len() >= event.settings.max_attendees {
        Some("This event is full. Please talk to the organizer.".to_string())
    } else {
        None
    }
}

/// `GET /e/{code}`: the join form; someone who already joined goes
/// straight to their page.
pub async fn form(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<JoinQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    // A code typed into the address bar as "q4h-za": on to the address
    // the QR code and the board show.
    if path.as_str() != slot.code.as_str() {
        let fresh = if query.fresh.is_some() {
            "?fresh=1"
        } else {
            ""
        };
        return Ok(see_other(format!("/e/{}{fresh}", slot.code)));
    }
    if signed_in_as(&req, &slot)?.is_some() {
        return Ok(see_other(format!("/e/{}/me", slot.code)));
    }
    state.note_join_page(&slot, req.peer_addr().map(|a| a.ip()));
    let event = slot.read();
    let closed = closed_reason(&event);
    let returning = match query.fresh {
        Some(_) => None,
        None => state.returning(&slot.code, attendee_tokens(&req)),
    };
    let page = match &returning {
        Some(r) => render_form(
            &event,
            &ProfileForm::from(&r.profile),
            &FieldErrors::default(),
            FormMode::Return {
                from: &r.event_name,
            },
            closed.as_deref(),
        ),
        None => render_form(
            &event,
            &ProfileForm::default(),
            &FieldErrors::default(),
            FormMode::Join,
            closed.as_deref(),
        ),
    };
    Ok(html(page))
}

/// `POST /e/{code}`: checks the answers; on success sets the attendee's
/// cookie and sends them to their page.
///
/// With `returning=yes` (answers kept from an earlier event), the new
/// attendance is linked to the earlier one(s) this browser holds.
pub async fn submit(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<SubmitQuery>,
    req: HttpRequest,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    let form = form.into_inner();
    // Already signed in as someone: ask before replacing them.
    if let Some(current) = signed_in_as(&req, &slot)?
        && query.switch.as_deref() != Some("yes")
    {
        let page = views::join_again_page(&slot.read().name, slot.code.as_str(), &current, &form);
        return Ok(html_with_status(StatusCode::CONFLICT, page));
    }
    let profile = match Profile::try_from(ProfileInput::from(form.clone())) {
        Ok(profile) => profile,
        Err(errors) => {
            let page = render_form(&slot.read(), &form, &errors, FormMode::Join, None);
            return Ok(html_with_status(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let returning = if form.returning == "yes" {
        state
            .returning(&slot.code, attendee_tokens(&req))
            .map(|r| r.person)
    } else {
        None
    };
    let token = Secret::generate();
    let joined = slot
        .lock()
        .join_as(profile, token.clone(), returning, state.now());
    if let Err(e) = joined {
        let message = format!("Sorry: {e}.");
        let page = render_form(
            &slot.read(),
            &form,
            &FieldErrors::default(),
            FormMode::Join,
            Some(&message),
        );
        return Ok(html_with_status(StatusCode::FORBIDDEN, page));
    }
    let cookie = secret_cookie(&state, attendee_cookie_name(&slot.code), &token);
    let mut response = see_other(format!("/e/{}/me", slot.code));
    response
        .add_cookie(&cookie)
        .map_err(|_| PageError::BadForm("could not set the cookie".into()))?;
    Ok(response)
}

/// `GET /e/{code}/qr.svg`: the QR code of the join URL.
pub async fn qr_svg(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    let svg = slot.qr_svg.clone().ok_or(PageError::NotFound(
        "The join link is too long for a QR code.",
    ))?;
    Ok(svg_response(svg))
}

/// `GET /e/{code}/met-qr.svg`: the QR code of the "people I met" link,
/// shown on the finale.
pub async fn met_qr_svg(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    let svg = slot
        .met_qr_svg
        .clone()
        .ok_or(PageError::NotFound("The link is too long for a QR code."))?;
    Ok(svg_response(svg))
}

/// A QR code's SVG, cacheable: it never changes for an event.
fn svg_response(svg: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(svg)
}

pub(crate) fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
