//! Content safety: which answers must wait for the organizer before they
//! reach the big screen or other attendees. The judgement is `rustrict`'s,
//! a maintained filter that resists the usual evasions (spacing, repeated
//! or look-alike characters, accents, self-censoring), not a word list of
//! our own.

use rustrict::{CensorStr, Type};

use super::Profile;

/// A profile field that others can see, each held back independently.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Work,
    Interests,
    AskMeAbout,
    WeirdFact,
    SpotMe,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Name,
        Field::Work,
        Field::Interests,
        Field::AskMeAbout,
        Field::WeirdFact,
        Field::SpotMe,
    ];

    /// The field's name in forms and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Work => "work",
            Field::Interests => "interests",
            Field::AskMeAbout => "ask_me_about",
            Field::WeirdFact => "weird_fact",
            Field::SpotMe => "spot_me",
        }
    }

    /// How the field is called on pages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Work => "what you do",
            Field::Interests => "interests",
            Field::AskMeAbout => "\"ask me about\"",
            Field::WeirdFact => "weirdest fact",
            Field::SpotMe => "how to spot you",
        }
    }

    pub fn parse(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The field's text in `profile` (interests joined with commas).
    pub fn text(self, profile: &Profile) -> String {
        match self {
            Field::Name => profile.name.clone(),
            Field::Work => profile.work.clone(),
            Field::Interests => profile.interests.join(", "),
            Field::AskMeAbout => profile.ask_me_about.clone(),
            Field::WeirdFact => profile.weird_fact.clone(),
            Field::SpotMe => profile.spot_me.clone(),
        }
    }
}

/// Whether the filter judges `text` inappropriate for a room of
/// strangers: profane, offensive, sexual or severely mean, at a moderate
/// level or worse. Mild words ("poop", "crap", "damn") pass: holding every
/// wombat fact for review would bury the organizer.
pub fn is_flagged(text: &str) -> bool {
    !text.is_empty() && text.is(Type::INAPPROPRIATE & Type::MODERATE_OR_HIGHER)
}

/// The fields of `profile` the filter flags.
pub fn flagged_fields(profile: &Profile) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|&f| match f {
            Field::Interests => profile.interests.iter().any(|i| is_flagged(i)),
            _ => is_flagged(&f.text(profile)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProfileInput;

    fn profile(name: &str, fact: &str, interests: &[&str]) -> Profile {
        Profile::try_from(ProfileInput {
            name: name.into(),
            weird_fact: fact.into(),
            interests: interests.iter().map(|s| s.to_string()).collect(),
            ..ProfileInput::default()
        })
        .unwrap()
    }

    #[test]
    fn ordinary_answers_pass() {
        let p = profile(
            "Ada Lovelace",
            "Octopuses have three hearts",
            &["maths", "assassin's creed"],
        );
        assert!(flagged_fields(&p).is_empty());
    }

    #[test]
    fn abuse_is_flagged_even_disguised() {
        let p = profile("f u c k you", "shit happens", &["maths", "a$$hole"]);
        assert_eq!(
            flagged_fields(&p),
            vec![Field::Name, Field::Interests, Field::WeirdFact]
        );
    }

    #[test]
    fn mild_words_pass_so_the_queue_stays_short() {
        for text in [
            "Wombat poop is cube-shaped",
            "crap coffee",
            "damn good jazz",
        ] {
            assert!(!is_flagged(text), "{text}");
        }
        assert!(is_flagged("what the f u c k"));
    }

    #[test]
    fn field_keys_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.key()), Some(f));
        }
        assert_eq!(Field::parse("token"), None);
    }
}
