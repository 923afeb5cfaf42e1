//! Planning and starting rounds: what the matcher is given (who is
//! present, who met whom tonight, pairs kept apart) and how its plan
//! becomes tables, plus the meeting counts every seating updates.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{AttendeeId, Event, Millis, Presence, Round, Table};
use crate::domain::PersonKey;
use crate::matching::{PastMeeting, Plan, PlanRequest};

/// Rounds planned ahead each time (only the first is committed): planning
/// jointly avoids painting later rounds into a corner.
const PLAN_AHEAD: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundError {
    #[error("at least 2 people must be present to start a round ({0} present)")]
    NotEnoughPeople(usize),
    #[error("the event has ended")]
    EventEnded,
}

/// What the matcher needs for the next round, taken under the lock and
/// planned outside it.
#[derive(Debug, Clone)]
pub struct RoundDraft {
    /// The attendees planned, in the request's numbering.
    pub people: Vec<AttendeeId>,
    /// Their person keys, in the same order, to look up meetings at other
    /// events (see `PlanRequest::earlier`).
    pub persons: Vec<Option<PersonKey>>,
    pub request: PlanRequest,
    /// Rounds the event had when the draft was taken: its plan is for the
    /// next one only.
    pub played: usize,
    /// Meetings counted when the draft was taken (see
    /// `Event::meetings_noted`), to tell at the click whether anyone met
    /// since.
    pub meetings: u64,
}

impl Event {
    /// Gathers who is present and what they have met, for the matcher.
    pub fn prepare_round(&self, seed: u64) -> Result<RoundDraft, RoundError> {
        if self.ended_at.is_some() {
            return Err(RoundError::EventEnded);
        }
        let people: Vec<AttendeeId> = self
            .attendees
            .iter()
            .filter(|a| a.presence == Presence::Present)
            .map(|a| a.id)
            .collect();
        if people.len() < 2 {
            return Err(RoundError::NotEnoughPeople(people.len()));
        }
        let index: FxHashMap<AttendeeId, usize> =
            people.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let history = self
            .met
            .iter()
            .filter_map(|(&(a, b), &times)| {
                Some(PastMeeting {
                    a: *index.get(&a)?,
                    b: *index.get(&b)?,
                    times,
                })
            })
            .collect();
        let request = PlanRequest {
            interests: people
                .iter()
                .map(|&id| {
                    self.attendee(id)
                        .map(|a| a.profile.interests.clone())
                        .unwrap_or_default()
                })
                .collect(),
            group_size: self.settings.group_size,
            rounds: PLAN_AHEAD,
            history,
            earlier: Vec::new(),
            apart: self.apart_among(&people),
            seed,
        };
        let persons = people
            .iter()
            .map(|&id| self.attendee(id).and_then(|a| a.person))
            .collect();
        Ok(RoundDraft {
            people,
            persons,
            request,
            played: self.rounds.len(),
            meetings: self.meetings_noted(),
        })
    }

    /// Starts the next round from the first planned round and returns its
    /// number. The plan is repaired for whatever changed since the draft
    /// was taken (see `repair.rs`): people who left are dropped, people who
    /// arrived are seated as late arrivals.
    pub fn commit_round(&mut self, draft: &RoundDraft, plan: &Plan, now: Millis) -> usize {
        let number = self.rounds.len() + 1;
        let (groups, unplaced) = self.repaired_tables(draft, plan);
        let tables: Vec<Table> = groups
            .into_iter()
            .enumerate()
            .map(|(t, members)| Table {
                number: t + 1,
                members,
            })
            .collect();
        for table in &tables {
            self.record_meetings(&table.members);
        }
        // Everyone not at a table is seated as a late arrival: people who
        // arrived during planning, and anyone the plan left waiting.
        let planned: rustc_hash::FxHashSet<AttendeeId> = tables
            .iter()
            .flat_map(|t| t.members.iter().copied())
            .collect();
        let minutes = i64::from(self.settings.round_minutes);
        self.changes.rounds.insert(number);
        self.changes
            .tables
            .extend(tables.iter().map(|t| (number, t.number)));
        self.rounds.push(Arc::new(Round {
            number,
            started_at: now,
            ends_at: now + minutes * 60_000,
            tables,
            waiting: Vec::new(),
            paused_left: None,
        }));
        // Those the repair could not seat first, then everyone else the
        // plan did not seat, in order of arrival (seating skips anyone
        // listed twice).
        let mut arrivals = unplaced;
        arrivals.extend(
            self.attendees
                .iter()
                .filter(|a| a.presence == Presence::Present && !planned.contains(&a.id))
                .map(|a| a.id),
        );
        self.seat_arrivals(&arrivals);
        // Someone left alone by a departure during planning is re-seated.
        self.reseat_loners();
        number
    }

    /// Counts a meeting for every pair in `members`.
    pub(super) fn record_meetings(&mut self, members: &[AttendeeId]) {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                self.note_meeting(a, b);
            }
        }
    }

    /// Counts one more meeting of `a` and `b`.
    pub(super) fn note_meeting(&mut self, a: AttendeeId, b: AttendeeId) {
        let pair = (a.min(b), a.max(b));
        *self.met.entry(pair).or_insert(0) += 1;
        self.changes.pairs.insert(pair);
        self.count_acquaintance(a, 1);
        self.count_acquaintance(b, 1);
    }

    pub(super) fn count_acquaintance(&mut self, id: AttendeeId, times: u32) {
        let i = id as usize;
        if self.acquaintances.len() <= i {
            self.acquaintances.resize(i + 1, 0);
        }
        self.acquaintances[i] += times;
    }
}
