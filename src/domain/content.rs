//! Content safety: which answers must wait for the organizer before they
//! reach the big screen or other attendees, and why. Names (and what
//! people ask to be called) are screened word by word, other answers in
//! context; see [`super::screen`] for how.

use super::Profile;
use super::screen::{name_matches, text_matches};

/// A profile field that others can see, each held back independently.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    /// "What should we call you": shown instead of the name.
    CallMe,
    Work,
    Interests,
    AskMeAbout,
    WeirdFact,
    SpotMe,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Name,
        Field::CallMe,
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
            Field::CallMe => "call_me",
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
            Field::CallMe => "preferred name",
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
            Field::CallMe => profile.call_me.clone(),
            Field::Work => profile.work.clone(),
            Field::Interests => profile.interests.join(", "),
            Field::AskMeAbout => profile.ask_me_about.clone(),
            Field::WeirdFact => profile.weird_fact.clone(),
            Field::SpotMe => profile.spot_me.clone(),
        }
    }
}

/// The words of `field` in `profile` that the filter objects to (empty
/// when it is fine): shown to the organizer to say why it is held.
pub fn flagged_words(field: Field, profile: &Profile) -> Vec<String> {
    let names = [profile.name.as_str(), profile.call_me.as_str()];
    match field {
        Field::Name | Field::CallMe => name_matches(&field.text(profile)),
        Field::Interests => profile
            .interests
            .iter()
            .flat_map(|i| text_matches(i, &names))
            .collect(),
        _ => text_matches(&field.text(profile), &names),
    }
}

/// The fields of `profile` the filter flags.
pub fn flagged_fields(profile: &Profile) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|&f| !flagged_words(f, profile).is_empty())
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
    fn real_names_pass_in_every_field_and_the_reason_names_the_words() {
        let mut p = profile(
            "Shitij Kumar",
            "Kuntal Shah taught me chess",
            &["Dikshit's poems"],
        );
        p.ask_me_about = "Shitij's band".into();
        p.call_me = "Shitij".into();
        assert!(flagged_fields(&p).is_empty());
        p.call_me = "Shithead".into();
        p.ask_me_about = "my shit band".into();
        assert_eq!(flagged_fields(&p), vec![Field::CallMe, Field::AskMeAbout]);
        assert_eq!(flagged_words(Field::CallMe, &p), vec!["Shithead"]);
        assert_eq!(flagged_words(Field::AskMeAbout, &p), vec!["shit"]);
    }

    #[test]
    fn field_keys_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.key()), Some(f));
        }
        assert_eq!(Field::parse("token"), None);
    }
}
