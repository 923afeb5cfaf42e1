//! HTML pages as pure functions: data in, `Markup` out. Handlers lock an
//! event, call one of these and send the result.

mod admin;
mod board;
mod board_index;
mod board_layout;
mod board_names;
mod finale;
mod home;
mod host;
mod join;
mod layout;
mod me;
mod met;
mod print;
mod reach;
mod switch;

pub use admin::{EventRow, NewEventForm, admin_page};
pub use board::{board_live, board_page};
pub use board_names::BoardNames;
pub use home::{home_page, message_page, unknown_event_page};
pub use host::{
    EDITABLE, HostLinks, Notice, PEOPLE_PAGE, PeopleQuery, Section, attendee_edit_page, host_live,
    host_page, people_list, round_is_on, start_round_confirm_page,
};
pub use join::{FormMode, ProfileForm, join_page};
pub use layout::layout;
pub use me::{me_live, me_page, prompt_text};
pub use met::{MetPage, met_page};
pub use print::{MAX_SIGNS, poster_page, signs_page};
pub use reach::ReachNote;
pub use switch::{join_again_page, switch_page};

use maud::{Markup, html};

use crate::event::{Millis, RoundPhase};

/// "7:05" for a duration in milliseconds (rounded up to the second).
pub fn clock_text(ms: Millis) -> String {
    let seconds = (ms.max(0) + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// What the room reads at zero with no next round scheduled (auto-rotate
/// off): nobody is sent wandering to a table that does not exist yet, and
/// the group may keep talking. `static/app.js` says the same.
pub const TIMES_UP: &str = "Time's up — the next round starts when the organizer starts it";

/// "Next round in 0:45": at zero with auto-rotate on, counting down the
/// change-over. `static/app.js` counts it down in the same words.
pub fn next_round_in(next_at: Millis, now: Millis) -> String {
    if next_at > now {
        format!("Next round in {}", clock_text(next_at - now))
    } else {
        "Next round starting…".to_string()
    }
}

/// The round clock. The server writes the text (enough without
/// JavaScript); the data attributes let the page script count down every
/// second from the server's clock, corrected for the phone's clock skew:
/// `data-ends-at` the round's end, `data-then-at` (auto-rotate) when the
/// next round starts, so the script knows what to say at zero.
pub fn countdown(phase: RoundPhase, now: Millis) -> Markup {
    match phase {
        RoundPhase::Lobby => html! {},
        RoundPhase::Running { ends_at, next_at } => html! {
            span.countdown.last-minute[ends_at - now <= 60_000] data-ends-at=(ends_at) data-then-at=[next_at] {
                (time_left(ends_at, now))
            }
        },
        RoundPhase::Paused { left } => html! {
            span.countdown.paused { "Paused · " (clock_text(left)) " left" }
        },
        RoundPhase::Over { next_at: None } => html! {
            span.countdown.over { (TIMES_UP) }
        },
        RoundPhase::Over {
            next_at: Some(next_at),
        } => html! {
            span.countdown.over data-next-at=(next_at) { (next_round_in(next_at, now)) }
        },
        RoundPhase::Ended => html! {
            span.countdown.ended { "the event has ended" }
        },
    }
}

/// "1 person has" / "12 people have".
pub fn people(n: usize) -> String {
    if n == 1 {
        "1 person has".to_string()
    } else {
        format!("{n} people have")
    }
}

/// "7 min left", "under a minute left" or [`TIMES_UP`], from the server
/// clock.
pub fn time_left(ends_at: Millis, now: Millis) -> String {
    let left = ends_at - now;
    if left <= 0 {
        TIMES_UP.to_string()
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
        assert_eq!(time_left(600_000, 600_000), TIMES_UP);
    }

    #[test]
    fn the_change_over_counts_down_to_the_next_round() {
        assert_eq!(next_round_in(45_000, 0), "Next round in 0:45");
        assert_eq!(next_round_in(45_000, 44_001), "Next round in 0:01");
        assert_eq!(next_round_in(45_000, 45_000), "Next round starting…");
    }
}
