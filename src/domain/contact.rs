//! How an attendee can be reached, given only to the people they chose to
//! stay in touch with (and who chose them back), and to the organizer only
//! if they ticked "share with the organizer". Each field is optional and
//! checked at the edge.

use std::collections::BTreeMap;

use super::FieldErrors;

/// Limits, in characters.
pub mod limits {
    /// RFC 5321's limit on an address's length.
    pub const EMAIL: usize = 254;
    pub const PHONE: usize = 30;
    pub const LINK: usize = 200;
}

/// The raw contact form or JSON body.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ContactInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub link: String,
    /// Whether the organizer's export may include these details.
    #[serde(default)]
    pub share_with_organizer: bool,
}

/// Checked contact details; empty strings are "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub share_with_organizer: bool,
}

impl Contact {
    /// Whether any way to reach them was given.
    pub fn is_empty(&self) -> bool {
        self.email.is_empty() && self.phone.is_empty() && self.link.is_empty()
    }
}

impl From<&Contact> for ContactInput {
    fn from(c: &Contact) -> ContactInput {
        ContactInput {
            email: c.email.clone(),
            phone: c.phone.clone(),
            link: c.link.clone(),
            share_with_organizer: c.share_with_organizer,
        }
    }
}

impl TryFrom<ContactInput> for Contact {
    type Error = FieldErrors;

    fn try_from(input: ContactInput) -> Result<Contact, FieldErrors> {
        let mut errors = BTreeMap::new();
        let mut field = |key: &'static str, result: Result<String, String>| {
            result.unwrap_or_else(|e| {
                errors.insert(key, e);
                String::new()
            })
        };
        let email = field("email", email(&input.email));
        let phone = field("phone", phone(&input.phone));
        let link = field("link", link(&input.link));
        if !errors.is_empty() {
            return Err(FieldErrors(errors));
        }
        Ok(Contact {
            email,
            phone,
            link,
            share_with_organizer: input.share_with_organizer,
        })
    }
}

/// An address like `ada@example.org`: one `@`, something before it, a dot
/// in the domain, no spaces. (Whether it receives mail only sending can
/// tell; this catches typing slips.) No `?`, `&`, `#` or `%` either: the
/// address goes into `mailto:` links and vCards, where `?bcc=…&subject=…`
/// (or its `%3F` spelling) would add recipients and text of the sender's
/// choosing.
fn email(raw: &str) -> Result<String, String> {
    let value = super::profile::text(raw, limits::EMAIL, "The email address")?;
    if value.is_empty() {
        return Ok(value);
    }
    let bad = || "That does not look like an email address (like ada@example.org)".to_string();
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty()
        || !domain_ok
        || value
            .chars()
            .any(|c| c.is_whitespace() || "<>,;\"?&#%".contains(c))
    {
        return Err(bad());
    }
    Ok(value)
}

/// A phone number: digits with spaces, `+`, `-`, `.`, `(`, `)`; 6 to 15
/// digits (the international maximum).
fn phone(raw: &str) -> Result<String, String> {
    let value = super::profile::text(raw, limits::PHONE, "The phone number")?;
    if value.is_empty() {
        return Ok(value);
    }
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(6..=15).contains(&digits) || value[1..].contains('+') {
        return Err("A phone number has 6 to 15 digits, and may have spaces, +, -, ( and )".into());
    }
    Ok(value)
}

/// A web address (a LinkedIn profile, a site): `https://` is added when
/// left out; only http(s), no spaces.
fn link(raw: &str) -> Result<String, String> {
    let value = super::profile::text(raw, limits::LINK, "The link")?;
    if value.is_empty() {
        return Ok(value);
    }
    let lower = value.to_ascii_lowercase();
    let full = if lower.starts_with("https://") || lower.starts_with("http://") {
        value
    } else if lower.contains("://")
        || lower.starts_with("javascript:")
        || lower.starts_with("data:")
    {
        return Err("Only web links (https://…) please".into());
    } else {
        format!("https://{value}")
    };
    let host = full
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default())
        .unwrap_or_default();
    if host.is_empty()
        || !host.contains('.')
        || full
            .chars()
            .any(|c| c.is_whitespace() || "<>\"'`".contains(c))
    {
        return Err("That does not look like a web link (like linkedin.com/in/ada)".into());
    }
    if full.chars().count() > limits::LINK {
        return Err(format!(
            "The link is too long; at most {} characters, please",
            limits::LINK
        ));
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(email: &str, phone: &str, link: &str) -> Result<Contact, FieldErrors> {
        Contact::try_from(ContactInput {
            email: email.into(),
            phone: phone.into(),
            link: link.into(),
            share_with_organizer: false,
        })
    }

    #[test]
    fn good_details_pass_and_links_get_a_scheme() {
        let c = check(
            " ada@example.org ",
            "+44 (20) 7946-0958",
            "linkedin.com/in/ada",
        )
        .unwrap();
        assert_eq!(c.email, "ada@example.org");
        assert_eq!(c.phone, "+44 (20) 7946-0958");
        assert_eq!(c.link, "https://linkedin.com/in/ada");
        assert!(check("", "", "").unwrap().is_empty());
    }

    #[test]
    fn bad_details_are_refused_field_by_field() {
        let e = check("ada.example.org", "12", "javascript:alert(1)").unwrap_err();
        assert!(e.get("email").is_some());
        assert!(e.get("phone").is_some());
        assert!(e.get("link").is_some());
        for bad in [
            "a@b",
            "@x.org",
            "a b@x.org",
            "a@x..org",
            "a@x.org\u{202e}",
            "ann@example.org?bcc=eve@example.org&subject=hi",
            "ann@example.org%3Fbcc=eve@example.org",
            "ann@example.org#x",
        ] {
            assert!(check(bad, "", "").is_err(), "{bad}");
        }
        for bad in ["12345", "0800 CALL ME", "1234567890123456", "12+345678"] {
            assert!(check("", bad, "").is_err(), "{bad}");
        }
        for bad in [
            "ftp://x.org",
            "https://",
            "https://x.org/a b",
            "localhost",
            "https://x.org/\"onmouseover",
        ] {
            assert!(check("", "", bad).is_err(), "{bad}");
        }
    }
}
