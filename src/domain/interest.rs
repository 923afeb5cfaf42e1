//! Interest normalisation: "Hiking", " hiking ", "hikings!" and "HIKING" are the
//! same conversation topic, so they must compare equal when the matcher looks
//! for shared interests. The text people typed is still what they see; only the
//! comparison key is normalised.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt;

use rustc_hash::FxHashMap;

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

/// One interest and how many people hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterestCount<'a> {
    /// How to show it: the spelling most of them typed, or on a tie the
    /// one typed first (by the earliest of the people given), so the room
    /// sees its own words rather than the normalised key.
    pub spelling: &'a str,
    /// How many of the people hold it: someone who typed it twice, in two
    /// spellings, counts once.
    pub people: usize,
}

/// Every interest the given people hold, with how many hold it: most held
/// first, ties in the alphabetical order of their keys, so the same people
/// always give the same order. The one count behind a table's shared
/// interests, the join form's suggestions and the finale's top interests.
pub fn count_interests<'a>(
    people: impl IntoIterator<Item = &'a [String]>,
) -> Vec<InterestCount<'a>> {
    count_keyed_interests(people.into_iter().map(|interests| {
        interests
            .iter()
            .filter_map(|raw| Some((Cow::Owned(normalize_interest(raw)?), raw.as_str())))
    }))
}

/// [`count_interests`] for people whose interests come with their keys
/// already worked out (borrowed), so that counting a whole event does not
/// normalise every interest again: one pass, hashing, no sorting but of
/// the distinct interests at the end.
pub fn count_keyed_interests<'k, 'a, I>(
    people: impl IntoIterator<Item = I>,
) -> Vec<InterestCount<'a>>
where
    I: IntoIterator<Item = (Cow<'k, InterestKey>, &'a str)>,
{
    /// One interest so far: how many hold it, and the last person counted
    /// (a second spelling of it by the same person is not counted again).
    struct Tally {
        /// People who hold it so far.
        people: usize,
        /// The last person counted, by their place among `people`.
        last: usize,
    }
    let mut index: FxHashMap<Cow<'k, InterestKey>, usize> = FxHashMap::default();
    let mut tallies: Vec<Tally> = Vec::new();
    // (interest, spelling) → (people who typed it so, the first of them).
    let mut spellings: FxHashMap<(usize, &'a str), (usize, usize)> = FxHashMap::default();
    for (person, interests) in people.into_iter().enumerate() {
        for (key, spelling) in interests {
            let next = tallies.len();
            let t = *index.entry(key).or_insert(next);
            if t == next {
                tallies.push(Tally {
                    people: 0,
                    last: usize::MAX,
                });
            }
            let tally = &mut tallies[t];
            if tally.last == person {
                continue;
            }
            tally.last = person;
            tally.people += 1;
            spellings.entry((t, spelling)).or_insert((0, person)).0 += 1;
        }
    }
    // Per interest: (typed so by, Reverse(first typed by), spelling).
    let mut best: Vec<Option<(usize, Reverse<usize>, &'a str)>> = vec![None; tallies.len()];
    for ((t, spelling), (typed, first)) in spellings {
        let candidate = (typed, Reverse(first), spelling);
        if best[t].is_none_or(|b| (b.0, b.1) < (candidate.0, candidate.1)) {
            best[t] = Some(candidate);
        }
    }
    let mut ranked: Vec<(&InterestKey, InterestCount<'a>)> = index
        .iter()
        .map(|(key, &t)| {
            let count = InterestCount {
                spelling: best[t].map_or("", |b| b.2),
                people: tallies[t].people,
            };
            (key.as_ref(), count)
        })
        .collect();
    ranked.sort_unstable_by(|a, b| b.1.people.cmp(&a.1.people).then_with(|| a.0.cmp(b.0)));
    ranked.into_iter().map(|(_, count)| count).collect()
}

/// Interests at least two of the given people share (after normalisation),
/// most shared first, as [`count_interests`] spells them: what a group has
/// in common, to show next to it and to start the conversation.
pub fn shared_interests<'a>(people: impl IntoIterator<Item = &'a [String]>) -> Vec<String> {
    count_interests(people)
        .into_iter()
        .take_while(|c| c.people >= 2)
        .map(|c| c.spelling.to_string())
        .collect()
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

    fn spellings(people: &[&[&str]]) -> Vec<(String, usize)> {
        let owned: Vec<Vec<String>> = people
            .iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect();
        count_interests(owned.iter().map(Vec::as_slice))
            .into_iter()
            .map(|c| (c.spelling.to_string(), c.people))
            .collect()
    }

    #[test]
    fn interests_are_counted_once_per_person_most_held_first() {
        let counted = spellings(&[
            &["jazz", "Chess", "chess!"],
            &["chess", "knitting"],
            &["Jazz", "chess", "art"],
        ]);
        let expected = [("chess", 3), ("jazz", 2), ("art", 1), ("knitting", 1)];
        assert_eq!(
            counted,
            expected.map(|(s, n)| (s.to_string(), n)).to_vec(),
            "chess: the spelling two typed; jazz: a tie, so the first typed; \
             art and knitting: a tie, so alphabetical"
        );
    }

    #[test]
    fn the_first_spelling_wins_a_tie_whatever_its_letters() {
        let counted = spellings(&[&["Zumba"], &["zumba!"], &["ZUMBA"]]);
        assert_eq!(counted, vec![("Zumba".to_string(), 3)]);
        let counted = spellings(&[&["zumba"], &["Zumba"]]);
        assert_eq!(counted, vec![("zumba".to_string(), 2)]);
    }

    #[test]
    fn shared_means_held_by_two_or_more() {
        let people = [
            vec!["a".to_string(), "b".to_string()],
            vec!["B".to_string()],
        ];
        assert_eq!(
            shared_interests(people.iter().map(Vec::as_slice)),
            vec!["b".to_string()]
        );
        assert!(shared_interests(people[..1].iter().map(Vec::as_slice)).is_empty());
    }
}
