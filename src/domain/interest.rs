//! Interest normalisation: "Hiking", " hiking ", "hikings!" and "HIKING" are the
//! same conversation topic, so they must compare equal when the matcher looks
//! for shared interests. The text people typed is still what they see; only the
//! comparison key is normalised.

use std::collections::BTreeMap;
use std::fmt;

/// The comparison key of an interest: lower-case, single-spaced, without
/// punctuation at the ends and with a simple English plural folded to the
/// singular. Two interests are "shared" when their keys are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InterestKey(String);

impl InterestKey {
    /// The normalised text, e.g. `board game` for "Board Games!".
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InterestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Characters stripped from both ends of an interest. `+` and `#` are kept so
/// "C++" and "C#" stay distinct from "C".
fn is_end_punctuation(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '"'
            | '\''
            | '`'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '-'
            | '_'
            | '/'
            | '\\'
            | '*'
            | '~'
            | '…'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '¡'
            | '¿'
    )
}

/// Folds a simple English plural of one word to its singular: "hikes" →
/// "hike", "hobbies" → "hobby". Words ending in "ss", "us" or "is" ("chess",
/// "jazz", "analysis") and short words ("ai", "gas") are left alone.
fn singular(word: &str) -> String {
    let chars = word.chars().count();
    if chars > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    if chars > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
        && word.is_ascii()
    {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// Normalises an interest for comparison. Returns `None` when nothing but
/// spaces and punctuation is left.
///
/// ```
/// use icebreaker::domain::normalize_interest;
/// let key = |s| normalize_interest(s).unwrap().as_str().to_string();
/// assert_eq!(key("Hiking"), key(" hiking  "));
/// assert_eq!(key("hikings"), "hiking");
/// assert_eq!(key("AI"), key("ai"));
/// assert_eq!(key("Board   Games!"), "board game");
/// ```
pub fn normalize_interest(raw: &str) -> Option<InterestKey> {
    let lower = raw.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let joined = words.join(" ");
    let trimmed = joined.trim_matches(is_end_punctuation).trim();
    if trimmed.is_empty() {
        return None;
    }
    // Fold the plural of the last word only: "board games" → "board game".
    let (head, last) = match trimmed.rfind(' ') {
        Some(i) => (&trimmed[..=i], &trimmed[i + 1..]),
        None => ("", trimmed),
    };
    Some(InterestKey(format!("{head}{}", singular(last))))
}

/// Interests at least two of the given people share (after normalisation),
/// as the first of them typed it, most shared first: what a group has in
/// common, to show next to it and to start the conversation.
pub fn shared_interests<'a>(people: impl IntoIterator<Item = &'a [String]>) -> Vec<String> {
    let mut counts: BTreeMap<InterestKey, (usize, &'a String)> = BTreeMap::new();
    for interests in people {
        let mut mine: Vec<(InterestKey, &String)> = interests
            .iter()
            .filter_map(|raw| Some((normalize_interest(raw)?, raw)))
            .collect();
        mine.sort();
        mine.dedup_by(|a, b| a.0 == b.0);
        for (key, raw) in mine {
            counts.entry(key).or_insert((0, raw)).0 += 1;
        }
    }
    let mut shared: Vec<(usize, &String)> = counts
        .into_values()
        .filter(|(count, _)| *count >= 2)
        .collect();
    shared.sort_by_key(|s| std::cmp::Reverse(s.0));
    shared.into_iter().map(|(_, raw)| raw.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        normalize_interest(s).unwrap().0
    }

    #[test]
    fn case_spaces_and_end_punctuation_do_not_matter() {
        assert_eq!(key("Hiking"), "hiking");
        assert_eq!(key(" hiking "), "hiking");
        assert_eq!(key("HIKING!!"), "hiking");
        assert_eq!(key("  rock   climbing. "), "rock climbing");
        assert_eq!(key("\"jazz\""), "jazz");
    }

    #[test]
    fn simple_plurals_fold_to_the_singular() {
        assert_eq!(key("hikings"), "hiking");
        assert_eq!(key("Board Games"), "board game");
        assert_eq!(key("hobbies"), "hobby");
        assert_eq!(key("startups"), "startup");
    }

    #[test]
    fn words_that_only_look_plural_are_kept() {
        assert_eq!(key("chess"), "chess");
        assert_eq!(key("analysis"), "analysis");
        assert_eq!(key("octopus"), "octopus");
        assert_eq!(key("gas"), "gas");
    }

    #[test]
    fn acronyms_and_symbols_survive() {
        assert_eq!(key("AI"), key("ai"));
        assert_eq!(key("C++"), "c++");
        assert_eq!(key("C#"), "c#");
        assert_ne!(key("C++"), key("C"));
    }

    #[test]
    fn only_punctuation_is_no_interest() {
        assert!(normalize_interest("  ").is_none());
        assert!(normalize_interest("...").is_none());
        assert!(normalize_interest("").is_none());
    }

    #[test]
    fn non_ascii_text_is_lowercased_not_mangled() {
        assert_eq!(key("Ästhetik"), "ästhetik");
        assert_eq!(key("Café"), "café");
    }
}
