//! The organizer's page: start rounds, change settings, see who is here.

use maud::{Markup, html};

use super::{countdown, layout};
use crate::event::{
    CHANGEOVER_SECONDS, GROUP_SIZES, Presence, ROUND_MINUTES, RoundPhase, Snapshot,
};

/// Links the organizer needs at hand.
pub struct HostLinks<'a> {
    pub join: &'a str,
    pub board: &'a str,
}

fn presence_label(p: Presence) -> &'static str {
    match p {
        Presence::Present => "here",
        Presence::OnBreak => "on a break",
        Presence::Left => "left",
        Presence::Removed => "removed",
    }
}

/// The host page. `message` reports the last action's outcome.
pub fn host_page(event: &Snapshot, links: &HostLinks, message: Option<&str>, now: i64) -> Markup {
    let code = event.code.as_str();
    let s = &event.settings;
    let rounds = event.current_round().map_or(0, |r| r.number);
    // Who sits where, looked up once rather than per row.
    let table_of: std::collections::HashMap<_, _> = event
        .current_round()
        .map(|r| r.tables.as_slice())
        .unwrap_or_default()
        .iter()
        .flat_map(|t| t.members.iter().map(move |&m| (m, t.number)))
        .collect();
    let body = html! {
        h1 { "Host: " (event.name) }
        @if let Some(m) = message { p.notice role="status" { (m) } }
        p { "Code " span.code { (code) } " · "
            a href=(links.board) target="_blank" { "Open the board" } " (project it) · join link: "
            a href=(links.join) { (links.join) } }
        div.card {
            p.lead {
                strong { (event.attendees().len()) } " joined · "
                strong { (event.present_count()) } " here now · "
                @match event.current_round() {
                    None => "no round yet",
                    Some(r) => { "round " (r.number) ": " (countdown(event.phase(now), now)) }
                }
            }
            form method="post" action=(format!("/e/{code}/host/rounds")) {
                // The round the organizer saw: a second click on the same
                // page does not start yet another round.
                input type="hidden" name="after" value=(rounds);
                button.wide type="submit" {
                    @if matches!(event.phase(now), RoundPhase::Running { .. } | RoundPhase::Paused { .. }) {
                        "Start round " (rounds + 1) " now"
                    } @else {
                        "Start round " (rounds + 1)
                    }
                }
            }
            @match event.phase(now) {
                RoundPhase::Running { .. } => {
                    div.actions {
                        form method="post" action=(format!("/e/{code}/host/pause")) { button.secondary type="submit" { "Pause" } }
                        " "
                        form method="post" action=(format!("/e/{code}/host/end")) { button.secondary type="submit" { "End round now" } }
                    }
                }
                RoundPhase::Paused { .. } => {
                    div.actions {
                        form method="post" action=(format!("/e/{code}/host/resume")) { button type="submit" { "Resume" } }
                        " "
                        form method="post" action=(format!("/e/{code}/host/end")) { button.secondary type="submit" { "End round now" } }
                    }
                }
                RoundPhase::Lobby | RoundPhase::Over { .. } => {}
            }
        }
        h2 { "Settings" }
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
            }
            label { input type="checkbox" name="auto_rotate" value="true" checked[s.auto_rotate]; " Auto-rotate: start the next round by itself after the change-over" }
            label { input type="checkbox" name="registration_open" value="true" checked[s.registration_open]; " Registration open" }
            button type="submit" { "Save settings" }
        }
        h2 { "People" }
        table {
            thead { tr { th { "Name" } th { "Status" } th { "Table" } th {} } }
            tbody {
                @for a in event.attendees().iter().rev() {
                    tr {
                        td { (a.profile.name) }
                        td { (presence_label(a.presence)) }
                        td { @if let Some(t) = table_of.get(&a.id) { (t) } }
                        td {
                            @if a.presence != Presence::Removed {
                                form method="post" action=(format!("/e/{code}/host/remove/{}", a.id)) {
                                    button.danger.small type="submit" { "Remove" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(&format!("Host {}", event.name), None, "host", body)
}
