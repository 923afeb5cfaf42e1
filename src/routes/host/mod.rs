//! The organizer's page and its actions. The host key arrives once in the
//! organizer's link (`?key=`), is kept in an HttpOnly cookie and dropped
//! from the address bar. Every action is safe to click twice.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::home::{html, html_with_status};
use super::join::see_other;
use super::{ConfirmForm, PageError, cookie_secret, find_event, host_cookie_name, secret_cookie};
use crate::domain::Secret;
use crate::event::{AttendeeId, Event, RoundError, SettingsChange, Snapshot};
use crate::state::{AppState, EventSlot, StartRoundError};
use crate::views::{self, HostLinks, Notice, PeopleQuery, Section};

mod people;

pub use people::{apart, edit_form, edit_submit, remove, restore, review};

#[derive(Debug, Deserialize)]
pub struct HostQuery {
    key: Option<String>,
    /// Which action just succeeded, to say so on the page.
    done: Option<String>,
    /// The attendee that action was about (to name them, and to offer to
    /// undo a removal).
    who: Option<String>,
    /// People search and page of the people list.
    q: Option<String>,
    page: Option<String>,
}

/// The event, if the request carries its host key in the cookie.
pub(super) fn host(
    state: &AppState,
    raw_code: &str,
    req: &HttpRequest,
) -> Result<Arc<EventSlot>, PageError> {
    let slot = find_event(state, raw_code).ok_or_else(|| PageError::unknown_event(raw_code))?;
    let allowed = cookie_secret(req, &host_cookie_name(&slot.code))
        .is_some_and(|key| slot.lock().host_key.matches(&key));
    if allowed {
        Ok(slot)
    } else {
        Err(PageError::NotHost)
    }
}

/// The console with `message` by the part of the page it is about.
fn render(
    state: &AppState,
    slot: &EventSlot,
    event: &Snapshot,
    message: Option<(&str, Section)>,
) -> maud::Markup {
    let notice = message.map(|(text, section)| Notice::new(text, section));
    render_page(state, slot, event, notice.as_ref(), &PeopleQuery::default())
}

fn render_page(
    state: &AppState,
    slot: &EventSlot,
    event: &Snapshot,
    notice: Option<&Notice>,
    people: &PeopleQuery,
) -> maud::Markup {
    let board = format!("/e/{}/board", event.code);
    let links = HostLinks {
        join: &slot.join_url,
        board: &board,
    };
    let now = state.now();
    let reach = views::ReachNote {
        status: slot.reach.status(now),
        join_url: &slot.join_url,
    };
    views::host_page(event, &links, notice, now, people, &reach)
}

/// What the action `done` did, and the part of the console it is about
/// (where the page opens afterwards).
fn done_message(done: &str) -> Option<(&'static str, Section)> {
    let (text, section) = match done {
        "round" => (
            "The round has started: the board and phones show the new tables.",
            Section::Top,
        ),
        "paused" => (
            "The round is paused: the countdown stands still.",
            Section::Top,
        ),
        "resumed" => ("The round goes on.", Section::Top),
        "ended" => (
            "Time's up: the board and phones say the next round starts when you start it (with auto-rotate on, after the change-over). Groups may keep talking meanwhile.",
            Section::Top,
        ),
        "settings" => ("Settings saved.", Section::Settings),
        "removed" => (
            "Removed: they are off the board and their phone says so.",
            Section::People,
        ),
        "restored" => (
            "Restored: they are back as they were, and their phone works again.",
            Section::People,
        ),
        "approved" => ("Approved: their answers now show to others.", Section::Top),
        "hidden" => ("Hidden from the board and other attendees.", Section::Top),
        "edited" => ("Saved.", Section::People),
        "event-ended" => (
            "The event has ended: the board and phones say thank you.",
            Section::Top,
        ),
        _ => return None,
    };
    Some((text, section))
}

/// The message for `done` about attendee `who`: named, and for a removal
/// with the offer to undo it.
fn notice_for(event: &Snapshot, done: &str, who: Option<AttendeeId>) -> Option<Notice> {
    let (text, section) = done_message(done)?;
    let about = who.and_then(|id| event.attendee(id));
    let Some(a) = about else {
        return Some(Notice::new(text, section));
    };
    let name = format!("{} (#{})", a.profile.name, a.id);
    let text = match done {
        "removed" => {
            format!("Removed {name}: they are off the board and their phone says so.")
        }
        "restored" => format!(
            "{name} is back ({}): their phone and personal link work again.",
            match a.presence {
                crate::event::Presence::Present => "here, seated with the next free table",
                crate::event::Presence::OnBreak => "on a break, as before",
                crate::event::Presence::Left => "as having left, as before",
                crate::event::Presence::Removed => "still removed",
            }
        ),
        _ => format!("{name}: {text}"),
    };
    Some(Notice {
        text,
        section,
        undo: (done == "removed").then_some(a.id),
    })
}

/// Back to the console after `done`, opened at the part it is about.
pub(super) fn back(slot: &EventSlot, done: &str) -> HttpResponse {
    let anchor = done_message(done).map_or("", |(_, section)| section.anchor());
    see_other(format!("/e/{}/host?done={done}{anchor}", slot.code))
}

/// Back to the console after `done` to attendee `id`.
pub(super) fn back_about(slot: &EventSlot, done: &str, id: AttendeeId) -> HttpResponse {
    let anchor = done_message(done).map_or("", |(_, section)| section.anchor());
    see_other(format!(
        "/e/{}/host?done={done}&who={id}{anchor}",
        slot.code
    ))
}

/// `GET /e/{code}/host`: with `?key=` it checks the key, stores it in a
/// cookie and redirects; without, it needs that cookie.
pub async fn page(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<HostQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if let Some(raw) = &query.key {
        let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
        let key = Secret::parse(raw)
            .filter(|k| slot.lock().host_key.matches(k))
            .ok_or(PageError::NotHost)?;
        let mut response = see_other(format!("/e/{}/host", slot.code));
        response
            .add_cookie(&secret_cookie(&state, host_cookie_name(&slot.code), &key))
            .map_err(|_| PageError::BadForm("could not set the cookie".into()))?;
        return Ok(response);
    }
    let slot = host(&state, &path, &req)?;
    let event = slot.read();
    let who = query.who.as_deref().and_then(|w| w.parse().ok());
    let notice = query
        .done
        .as_deref()
        .and_then(|done| notice_for(&event, done, who));
    let people = PeopleQuery::new(
        query.q.as_deref().unwrap_or_default(),
        query.page.as_deref(),
    );
    Ok(html(render_page(
        &state,
        &slot,
        &event,
        notice.as_ref(),
        &people,
    )))
}

#[derive(Debug, Deserialize)]
pub struct StartRoundForm {
    /// The number of rounds the organizer's page showed.
    after: usize,
    /// "yes" once the organizer confirmed cutting a running round short.
    confirm: Option<String>,
}

/// `POST /e/{code}/host/rounds`: starts the next round, unless one was
/// already started since the page was shown (a double click). While a
/// round is on, it first asks (a page with "Yes, start round N now"),
/// unless the form says `confirm=yes`.
pub async fn start_round(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<StartRoundForm>,
) -> Result<HttpResponse, PageError> {
    let slot = host(&state, &path, &req)?;
    {
        let event = slot.read();
        let now = state.now();
        let seen = event.current_round().map_or(0, |r| r.number) == form.after;
        let confirmed = form.confirm.as_deref() == Some("yes");
        if seen && !confirmed && views::round_is_on(event.phase(now)) {
            return Ok(html(views::start_round_confirm_page(&event, now)));
        }
    }
    match state.start_round_after(&slot, Some(form.after)).await {
        Ok(_) => Ok(back(&slot, "round")),
        Err(e) => {
            let status = match e {
                StartRoundError::Round(RoundError::NotEnoughPeople(_) | RoundError::EventEnded) => {
                    StatusCode::CONFLICT
                }
                StartRoundError::Engine(_) | StartRoundError::Crashed => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            let message = format!("No round started: {e}.");
            Ok(html_with_status(
                status,
                render(&state, &slot, &slot.read(), Some((&message, Section::Top))),
            ))
        }
    }
}

/// `POST /e/{code}/host/round/{action}`: `pause` freezes the countdown,
/// `resume` restarts it, `end` says time's up now. Twice is fine.
pub async fn round_clock(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (raw_code, name) = path.into_inner();
    let slot = host(&state, &raw_code, &req)?;
    let (action, done) = match Event::clock_action(&name) {
        Some(action) if name == "pause" => (action, "paused"),
        Some(action) if name == "resume" => (action, "resumed"),
        Some(action) => (action, "ended"),
        None => {
            return Err(PageError::NotFound(
                "The round actions are pause, resume and end.",
            ));
        }
    };
    let result = action(&mut slot.lock(), state.now());
    match result {
        Ok(()) => Ok(back(&slot, done)),
        Err(e) => {
            let message = format!("Nothing changed: {e}.");
            Ok(html_with_status(
                StatusCode::CONFLICT,
                render(&state, &slot, &slot.read(), Some((&message, Section::Top))),
            ))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    /// Numbers as typed; a missing field keeps its setting.
    group_size: Option<String>,
    round_minutes: Option<String>,
    changeover_seconds: Option<String>,
    retention_days: Option<String>,
    /// Checkboxes: present when ticked.
    registration_open: Option<String>,
    auto_rotate: Option<String>,
    facts_need_approval: Option<String>,
    /// One name per line; absent keeps the names.
    table_names: Option<String>,
}

/// `POST /e/{code}/host/settings`.
pub async fn settings(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let slot = host(&state, &path, &req)?;
    /// `Ok(None)` for a missing field, `Err` for one that is not a number.
    fn number<T: std::str::FromStr>(raw: &Option<String>) -> Result<Option<T>, ()> {
        raw.as_deref()
            .map(|r| r.trim().parse().map_err(|_| ()))
            .transpose()
    }
    let numbers = (
        number(&form.group_size),
        number(&form.round_minutes),
        number(&form.changeover_seconds),
        number(&form.retention_days),
    );
    let result =
        if let (Ok(group_size), Ok(round_minutes), Ok(changeover_seconds), Ok(retention_days)) =
            numbers
        {
            let change = SettingsChange {
                group_size,
                round_minutes,
                changeover_seconds,
                retention_days,
                registration_open: Some(form.registration_open.is_some()),
                auto_rotate: Some(form.auto_rotate.is_some()),
                facts_need_approval: Some(form.facts_need_approval.is_some()),
                table_names: form.table_names.as_deref().map(|text| {
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect()
                }),
            };
            slot.lock()
                .change_settings(&change)
                .map_err(|e| e.to_string())
        } else {
            Err(
                "group size, round length, change-over and retention must be whole numbers"
                    .to_string(),
            )
        };
    match result {
        Ok(()) => Ok(back(&slot, "settings")),
        Err(e) => {
            let message = format!("Settings not saved: {e}.");
            Ok(html_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    &state,
                    &slot,
                    &slot.read(),
                    Some((&message, Section::Settings)),
                ),
            ))
        }
    }
}

/// `POST /e/{code}/host/end-event`: ends the event (once the box is ticked;
/// again is fine).
pub async fn end_event(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let slot = host(&state, &path, &req)?;
    if !form.confirmed() {
        let message = "Nothing changed: tick \"Yes, the event is over\" to end it.";
        return Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &slot, &slot.read(), Some((message, Section::Top))),
        ));
    }
    slot.lock().end_event(state.now());
    Ok(back(&slot, "event-ended"))
}
