//! Event codes: short, typable and unambiguous, so people who cannot scan the
//! QR code can type the code from the projector.

use std::fmt;

use rand::RngExt;

/// Letters and digits that cannot be confused when read off a screen: no
/// 0/O, 1/I/L.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// What people type between parts of a code, ignored: dashes (also
/// typographic ones a phone keyboard substitutes), dots, underscores.
const SEPARATORS: [char; 6] = ['-', '‐', '–', '—', '.', '_'];
/// Characters in a code: 31⁵ ≈ 28 million codes.
pub const CODE_LEN: usize = 5;

/// Longest event name, in characters.
pub const EVENT_NAME_LEN: usize = 80;

/// Checks an event's name as the organizer typed it: trimmed, 1 to 80
/// characters, no control characters.
pub fn parse_event_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if !super::text::has_visible(name) {
        Err("the event needs a name".to_string())
    } else if name.chars().count() > EVENT_NAME_LEN {
        Err(format!(
            "the name must be at most {EVENT_NAME_LEN} characters"
        ))
    } else if let Err(e) = super::text::check(name, "the name") {
        Err(e)
    } else {
        Ok(name.to_string())
    }
}

/// A parsed event code, always upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventCode(String);

impl EventCode {
    /// Parses what someone typed: case, spaces and the dashes or dots
    /// people put in to read a code in parts ("q4h za", "Q4H-ZA") do not
    /// matter.
    pub fn parse(raw: &str) -> Option<EventCode> {
        // Longer input is not a code, however many separators it has.
        if raw.len() > 4 * CODE_LEN {
            return None;
        }
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !SEPARATORS.contains(c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(EventCode(code))
    }

    /// A new random code.
    pub fn generate(rng: &mut impl rand::Rng) -> EventCode {
        let code = (0..CODE_LEN)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        EventCode(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn codes_are_case_insensitive_and_trimmed() {
        assert_eq!(EventCode::parse(" abc23 ").unwrap().as_str(), "ABC23");
        assert_eq!(EventCode::parse("ABC23"), EventCode::parse("abc23"));
    }

    #[test]
    fn spaces_dashes_and_dots_between_parts_are_ignored() {
        for typed in [
            "q4h za",
            "Q4H-ZA",
            "q4h–za",
            " Q 4 H Z A ",
            "q4h.za",
            "Q4H_ZA",
            "q4h\tza",
        ] {
            assert_eq!(
                EventCode::parse(typed).map(|c| c.to_string()).as_deref(),
                Some("Q4HZA"),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn ambiguous_or_malformed_codes_are_rejected() {
        for bad in [
            "ABC2",
            "ABC234",
            "ABC0D",
            "ABCOD",
            "ABC1D",
            "ABCID",
            "ABCLD",
            "AB D2",
            "",
            "ÄBC23",
            "A/BC23",
            "AB+C23",
            "-----",
            "A-B-C-2-3-4",
        ] {
            assert!(EventCode::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn generated_codes_parse_back() {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(1);
        for _ in 0..1000 {
            let code = EventCode::generate(&mut rng);
            assert_eq!(EventCode::parse(code.as_str()), Some(code));
        }
    }
}
