//! `/admin`: every event on this server, and a form to create one.

use maud::{Markup, html};

use super::layout;
use crate::domain::FieldErrors;
use crate::event::{GROUP_SIZES, ROUND_MINUTES};

/// One event as the admin page lists it.
pub struct EventRow {
    pub code: String,
    pub name: String,
    pub attendees: usize,
    pub rounds: usize,
    pub ended: bool,
    pub board: String,
    pub join: String,
    pub host: String,
}

/// What the create form was given, to show it again after a mistake.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct NewEventForm {
    pub name: String,
    pub group_size: String,
    pub round_minutes: String,
}

pub fn admin_page(
    events: &[EventRow],
    form: &NewEventForm,
    errors: &FieldErrors,
    message: Option<&str>,
) -> Markup {
    let body = html! {
        h1 { "Events on this server" }
        @if let Some(m) = message { p.notice role="status" { (m) } }
        h2 { "New event" }
        form.card method="post" action="/admin/events" {
            @if let Some(e) = errors.get("name") { p.field-error { (e) } }
            label for="name" { "Name" }
            input #name type="text" name="name" value=(form.name) placeholder="Thursday Gathering";
            div.inline-fields {
                label { "Group size"
                    input type="number" name="group_size" value=(form.group_size) placeholder="4"
                        min=(GROUP_SIZES.start()) max=(GROUP_SIZES.end()); }
                label { "Round length (minutes)"
                    input type="number" name="round_minutes" value=(form.round_minutes) placeholder="10"
                        min=(ROUND_MINUTES.start()) max=(ROUND_MINUTES.end()); }
            }
            @if let Some(e) = errors.get("settings") { p.field-error { (e) } }
            p { button type="submit" { "Create event" } }
        }
        h2 { "Events (" (events.len()) ")" }
        @if events.is_empty() { p.muted { "No events yet." } }
        @for e in events {
            div.card {
                h3 { (e.name) " " span.code { (e.code) } @if e.ended { " · ended" } }
                p { (e.attendees) " joined · " (e.rounds) " rounds" }
                p.actions {
                    a.button.secondary href=(e.host) { "Organizer console" } " "
                    a.button.secondary href=(e.board) target="_blank" { "Board" } " "
                    a.button.secondary href=(e.join) { "Join page" }
                }
                form method="post" action=(format!("/admin/events/{}/delete", e.code)) {
                    label { input type="checkbox" name="confirm" value="yes"; " Delete this event and all its data" }
                    button.danger.small type="submit" { "Delete" }
                }
            }
        }
    };
    layout("Events", None, "host", body)
}
