//! "People I met": everyone the attendee shared a table with, their own
//! contact details, the private "I'd like to stay in touch" ticks, and the
//! details of those who ticked them back.

use maud::{Markup, html};

use super::layout;
use crate::domain::{ContactInput, FieldErrors};
use crate::event::{AttendeeId, ERASED_NAME, MetPerson, Settings};

/// What the page shows.
pub struct MetPage<'a> {
    pub event_name: &'a str,
    pub code: &'a str,
    pub settings: &'a Settings,
    pub people: &'a [MetPerson],
    /// The contact form's values (as saved, or as typed when refused).
    pub contact: &'a ContactInput,
    pub errors: &'a FieldErrors,
    /// Said at the top after a change ("Saved.").
    pub notice: Option<&'a str>,
    /// Whether the attendee has saved a way to reach them (email, phone
    /// or link).
    pub has_details: bool,
    /// The person just ticked "I'd like to stay in touch" with: without
    /// details of one's own, the page asks for them right there.
    pub just_ticked: Option<AttendeeId>,
}

fn where_met(settings: &Settings, tables: &[(usize, usize)]) -> String {
    if tables.is_empty() {
        return "Met during a round".to_string();
    }
    tables
        .iter()
        .map(|&(round, table)| format!("Round {round}, {}", settings.table_label(table)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn person(page: &MetPage, m: &MetPerson) -> Markup {
    let (code, settings) = (page.code, page.settings);
    let p = &m.attendee.public;
    let id = m.attendee.id;
    let erased = m.attendee.erased_at.is_some();
    html! {
        div.card.member id=(format!("p{id}")) {
            @let shown = p.shown_name();
            h3 { (if erased { ERASED_NAME } else { shown.as_ref() }) }
            @if !erased && shown != p.name.as_str() { p.muted.full-name { (p.name) } }
            p.muted { (where_met(settings, &m.tables)) }
            @if !erased {
                @if !p.work.is_empty() { p { (p.work) } }
                @if !p.interests.is_empty() {
                    p { @for i in &p.interests { span.tag { (i) } " " } }
                }
                @if !p.ask_me_about.is_empty() { p { "Ask me about: " strong { (p.ask_me_about) } } }
                @if let Some(c) = &m.contact {
                    div.notice {
                        p { strong { "You both want to stay in touch." } }
                        @if c.is_empty() { p { "They have not added contact details yet." } }
                        @if !c.email.is_empty() { p { "Email: " a href=(format!("mailto:{}", c.email)) { (c.email) } } }
                        @if !c.phone.is_empty() { p { "Phone: " a href=(format!("tel:{}", c.phone.replace(' ', ""))) { (c.phone) } } }
                        @if !c.link.is_empty() { p { "Link: " a href=(c.link) rel="noopener noreferrer nofollow" { (c.link) } } }
                    }
                }
                @if !m.rather_not {
                    form method="post" action=(format!("/e/{code}/met/{id}")) {
                        @if m.ticked {
                            input type="hidden" name="keep" value="no";
                            p { "✓ You'd like to stay in touch. "
                                @if m.contact.is_none() { "They see your details only if they tap “I'd like to stay in touch” for you too. " }
                                button.secondary type="submit" { "Undo" } }
                        } @else {
                            input type="hidden" name="keep" value="yes";
                            button type="submit" { "I'd like to stay in touch" }
                        }
                    }
                    @if m.ticked && !page.has_details {
                        @if page.just_ticked == Some(id) {
                            (contact_fields(page, Some(id)))
                        } @else {
                            p.notice { "You haven't said how people can reach you yet: "
                                a href="#details" { "add your contact details" } "." }
                        }
                    }
                }
                form.rather-not method="post" action=(format!("/e/{code}/met/{id}")) {
                    @if m.rather_not {
                        input type="hidden" name="rather_not" value="no";
                        p.muted { "You won't be grouped with them again. Only you can see this. "
                            button.link type="submit" { "Undo" } }
                    } @else {
                        input type="hidden" name="rather_not" value="yes";
                        button.link type="submit" { "Rather not be grouped with them again" }
                    }
                }
            }
        }
    }
}

/// The contact details form. `inline`: shown under the person just
/// ticked (its fields get their own ids), rather than at the top.
fn contact_fields(page: &MetPage, inline: Option<AttendeeId>) -> Markup {
    let c = page.contact;
    // Mistakes are shown in the form at the top, which is the one
    // re-rendered with the typed values.
    let none = FieldErrors::default();
    let errors = if inline.is_some() { &none } else { page.errors };
    let first = super::join::first_invalid(errors, &["email", "phone", "link"]);
    let id = |field: &str| match inline {
        Some(person) => format!("{field}-{person}"),
        None => field.to_string(),
    };
    let input = |field: &str, kind: &str, value: &str, complete: &str| {
        let error = errors.get(field);
        let error_id = format!("{}-error", id(field));
        html! {
            input id=(id(field)) type=(kind) name=(field) value=(value) autocomplete=(complete)
                inputmode=[(field == "link").then_some("url")]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| &error_id)]
                autofocus[first == Some(field)];
            @if let Some(e) = error { p.field-error id=(error_id) { (e) } }
        }
    };
    html! {
        form.card.contact method="post" action=(format!("/e/{}/me/contact", page.code)) {
            @if inline.is_some() {
                h3 { "How can they reach you?" }
                p.muted { "They see these only if they tap “I'd like to stay in touch” for you too. Everything is optional." }
            } @else {
                p.muted { "Only someone who tapped “I'd like to stay in touch” for you, and you for them, sees these. Everything is optional." }
            }
            label for=(id("email")) { "Email" } (input("email", "email", &c.email, "email"))
            label for=(id("phone")) { "Phone" } (input("phone", "tel", &c.phone, "tel"))
            label for=(id("link")) { "A link (LinkedIn, a website…)" } (input("link", "text", &c.link, "url"))
            label.check { input type="checkbox" name="share_with_organizer" value="true" checked[c.share_with_organizer]; " The organizer may have them too" }
            button type="submit" { "Save my details" }
        }
    }
}

/// "Your contact details", first on the page: open while empty or wrong,
/// folded to one line once saved.
fn contact_form(page: &MetPage) -> Markup {
    let c = page.contact;
    let given: Vec<&str> = [c.email.as_str(), c.phone.as_str(), c.link.as_str()]
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect();
    let open = !page.has_details || !page.errors.is_empty();
    html! {
        section #details {
            details.contact-details open[open] {
                summary {
                    h2 { "Your contact details" }
                    @if !open { span.muted { (given.join(" · ")) " · " span.change { "Change" } } }
                }
                (contact_fields(page, None))
            }
        }
    }
}

/// The whole page.
pub fn met_page(page: &MetPage) -> Markup {
    let code = page.code;
    let mutual = page.people.iter().filter(|m| m.contact.is_some()).count();
    let body = html! {
        div.narrow {
            p { a href=(format!("/e/{code}/me")) { "← My table" } }
            h1 { "People I met" }
            @if let Some(notice) = page.notice { p.notice role="status" { (notice) } }
            @if page.people.is_empty() {
                p.lead { "Nobody yet: once you sit at a table, the people there appear here." }
            } @else {
                p.lead {
                    "You have met " (page.people.len()) @if page.people.len() == 1 { " person" } @else { " people" } " at " (page.event_name) " so far."
                }
            }
            (contact_form(page))
            @if !page.people.is_empty() {
                p {
                    "Tap “I'd like to stay in touch” under anyone you'd like to hear from again: nobody is told, and you see each other's contact details only when you both tapped it. "
                    "Rather not sit with someone again? Tap “Rather not be grouped with them again” under their name: only you will know."
                }
                @if mutual > 0 {
                    p { a.button href=(format!("/e/{code}/met/contacts.vcf")) download { "Add " (mutual) " to my contacts (.vcf)" } }
                }
                h2 { "The people" }
                @for m in page.people { (person(page, m)) }
            }
            form.card #delete method="post" action=(format!("/e/{code}/me/erase")) {
                h2 { "Delete my details" }
                p.muted { "Your answers and contact details are deleted now, from this server too; others see “" (ERASED_NAME) "” where you were. This cannot be undone." }
                label { input type="checkbox" name="confirm" value="yes" required; " Yes, delete my details" }
                button.secondary type="submit" { "Delete my details" }
            }
        }
    };
    layout(
        &format!("People I met · {}", page.event_name),
        None,
        "met",
        body,
    )
}
