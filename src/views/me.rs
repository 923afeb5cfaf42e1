//! The attendee's own page: where to go now and who they will meet.

use maud::{Markup, html};

use super::{countdown, layout};
use crate::domain::{Profile, normalize_interest};
use crate::event::{Attendee, AttendeeId, GroupView, Presence, Prompt, Seat, Snapshot};

/// Seconds between reloads while JavaScript is off: a new round shows up
/// without anyone touching the phone.
const REFRESH: &str = "15";

/// The name the phone uses for a person in sentences: prompts, the
/// greeting, the new-table announcement. The one place to change when
/// names are shown some other way: the shown name ("call me", else a
/// culture-aware default; the stand-in while a name is held).
fn name_of(profile: &Profile) -> String {
    profile.shown_name().into_owned()
}

/// "Rosa", "Rosa and Sam", "Rosa, Sam and Li".
fn and_list(names: &[&str]) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The names of `ids` as [`name_of`] gives them, joined with "and".
fn names(event: &Snapshot, ids: &[AttendeeId]) -> String {
    let names: Vec<String> = ids
        .iter()
        .filter_map(|&id| event.attendee(id))
        .map(|a| name_of(&a.public))
        .collect();
    and_list(&names.iter().map(String::as_str).collect::<Vec<_>>())
}

/// A prompt in words. Other people's answers are quoted as they typed
/// them (never lower-cased: "Someone here knows: “A day on Venus is
/// longer than its year” — who?"). Also used by the JSON API, so both say
/// the same.
pub fn prompt_text(event: &Snapshot, prompt: &Prompt) -> String {
    match prompt {
        Prompt::Shared { interest, with } if with.len() == 1 => format!(
            "You and {} both like {interest}: how did each of you get into it?",
            names(event, with)
        ),
        Prompt::Shared { interest, with } => format!(
            "You, {} all like {interest}: how did each of you get into it?",
            names(event, with)
        ),
        Prompt::Ask { who, about } => format!("Ask {} about: “{about}”", names(event, who)),
        Prompt::Fact(fact) => format!("Someone here knows: “{fact}” — who?"),
        Prompt::General(text) => (*text).to_string(),
    }
}

/// Interest tags, those in `shared` (compared after normalisation)
/// highlighted.
fn interest_tags(interests: &[String], shared: &[String]) -> Markup {
    let shared_keys: Vec<_> = shared
        .iter()
        .filter_map(|s| normalize_interest(s))
        .collect();
    html! {
        @for interest in interests {
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

/// A groupmate as the viewer sees them, with what the two of them share.
fn member_card(attendee: &Attendee, in_common: &[String]) -> Markup {
    let p = &attendee.public;
    html! {
        div.card.member {
            @let shown = p.shown_name();
            h3 { (shown) }
            @if shown != p.name.as_str() { p.muted.full-name { (p.name) } }
            @if !p.spot_me.is_empty() { p { "Spot them: " strong { (p.spot_me) } } }
            @if !p.work.is_empty() { p.muted { (p.work) } }
            @if !in_common.is_empty() {
                p.in-common { "You both like: " strong { (in_common.join(", ")) } }
            }
            p { (interest_tags(&p.interests, in_common)) }
        }
    }
}

/// The attendee's own card, as their group will see it, to check what
/// they typed before anyone reads it.
fn own_card(code: &str, me: &Attendee) -> Markup {
    let p = &me.profile;
    html! {
        h2 { "Your card" }
        p.muted { "This is what your group will see at the table." }
        div.card.member.own {
            h3 { (p.name) }
            @if !p.spot_me.is_empty() { p { "Spot them: " strong { (p.spot_me) } } }
            @if !p.work.is_empty() { p.muted { (p.work) } }
            p { (interest_tags(&p.interests, &[])) }
            @if !p.ask_me_about.is_empty() { p { "Ask me about: " strong { (p.ask_me_about) } } }
            @if !p.weird_fact.is_empty() {
                p.muted { "Your weirdest fact, shown without your name (your group guesses who knows it): “" (p.weird_fact) "”" }
            }
        }
        p { a href=(format!("/e/{code}/me/edit")) { "Edit my answers" } }
    }
}

/// What a screen reader says when a new table appears: "You're at table 5
/// with Rosa, Sam and Li."
fn table_announcement(event: &Snapshot, group: &GroupView, id: AttendeeId) -> String {
    let others: Vec<AttendeeId> = group.members.iter().copied().filter(|&m| m != id).collect();
    let place = match event.settings.table_names.get(group.table - 1) {
        Some(name) => format!("Go to {name}"),
        None => format!("You're at table {}", group.table),
    };
    if others.is_empty() {
        format!("{place}.")
    } else {
        format!("{place} with {}.", names(event, &others))
    }
}

/// What the attendee can do from their page. After the end only what
/// still makes sense: the people they met, their contact details and
/// deleting their details. `edit_shown`: the page already links to
/// the edit form (under their card).
fn presence_buttons(code: &str, presence: Presence, ended: bool, edit_shown: bool) -> Markup {
    if ended {
        return html! {
            div.actions {
                a.button href=(format!("/e/{code}/met")) { "People I met" }
                " "
                a.button.secondary href=(format!("/e/{code}/met#details")) { "My contact details" }
                " "
                a.button.secondary href=(format!("/e/{code}/met#delete")) { "Delete my details" }
            }
        };
    }
    html! {
        div.actions {
            @if !edit_shown {
                a.button.secondary href=(format!("/e/{code}/me/edit")) { "Edit my answers" }
                " "
            }
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
    let announce = group.as_ref().map(|g| table_announcement(event, g, id));
    let ended = event.ended_at.is_some();
    let seat = event.seat_of(id);
    let card_shown = !ended
        && me.presence == Presence::Present
        && matches!(seat, Seat::Lobby | Seat::Waiting { .. });
    html! {
        div.state data-table=[table] data-round=[event.current_round().map(|r| r.number)]
            data-announce=[announce] {
            @if !me.review.pending.is_empty() && me.presence != Presence::Removed {
                p.notice {
                    "Thanks! Your " (field_list(&me.review.pending))
                    " will show to others once the organizer has had a look."
                }
            }
            @if !me.review.hidden.is_empty() && me.presence != Presence::Removed {
                p.notice { "The organizer has hidden your " (field_list(&me.review.hidden)) " from others." }
            }
            @match (me.presence, seat) {
                _ if ended && me.presence != Presence::Removed => {
                    h1 { "Thank you for coming, " (name_of(&me.profile)) "!" }
                    p.lead { "The event has ended. We hope you met some people worth meeting again. "
                        "Under “People I met” you can say who you'd like to stay in touch with." }
                }
                (Presence::Removed, _) => {
                    h1 { "You were removed from this event" }
                    p.lead { "The organizer took you off the list. If you think this is a mistake, please talk to them." }
                }
                (Presence::Left, _) => {
                    h1 { "You've left the event" }
                    p.lead { "Thanks for coming, " (name_of(&me.profile)) "! Changed your mind? Come back any time." }
                }
                (Presence::OnBreak, _) => {
                    h1 { "You're on a break" }
                    p.lead { "Take your time. You won't be put in new groups until you tap “I'm back”." }
                }
                (Presence::Present, Seat::Lobby) => {
                    h1 { "You're in, " (name_of(&me.profile)) " — groups start soon" }
                    p.lead { (super::people(event.attendees().len())) " joined so far. Keep this page open: your table appears here when the first round starts." }
                    (own_card(code, me))
                }
                (Presence::Present, Seat::Waiting { round }) => {
                    h1 { "You're in, " (name_of(&me.profile)) " — a table is on its way" }
                    p.lead { "Round " (round.number) " is under way and every table is full. As soon as a few more people arrive you get a table together; it appears here." }
                    (own_card(code, me))
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
                        @for c in &group.in_common {
                            @if let Some(other) = event.attendee(c.with) { (member_card(other, &c.interests)) }
                        }
                        h2 { "Start talking" }
                        ul.prompts { @for prompt in &group.prompts { li { (prompt_text(event, prompt)) } } }
                    }
                }
            }
            (presence_buttons(code, me.presence, ended, card_shown))
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
        // Outside the part the live stream replaces, so screen readers
        // keep it: the script says the new table here.
        p.sr-only #announce aria-live="polite" {}
        details {
            summary { "Your personal link" }
            p { "Open this link to get back to your page on any device. Keep it to yourself: it works like a password. "
                "Coming to a later event here? Open it first on that phone: your answers are filled in, and you'll be seated with people you haven't met." }
            p.personal-link { a href=(personal_link) { (personal_link) } }
        }
    };
    layout("My table", Some(REFRESH), "", body)
}
