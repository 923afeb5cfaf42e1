//! The console's people: the review queue, and the page to edit or hide
//! someone's answers (the list of everyone is in `people_list.rs`).

use maud::{Markup, html};

use super::super::layout;
use super::post_button;
use crate::domain::{Field, FieldErrors};
use crate::event::{Attendee, AttendeeId, Presence, Snapshot};

/// Why `field` of `a` waits for review, for the organizer's eyes only:
/// the words the filter matched, or the setting that holds every fact.
fn hold_reason(event: &Snapshot, a: &Attendee, field: Field) -> Markup {
    let words = crate::domain::content::flagged_words(field, &a.profile);
    html! {
        @if !words.is_empty() {
            "The filter matched "
            @for (i, word) in words.iter().enumerate() {
                @if i > 0 { ", " }
                q.matched { (word) }
            }
            "."
        } @else if field == Field::WeirdFact && event.settings.facts_need_approval {
            "Every weirdest fact waits for your approval (a setting)."
        } @else {
            "Held when it was sent; the filter no longer objects."
        }
    }
}

/// Everyone whose answers wait for approval, with the held text, why it
/// is held, and one click to approve or hide it.
pub fn review_queue(event: &Snapshot) -> Markup {
    let code = event.code.as_str();
    let waiting: Vec<&Attendee> = event
        .attendees()
        .iter()
        .map(AsRef::as_ref)
        .filter(|a| !a.review.pending.is_empty() && a.presence != Presence::Removed)
        .collect();
    html! {
        h2 { "Waiting for review (" (waiting.len()) ")" }
        @if waiting.is_empty() {
            p.muted { "Nothing to review. Answers the filter flags (and, if you ask for it, every weirdest fact) appear here before anyone else sees them." }
        }
        @for a in waiting {
            div.card.review {
                p { strong { "#" (a.id) } " " (a.profile.name) }
                dl {
                    @for &field in &a.review.pending {
                        dt { (field.label()) }
                        dd { (field.text(&a.profile)) }
                        dd.reason.muted { (hold_reason(event, a, field)) }
                    }
                }
                div.actions {
                    (post_button(format!("/e/{code}/host/review/{}/approve", a.id), "Approve", "")) " "
                    (post_button(format!("/e/{code}/host/review/{}/hide", a.id), "Hide", "danger"))
                }
                @if a.review.pending.contains(&Field::Name) {
                    p.muted { "Until you approve, the board and their group see them as " strong { (a.public.name) } "." }
                }
            }
        }
    }
}

/// The fields an organizer edits or hides from this page.
pub const EDITABLE: [Field; 4] = [Field::Name, Field::CallMe, Field::Work, Field::WeirdFact];

/// Most people offered in the "never at a table with" list; past this the
/// organizer types the other person's number instead.
const APART_CHOICES: usize = 500;

/// The organizer's never-together pairs of one attendee: who they are kept
/// apart from, and a form to add someone.
fn never_together_card(
    event: &Snapshot,
    a: &Attendee,
    apart: &[AttendeeId],
    error: Option<&str>,
) -> Markup {
    let code = event.code.as_str();
    let action = format!("/e/{code}/host/attendees/{}/apart", a.id);
    let name_of = |id: AttendeeId| {
        event
            .attendee(id)
            .map_or_else(String::new, |p| p.profile.name.clone())
    };
    let mut choices: Vec<&Attendee> = event
        .attendees()
        .iter()
        .map(AsRef::as_ref)
        .filter(|o| o.id != a.id && o.erased_at.is_none() && !apart.contains(&o.id))
        .collect();
    // Sorted only when shown: past the limit the number is typed instead.
    if choices.len() <= APART_CHOICES {
        choices.sort_by_cached_key(|o| o.profile.name.to_lowercase());
    }
    html! {
        div.card #apart {
            h2 { "Never at a table with" }
            p.muted { "From the next seating on, the matcher and late seating never seat " (a.profile.name) " with anyone listed here. Nobody is told." }
            @if apart.is_empty() {
                p { "Nobody yet." }
            }
            @for &other in apart {
                form.inline method="post" action=(action) {
                    input type="hidden" name="other" value=(other);
                    input type="hidden" name="on" value="no";
                    p { "#" (other) " " (name_of(other)) " "
                        button.secondary.small type="submit" { "Allow again" } }
                }
            }
            form method="post" action=(action) {
                input type="hidden" name="on" value="yes";
                @if choices.len() <= APART_CHOICES {
                    label for="other" { "Keep apart from" }
                    select #other name="other" required {
                        option value="" { "Choose someone…" }
                        @for o in &choices {
                            option value=(o.id) { (o.profile.name) " (#" (o.id) ")" }
                        }
                    }
                } @else {
                    label for="other_no" { "Keep apart from number (as in “#12”: the number in the people list)" }
                    input #other_no type="number" name="other_no" min="0" required;
                }
                @if let Some(message) = error { p.field-error { (message) } }
                button type="submit" { "Keep apart" }
            }
        }
    }
}

/// Edit or hide one attendee's name, "what I do" and weirdest fact, and
/// the people they are kept apart from (`apart`).
pub fn attendee_edit_page(
    event: &Snapshot,
    a: &Attendee,
    errors: &FieldErrors,
    apart: &[AttendeeId],
) -> Markup {
    let code = event.code.as_str();
    let body = html! {
        h1 { "Edit #" (a.id) ": " (a.profile.name) }
        p { a href=(format!("/e/{code}/host")) { "Back to the console" } }
        form.card method="post" action=(format!("/e/{code}/host/attendees/{}", a.id)) {
            @for field in EDITABLE {
                @let key = field.key();
                @let error = errors.get(key);
                div class=[error.map(|_| "invalid")] {
                    label for=(key) { (field.label()) }
                    @if field == Field::WeirdFact {
                        textarea id=(key) name=(key) { (field.text(&a.profile)) }
                    } @else {
                        input id=(key) type="text" name=(key) value=(field.text(&a.profile));
                    }
                    @if let Some(message) = error { p.field-error { (message) } }
                    label {
                        input type="checkbox" name=(format!("hide_{key}")) value="true" checked[a.review.hidden.contains(&field)];
                        " Hide from the board and other attendees"
                    }
                    @if a.review.pending.contains(&field) { p.muted { "Waiting for review: saving approves it." } }
                }
            }
            p { button type="submit" { "Save" } }
        }
        (never_together_card(event, a, apart, errors.get("other")))
    };
    layout("Edit attendee", None, "host", body)
}
