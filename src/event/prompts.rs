//! What an attendee's page says about their group: what they have in
//! common with each groupmate, and a few conversation starters.
//!
//! Everything is worked out from the viewer's side: "in common" is what
//! *the viewer* shares with each person (not what two others share), and
//! the prompts put those shared interests first, then the others' "ask me
//! about", then their weirdest facts as a guessing game. Identical answers
//! are said once, and a table of five gets a handful of prompts, not
//! fourteen. Prompts name people by id: the page words them with the
//! names it shows (see `views::prompt_text`), so what a name looks like is
//! decided in one place.

use super::{Attendee, AttendeeId, Snapshot};
use crate::domain::InterestKey;

/// Prompts a group gets at most: enough to start, few enough to read at
/// a glance while sitting down.
pub const MAX_PROMPTS: usize = 6;
/// Prompts of each kind before the other kinds get their turn, so a group
/// with many shared interests still sees an "ask me about" and a fact.
const PER_KIND: usize = 2;

/// One conversation starter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// The viewer and everyone in `with` gave `interest` (the viewer's
    /// spelling).
    Shared {
        interest: String,
        with: Vec<AttendeeId>,
    },
    /// Everyone in `who` gave this "ask me about" (as the first of them
    /// typed it, surrounding quotes removed): their words, to be quoted.
    Ask { who: Vec<AttendeeId>, about: String },
    /// Someone at the table knows this (unattributed: the group guesses
    /// who); their words, to be quoted.
    Fact(String),
    /// Said when a group has nothing more specific to start from.
    General(&'static str),
}

/// Said when a group has nothing more specific to start from.
const FALLBACK_PROMPTS: [&str; 3] = [
    "What are you working on that you're excited about?",
    "What brought you here tonight?",
    "What's something you learned recently that surprised you?",
];

/// What the viewer shares with one groupmate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InCommon {
    pub with: AttendeeId,
    /// The viewer's interests this person gave too, in the viewer's order
    /// and spelling.
    pub interests: Vec<String>,
}

/// Text as compared for duplicates: case, runs of spaces and end
/// punctuation do not count ("Bees  recognise faces." = "bees recognise
/// faces").
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', '!', '?', '…'])
        .to_lowercase()
}

/// Runs of spaces and line breaks as one space: a fact typed on two lines
/// reads as one sentence in a prompt.
fn spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A fact as a sentence of its own: its first letter a capital ("a day
/// on Venus…" → "A day on Venus…"), unless the first word has capitals
/// of its own ("iPhones"); nothing else changes case.
fn sentence(text: String) -> String {
    let first_word = text.split_whitespace().next().unwrap_or("");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() && !first_word.chars().any(char::is_uppercase) => {
            first.to_uppercase().chain(chars).collect()
        }
        _ => text,
    }
}

/// Someone's answer without quotes around the whole of it, so that quoting
/// it again does not double them (`"jazz"` → `jazz`).
pub fn unquoted(text: &str) -> &str {
    const QUOTES: [char; 8] = ['"', '\'', '“', '”', '‘', '’', '«', '»'];
    let inner = text
        .strip_prefix(QUOTES)
        .and_then(|t| t.strip_suffix(QUOTES));
    match inner {
        Some(inner) if !inner.trim().is_empty() => inner.trim(),
        _ => text,
    }
}

/// The viewer's own interests with their keys (their own answers, also
/// those others do not see yet: matching a groupmate's visible interest
/// against them reveals nothing).
fn own_interests(viewer: &Attendee) -> Vec<(InterestKey, &str)> {
    let known = viewer.interest_keys.len() == viewer.profile.interests.len();
    viewer
        .profile
        .interests
        .iter()
        .enumerate()
        .filter_map(|(i, raw)| {
            let key = match viewer.interest_keys.get(i) {
                Some(key) if known => key.clone(),
                _ => crate::domain::normalize_interest(raw)?,
            };
            Some((key, raw.as_str()))
        })
        .collect()
}

/// How many of each kind to show (shared interests, asks, facts): up to
/// [`PER_KIND`] each in that order, then what is left of
/// [`MAX_PROMPTS`] to the kinds that have more, again in that order.
fn quotas(available: [usize; 3]) -> [usize; 3] {
    let mut take = available.map(|n| n.min(PER_KIND));
    let mut left = MAX_PROMPTS.saturating_sub(take.iter().sum());
    for (t, n) in take.iter_mut().zip(available) {
        let more = (n - *t).min(left);
        *t += more;
        left -= more;
    }
    take
}

impl Snapshot {
    /// What `viewer` shares with each other member of `members`, in
    /// seating order (an empty list for someone they share nothing with).
    pub fn in_common(&self, viewer: AttendeeId, members: &[AttendeeId]) -> Vec<InCommon> {
        let Some(me) = self.attendee(viewer) else {
            return Vec::new();
        };
        let mine = own_interests(me);
        members
            .iter()
            .filter(|&&m| m != viewer)
            .filter_map(|&m| self.attendee(m))
            .map(|other| {
                let theirs: Vec<InterestKey> = other
                    .shown_interests()
                    .map(|(k, _)| k.into_owned())
                    .collect();
                InCommon {
                    with: other.id,
                    interests: mine
                        .iter()
                        .filter(|(key, _)| theirs.contains(key))
                        .map(|(_, spelling)| spelling.to_string())
                        .collect(),
                }
            })
            .collect()
    }

    /// Conversation starters for `viewer` at a table with `members`, most
    /// relevant first (see the module), at most [`MAX_PROMPTS`]. `common`
    /// is [`Snapshot::in_common`] for the same table.
    pub fn prompts_for(
        &self,
        viewer: AttendeeId,
        members: &[AttendeeId],
        common: &[InCommon],
    ) -> Vec<Prompt> {
        let shared = shared_with_viewer(common);
        let others: Vec<&Attendee> = members
            .iter()
            .filter(|&&m| m != viewer)
            .filter_map(|&m| self.attendee(m))
            .collect();
        // Identical "ask me about"s become one prompt naming everyone.
        let mut asks: Vec<(String, Prompt)> = Vec::new();
        for a in &others {
            let about = spaced(unquoted(&a.public.ask_me_about));
            if about.is_empty() {
                continue;
            }
            let key = fold(&about);
            match asks.iter_mut().find(|(k, _)| *k == key) {
                Some((_, Prompt::Ask { who, .. })) => who.push(a.id),
                _ => asks.push((
                    key,
                    Prompt::Ask {
                        who: vec![a.id],
                        about,
                    },
                )),
            }
        }
        let mut facts: Vec<(String, Prompt)> = Vec::new();
        for a in &others {
            let fact = sentence(spaced(unquoted(&a.public.weird_fact)));
            let key = fold(&fact);
            if !fact.is_empty() && !facts.iter().any(|(k, _)| *k == key) {
                facts.push((key, Prompt::Fact(fact)));
            }
        }
        let [n_shared, n_asks, n_facts] = quotas([shared.len(), asks.len(), facts.len()]);
        let mut prompts: Vec<Prompt> = shared
            .into_iter()
            .take(n_shared)
            .map(|(interest, with)| Prompt::Shared { interest, with })
            .collect();
        prompts.extend(asks.into_iter().take(n_asks).map(|(_, p)| p));
        prompts.extend(facts.into_iter().take(n_facts).map(|(_, p)| p));
        if prompts.is_empty() {
            prompts.extend(FALLBACK_PROMPTS.iter().map(|&p| Prompt::General(p)));
        }
        prompts
    }
}

/// The viewer's interests that someone at the table shares, each with who,
/// the most widely shared first (ties in the viewer's order).
pub fn shared_with_viewer(common: &[InCommon]) -> Vec<(String, Vec<AttendeeId>)> {
    let mut shared: Vec<(String, Vec<AttendeeId>)> = Vec::new();
    for c in common {
        for interest in &c.interests {
            match shared.iter_mut().find(|(i, _)| i == interest) {
                Some((_, with)) => with.push(c.with),
                None => shared.push((interest.clone(), vec![c.with])),
            }
        }
    }
    // A stable sort keeps the viewer's order among equals.
    shared.sort_by_key(|(_, with)| std::cmp::Reverse(with.len()));
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_spaces_and_end_punctuation() {
        assert_eq!(fold("  Bees  recognise\tfaces. "), "bees recognise faces");
        assert_eq!(fold("BEES RECOGNISE FACES!"), "bees recognise faces");
        assert_ne!(fold("Bees recognise faces"), fold("Bees recognise names"));
    }

    #[test]
    fn a_fact_starts_with_a_capital_and_keeps_the_others() {
        assert_eq!(sentence("a day on Venus".into()), "A day on Venus");
        assert_eq!(sentence("iPhones exist".into()), "iPhones exist");
        assert_eq!(sentence("Élan".into()), "Élan");
        assert_eq!(sentence("42 is the answer".into()), "42 is the answer");
        assert_eq!(sentence(String::new()), "");
    }

    #[test]
    fn quotes_around_an_answer_are_dropped_once() {
        assert_eq!(unquoted("\"jazz\""), "jazz");
        assert_eq!(unquoted("“my failed startup”"), "my failed startup");
        assert_eq!(unquoted("it's \"fine\""), "it's \"fine\"");
        assert_eq!(unquoted("\"\""), "\"\"");
        assert_eq!(unquoted("plain"), "plain");
    }

    #[test]
    fn quotas_give_every_kind_a_turn_then_fill_up() {
        assert_eq!(quotas([5, 4, 4]), [2, 2, 2]);
        assert_eq!(quotas([5, 0, 1]), [5, 0, 1]);
        assert_eq!(quotas([0, 4, 4]), [0, 4, 2]);
        assert_eq!(quotas([1, 1, 1]), [1, 1, 1]);
        assert_eq!(quotas([9, 9, 9]).iter().sum::<usize>(), MAX_PROMPTS);
    }

    #[test]
    fn the_most_widely_shared_interest_comes_first() {
        let common = [
            InCommon {
                with: 1,
                interests: vec!["chess".into(), "jazz".into()],
            },
            InCommon {
                with: 2,
                interests: vec!["jazz".into()],
            },
        ];
        assert_eq!(
            shared_with_viewer(&common),
            vec![
                ("jazz".to_string(), vec![1, 2]),
                ("chess".to_string(), vec![1])
            ]
        );
    }
}
