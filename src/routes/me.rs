//! The attendee's own page and what they can do there: edit their answers,
//! take a break, come back, leave.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::home::{html, html_with_status};
use super::join::see_other;
use super::{PageError, attendee_cookie_name, credential, find_event, secret_cookie};
use crate::domain::{FieldErrors, Profile, ProfileInput, Secret};

use crate::event::{Presence, Snapshot};
use crate::state::{AppState, EventSlot};
use crate::views::{self, FormMode, ProfileForm};

#[derive(Debug, Deserialize)]
pub struct PersonalLink {
    /// The attendee's token, from their personal link.
    t: Option<String>,
}

/// Who a request comes from: their event, their number and their token.
pub(super) type Me = credential::Attendee;

/// The event and the attendee whose cookie came with the request (see
/// [`credential`]: removed and erased attendees are refused).
pub(super) fn me(state: &AppState, raw_code: &str, req: &HttpRequest) -> Result<Me, PageError> {
    credential::attendee(state, raw_code, req, credential::Source::Cookie)
        .map_err(|refusal| PageError::refused(refusal, raw_code))
}

/// `GET /e/{code}/me`: where to go and who is there. With `?t=` (the
/// personal link) it signs the browser in and redirects to drop the token
/// from the address bar.
pub async fn page(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PersonalLink>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if let Some(raw) = &query.t {
        let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
        let token = Secret::parse(raw).ok_or(PageError::NotFound(
            "This personal link is not valid for this event. Check that you copied all of it.",
        ))?;
        match credential::check(&slot.lock(), &token) {
            Ok(_) => {}
            Err(credential::Refusal::Removed) => return Err(PageError::Removed),
            Err(_) => {
                return Err(PageError::NotFound(
                    "This personal link is not valid for this event. Check that you copied all of it.",
                ));
            }
        }
        // Signed in as someone else here: ask first (see views::switch).
        let current = credential::token(&req, &slot.code, credential::Source::Cookie)
            .ok()
            .filter(|current| current.hash() != token.hash());
        if let Some(current) = current {
            let event = slot.lock();
            let name = |t: &Secret| event.attendee_by_token(t).map(|a| a.profile.name.clone());
            if let (Some(current), Some(other)) = (name(&current), name(&token)) {
                return Ok(html(views::switch_page(
                    &event.name,
                    slot.code.as_str(),
                    &current,
                    &other,
                    &token.reveal(),
                )));
            }
        }
        return sign_in(&state, &slot, &token);
    }
    let me = me(&state, &path, &req)?;
    let link = state.personal_link(&me.slot.code, &me.token);
    Ok(html(views::me_page(
        &me.slot.read(),
        me.id,
        &link,
        state.now(),
    )))
}

/// Sets the attendee cookie for `token` and goes to their page, without
/// the token in the address bar.
fn sign_in(state: &AppState, slot: &EventSlot, token: &Secret) -> Result<HttpResponse, PageError> {
    let mut response = see_other(format!("/e/{}/me", slot.code));
    let cookie = secret_cookie(state, attendee_cookie_name(&slot.code), token);
    response
        .add_cookie(&cookie)
        .map_err(|_| PageError::BadForm("could not set the cookie".into()))?;
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    /// The token of the personal link being switched to.
    t: String,
}

/// `POST /e/{code}/me/switch`: "Switch to …" on the question a personal
/// link asks when the browser is signed in as someone else.
pub async fn switch(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    let token = Secret::parse(&form.t).ok_or_else(|| PageError::NotJoined {
        code: slot.code.to_string(),
    })?;
    credential::check(&slot.lock(), &token)
        .map_err(|refusal| PageError::refused(refusal, &path))?;
    sign_in(&state, &slot, &token)
}

/// `GET /e/{code}/me/edit`: the form, filled with the current answers.
pub async fn edit_form(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    let event = me.slot.read();
    let form = event
        .attendee(me.id)
        .map(|a| ProfileForm::from(a.profile.as_ref()))
        .unwrap_or_default();
    Ok(html(edit_page(&event, &form, &FieldErrors::default())))
}

fn edit_page(event: &Snapshot, form: &ProfileForm, errors: &FieldErrors) -> maud::Markup {
    views::join_page(
        &event.name,
        event.code.as_str(),
        form,
        errors,
        &[],
        FormMode::Edit,
        None,
    )
}

/// `POST /e/{code}/me/edit`: saves new answers (422 with messages if bad).
pub async fn edit_submit(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    let form = form.into_inner();
    match Profile::try_from(ProfileInput::from(form.clone())) {
        Ok(profile) => {
            me.slot.lock().update_profile(me.id, profile);
            Ok(see_other(format!("/e/{}/me", me.slot.code)))
        }
        Err(errors) => Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            edit_page(&me.slot.read(), &form, &errors),
        )),
    }
}

async fn set_presence(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    presence: Presence,
) -> Result<HttpResponse, PageError> {
    let me = me(&state, &path, &req)?;
    me.slot.lock().set_presence(me.id, presence);
    Ok(see_other(format!("/e/{}/me", me.slot.code)))
}

/// `POST /e/{code}/me/break`: out of new rounds until back.
pub async fn take_break(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    set_presence(state, path, req, Presence::OnBreak).await
}

/// `POST /e/{code}/me/back`: back from a break (or after leaving).
pub async fn come_back(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    set_presence(state, path, req, Presence::Present).await
}

/// `POST /e/{code}/me/leave`: leaves the event.
pub async fn leave(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    set_presence(state, path, req, Presence::Left).await
}
