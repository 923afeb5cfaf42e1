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

    /// The SHA-256 of the secret: what is stored, so a copy of the data
    /// file does not hand out working tokens.
    pub fn hash(&self) -> TokenHash {
        use sha2::Digest;
        TokenHash(sha2::Sha256::digest(self.0).into())
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

/// A stored token: the SHA-256 of an attendee's secret. Looking one up by
/// hash leaks nothing useful through timing (finding a secret with a given
/// hash is infeasible), so a hash map is fine.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

/// The same person across the events of one server, without an account:
/// the token hash of their first attendance, handed on to each later one
/// they join from the same browser or personal link. Never shown or sent.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonKey(pub [u8; 32]);

impl From<TokenHash> for PersonKey {
    fn from(hash: TokenHash) -> Self {
        PersonKey(hash.0)
    }
}

impl fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonKey(…)")
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(…)")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The server's admin token: chosen by the operator (any 16 to 200
/// printable ASCII characters, from `ICEBREAKER_ADMIN_TOKEN`) or generated.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminToken(String);

impl AdminToken {
    pub const MIN_LEN: usize = 16;
    pub const MAX_LEN: usize = 200;

    pub fn parse(text: &str) -> Result<AdminToken, String> {
        let len = text.len();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(format!(
                "the admin token must be {} to {} characters long (got {len})",
                Self::MIN_LEN,
                Self::MAX_LEN
            ));
        }
        if !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "the admin token may only contain printable ASCII characters, no spaces".into(),
            );
        }
        Ok(AdminToken(text.to_string()))
    }

    pub fn generate() -> AdminToken {
        AdminToken(Secret::generate().reveal())
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// Constant-time for tokens of the right length (the length itself is
    /// not secret enough to matter: it is at least 16 characters).
    pub fn matches(&self, other: &str) -> bool {
        self.0.len() == other.len()
            && self
                .0
                .bytes()
                .zip(other.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(…)")
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
    fn admin_tokens_are_checked_and_compared_exactly() {
        let token = AdminToken::parse("correct-horse-battery").unwrap();
        assert!(token.matches("correct-horse-battery"));
        assert!(!token.matches("correct-horse-batterx"));
        assert!(!token.matches("correct-horse"));
        assert!(AdminToken::parse("short").is_err());
        assert!(AdminToken::parse("has a space in it!!").is_err());
        assert!(!format!("{token:?}").contains("horse"));
    }

    #[test]
    fn hashes_tell_secrets_apart_and_are_stable() {
        let a = Secret::parse(&"ab".repeat(16)).unwrap();
        let b = Secret::parse(&"ac".repeat(16)).unwrap();
        assert_eq!(a.hash(), a.clone().hash());
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let s = Secret::generate();
        assert!(!format!("{s:?}").contains(&s.reveal()));
    }
}
