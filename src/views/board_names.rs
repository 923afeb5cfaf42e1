//! The names the board shows, told apart: two people whose shown name is
//! the same ("Parker" and "Parker") get what tells them apart from the rest
//! of their name ("Parker S.", "Parker T."), on the table cards, in the
//! alphabetical index and in the public board JSON alike. The shown name
//! itself is `board_name` in [`super::board`]; this module only builds around
//! it. Also the sort key of the index, with case and accents folded so
//! "émile" sorts beside "Emile".

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::board::shown_name as board_name;
use crate::event::{Attendee, AttendeeId, Presence, Snapshot};

/// What a name is compared and sorted by: compatibility-decomposed,
/// accents dropped, lower case ("Zoë" and "zoe" are the same to a reader
/// looking for themselves).
pub fn fold(name: &str) -> String {
    name.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Everyone the board shows right now, each with a name nobody else on
/// the board has (as far as their names allow).
#[derive(Debug, Default)]
pub struct BoardNames {
    /// The told-apart names; people not in it show their plain
    /// [`board_name`].
    names: HashMap<AttendeeId, String>,
}

/// One person's way of being told apart: their shown name, the rest of
/// their public name word by word, and how much of it is in use.
struct Candidate<'a> {
    id: AttendeeId,
    /// What [`board_name`] shows.
    shown: Cow<'a, str>,
    /// The other words of their public name.
    rest: Vec<&'a str>,
    /// How much of `rest` is shown (see [`Candidate::render`]).
    level: usize,
}

impl Candidate<'_> {
    /// 0: the shown name; 1: plus the next word's initial ("Parker S.");
    /// 2: plus the next word ("Parker Smith"); 3: plus every other word.
    fn max_level(&self) -> usize {
        match self.rest.len() {
            0 => 0,
            1 => 2,
            _ => 3,
        }
    }

    fn render(&self) -> String {
        match (self.level, self.rest.first()) {
            (0, _) | (_, None) => self.shown.to_string(),
            (1, Some(next)) => {
                let initial: String = next
                    .chars()
                    .take(1)
                    .flat_map(char::to_uppercase)
                    .chain(next.chars().skip(1).take_while(|c| is_combining_mark(*c)))
                    .collect();
                format!("{} {initial}.", self.shown)
            }
            (2, Some(next)) => format!("{} {next}", self.shown),
            _ => format!("{} {}", self.shown, self.rest.join(" ")),
        }
    }
}

/// The words of `full` left once the words of `shown` are taken out (each
/// once): what else there is to tell two people apart by.
fn rest_of<'a>(full: &'a str, shown: &str) -> Vec<&'a str> {
    let mut taken: Vec<String> = shown.split_whitespace().map(fold).collect();
    full.split_whitespace()
        .filter(|word| {
            let key = fold(word);
            match taken.iter().position(|t| *t == key) {
                Some(i) => {
                    taken.swap_remove(i);
                    false
                }
                None => true,
            }
        })
        .collect()
}

impl BoardNames {
    /// The names of everyone present (the lobby shows them, and everyone
    /// seated or waiting is present).
    pub fn of(event: &Snapshot) -> BoardNames {
        let people = event
            .attendees()
            .iter()
            .filter(|a| a.presence == Presence::Present);
        BoardNames::among(people.map(|a| &**a))
    }

    /// Tells apart the names of `people`.
    pub fn among<'a>(people: impl Iterator<Item = &'a Attendee>) -> BoardNames {
        let mut candidates: Vec<Candidate<'a>> = people
            .map(|a| {
                let shown = board_name(a);
                // `public` holds only what others may see: a held name
                // is "Guest N" there, so nothing held leaks through.
                let rest = rest_of(&a.public.name, &shown);
                Candidate {
                    id: a.id,
                    shown,
                    rest,
                    level: 0,
                }
            })
            .collect();
        // Each pass widens every name still shared with someone else, as
        // far as that name goes; four passes reach the whole name.
        for _ in 0..4 {
            let mut changed = false;
            for group in clashes(&candidates) {
                for i in group {
                    let c = &mut candidates[i];
                    if c.level < c.max_level() {
                        c.level += 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut names: HashMap<AttendeeId, String> = HashMap::new();
        for c in candidates.iter().filter(|c| c.level > 0) {
            names.insert(c.id, c.render());
        }
        // Identical whole names: numbered in the order they joined.
        for group in clashes(&candidates) {
            for (n, &i) in group.iter().enumerate() {
                let c = &candidates[i];
                names.insert(c.id, format!("{} ({})", c.render(), n + 1));
            }
        }
        BoardNames { names }
    }

    /// The name the board shows for `a`.
    pub fn get<'a>(&'a self, a: &'a Attendee) -> Cow<'a, str> {
        match self.names.get(&a.id) {
            Some(name) => Cow::Borrowed(name),
            None => board_name(a),
        }
    }
}

/// The groups of candidates (by index, in joining order) whose rendered
/// names fold to the same text.
fn clashes(candidates: &[Candidate<'_>]) -> Vec<Vec<usize>> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_name.entry(fold(&c.render())).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_name.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Émile"), "emile");
        assert_eq!(fold("ZOË"), "zoe");
        assert_eq!(fold("Łukasz"), "łukasz", "a letter of its own stays");
        assert_eq!(fold("Ｋｅｎ"), "ken", "full-width letters");
    }

    #[test]
    fn the_rest_of_a_name_leaves_out_the_shown_words() {
        assert_eq!(rest_of("Parker Smith", "Parker"), ["Smith"]);
        assert_eq!(rest_of("Nguyen Van An", "An"), ["Nguyen", "Van"]);
        assert_eq!(rest_of("Ada", "Ada"), Vec::<&str>::new());
        assert_eq!(rest_of("Guest 7", "Guest 7"), Vec::<&str>::new());
    }

    fn candidate<'a>(id: AttendeeId, shown: &'a str, full: &'a str) -> Candidate<'a> {
        Candidate {
            id,
            shown: Cow::Borrowed(shown),
            rest: rest_of(full, shown),
            level: 0,
        }
    }

    #[test]
    fn levels_widen_a_name_step_by_step() {
        let mut c = candidate(0, "Parker", "Parker smith Jones");
        let shown: Vec<String> = (0..=3)
            .map(|level| {
                c.level = level;
                c.render()
            })
            .collect();
        assert_eq!(
            shown,
            ["Parker", "Parker S.", "Parker smith", "Parker smith Jones"]
        );
    }
}
