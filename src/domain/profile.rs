//! What an attendee tells the room about themselves, checked at the edge.
//! Every limit is enforced with a message for the field; nothing is
//! silently cut.

use std::collections::BTreeMap;

use super::normalize_interest;

/// Limits, in characters (Unicode scalar values).
pub mod limits {
    pub const NAME: usize = 40;
    /// "What should we call you", as long as a name may be.
    pub const CALL_ME: usize = NAME;
    pub const WORK: usize = 80;
    pub const INTERESTS_MAX: usize = 10;
    pub const INTEREST: usize = 30;
    pub const ASK_ME_ABOUT: usize = 80;
    pub const WEIRD_FACT: usize = 280;
    pub const SPOT_ME: usize = 60;
}

/// The raw answers, as typed (form or JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub name: String,
    pub call_me: String,
    pub work: String,
    pub interests: Vec<String>,
    pub ask_me_about: String,
    pub weird_fact: String,
    pub spot_me: String,
}

/// A checked profile: trimmed, within limits, 1 to 10 distinct interests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// The full name, as the attendee wrote it.
    pub name: String,
    /// What they would like to be called ("what should we call you"),
    /// empty when they did not say: shown instead of the name (see
    /// [`Profile::shown_name`]). Stored answers from before it existed
    /// read as empty.
    #[serde(default)]
    pub call_me: String,
    pub work: String,
    pub interests: Vec<String>,
    pub ask_me_about: String,
    pub weird_fact: String,
    pub spot_me: String,
}

impl From<&Profile> for ProfileInput {
    /// The answers as they stand, to edit some of them.
    fn from(p: &Profile) -> ProfileInput {
        ProfileInput {
            name: p.name.clone(),
            call_me: p.call_me.clone(),
            work: p.work.clone(),
            interests: p.interests.clone(),
            ask_me_about: p.ask_me_about.clone(),
            weird_fact: p.weird_fact.clone(),
            spot_me: p.spot_me.clone(),
        }
    }
}

/// Field name → what is wrong with it, for re-rendering a form or a 422 body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Splits the form's single interests field: commas or new lines separate.
pub fn split_interest_list(raw: &str) -> Vec<String> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Trims `raw` and checks it: no control characters, at most `max` chars.
pub(super) fn text(raw: &str, max: usize, label: &str) -> Result<String, String> {
    let value = raw.trim();
    super::text::check(value, label)?;
    // Only invisible characters (zero-width spaces…) count as nothing.
    if !super::text::has_visible(value) {
        return Ok(String::new());
    }
    let len = value.chars().count();
    if len > max {
        return Err(format!(
            "{label} is {len} characters; at most {max}, please"
        ));
    }
    Ok(value.to_string())
}

impl TryFrom<ProfileInput> for Profile {
    type Error = FieldErrors;

    fn try_from(input: ProfileInput) -> Result<Profile, FieldErrors> {
        let mut errors = BTreeMap::new();
        let mut field = |key: &'static str, raw: &str, max: usize, label: &str| {
            text(raw, max, label).unwrap_or_else(|e| {
                errors.insert(key, e);
                String::new()
            })
        };
        let name = field("name", &input.name, limits::NAME, "Your name");
        let call_me = field(
            "call_me",
            &input.call_me,
            limits::CALL_ME,
            "What we should call you",
        );
        let work = field("work", &input.work, limits::WORK, "What you do");
        let ask_me_about = field(
            "ask_me_about",
            &input.ask_me_about,
            limits::ASK_ME_ABOUT,
            "\"Ask me about\"",
        );
        // The fact is a text area: line breaks are kept (as "\n"), other
        // control characters are not.
        let fact = input.weird_fact.replace("\r\n", "\n").replace('\r', "\n");
        let weird_fact = field(
            "weird_fact",
            &fact.replace('\n', " "),
            limits::WEIRD_FACT,
            "Your weirdest fact",
        );
        let weird_fact = if weird_fact.is_empty() {
            weird_fact
        } else {
            fact.trim().to_string()
        };
        let spot_me = field(
            "spot_me",
            &input.spot_me,
            limits::SPOT_ME,
            "How to spot you",
        );
        if name.is_empty() && !errors.contains_key("name") {
            errors.insert("name", "Please tell us your name".to_string());
        }
        let mut interests: Vec<String> = Vec::new();
        let mut keys = Vec::new();
        let mut interest_error = None;
        for raw in &input.interests {
            match text(raw, limits::INTEREST, &format!("\"{}\"", raw.trim())) {
                Err(e) => {
                    interest_error.get_or_insert(e);
                }
                Ok(value) => {
                    let Some(key) = normalize_interest(&value) else {
                        continue;
                    };
                    if !keys.contains(&key) {
                        keys.push(key);
                        interests.push(value);
                    }
                }
            }
        }
        if let Some(e) = interest_error {
            errors.insert("interests", e);
        } else if interests.is_empty() {
            errors.insert(
                "interests",
                "Give at least one interest, separated by commas".to_string(),
            );
        } else if interests.len() > limits::INTERESTS_MAX {
            errors.insert(
                "interests",
                format!(
                    "{} interests; at most {}, please",
                    interests.len(),
                    limits::INTERESTS_MAX
                ),
            );
        }
        if !errors.is_empty() {
            return Err(FieldErrors(errors));
        }
        Ok(Profile {
            name,
            call_me,
            work,
            interests,
            ask_me_about,
            weird_fact,
            spot_me,
        })
    }
}

impl Profile {
    /// The name the room sees: what they asked to be called, or their
    /// name shortened only when it is long (see [`super::name`]).
    pub fn shown_name(&self) -> std::borrow::Cow<'_, str> {
        super::name::shown_name(&self.name, &self.call_me)
    }

    /// What to call them across a room (the board): what they asked to be
    /// called, or their given name (see [`super::name::call_name`]).
    pub fn call_name(&self) -> std::borrow::Cow<'_, str> {
        super::name::call_name(&self.name, &self.call_me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, interests: &str) -> ProfileInput {
        ProfileInput {
            name: name.into(),
            interests: split_interest_list(interests),
            ..ProfileInput::default()
        }
    }

    #[test]
    fn a_good_profile_is_trimmed_and_deduplicated() {
        let p = Profile::try_from(input("  Ada ", "chess, AI , ai,\nHiking")).unwrap();
        assert_eq!(p.name, "Ada");
        assert_eq!(p.interests, vec!["chess", "AI", "Hiking"]);
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let mut bad = input("", "");
        bad.weird_fact = "x".repeat(281);
        bad.spot_me = "red\u{7}scarf".into();
        let errors = Profile::try_from(bad).unwrap_err();
        assert!(errors.get("name").unwrap().contains("name"));
        assert!(errors.get("interests").unwrap().contains("at least one"));
        assert!(errors.get("weird_fact").unwrap().contains("281 characters"));
        assert!(errors.get("spot_me").unwrap().contains("control"));
        assert!(errors.get("work").is_none());
    }

    #[test]
    fn a_fact_may_have_line_breaks_but_no_other_control_characters() {
        let mut with_lines = input("Ada", "maths");
        with_lines.weird_fact = "Line one\r\nline two\n".into();
        let p = Profile::try_from(with_lines).unwrap();
        assert_eq!(p.weird_fact, "Line one\nline two");
        let mut bell = input("Ada", "maths");
        bell.weird_fact = "ding\u{7}".into();
        assert!(
            Profile::try_from(bell)
                .unwrap_err()
                .get("weird_fact")
                .is_some()
        );
    }

    #[test]
    fn what_to_call_someone_is_optional_checked_like_a_name_and_shown() {
        let mut called = input("Nguyễn Thị Ngọc Quỳnh Như", "music");
        assert_eq!(Profile::try_from(called.clone()).unwrap().call_me, "");
        called.call_me = "  Như ".into();
        let p = Profile::try_from(called.clone()).unwrap();
        assert_eq!(p.call_me, "Như");
        assert_eq!(p.shown_name(), "Như");
        called.call_me = "x".repeat(41);
        let errors = Profile::try_from(called.clone()).unwrap_err();
        assert!(errors.get("call_me").unwrap().contains("41 characters"));
        called.call_me = "Bob\u{202E}".into();
        assert!(
            Profile::try_from(called)
                .unwrap_err()
                .get("call_me")
                .is_some()
        );
    }

    #[test]
    fn profiles_stored_before_call_me_existed_still_load() {
        let old = r#"{"name":"Ada","work":"","interests":["maths"],"ask_me_about":"","weird_fact":"","spot_me":""}"#;
        let p: Profile = serde_json::from_str(old).unwrap();
        assert_eq!(p.call_me, "");
        assert_eq!(p.shown_name(), "Ada");
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let p = Profile::try_from(input(&"é".repeat(40), "ü")).unwrap();
        assert_eq!(p.name.chars().count(), 40);
        let errors = Profile::try_from(input(&"é".repeat(41), "x")).unwrap_err();
        assert!(errors.get("name").is_some());
    }

    #[test]
    fn too_many_or_too_long_interests_are_refused() {
        let eleven: Vec<String> = (0..11).map(|i| format!("topic{i}")).collect();
        let errors = Profile::try_from(input("Ada", &eleven.join(","))).unwrap_err();
        assert!(errors.get("interests").unwrap().contains("11 interests"));
        let errors = Profile::try_from(input("Ada", &"x".repeat(31))).unwrap_err();
        assert!(errors.get("interests").unwrap().contains("at most 30"));
    }
}
