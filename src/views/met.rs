//! "People I met": everyone the attendee shared a table with, their own
//! contact details, the private "I'd like to stay in touch" ticks, and the
//! details of those who ticked them back.

use maud::{Markup, html};

use super::layout;
use crate::domain::{ContactInput, FieldErrors};
use crate::event::{ERASED_NAME, MetPerson, Settings};

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

fn person(code: &str, settings: &Settings, m: &MetPerson) -> Markup {
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
                                @if m.contact.is_none() { "They see your details only if they tick you too. " }
                                button.secondary type="submit" { "Undo" } }
                        } @else {
                            input type="hidden" name="keep" value="yes";
                            button type="submit" { "I'd like to stay in touch" }
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

fn contact_form(page: &MetPage) -> Markup {
    let c = page.contact;
    let error = |field: &str| {
        html! { @if let Some(e) = page.errors.get(field) { span.error role="alert" { (e) } } }
    };
    html! {
        form.card method="post" action=(format!("/e/{}/me/contact", page.code)) {
            h2 { "How people can reach you" }
            p.muted { "Only people you both chose to stay in touch with see these. Everything is optional." }
            label { "Email" input type="email" name="email" value=(c.email) autocomplete="email"; (error("email")) }
            label { "Phone" input type="tel" name="phone" value=(c.phone) autocomplete="tel"; (error("phone")) }
            label { "A link (LinkedIn, a website…)" input type="text" name="link" value=(c.link) inputmode="url"; (error("link")) }
            label { input type="checkbox" name="share_with_organizer" value="true" checked[c.share_with_organizer]; " The organizer may have them too" }
            button type="submit" { "Save my details" }
        }
    }
}

/// The whole page.
pub fn met_page(page: &MetPage) -> Markup {
    let code = page.code;
    let mutual = page.people.iter().filter(|m| m.contact.is_some()).count();
    let body = html! {
        main.narrow {
            p { a href=(format!("/e/{code}/me")) { "← My table" } }
            h1 { "People I met" }
            @if let Some(notice) = page.notice { p.notice role="status" { (notice) } }
            @if page.people.is_empty() {
                p.lead { "Nobody yet: once you sit at a table, the people there appear here." }
            } @else {
                p.lead {
                    "You have met " (page.people.len()) @if page.people.len() == 1 { " person" } @else { " people" } " at " (page.event_name) " so far. "
                    "Tick the people you'd like to stay in touch with: nobody is told, and you see each other's details only when you both ticked. "
                    "Rather not sit with someone again? Say so under their name: only you will know."
                }
                @if mutual > 0 {
                    p { a.button href=(format!("/e/{code}/met/contacts.vcf")) download { "Add " (mutual) " to my contacts (.vcf)" } }
                }
                @for m in page.people { (person(code, page.settings, m)) }
            }
            (contact_form(page))
            form.card method="post" action=(format!("/e/{code}/me/erase")) {
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
