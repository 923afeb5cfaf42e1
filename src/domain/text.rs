//! Rules every piece of text people type must follow before it is shown
//! to a room: no control characters, nothing that reorders the text
//! around it, and something visible.

/// Characters that change the direction of the text after them
/// (embeddings, overrides, isolates, marks). In a name they can make the
/// board read backwards or hide what follows.
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Characters that take no space: zero-width spaces and joiners, word
/// joiner, byte-order mark, soft hyphen, and direction marks.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
        )
        || is_direction_control(c)
}

/// Whether `text` has at least one character a reader can see.
pub fn has_visible(text: &str) -> bool {
    text.chars().any(|c| !is_invisible(c))
}

/// Why `text` may not be shown, if it may not: control characters or
/// direction controls. `label` names the field in the message.
pub fn check(text: &str, label: &str) -> Result<(), String> {
    if text.chars().any(char::is_control) {
        return Err(format!("{label} cannot contain control characters"));
    }
    if text.chars().any(is_direction_control) {
        return Err(format!(
            "{label} cannot contain text-direction characters (they could make the board read backwards)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_controls_and_control_characters_are_refused() {
        assert!(
            check("Ada\u{202E}ecalevol", "Name")
                .unwrap_err()
                .contains("direction")
        );
        assert!(check("Ada\u{2067}x", "Name").is_err());
        assert!(check("Ada\u{7}", "Name").unwrap_err().contains("control"));
        assert!(
            check("Zoë 👩‍💻 مرحبا", "Name").is_ok(),
            "joiners in emoji and RTL scripts are fine"
        );
    }

    #[test]
    fn invisible_only_text_is_not_visible() {
        assert!(!has_visible("\u{200B}"));
        assert!(!has_visible(" \u{FEFF}\u{00AD} "));
        assert!(has_visible("\u{200B}a"));
        assert!(has_visible("👩‍💻"));
    }
}
