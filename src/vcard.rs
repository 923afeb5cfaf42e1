//! vCard files (RFC 6350, version 4.0) of the people someone chose to stay
//! in touch with, for a phone's contacts app.

use crate::domain::{Contact, Profile};

/// One card per person: their public answers (name, what they do, what to
/// ask them about) and their contact details, with a note of where you met.
pub fn cards<'a>(
    event_name: &str,
    people: impl IntoIterator<Item = (&'a Profile, &'a Contact)>,
) -> String {
    let mut out = String::new();
    for (profile, contact) in people {
        let mut lines = vec![
            "BEGIN:VCARD".to_string(),
            "VERSION:4.0".to_string(),
            format!("FN:{}", escape(&profile.name)),
            // Given name only: the app shows it; no guessing at surnames.
            format!("N:;{};;;", escape(&profile.name)),
        ];
        if !profile.work.is_empty() {
            lines.push(format!("TITLE:{}", escape(&profile.work)));
        }
        if !contact.email.is_empty() {
            lines.push(format!("EMAIL:{}", escape(&contact.email)));
        }
        if !contact.phone.is_empty() {
            lines.push(format!("TEL;VALUE=text:{}", escape(&contact.phone)));
        }
        if !contact.link.is_empty() {
            lines.push(format!("URL:{}", escape(&contact.link)));
        }
        let mut note = format!("Met at {event_name}");
        if !profile.ask_me_about.is_empty() {
            note.push_str(&format!("\nAsk me about: {}", profile.ask_me_about));
        }
        if !profile.interests.is_empty() {
            note.push_str(&format!("\nInterests: {}", profile.interests.join(", ")));
        }
        lines.push(format!("NOTE:{}", escape(&note)));
        lines.push("END:VCARD".to_string());
        for line in lines {
            fold_into(&mut out, &line);
        }
    }
    out
}

/// A text value's escapes (RFC 6350 §3.4): backslash, comma, semicolon and
/// line breaks, including the Unicode line and paragraph separators and
/// NEL, which some readers take as the end of a line (so a value could
/// start a property of its own).
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded to at most 75 octets per physical line (RFC 6350
/// §3.2: continuation lines start with a space), never splitting a
/// character, each ending in CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let line = format!("NOTE:{}", "é".repeat(100));
        fold_into(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape("a\u{2028}b\u{2029}c\u{85}d"), "a\\nb\\nc\\nd");
    }
}
