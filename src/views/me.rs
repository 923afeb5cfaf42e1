//! The attendee's own page: where to go now and who they will meet.

use maud::{Markup, html};

use super::{countdown, layout};
use crate::domain::normalize_interest;
use crate::event::{Attendee, AttendeeId, Presence, Seat, Snapshot};

/// Seconds between reloads while JavaScript is off: a new round shows up
/// without anyone touching the phone.
const REFRESH: &str = "15";

fn interest_tags(attendee: &Attendee, shared: &[String]) -> Markup {
    let shared_keys: Vec<_> = shared
        .iter()
        .filter_map(|s| normalize_interest(s))
        .collect();
    html! {
        @for interest in &attendee.public.interests {
            @let is_shared = normalize_interest(interest).is_some_and(|k| shared_keys.contains(&k));
            span.tag.shared[is_shared] { (interest) }
            " "
        }
    }
}

/// "name and weirdest fact".
fn field_list(fields: &std::collections::BTreeSet<crate::domain::Field>) -> String {
    let labels: Vec<&str> = fields.iter().map(|f| f.label()).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn member_card(attendee: &Attendee, shared: &[String]) -> Markup {
    let p = &attendee.public;
    html! {
        div.card.member {
            @let shown = p.shown_name();
            h3 { (shown) }
            @if shown != p.name.as_str() { p.muted.full-name { (p.name) } }
            @if !p.spot_me.is_empty() { p { "Spot them: " strong { (p.spot_me) } } }
            @if !p.work.is_empty() { p.muted { (p.work) } }
            p { (interest_tags(attendee, shared)) }
        }
    }
}

fn presence_buttons(code: &str, presence: Presence) -> Markup {
    html! {
        div.actions {
            a.button.secondary href=(format!("/e/{code}/me/edit")) { "Edit my answers" }
            " "
            a.button.secondary href=(format!("/e/{code}/met")) { "People I met" }
            " "
            @match presence {
                Presence::Present => {
                    form method="post" action=(format!("/e/{code}/me/break")) {
                        button.secondary type="submit" { "Take a break" }
                    }
                    " "
                    form method="post" action=(format!("/e/{code}/me/leave")) {
                        button.secondary type="submit" { "Leave the event" }
                    }
                }
                Presence::OnBreak | Presence::Left => {
                    form method="post" action=(format!("/e/{code}/me/back")) {
                        button type="submit" { "I'm back" }
                    }
                }
                Presence::Removed => {}
            }
        }
    }
}

/// The part of the attendee's page that changes as the event goes on:
/// status, table, group and prompts, and the presence buttons. Sent again
/// over the live stream after every change that alters it.
pub fn me_live(event: &Snapshot, id: AttendeeId, now: i64) -> Markup {
    let Some(me) = event.attendee(id) else {
        return html! { h1 { "We don't know you at this event" } };
    };
    let code = event.code.as_str();
    let group = event.group_of(id);
    let table = group.as_ref().map(|g| g.table);
    html! {
        div.state data-table=[table] data-round=[event.current_round().map(|r| r.number)] {
            @if !me.review.pending.is_empty() && me.presence != Presence::Removed {
                p.notice {
                    "Thanks! Your " (field_list(&me.review.pending))
                    " will show to others once the organizer has had a look."
                }
            }
            @if !me.review.hidden.is_empty() && me.presence != Presence::Removed {
                p.notice { "The organizer has hidden your " (field_list(&me.review.hidden)) " from others." }
            }
            @match (me.presence, event.seat_of(id)) {
                _ if event.ended_at.is_some() && me.presence != Presence::Removed => {
                    h1 { "Thank you for coming, " (me.profile.shown_name()) "!" }
                    p.lead { "The event has ended. We hope you met some people worth meeting again." }
                    p { a.button href=(format!("/e/{code}/met")) { "See the people I met" } }
                }
                (Presence::Removed, _) => {
                    h1 { "You were removed from this event" }
                    p.lead { "The organizer took you off the list. If you think this is a mistake, please talk to them." }
                }
                (Presence::Left, _) => {
                    h1 { "You've left the event" }
                    p.lead { "Thanks for coming, " (me.profile.shown_name()) "! Changed your mind? Come back any time." }
                }
                (Presence::OnBreak, _) => {
                    h1 { "You're on a break" }
                    p.lead { "Take your time. You won't be put in new groups until you tap “I'm back”." }
                }
                (Presence::Present, Seat::Lobby) => {
                    h1 { "You're in — groups start soon" }
                    p.lead { (super::people(event.attendees().len())) " joined so far. Keep this page open: your table appears here when the first round starts." }
                }
                (Presence::Present, Seat::Waiting { round }) => {
                    h1 { "You're in — a table is on its way" }
                    p.lead { "Round " (round.number) " is under way and every table is full. As soon as a few more people arrive you get a table together; it appears here." }
                }
                (Presence::Present, Seat::Away) => {
                    h1 { "You're in" }
                }
                (Presence::Present, Seat::Table { .. }) => {
                    @if let Some(group) = &group {
                        p.table-label { "Round " (group.round.number) " · " (countdown(event.phase(now), now)) }
                        @match event.settings.table_names.get(group.table - 1) {
                            Some(name) => h1.table-no.named { span.table-word { "Go to " } (name) },
                            None => h1.table-no { span.table-word { "Table " } (group.table) },
                        }
                        h2 { "Your group" }
                        @for &m in group.members.iter().filter(|&&m| m != id) {
                            @if let Some(other) = event.attendee(m) { (member_card(other, &group.shared_interests)) }
                        }
                        @if !group.shared_interests.is_empty() {
                            p { "You have in common: "
                                @for s in &group.shared_interests { span.tag.shared { (s) } " " }
                            }
                        }
                        h2 { "Start talking" }
                        ul.prompts { @for prompt in &group.prompts { li { (prompt) } } }
                    }
                }
            }
            (presence_buttons(code, me.presence))
        }
    }
}

/// The attendee page for `id`. `personal_link` gets them back in on
/// another browser or after the cookie is lost.
pub fn me_page(event: &Snapshot, id: AttendeeId, personal_link: &str, now: i64) -> Markup {
    let code = event.code.as_str();
    let body = html! {
        p.muted { (event.name) " · " span.code { (code) } span.conn hidden { " · reconnecting…" } }
        div #live data-live=(format!("/e/{code}/me/events")) { (me_live(event, id, now)) }
        details {
            summary { "Your personal link" }
            p { "Open this link to get back to your page on any device. Keep it to yourself: it works like a password. "
                "Coming to a later event here? Open it first on that phone: your answers are filled in, and you'll be seated with people you haven't met." }
            p.personal-link { a href=(personal_link) { (personal_link) } }
        }
    };
    layout("My table", Some(REFRESH), "", body)
}
