//! The attendee's credential, checked in one place. Every route that acts
//! as an attendee (the pages, the JSON API, the live stream) finds its
//! attendee here: a token of someone who erased their details matches
//! nobody, and someone the organizer removed is refused as
//! [`Refusal::Removed`], so removal revokes the credential on every route,
//! including routes added later (`tests/hostile/revocation.rs` walks the
//! route table to make sure).
//!
//! Where the credential may come from is part of the check: pages read the
//! browser's cookie; the JSON API reads only `Authorization: Bearer` (a
//! cookie is sent by the browser on its own, so a cookie-authenticated API
//! would be open to cross-site requests); the phone's live stream takes
//! either (browsers cannot set headers on an `EventSource`).

use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::http::header;

use super::{attendee_cookie_name, cookie_secret, find_event};
use crate::domain::{EventCode, Secret};
use crate::event::{AttendeeId, Event, Presence};
use crate::state::{AppState, EventSlot};

/// Where a route takes the attendee's credential from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The event's attendee cookie (pages).
    Cookie,
    /// `Authorization: Bearer <token>` only (the JSON API).
    Bearer,
    /// The bearer header if there is one, else the cookie (live streams).
    Either,
}

/// Who a request comes from: their event, their number and their token.
pub(crate) struct Attendee {
    pub(crate) slot: Arc<EventSlot>,
    pub(crate) id: AttendeeId,
    pub(crate) token: Secret,
}

/// Why a request is not taken as coming from an attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    UnknownEvent,
    /// No credential where this route looks for one.
    Missing,
    /// An `Authorization` header that is not `Bearer <token>`.
    Malformed,
    /// A credential that names nobody at this event (erased included).
    Invalid,
    /// The organizer removed this attendee.
    Removed,
}

/// The text after `Bearer ` in the `Authorization` header: `Ok(None)` if
/// there is no such header. The scheme is case-insensitive (RFC 7235).
pub(crate) fn bearer_text(req: &HttpRequest) -> Result<Option<&str>, Refusal> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| Refusal::Malformed)?;
    let (scheme, rest) = value.split_once(' ').ok_or(Refusal::Malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Refusal::Malformed);
    }
    Ok(Some(rest.trim()))
}

/// The credential a request carries for the event `code`, from `source`.
pub(crate) fn token(
    req: &HttpRequest,
    code: &EventCode,
    source: Source,
) -> Result<Secret, Refusal> {
    let bearer = || -> Result<Option<Secret>, Refusal> {
        match bearer_text(req)? {
            None => Ok(None),
            Some(text) => Secret::parse(text).map(Some).ok_or(Refusal::Invalid),
        }
    };
    let cookie = || cookie_secret(req, &attendee_cookie_name(code));
    let found = match source {
        Source::Cookie => cookie(),
        Source::Bearer => bearer()?,
        Source::Either => match bearer()? {
            Some(token) => Some(token),
            None => cookie(),
        },
    };
    found.ok_or(Refusal::Missing)
}

/// The attendee `token` names at `event`, unless they were removed.
pub(crate) fn check(event: &Event, token: &Secret) -> Result<AttendeeId, Refusal> {
    let attendee = event.attendee_by_token(token).ok_or(Refusal::Invalid)?;
    if attendee.presence == Presence::Removed {
        return Err(Refusal::Removed);
    }
    Ok(attendee.id)
}

/// The attendee a request comes from, at the event coded `raw_code`.
pub(crate) fn attendee(
    state: &AppState,
    raw_code: &str,
    req: &HttpRequest,
    source: Source,
) -> Result<Attendee, Refusal> {
    let slot = find_event(state, raw_code).ok_or(Refusal::UnknownEvent)?;
    let token = token(req, &slot.code, source)?;
    let id = check(&slot.lock(), &token)?;
    Ok(Attendee { slot, id, token })
}
