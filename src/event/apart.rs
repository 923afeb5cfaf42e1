//! Pairs never to seat together again: an attendee's private "rather not
//! be grouped with again" marks, and the organizer's never-together pairs.
//!
//! Both are hard rules for the matcher (see `PlanRequest::apart`) and for
//! late seating. A mark is private: only the person who made it sees it,
//! on their own "people I met"; nobody is told, and the organizer's pages
//! show only their own pairs.

use std::collections::BTreeSet;

use super::{AttendeeId, Event, KeepError};

/// Who asked for a pair to be kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApartKind {
    /// `(from, to)`: `from` would rather not be grouped with `to` again.
    RatherNot,
    /// `(a, b)`, a < b: the organizer keeps them apart.
    Organizer,
}

impl ApartKind {
    /// The kind's name in the store.
    pub fn key(self) -> &'static str {
        match self {
            ApartKind::RatherNot => "rather_not",
            ApartKind::Organizer => "organizer",
        }
    }

    /// The kind named `key` (as [`ApartKind::key`] writes it).
    pub fn parse(key: &str) -> Option<ApartKind> {
        [ApartKind::RatherNot, ApartKind::Organizer]
            .into_iter()
            .find(|k| k.key() == key)
    }
}

/// One rule: `(kind, a, b)`.
pub type ApartRule = (ApartKind, AttendeeId, AttendeeId);

/// Why the organizer cannot keep two people apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApartError {
    #[error("there is nobody with number {0} at this event")]
    Unknown(AttendeeId),
    #[error("choose two different people")]
    SamePerson,
}

impl Event {
    /// `from` would rather not (or, with `on` false, no longer minds to) be
    /// grouped with `to` again. Only people one shared a table with can be
    /// marked; the current round is left as it is (moving someone would
    /// tell them). Marking takes back a "stay in touch" tick.
    pub fn set_rather_not(
        &mut self,
        from: AttendeeId,
        to: AttendeeId,
        on: bool,
    ) -> Result<(), KeepError> {
        self.check_choice(from, to, on)?;
        self.set_apart_rule((ApartKind::RatherNot, from, to), on);
        // Rather not meeting again is no way to stay in touch.
        if on && self.keep_in_touch.remove(&(from, to)) {
            self.changes.keep.insert((from, to));
        }
        Ok(())
    }

    /// Whether `from` marked `to` "rather not".
    pub fn rather_not(&self, from: AttendeeId, to: AttendeeId) -> bool {
        self.apart.contains(&(ApartKind::RatherNot, from, to))
    }

    /// The organizer keeps `a` and `b` apart from the next seating on (or,
    /// with `on` false, no longer).
    pub fn set_never_together(
        &mut self,
        a: AttendeeId,
        b: AttendeeId,
        on: bool,
    ) -> Result<(), ApartError> {
        for id in [a, b] {
            if self.attendee(id).is_none() {
                return Err(ApartError::Unknown(id));
            }
        }
        if a == b {
            return Err(ApartError::SamePerson);
        }
        self.set_apart_rule((ApartKind::Organizer, a.min(b), a.max(b)), on);
        Ok(())
    }

    /// The organizer's never-together pairs, `(a, b)` with a < b, in order.
    pub fn never_together(&self) -> Vec<(AttendeeId, AttendeeId)> {
        let mut pairs: Vec<_> = self
            .apart
            .iter()
            .filter(|(kind, _, _)| *kind == ApartKind::Organizer)
            .map(|&(_, a, b)| (a, b))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// Who the organizer keeps `id` apart from, in order.
    pub fn never_together_with(&self, id: AttendeeId) -> Vec<AttendeeId> {
        self.never_together()
            .into_iter()
            .filter_map(|(a, b)| match (a == id, b == id) {
                (true, _) => Some(b),
                (_, true) => Some(a),
                _ => None,
            })
            .collect()
    }

    /// Whether `rule` is set, for the store.
    pub fn has_apart_rule(&self, rule: ApartRule) -> bool {
        self.apart.contains(&rule)
    }

    /// True when `a` and `b` must not share a table, for either reason.
    pub fn kept_apart(&self, a: AttendeeId, b: AttendeeId) -> bool {
        self.avoid.get(&a).is_some_and(|others| others.contains(&b))
    }

    /// The pairs among `people` (by position in it) to keep apart, for the
    /// matcher.
    pub(super) fn apart_among(&self, people: &[AttendeeId]) -> Vec<(usize, usize)> {
        if self.apart.is_empty() {
            return Vec::new();
        }
        let index: rustc_hash::FxHashMap<AttendeeId, usize> =
            people.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let pairs: BTreeSet<(usize, usize)> = self
            .apart
            .iter()
            .filter_map(|&(_, a, b)| {
                let (i, j) = (*index.get(&a)?, *index.get(&b)?);
                Some((i.min(j), i.max(j)))
            })
            .collect();
        pairs.into_iter().collect()
    }

    /// Drops every rule naming `id` (their details are being erased).
    pub(super) fn forget_apart_rules_of(&mut self, id: AttendeeId) {
        let rules: Vec<ApartRule> = self
            .apart
            .iter()
            .copied()
            .filter(|&(_, a, b)| a == id || b == id)
            .collect();
        for rule in rules {
            self.set_apart_rule(rule, false);
        }
    }

    /// Sets or clears one rule, keeping `avoid` in step and noting the
    /// change for the store.
    pub(super) fn set_apart_rule(&mut self, rule: ApartRule, on: bool) {
        let changed = if on {
            self.apart.insert(rule)
        } else {
            self.apart.remove(&rule)
        };
        if !changed {
            return;
        }
        let (_, a, b) = rule;
        for (me, other) in [(a, b), (b, a)] {
            let list = self.avoid.entry(me).or_default();
            if on {
                list.push(other);
            } else if let Some(at) = list.iter().position(|&x| x == other) {
                list.swap_remove(at);
            }
            if list.is_empty() {
                self.avoid.remove(&me);
            }
        }
        self.changes.apart.insert(rule);
    }
}
