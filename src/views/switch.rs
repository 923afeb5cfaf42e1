//! "Switch to another person?": asked before a browser signed in as one
//! attendee is signed in as another, by a personal link or the join form.
//! Without the question, a page on another site could send a visitor to
//! `…/me?t=THEIR_TOKEN` (or post the join form) and so sign them in as the
//! attacker's attendee, whose page would then receive the contact details
//! the visitor saves. The switch happens only by a POST from our own page,
//! which the origin check lets through and other sites cannot send.

use maud::{Markup, html};

use super::{ProfileForm, layout};

/// The question for a personal link opened while signed in as someone
/// else: `current` is who the browser is now, `other` whose link it is.
pub fn switch_page(
    event_name: &str,
    code: &str,
    current: &str,
    other: &str,
    token: &str,
) -> Markup {
    layout(
        "Switch to another person?",
        None,
        "",
        html! {
            h1 { "Switch to another person?" }
            p.lead {
                "On this browser you are signed in to " (event_name) " as " strong { (current) } ". "
                "The personal link you opened is " strong { (other) } "'s."
            }
            form method="post" action={ "/e/" (code) "/me/switch" } {
                input type="hidden" name="t" value=(token);
                button type="submit" { "Switch to " (other) }
            }
            p { a href={ "/e/" (code) "/me" } { "Stay " (current) } }
        },
    )
}

/// The question for the join form sent while already signed in as
/// `current`: the answers come along as hidden fields.
pub fn join_again_page(event_name: &str, code: &str, current: &str, form: &ProfileForm) -> Markup {
    layout(
        "Join again as someone new?",
        None,
        "",
        html! {
            h1 { "Join again as someone new?" }
            p.lead {
                "On this browser you already joined " (event_name) " as " strong { (current) } ". "
                "Joining again signs this browser in as the new person; "
                (current) " can still get back in with their personal link."
            }
            form method="post" action={ "/e/" (code) "?switch=yes" } {
                @for (name, value) in [
                    ("name", &form.name),
                    ("work", &form.work),
                    ("interests", &form.interests),
                    ("ask_me_about", &form.ask_me_about),
                    ("weird_fact", &form.weird_fact),
                    ("spot_me", &form.spot_me),
                    ("returning", &form.returning),
                ] {
                    input type="hidden" name=(name) value=(value);
                }
                button type="submit" { "Join as " (form.name) }
            }
            p { a href={ "/e/" (code) "/me" } { "Stay " (current) } }
        },
    )
}
