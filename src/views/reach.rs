//! "Is anyone getting through?": the line in the board's lobby and the
//! notice on the console about the first phone, and the checklist when no
//! phone has come a few minutes after the board opened (see
//! [`crate::state::Reach`]). Shown only until someone joins: from then on
//! the names are the proof.

use maud::{Markup, html};

use crate::event::Snapshot;
use crate::state::{CHECKLIST_AFTER, ReachStatus};

/// What the partials need besides the event.
#[derive(Debug, Clone, Copy)]
pub struct ReachNote<'a> {
    pub status: ReachStatus,
    /// The address in use: what the QR code encodes.
    pub join_url: &'a str,
}

/// Whether there is anything to say: nobody has joined yet.
fn nobody_yet(event: &Snapshot) -> bool {
    event.attendees().is_empty() && event.ended_at.is_none()
}

/// The board's lobby line: waiting for the first phone, or that it came.
pub fn lobby_line(event: &Snapshot, note: &ReachNote) -> Markup {
    if !nobody_yet(event) {
        return html! {};
    }
    html! {
        @match note.status {
            ReachStatus::PhoneArrived { .. } => {
                p.reach.arrived role="status" { "✓ The first phone has loaded the join page" }
            }
            ReachStatus::Waiting | ReachStatus::NoPhoneYet { .. } => {
                p.reach.waiting role="status" { "Waiting for the first phone…" }
            }
        }
    }
}

/// The console's notice: waiting (with how to check), the first phone's
/// arrival, or the checklist.
pub fn console_notice(event: &Snapshot, note: &ReachNote) -> Markup {
    if !nobody_yet(event) {
        return html! {};
    }
    html! {
        @match note.status {
            ReachStatus::Waiting => {
                p.reach.waiting role="status" {
                    "Waiting for the first phone to load the join page. Scan the QR code with your own phone, on the venue's Wi-Fi (not mobile data), to check that phones reach this computer."
                }
            }
            ReachStatus::PhoneArrived { .. } => {
                p.reach.arrived role="status" {
                    "✓ The first phone has loaded the join page: phones can reach this computer."
                }
            }
            ReachStatus::NoPhoneYet { .. } => { (checklist(note.join_url)) }
        }
    }
}

/// What to check when no phone gets through: the README's troubleshooting
/// section says the same at more length.
fn checklist(join_url: &str) -> Markup {
    html! {
        div.card.reach.checklist role="alert" {
            h2 { "No phone has loaded the join page yet" }
            p { (CHECKLIST_AFTER / 60_000) " minutes since the board opened. Check:" }
            ol {
                li { strong { "Same Wi-Fi?" } " The phones must be on the same network as this computer; mobile data cannot reach it." }
                li { strong { "Client isolation." } " Guest Wi-Fi often stops devices from reaching each other. Use a phone hotspot for this computer and the guests, or a tunnel and restart with " code { "--public-url" } " (see Troubleshooting in the README)." }
                li { strong { "Firewall." } " Did this computer ask whether to allow incoming connections? Allow them for icebreaker (on Windows: on private networks)." }
                li { strong { "The address in use: " } a href=(join_url) { (join_url) } ". The terminal lists this computer's other addresses; if this one is a VPN's or another network's, restart with " code { "--public-url http://ADDRESS:PORT" } "." }
            }
            p.muted { "Try it: open the address above on your own phone, on the venue's Wi-Fi." }
        }
    }
}
