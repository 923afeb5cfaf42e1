//! The join form, also used to edit one's answers.

use maud::{Markup, html};
use serde::Deserialize;

use super::layout;
use crate::domain::profile::limits;
use crate::domain::{FieldErrors, Profile, ProfileInput, split_interest_list};

/// The form's fields as typed, kept to re-render the form after a mistake.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub name: String,
    /// "What should we call you" (optional).
    pub call_me: String,
    pub work: String,
    /// One text field, interests separated by commas.
    pub interests: String,
    pub ask_me_about: String,
    pub weird_fact: String,
    pub spot_me: String,
    /// "yes" when the answers were filled in from an earlier event and the
    /// attendee kept them as theirs: links the two attendances.
    pub returning: String,
}

impl From<ProfileForm> for ProfileInput {
    fn from(form: ProfileForm) -> ProfileInput {
        ProfileInput {
            interests: split_interest_list(&form.interests),
            name: form.name,
            call_me: form.call_me,
            work: form.work,
            ask_me_about: form.ask_me_about,
            weird_fact: form.weird_fact,
            spot_me: form.spot_me,
        }
    }
}

impl From<&Profile> for ProfileForm {
    fn from(p: &Profile) -> ProfileForm {
        ProfileForm {
            name: p.name.clone(),
            call_me: p.call_me.clone(),
            work: p.work.clone(),
            interests: p.interests.join(", "),
            ask_me_about: p.ask_me_about.clone(),
            weird_fact: p.weird_fact.clone(),
            spot_me: p.spot_me.clone(),
            returning: String::new(),
        }
    }
}

/// Joining for the first time, joining again with answers filled in from
/// an earlier event (named), or changing one's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode<'a> {
    Join,
    Return { from: &'a str },
    Edit,
}

/// One labelled input with its error message.
struct Field<'a> {
    key: &'static str,
    label: &'a str,
    hint: &'a str,
    value: &'a str,
    long: bool,
}

/// The form's fields in the order they appear: the first one with a
/// mistake gets the focus when the form comes back.
const FIELD_ORDER: [&str; 7] = [
    "name",
    "call_me",
    "interests",
    "work",
    "ask_me_about",
    "weird_fact",
    "spot_me",
];

/// The field a form with `errors` should focus: the first one with a
/// message, in form order.
pub fn first_invalid<'e>(errors: &'e FieldErrors, order: &[&'e str]) -> Option<&'e str> {
    order
        .iter()
        .copied()
        .find(|k| errors.get(k).is_some())
        .or_else(|| errors.0.keys().next().copied())
}

/// The most characters a field takes, for the live counter the page
/// script shows under it (the server checks the same limits).
fn max_chars(key: &str) -> Option<usize> {
    match key {
        "work" => Some(limits::WORK),
        "ask_me_about" => Some(limits::ASK_ME_ABOUT),
        "weird_fact" => Some(limits::WEIRD_FACT),
        "spot_me" => Some(limits::SPOT_ME),
        _ => None,
    }
}

fn field(f: &Field, errors: &FieldErrors) -> Markup {
    let error = errors.get(f.key);
    let error_id = format!("{}-error", f.key);
    let described = error.map(|_| &error_id);
    let invalid = error.map(|_| "true");
    // Server-rendered, so the browser focuses the first mistake on load,
    // with or without JavaScript.
    let focus = first_invalid(errors, &FIELD_ORDER) == Some(f.key);
    html! {
        div class=[error.map(|_| "invalid")] {
            label for=(f.key) { (f.label) @if !f.hint.is_empty() { small { " " (f.hint) } } }
            @if f.long {
                textarea id=(f.key) name=(f.key) aria-describedby=[described] aria-invalid=[invalid]
                    autofocus[focus] data-max=[max_chars(f.key)] { (f.value) }
            } @else {
                // No maxlength on purpose: a browser would cut pasted text
                // silently; the server says what is too long instead.
                input id=(f.key) type="text" name=(f.key) value=(f.value)
                    aria-describedby=[described] aria-invalid=[invalid] autofocus[focus]
                    data-max=[max_chars(f.key)]
                    required[f.key == "name"] autocomplete=(if f.key == "name" { "name" } else { "off" });
            }
            @if let Some(message) = error {
                p.field-error id=(error_id) { (message) }
            }
        }
    }
}

/// The join (or edit) page for an event.
pub fn join_page(
    event_name: &str,
    code: &str,
    form: &ProfileForm,
    errors: &FieldErrors,
    suggestions: &[String],
    mode: FormMode,
    closed: Option<&str>,
) -> Markup {
    let (title, action, submit) = match mode {
        FormMode::Join | FormMode::Return { .. } => (
            format!("Join {event_name}"),
            format!("/e/{code}"),
            "Find my table",
        ),
        FormMode::Edit => (
            "Edit my answers".to_string(),
            format!("/e/{code}/me/edit"),
            "Save",
        ),
    };
    let interests_hint = format!("(1 to {}, separated by commas)", limits::INTERESTS_MAX);
    html! {
        (layout(&title, None, "", html! {
            h1 { (title) }
            @if let Some(message) = closed {
                p.error-box { (message) }
            } @else {
                @match mode {
                    FormMode::Join => {
                        p.lead { "Tell the room a little about yourself. You'll get a table and a small group to talk with; groups change every round." }
                    }
                    FormMode::Return { from } => {
                        p.notice role="status" {
                            "Welcome back! Your answers from " strong { (from) } " are filled in: change anything that's new. "
                            "You'll meet people you haven't met before."
                        }
                        p.muted { "Not you? " a href=(format!("/e/{code}?fresh=1")) { "Start with an empty form" } "." }
                    }
                    FormMode::Edit => {}
                }
                @if !errors.is_empty() {
                    p.error-box role="alert" { "Please check the fields marked below." }
                }
                form method="post" action=(action) novalidate {
                    @if matches!(mode, FormMode::Return { .. }) || form.returning == "yes" {
                        input type="hidden" name="returning" value="yes";
                    }
                    (field(&Field { key: "name", label: "Your name", hint: "", value: &form.name, long: false }, errors))
                    (field(&Field { key: "call_me", label: "What should we call you?", hint: "(optional; shown on the board, e.g. a first name or nickname)", value: &form.call_me, long: false }, errors))
                    (field(&Field { key: "interests", label: "Your interests", hint: &interests_hint, value: &form.interests, long: false }, errors))
                    @if !suggestions.is_empty() {
                        // Plain text without JavaScript; the page script
                        // makes each a button that adds it to the field.
                        p.suggestions.muted data-for="interests" { span.suggestions-label { "Others here mentioned: " }
                            @for s in suggestions { span.tag.suggestion data-interest=(s) { (s) } " " }
                        }
                    }
                    (field(&Field { key: "work", label: "What I do", hint: "(optional)", value: &form.work, long: false }, errors))
                    (field(&Field { key: "ask_me_about", label: "Ask me about…", hint: "(optional)", value: &form.ask_me_about, long: false }, errors))
                    (field(&Field { key: "weird_fact", label: "The weirdest fact I know", hint: "(optional, up to 280 characters; your group guesses who knows it)", value: &form.weird_fact, long: true }, errors))
                    (field(&Field { key: "spot_me", label: "How to spot me", hint: "(optional, e.g. red scarf, by the coffee)", value: &form.spot_me, long: false }, errors))
                    p { button.wide type="submit" { (submit) } }
                }
                @if mode == FormMode::Edit {
                    p { a href=(format!("/e/{code}/me")) { "Back to my table" } }
                }
            }
        }))
    }
}
