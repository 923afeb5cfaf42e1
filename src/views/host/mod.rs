//! The organizer's console: the round and its clock, the review queue,
//! everyone who joined (with search), and the settings. The live part is
//! re-sent over the console's own stream after every change; the settings
//! form is not, so typing in it is never interrupted.

mod people;

use maud::{Markup, html};

pub use people::{EDITABLE, attendee_edit_page};

use super::{countdown, layout};
use crate::event::{
    CHANGEOVER_SECONDS, GROUP_SIZES, RETENTION_DAYS, ROUND_MINUTES, RoundPhase, Snapshot,
};

/// Links the organizer needs at hand.
pub struct HostLinks<'a> {
    pub join: &'a str,
    pub board: &'a str,
}

fn post_button(action: String, label: &str, class: &str) -> Markup {
    html! {
        form method="post" action=(action) {
            button class=(class) type="submit" { (label) }
        }
    }
}

/// The round, its clock and the buttons that drive it.
fn round_controls(event: &Snapshot, now: i64) -> Markup {
    let code = event.code.as_str();
    let rounds = event.current_round().map_or(0, |r| r.number);
    let phase = event.phase(now);
    html! {
        div.card {
            p.lead {
                strong { (event.attendees().len()) } " joined · "
                strong { (event.present_count()) } " here now · "
                @match event.current_round() {
                    None => "no round yet",
                    Some(r) => { "round " (r.number) ": " (countdown(phase, now)) }
                }
            }
            @let (newcomers, regulars) = event.attendees().newcomers_and_regulars();
            p.muted.regulars {
                (newcomers) @if newcomers == 1 { " newcomer" } @else { " newcomers" } " · "
                (regulars) @if regulars == 1 { " regular" } @else { " regulars" }
                " (came to an earlier event here; the matcher avoids seating them with people they met then)"
            }
            @if event.ended_at.is_some() {
                p.notice { "The event has ended. Exports stay available until the event is deleted." }
            } @else {
                form method="post" action=(format!("/e/{code}/host/rounds")) {
                    // The round the organizer saw: a second click on the
                    // same page does not start yet another round.
                    input type="hidden" name="after" value=(rounds);
                    button.wide type="submit" {
                        @if matches!(phase, RoundPhase::Running { .. } | RoundPhase::Paused { .. }) {
                            "Start round " (rounds + 1) " now"
                        } @else {
                            "Start round " (rounds + 1)
                        }
                    }
                }
                div.actions {
                    @match phase {
                        RoundPhase::Running { .. } => {
                            (post_button(format!("/e/{code}/host/round/pause"), "Pause", "secondary")) " "
                            (post_button(format!("/e/{code}/host/round/end"), "End round now", "secondary"))
                        }
                        RoundPhase::Paused { .. } => {
                            (post_button(format!("/e/{code}/host/round/resume"), "Resume", "")) " "
                            (post_button(format!("/e/{code}/host/round/end"), "End round now", "secondary"))
                        }
                        RoundPhase::Lobby | RoundPhase::Over { .. } | RoundPhase::Ended => {}
                    }
                }
            }
        }
    }
}

/// The part of the console that follows the event live.
pub fn host_live(event: &Snapshot, now: i64, filter: &str, reach: &super::ReachNote) -> Markup {
    html! {
        (super::reach::console_notice(event, reach))
        (round_controls(event, now))
        (people::review_queue(event))
        (people::people_table(event, now, filter))
    }
}

fn settings_form(event: &Snapshot) -> Markup {
    let code = event.code.as_str();
    let s = &event.settings;
    html! {
        form.card method="post" action=(format!("/e/{code}/host/settings")) {
            div.inline-fields {
                label { "Group size"
                    input type="number" name="group_size" value=(s.group_size)
                        min=(GROUP_SIZES.start()) max=(GROUP_SIZES.end()); }
                label { "Round length (minutes)"
                    input type="number" name="round_minutes" value=(s.round_minutes)
                        min=(ROUND_MINUTES.start()) max=(ROUND_MINUTES.end()); }
                label { "Change-over (seconds)"
                    input type="number" name="changeover_seconds" value=(s.changeover_seconds)
                        min=(CHANGEOVER_SECONDS.start()) max=(CHANGEOVER_SECONDS.end()); }
                label { "Keep personal data (days after the end)"
                    input type="number" name="retention_days" value=(s.retention_days)
                        min=(RETENTION_DAYS.start()) max=(RETENTION_DAYS.end()); }
            }
            label { input type="checkbox" name="registration_open" value="true" checked[s.registration_open]; " Registration open" }
            label { input type="checkbox" name="auto_rotate" value="true" checked[s.auto_rotate]; " Auto-rotate: start the next round by itself after the change-over" }
            label { input type="checkbox" name="facts_need_approval" value="true" checked[s.facts_need_approval]; " Every weirdest fact waits for my approval" }
            label for="table_names" { "Table names " small { "(optional, one per line: table 1, table 2, …; e.g. Window, Coffee bar)" } }
            textarea #table_names name="table_names" { (s.table_names.join("\n")) }
            p { button type="submit" { "Save settings" } }
        }
    }
}

/// The console page. `message` reports the last action's outcome;
/// `filter` is the people search (for browsers without JavaScript).
pub fn host_page(
    event: &Snapshot,
    links: &HostLinks,
    message: Option<&str>,
    now: i64,
    filter: &str,
    reach: &super::ReachNote,
) -> Markup {
    let code = event.code.as_str();
    let body = html! {
        h1 { "Host: " (event.name) }
        @if let Some(m) = message { p.notice role="status" { (m) } }
        p { "Code " span.code { (code) } " · join link: " a href=(links.join) { (links.join) } }
        p.actions {
            a.button.secondary href=(links.board) target="_blank" { "Open the board" } " "
            a.button.secondary href=(format!("/e/{code}/poster")) target="_blank" { "QR poster" } " "
            a.button.secondary href=(format!("/e/{code}/signs")) target="_blank" { "Table signs" } " "
            a.button.secondary href=(format!("/api/events/{code}/export?format=csv")) { "Attendees (CSV)" } " "
            a.button.secondary href=(format!("/api/events/{code}/export?format=csv&what=rounds")) { "Rounds (CSV)" } " "
            a.button.secondary href=(format!("/api/events/{code}/export?format=json")) { "Everything (JSON)" }
        }
        form.search method="get" action=(format!("/e/{code}/host")) {
            label for="q" { "Search people" }
            input #q type="search" name="q" value=(filter) autocomplete="off" placeholder="name or what they do";
        }
        span.conn hidden { "reconnecting…" }
        div #live data-live=(format!("/e/{code}/host/events")) {
            (host_live(event, now, filter, reach))
        }
        h2 { "Settings" }
        (settings_form(event))
        @if event.ended_at.is_none() {
            h2 { "End the event" }
            form.card method="post" action=(format!("/e/{code}/host/end-event")) {
                p { "The board and every phone show a thank-you screen; nobody can join and no new round starts. Exports stay available." }
                label { input type="checkbox" name="confirm" value="yes"; " Yes, the event is over" }
                button.danger type="submit" { "End the event" }
            }
        }
    };
    layout(&format!("Host {}", event.name), None, "host", body)
}
