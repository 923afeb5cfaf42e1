//! The organizer's console: the round and its clock, the review queue,
//! the settings, and everyone who joined (searched and paged), in that
//! order, with links to each at the top. The round and the review queue
//! are re-sent over the console's stream after every change, and the
//! shown page of people over a stream of its own; the settings form is
//! not, so typing in it is never interrupted.

mod people;
mod people_list;

use maud::{Markup, html};

pub use people::{EDITABLE, attendee_edit_page};
pub use people_list::{PEOPLE_PAGE, PeopleQuery, people_list};

use super::{clock_text, countdown, layout};
use crate::event::{
    AttendeeId, CHANGEOVER_SECONDS, GROUP_SIZES, Presence, RETENTION_DAYS, ROUND_MINUTES,
    RoundPhase, Snapshot,
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

/// Whether a round is on (running or paused): starting the next one now
/// cuts it short, so the console asks first.
pub fn round_is_on(phase: RoundPhase) -> bool {
    matches!(
        phase,
        RoundPhase::Running { .. } | RoundPhase::Paused { .. }
    )
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
                @let early = round_is_on(phase);
                // Early, the server asks first (a page of its own); with
                // JavaScript the browser asks instead and says yes for it.
                form method="post" action=(format!("/e/{code}/host/rounds"))
                    data-confirm=[early.then(|| format!("Round {rounds} is still running. Start round {} now? Everyone moves to a new table.", rounds + 1))] {
                    // The round the organizer saw: a second click on the
                    // same page does not start yet another round.
                    input type="hidden" name="after" value=(rounds);
                    button.wide type="submit" {
                        @if early {
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

/// The top of the console, which follows the event live: whether phones
/// get through, the round and the review queue (the people list has its
/// own stream, see [`people_list`]).
pub fn host_live(event: &Snapshot, now: i64, reach: &super::ReachNote) -> Markup {
    html! {
        (super::reach::console_notice(event, reach))
        (round_controls(event, now))
        (people::review_queue(event))
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

/// Where on the console a message belongs: next to what it is about, as
/// the page opens there after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// At the top, by the round.
    Top,
    /// By the settings (`#settings`).
    Settings,
    /// By the people list (`#people`).
    People,
}

impl Section {
    /// The anchor the console's address ends with to open here.
    pub fn anchor(self) -> &'static str {
        match self {
            Section::Top => "",
            Section::Settings => "#settings",
            Section::People => "#people",
        }
    }
}

/// What the last action did, said where it belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub section: Section,
    /// Someone just removed: the message offers to undo it.
    pub undo: Option<AttendeeId>,
}

impl Notice {
    pub fn new(text: impl Into<String>, section: Section) -> Self {
        Notice {
            text: text.into(),
            section,
            undo: None,
        }
    }
}

/// `notice`, if it belongs in `section`: the text, and an undo button
/// while the person it names is still removed.
fn notice_in(event: &Snapshot, notice: Option<&Notice>, section: Section) -> Markup {
    let Some(notice) = notice.filter(|n| n.section == section) else {
        return html! {};
    };
    let undo = notice.undo.filter(|&id| {
        event
            .attendee(id)
            .is_some_and(|a| a.presence == Presence::Removed)
    });
    html! {
        div.notice role="status" {
            (notice.text)
            @if let Some(id) = undo {
                " "
                form.inline method="post" action=(format!("/e/{}/host/restore/{id}", event.code)) {
                    button.small type="submit" { "Undo" }
                }
            }
        }
    }
}

/// The console page. `notice` reports the last action's outcome; `people`
/// is the search and page of the people list.
pub fn host_page(
    event: &Snapshot,
    links: &HostLinks,
    notice: Option<&Notice>,
    now: i64,
    people: &PeopleQuery,
    reach: &super::ReachNote,
) -> Markup {
    let code = event.code.as_str();
    let body = html! {
        h1 #top { "Host: " (event.name) }
        p { "Code " span.code { (code) } " · join link: " a href=(links.join) { (links.join) } }
        p.actions {
            a.button.secondary href=(links.board) target="_blank" { "Open the board" } " "
            a.button.secondary href=(format!("/e/{code}/poster")) target="_blank" { "QR poster" } " "
            a.button.secondary href=(format!("/e/{code}/signs")) target="_blank" { "Table signs" } " "
            a.button.secondary href=(format!("/api/events/{code}/export?format=csv")) { "Attendees (CSV)" } " "
            a.button.secondary href=(format!("/api/events/{code}/export?format=csv&what=rounds")) { "Rounds (CSV)" } " "
            a.button.secondary href=(format!("/api/events/{code}/export?format=json")) { "Everything (JSON)" }
        }
        nav.console-nav aria-label="Console sections" {
            a href="#top" { "Round" } " · "
            a href="#settings" { "Settings" } " · "
            a href="#people" { "People" }
            @if event.ended_at.is_none() { " · " a href="#end" { "End the event" } }
        }
        (notice_in(event, notice, Section::Top))
        span.conn hidden { "reconnecting…" }
        div #live data-live=(format!("/e/{code}/host/events")) {
            (host_live(event, now, reach))
        }
        section #settings {
            h2 { "Settings" }
            (notice_in(event, notice, Section::Settings))
            (settings_form(event))
        }
        section #people {
            h2 { "People" }
            (notice_in(event, notice, Section::People))
            form.search method="get" action=(format!("/e/{code}/host#people")) {
                label for="q" { "Search people" }
                input #q type="search" name="q" value=(people.filter) autocomplete="off"
                    placeholder="name, what they do, or number";
                " " button.secondary type="submit" { "Search" }
                @if !people.filter.is_empty() { " " a href=(format!("/e/{code}/host#people")) { "Show everyone" } }
            }
            div #people-live data-live-people=(people.stream_url(code)) {
                (people_list(event, now, people))
            }
        }
        @if event.ended_at.is_none() {
            section #end {
                h2 { "End the event" }
                form.card method="post" action=(format!("/e/{code}/host/end-event")) {
                    p { "The board and every phone show a thank-you screen; nobody can join and no new round starts. Exports stay available." }
                    label { input type="checkbox" name="confirm" value="yes"; " Yes, the event is over" }
                    button.danger type="submit" { "End the event" }
                }
            }
        }
    };
    layout(&format!("Host {}", event.name), None, "host", body)
}

/// Asked before a round is cut short (the console's "Start round N now"
/// while one is on, without JavaScript): what it does, yes or no.
pub fn start_round_confirm_page(event: &Snapshot, now: i64) -> Markup {
    let code = event.code.as_str();
    let rounds = event.current_round().map_or(0, |r| r.number);
    let body = html! {
        h1 { "Start round " (rounds + 1) " now?" }
        p.lead {
            @match event.phase(now) {
                RoundPhase::Running { ends_at, .. } => { "Round " (rounds) " is still running: " (clock_text(ends_at - now)) " left." }
                RoundPhase::Paused { left } => { "Round " (rounds) " is paused with " (clock_text(left)) " left." }
                RoundPhase::Lobby | RoundPhase::Over { .. } | RoundPhase::Ended => { "Round " (rounds) " is over." }
            }
        }
        p { "Starting round " (rounds + 1) " now ends it early: the board and every phone show new tables, and everyone moves." }
        form.card method="post" action=(format!("/e/{code}/host/rounds")) {
            input type="hidden" name="after" value=(rounds);
            input type="hidden" name="confirm" value="yes";
            p.actions {
                button type="submit" { "Yes, start round " (rounds + 1) " now" } " "
                a.button.secondary href=(format!("/e/{code}/host")) { "No, keep round " (rounds) " going" }
            }
        }
    };
    layout("Start the next round?", None, "host", body)
}
