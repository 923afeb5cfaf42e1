//! After the conversations: who met whom, "I'd like to stay in touch"
//! ticks, contact details revealed only when both ticked, and erasure.
//!
//! Contact details live on the attendee but are never part of the public
//! profile: nothing that renders the board, a group or the API's public
//! views can reach them. They are read only through [`Event::mutual`]
//! (both ticked) and the organizer's export (only with consent).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{ApartKind, Attendee, AttendeeId, Event, Millis, Presence};
use crate::domain::{Contact, Profile};

/// Shown in others' "people I met" in place of someone who deleted their
/// details.
pub const ERASED_NAME: &str = "Someone who left";

/// One person an attendee shared a table with.
#[derive(Debug, Clone)]
pub struct MetPerson {
    /// The person as others may see them (an erased person keeps only
    /// [`ERASED_NAME`]).
    pub attendee: Arc<Attendee>,
    /// `(round, table)` where they sat together, in order; empty when the
    /// table is no longer known (one of them moved on mid-round).
    pub tables: Vec<(usize, usize)>,
    /// Whether the attendee ticked "I'd like to stay in touch".
    pub ticked: bool,
    /// Whether the attendee would rather not be grouped with them again
    /// (private to the attendee).
    pub rather_not: bool,
    /// Their contact details, only when both ticked each other.
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeepError {
    #[error("there is nobody with that number at this event")]
    Unknown,
    #[error("you can only choose people you shared a table with")]
    NotMet,
    #[error("this person deleted their details")]
    Erased,
}

impl Event {
    /// Everyone `id` shared a table with, in the order they first met.
    pub fn met_list(&self, id: AttendeeId) -> Vec<MetPerson> {
        let mut tables: BTreeMap<AttendeeId, Vec<(usize, usize)>> = BTreeMap::new();
        let mut order: Vec<AttendeeId> = Vec::new();
        for round in &self.rounds {
            for table in round.tables.iter().filter(|t| t.members.contains(&id)) {
                for &m in table.members.iter().filter(|&&m| m != id) {
                    let seen = tables.entry(m).or_default();
                    if seen.is_empty() {
                        order.push(m);
                    }
                    seen.push((round.number, table.number));
                }
            }
        }
        // Pairs whose table is no longer known (one left mid-round).
        for &(a, b) in self.met.keys() {
            let other = match (a == id, b == id) {
                (true, _) => b,
                (_, true) => a,
                _ => continue,
            };
            if let std::collections::btree_map::Entry::Vacant(e) = tables.entry(other) {
                e.insert(Vec::new());
                order.push(other);
            }
        }
        order
            .into_iter()
            .filter_map(|m| {
                let attendee = self.attendees.get(m)?.clone();
                Some(MetPerson {
                    ticked: self.keep_in_touch.contains(&(id, m)),
                    rather_not: self.rather_not(id, m),
                    contact: self.mutual(id, m).then(|| attendee.contact.clone()),
                    tables: tables.remove(&m).unwrap_or_default(),
                    attendee,
                })
            })
            .collect()
    }

    /// Whether `a` and `b` both ticked each other (and neither erased
    /// their details nor was removed by the organizer since: a removed
    /// attendee neither gets nor gives contact details).
    pub fn mutual(&self, a: AttendeeId, b: AttendeeId) -> bool {
        let gone = |id| {
            self.attendee(id)
                .is_none_or(|p| p.erased_at.is_some() || p.presence == Presence::Removed)
        };
        self.keep_in_touch.contains(&(a, b))
            && self.keep_in_touch.contains(&(b, a))
            && !gone(a)
            && !gone(b)
    }

    /// Pairs who both ticked each other.
    pub fn mutual_pairs(&self) -> usize {
        self.keep_in_touch
            .iter()
            .filter(|&&(a, b)| a < b && self.mutual(a, b))
            .count()
    }

    /// `from` would (or would no longer) like to stay in touch with `to`.
    /// Only people one shared a table with can be chosen.
    pub fn set_keep_in_touch(
        &mut self,
        from: AttendeeId,
        to: AttendeeId,
        keep: bool,
    ) -> Result<(), KeepError> {
        self.check_choice(from, to, keep)?;
        let changed = if keep {
            self.keep_in_touch.insert((from, to))
        } else {
            self.keep_in_touch.remove(&(from, to))
        };
        if changed {
            self.changes.keep.insert((from, to));
        }
        if keep {
            // Wanting to stay in touch takes back a "rather not".
            self.set_apart_rule((ApartKind::RatherNot, from, to), false);
        }
        Ok(())
    }

    /// Whether `from` may make (`on`) or take back a choice about `to`:
    /// both exist, they shared a table, and `to` still has details.
    pub(super) fn check_choice(
        &self,
        from: AttendeeId,
        to: AttendeeId,
        on: bool,
    ) -> Result<(), KeepError> {
        let person = self.attendee(to).ok_or(KeepError::Unknown)?;
        if from == to || self.attendee(from).is_none() {
            return Err(KeepError::Unknown);
        }
        if on && person.erased_at.is_some() {
            return Err(KeepError::Erased);
        }
        if self.times_met(from, to) == 0 {
            return Err(KeepError::NotMet);
        }
        Ok(())
    }

    /// The ticks, for the store and restoring.
    pub fn keeps_in_touch(&self, from: AttendeeId, to: AttendeeId) -> bool {
        self.keep_in_touch.contains(&(from, to))
    }

    /// Replaces `id`'s contact details. Returns false for an unknown or
    /// erased attendee.
    pub fn set_contact(&mut self, id: AttendeeId, contact: Contact) -> bool {
        match self.attendee_mut(id) {
            Some(a) if a.erased_at.is_none() => {
                a.contact = contact;
                self.changes.attendees.insert(id);
                true
            }
            _ => false,
        }
    }

    /// Deletes `id`'s personal data: answers, contact details and ticks
    /// are gone (from the store too); they leave the event, their token no
    /// longer works, and others see [`ERASED_NAME`]. Who sat where stays,
    /// as numbers, so nobody else's history changes. Erasing twice is
    /// fine.
    pub fn erase_attendee(&mut self, id: AttendeeId, now: Millis) -> bool {
        let Some(attendee) = self.attendee(id) else {
            return false;
        };
        if attendee.erased_at.is_some() {
            return true;
        }
        let token_hash = attendee.token_hash;
        if attendee.presence == Presence::Present {
            self.set_presence(id, Presence::Left);
        }
        self.by_token.remove(&token_hash);
        let ticks: Vec<(AttendeeId, AttendeeId)> = self
            .keep_in_touch
            .iter()
            .copied()
            .filter(|&(a, b)| a == id || b == id)
            .collect();
        for tick in ticks {
            self.keep_in_touch.remove(&tick);
            self.changes.keep.insert(tick);
        }
        self.forget_apart_rules_of(id);
        if let Some(a) = self.attendee_mut(id) {
            a.erase(now);
            self.erased += 1;
        }
        self.changes.attendees.insert(id);
        self.changes.scrub = true;
        true
    }

    /// When the retention period ends: that long after the event ended
    /// (or, if the organizer never ended it, after it was created).
    pub fn personal_data_expires_at(&self, created_at: Millis) -> Millis {
        let days = i64::from(self.settings.retention_days);
        self.ended_at.unwrap_or(created_at) + days * 86_400_000
    }

    /// Erases everyone's personal data once the retention period is over.
    /// Returns how many were erased now.
    pub fn expire_personal_data(&mut self, created_at: Millis, now: Millis) -> usize {
        if now < self.personal_data_expires_at(created_at) || !self.holds_personal_data() {
            return 0;
        }
        let ids: Vec<AttendeeId> = self
            .attendees
            .iter()
            .filter(|a| a.erased_at.is_none())
            .map(|a| a.id)
            .collect();
        for &id in &ids {
            self.erase_attendee(id, now);
        }
        ids.len()
    }

    /// Whether anyone's personal data is still kept.
    pub fn holds_personal_data(&self) -> bool {
        self.erased < self.attendees.len()
    }
}

/// Answers left when someone's are erased: none.
fn blank_profile() -> Profile {
    Profile {
        name: String::new(),
        call_me: String::new(),
        work: String::new(),
        interests: Vec::new(),
        ask_me_about: String::new(),
        weird_fact: String::new(),
        spot_me: String::new(),
    }
}

/// What others see of someone who erased their details.
pub(super) fn erased_public_profile() -> Profile {
    Profile {
        name: ERASED_NAME.to_string(),
        ..blank_profile()
    }
}

impl Attendee {
    /// Drops everything personal (see [`Event::erase_attendee`]).
    fn erase(&mut self, now: Millis) {
        self.public = Arc::new(erased_public_profile());
        self.set_profile(blank_profile());
        self.review = Default::default();
        self.contact = Contact::default();
        self.erased_at = Some(now);
        self.person = None;
        if self.presence == Presence::Present {
            self.presence = Presence::Left;
        }
    }
}
