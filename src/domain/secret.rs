//! Secrets handed to people: the organizer's host key and each attendee's
//! token. 128 random bits from the operating system's generator, written as
//! 32 hex characters, compared in constant time so response timing does not
//! reveal how much of a guess was right.

use std::fmt;

/// A 128-bit secret. `Debug` does not print it, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret([u8; 16]);

impl Secret {
    /// A fresh secret from the OS's cryptographic generator.
    pub fn generate() -> Secret {
        let mut bytes = [0u8; 16];
        rand::fill(&mut bytes);
        Secret(bytes)
    }

    /// Parses the 32-hex-character form; anything else is `None`.
    pub fn parse(text: &str) -> Option<Secret> {
        let text = text.trim();
        if text.len() != 32 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Secret(bytes))
    }

    /// The hex form to put in a link or cookie.
    pub fn reveal(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Constant-time comparison with what a client sent.
    pub fn matches(&self, other: &Secret) -> bool {
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_round_trip_and_differ() {
        let a = Secret::generate();
        let b = Secret::generate();
        assert_ne!(a, b);
        let back = Secret::parse(&a.reveal()).unwrap();
        assert!(a.matches(&back));
        assert!(!a.matches(&b));
        assert_eq!(a.reveal().len(), 32);
    }

    #[test]
    fn forged_or_truncated_secrets_do_not_parse() {
        let text = Secret::generate().reveal();
        assert!(Secret::parse(&text[..31]).is_none());
        assert!(Secret::parse(&format!("{text}0")).is_none());
        assert!(Secret::parse(&"zz".repeat(16)).is_none());
        assert!(Secret::parse(&"é".repeat(16)).is_none());
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let s = Secret::generate();
        assert!(!format!("{s:?}").contains(&s.reveal()));
    }
}
