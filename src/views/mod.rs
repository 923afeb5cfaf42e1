//! HTML pages as pure functions: data in, `Markup` out. Handlers lock an
//! event, call one of these and send the result.

mod admin;
mod board;
mod finale;
mod home;
mod host;
mod join;
mod layout;
mod me;
mod met;
mod print;
mod switch;

pub use admin::{EventRow, NewEventForm, admin_page};
pub use board::{board_live, board_page};
pub use home::{home_page, message_page, unknown_event_page};
pub use host::{EDITABLE, HostLinks, attendee_edit_page, host_live, host_page};
pub use join::{FormMode, ProfileForm, join_page};
pub use layout::layout;
pub use me::{me_live, me_page};
pub use met::{MetPage, met_page};
pub use print::{MAX_SIGNS, poster_page, signs_page};
pub use switch::{join_again_page, switch_page};

use maud::{Markup, html};

use crate::event::{Millis, RoundPhase};

/// "7:05" for a duration in milliseconds (rounded up to the second).
pub fn clock_text(ms: Millis) -> String {
    let seconds = (ms.max(0) + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The round clock. The server writes the text (enough without
/// JavaScript); the data attributes let the page script count down every
/// second from the server's clock, corrected for the phone's clock skew.
pub fn countdown(phase: RoundPhase, now: Millis) -> Markup {
    match phase {
        RoundPhase::Lobby => html! {},
        RoundPhase::Running { ends_at } => html! {
            span.countdown.last-minute[ends_at - now <= 60_000] data-ends-at=(ends_at) {
                (time_left(ends_at, now))
            }
        },
        RoundPhase::Paused { left } => html! {
            span.countdown.paused { "Paused · " (clock_text(left)) " left" }
        },
        RoundPhase::Over { next_at } => html! {
            span.countdown.over { "Time's up — find your next table" }
            @if let Some(next_at) = next_at {
                " · " span.countdown data-next-at=(next_at) {
                    "next round in " (clock_text(next_at - now))
                }
            }
        },
    }
}

/// The first word of a name: what fits on a projected table card.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// "1 person has" / "12 people have".
pub fn people(n: usize) -> String {
    if n == 1 {
        "1 person has".to_string()
    } else {
        format!("{n} people have")
    }
}

/// "7 min left", "under a minute left" or "time's up", from the server clock.
pub fn time_left(ends_at: Millis, now: Millis) -> String {
    let left = ends_at - now;
    if left <= 0 {
        "Time's up — find your next table".to_string()
    } else if left < 60_000 {
        "Under a minute left".to_string()
    } else {
        format!("{} min left", (left + 59_999) / 60_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_rounds_up_and_says_when_time_is_up() {
        assert_eq!(time_left(600_000, 0), "10 min left");
        assert_eq!(time_left(600_000, 1), "10 min left");
        assert_eq!(time_left(600_000, 540_001), "Under a minute left");
        assert_eq!(
            time_left(600_000, 600_000),
            "Time's up — find your next table"
        );
    }

    #[test]
    fn first_names_fit_on_cards() {
        assert_eq!(first_name("Ada Lovelace"), "Ada");
        assert_eq!(first_name("  Grace  "), "Grace");
        assert_eq!(first_name(""), "");
    }
}
