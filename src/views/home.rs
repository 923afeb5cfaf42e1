//! The front page (enter a code) and simple message pages.

use maud::{Markup, html};

use super::layout;

fn code_form(typed: &str) -> Markup {
    html! {
        form method="get" action="/" {
            label for="code" { "Event code" small { " (on the big screen)" } }
            input #code type="text" name="code" value=(typed) autocomplete="off"
                autocapitalize="characters" spellcheck="false" maxlength="20" placeholder="e.g. K7F3Q";
            p { button.wide type="submit" { "Join" } }
        }
    }
}

/// `/`: for people who type the code instead of scanning the QR code.
pub fn home_page() -> Markup {
    layout(
        "Enter the event code",
        None,
        "",
        html! {
            h1 { "Enter the event code" }
            p.lead { "Type the 5-character code shown on the big screen." }
            (code_form(""))
        },
    )
}

/// The 404 page for an unknown event code, with the form to try again.
pub fn unknown_event_page(typed: &str) -> Markup {
    layout(
        "Event not found",
        None,
        "",
        html! {
            h1 { "No event with that code" }
            @if !typed.is_empty() {
                p.error-box { "We couldn't find the event " span.code { (typed) } ". Check the code on the big screen and try again." }
            }
            (code_form(typed))
        },
    )
}

/// A page that only says something, e.g. a 403 or 404, with a way on.
pub fn message_page(title: &str, message: &str) -> Markup {
    layout(
        title,
        None,
        "",
        html! {
            h1 { (title) }
            p.lead { (message) }
            p { a href="/" { "Enter an event code" } }
        },
    )
}
