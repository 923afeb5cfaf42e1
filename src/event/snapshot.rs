//! A read-only copy of an event's state, published after every change so
//! that pages, the JSON API and every live stream read it without taking
//! the event's lock. Building one copies pointers to profiles, not the
//! profiles; what each viewer sees (their table, their group, prompts) is
//! worked out from it.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use super::prompts::{InCommon, Prompt, shared_with_viewer};
use super::{Attendee, AttendeeId, Event, Finale, Millis, Presence, Roster, Round, Settings};
use crate::domain::{
    EventCode, InterestKey, count_keyed_interests, normalize_interest, shared_interests,
};

/// The event as of one change.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Increases with every change: lets clients tell old from new.
    pub version: u64,
    pub code: EventCode,
    pub name: String,
    pub settings: Settings,
    /// Shared with the event chunk by chunk (see [`Roster`]).
    attendees: Roster,
    /// The current round, if any, shared with the event until it changes.
    round: Option<Arc<Round>>,
    /// When auto-rotate starts the next round, if it will.
    pub next_auto_round_at: Option<Millis>,
    /// When the organizer ended the event, if they did.
    pub ended_at: Option<Millis>,
    /// Each attendee's table in the current round, as an index into
    /// `round.tables`: finding one's table is a lookup, not a search,
    /// when ten thousand phones render their page from this. Worked out
    /// the first time someone asks, so the snapshots that nobody reads
    /// (a burst of joins between two renders) do not pay for it.
    table_index: OnceLock<Vec<Option<u32>>>,
    present: usize,
    /// The closing figures, once the organizer ended the event (`None`
    /// before). Worked out again with every snapshot after the end: the
    /// changes then are few (ticks, erasures) and the stay-in-touch count
    /// stays live on the board.
    pub finale: Option<Arc<Finale>>,
}

/// Where the event's round clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundPhase {
    /// No round has started yet.
    Lobby,
    /// The clock is running; with auto-rotate on, the next round starts
    /// at `next_at` (so the page can say so once time is up).
    Running {
        ends_at: Millis,
        next_at: Option<Millis>,
    },
    /// Paused by the organizer, with the time the round had left.
    Paused { left: Millis },
    /// Time is up; with auto-rotate on, the next round starts at `next_at`.
    Over { next_at: Option<Millis> },
    /// The organizer ended the event: no round is coming.
    Ended,
}

/// Where an attendee is in the current round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seat<'a> {
    /// No round has started yet.
    Lobby,
    /// At a table with others.
    Table {
        round: &'a Round,
        table: usize,
        members: &'a [AttendeeId],
    },
    /// Arrived during a round; a table opens when enough others arrive.
    Waiting { round: &'a Round },
    /// On a break, left or removed: not part of the round.
    Away,
}

/// An attendee's group, seen from the attendee's side: what they share
/// with each groupmate and conversation prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView<'a> {
    pub round: &'a Round,
    pub table: usize,
    /// Everyone at the table, the attendee included, in seating order.
    pub members: &'a [AttendeeId],
    /// The attendee's interests that at least one groupmate gave too, most
    /// widely shared first (not what two *others* share).
    pub shared_interests: Vec<String>,
    /// What the attendee shares with each groupmate, in seating order.
    pub in_common: Vec<InCommon>,
    /// A few conversation starters, most relevant first (see [`Prompt`]).
    pub prompts: Vec<Prompt>,
}

impl Attendee {
    /// The interests others may see, each with its comparison key: the
    /// keys worked out on joining when they match (a checked profile has
    /// one key per interest, in order, and what others see is all of its
    /// interests or none), worked out again otherwise.
    pub(super) fn shown_interests(
        &self,
    ) -> impl Iterator<Item = (Cow<'_, InterestKey>, &str)> + '_ {
        let known = self.interest_keys.len() == self.public.interests.len();
        self.public
            .interests
            .iter()
            .enumerate()
            .filter_map(move |(i, raw)| {
                let key = match self.interest_keys.get(i) {
                    Some(key) if known => Cow::Borrowed(key),
                    _ => Cow::Owned(normalize_interest(raw)?),
                };
                Some((key, raw.as_str()))
            })
    }
}

impl Event {
    /// A copy of the state for readers, numbered `version`.
    pub fn snapshot(&self, version: u64) -> Snapshot {
        Snapshot {
            version,
            code: self.code.clone(),
            name: self.name.clone(),
            settings: self.settings.clone(),
            attendees: self.attendees.clone(),
            round: self.rounds().last().cloned(),
            next_auto_round_at: self.next_auto_round_at(),
            ended_at: self.ended_at,
            table_index: OnceLock::new(),
            present: self.present_count(),
            finale: self.ended_at.map(|_| Arc::new(self.finale())),
        }
    }
}

impl Snapshot {
    pub fn attendees(&self) -> &Roster {
        &self.attendees
    }

    pub fn attendee(&self, id: AttendeeId) -> Option<&Attendee> {
        self.attendees.get(id).map(Arc::as_ref)
    }

    pub fn current_round(&self) -> Option<&Round> {
        self.round.as_deref()
    }

    /// Each attendee's table index in the current round (see the field).
    fn table_index(&self) -> &[Option<u32>] {
        self.table_index.get_or_init(|| {
            let mut index = vec![None; self.attendees.len()];
            for (i, table) in self.round.iter().flat_map(|r| r.tables.iter().enumerate()) {
                for &m in &table.members {
                    if let Some(slot) = index.get_mut(m as usize) {
                        *slot = Some(i as u32);
                    }
                }
            }
            index
        })
    }

    pub fn present_count(&self) -> usize {
        self.present
    }

    /// Where the round clock stands at `now`.
    pub fn phase(&self, now: Millis) -> RoundPhase {
        if self.ended_at.is_some() {
            return RoundPhase::Ended;
        }
        match &self.round {
            None => RoundPhase::Lobby,
            Some(r) => match r.paused_left {
                Some(left) => RoundPhase::Paused { left },
                None if now < r.ends_at => RoundPhase::Running {
                    ends_at: r.ends_at,
                    next_at: self.next_auto_round_at,
                },
                None => RoundPhase::Over {
                    next_at: self.next_auto_round_at,
                },
            },
        }
    }

    /// Where `id` sits in the current round.
    pub fn seat_of(&self, id: AttendeeId) -> Seat<'_> {
        let Some(attendee) = self.attendee(id) else {
            return Seat::Away;
        };
        if attendee.presence != Presence::Present {
            return Seat::Away;
        }
        let Some(round) = &self.round else {
            return Seat::Lobby;
        };
        let table = self
            .table_index()
            .get(id as usize)
            .copied()
            .flatten()
            .and_then(|i| round.tables.get(i as usize));
        match table {
            Some(table) => Seat::Table {
                round,
                table: table.number,
                members: &table.members,
            },
            None => Seat::Waiting { round },
        }
    }

    /// Interests at least two members of a table share.
    pub fn table_shared_interests(&self, members: &[AttendeeId]) -> Vec<String> {
        shared_interests(
            members
                .iter()
                .filter_map(|&m| self.attendee(m))
                .map(|a| a.public.interests.as_slice()),
        )
    }

    /// The group `id` sits with now, if seated at a table.
    pub fn group_of(&self, id: AttendeeId) -> Option<GroupView<'_>> {
        let Seat::Table {
            round,
            table,
            members,
        } = self.seat_of(id)
        else {
            return None;
        };
        let in_common = self.in_common(id, members);
        let prompts = self.prompts_for(id, members, &in_common);
        let shared_interests = shared_with_viewer(&in_common)
            .into_iter()
            .map(|(interest, _)| interest)
            .collect();
        Some(GroupView {
            round,
            table,
            members,
            shared_interests,
            in_common,
            prompts,
        })
    }

    /// The interests most people here gave, most common first (ties
    /// alphabetical), spelled as [`crate::domain::count_interests`]
    /// spells them: suggestions for the join form.
    pub fn popular_interests(&self, limit: usize) -> Vec<String> {
        let present = self
            .attendees
            .iter()
            .filter(|a| a.presence == Presence::Present);
        count_keyed_interests(present.map(|a| a.shown_interests()))
            .into_iter()
            .take(limit)
            .map(|c| c.spelling.to_string())
            .collect()
    }
}
