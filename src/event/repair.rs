//! Repairing a plan made ahead of the click for whatever changed since.
//!
//! The server plans the next round in the background while the current
//! one runs (see `state::planner`), so by the time the organizer clicks
//! "Start round" the plan may be a few seconds old: people left or went on
//! a break, came back, arrived, met someone at a late-arrival table, or
//! were kept apart. Re-planning would make the room wait again, so the plan
//! is repaired instead, in a few milliseconds even for thousands of people:
//!
//! 1. whoever is no longer present is taken off their table;
//! 2. at each table, someone who has met a tablemate *since the plan was
//!    made*, or is now kept apart from one, is taken off too (the plan
//!    could not have known, and would make an avoidable repeat);
//! 3. if the room shrank, surplus tables (by the group-size rule for the
//!    people left) are dissolved, smallest first;
//! 4. the people taken off, and those present the plan did not know who
//!    have met someone tonight (back from a break, say), are seated where
//!    they have met nobody (or fewest), at the smallest such table within
//!    group size + 1;
//! 5. tables are evened out while one has two more people than another, by
//!    moving someone who has met nobody at the smaller table (never making
//!    a repeat to even a table out).
//!
//! Newcomers the plan did not know are then seated by the late-arrival
//! rule, as during a round (see `seating.rs`). When nothing changed, the
//! plan is committed as made.

use std::cmp::Reverse;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{AttendeeId, Event, Presence, RoundDraft};
use crate::matching::{Plan, group_sizes};

impl Event {
    /// Whether a plan made ahead from `draft` still fits the room well
    /// enough to be repaired rather than made again: same group size, and
    /// those it seats who are still present are at least two thirds of
    /// everyone present (the rest would all be seated as late arrivals).
    pub fn plan_fits(&self, draft: &RoundDraft) -> bool {
        if draft.request.group_size != self.settings.group_size || draft.played != self.rounds.len()
        {
            return false;
        }
        let kept = draft
            .people
            .iter()
            .filter(|&&id| self.is_present(id))
            .count();
        kept * 3 >= self.present * 2
    }

    /// The tables of `plan`'s first round for the room as it is now (see
    /// the module doc), and the people taken off them whom no table could
    /// take (seated as late arrivals once the round starts).
    pub(super) fn repaired_tables(
        &self,
        draft: &RoundDraft,
        plan: &Plan,
    ) -> (Vec<Vec<AttendeeId>>, Vec<AttendeeId>) {
        let groups = plan.rounds.first().map_or(&[][..], |r| &r.groups[..]);
        let mut tables: Vec<Vec<AttendeeId>> = groups
            .iter()
            .map(|g| {
                g.iter()
                    .filter_map(|&i| draft.people.get(i).copied())
                    .collect()
            })
            .collect();
        let planned: usize = tables.iter().map(Vec::len).sum();
        let met_since = MetSince::new(self, draft);
        let mut movers = Vec::new();
        for table in &mut tables {
            let mut kept: Vec<AttendeeId> = Vec::with_capacity(table.len());
            for &id in table.iter() {
                if !self.is_present(id) {
                    continue;
                }
                if kept.iter().any(|&k| self.clashes(id, k, &met_since)) {
                    movers.push(id);
                } else {
                    kept.push(id);
                }
            }
            *table = kept;
        }
        let seated: usize = tables.iter().map(Vec::len).sum();
        let changed = seated != planned;
        if seated + movers.len() < self.present {
            movers.extend(self.returning_since(&tables, &movers));
        }
        if !changed && movers.is_empty() {
            return (tables, movers);
        }
        tables.retain(|t| !t.is_empty());
        let target = group_sizes(seated + movers.len(), self.settings.group_size).len();
        while tables.len() > target {
            let Some(smallest) = (0..tables.len()).min_by_key(|&i| (tables[i].len(), Reverse(i)))
            else {
                break;
            };
            movers.extend(tables.remove(smallest));
        }
        let mut unplaced = Vec::new();
        for id in movers {
            match self.table_for_mover(id, &tables) {
                Some(i) => tables[i].push(id),
                None => unplaced.push(id),
            }
        }
        self.even_out(&mut tables);
        tables.retain(|t| !t.is_empty());
        (tables, unplaced)
    }

    /// Those present whom the plan does not seat (neither at `tables` nor
    /// among `movers`) and who have met someone tonight: back from a break,
    /// or seated at a late-arrival table since. They are placed like those
    /// taken off a table, away from whom they met; newcomers are seated by
    /// the late-arrival rule once the round starts.
    fn returning_since(
        &self,
        tables: &[Vec<AttendeeId>],
        movers: &[AttendeeId],
    ) -> Vec<AttendeeId> {
        let planned: FxHashSet<AttendeeId> =
            tables.iter().flatten().chain(movers).copied().collect();
        self.attendees
            .iter()
            .filter(|a| a.presence == Presence::Present && !planned.contains(&a.id))
            .map(|a| a.id)
            .filter(|&id| self.has_met_anyone(id))
            .collect()
    }

    /// Whether `a` and `b` should not share a table: kept apart, or they
    /// met after the plan was made.
    fn clashes(&self, a: AttendeeId, b: AttendeeId, met_since: &MetSince) -> bool {
        self.avoid.get(&a).is_some_and(|others| others.contains(&b)) || met_since.met(self, a, b)
    }

    /// Meetings of `id` with the people of `table`.
    fn met_at(&self, id: AttendeeId, table: &[AttendeeId]) -> u32 {
        if !self.has_met_anyone(id) {
            return 0;
        }
        table.iter().map(|&m| self.times_met(id, m)).sum()
    }

    /// Whether `id` is kept apart from anyone at `table`.
    fn apart_from(&self, id: AttendeeId, table: &[AttendeeId]) -> bool {
        self.avoid
            .get(&id)
            .is_some_and(|others| table.iter().any(|m| others.contains(m)))
    }

    /// The table a person taken off their planned table goes to: fewest
    /// earlier meetings there, then the smallest, then the lowest number;
    /// within group size + 1 and with nobody they are kept apart from.
    fn table_for_mover(&self, id: AttendeeId, tables: &[Vec<AttendeeId>]) -> Option<usize> {
        let limit = self.settings.group_size + 1;
        tables
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty() && t.len() < limit && !self.apart_from(id, t))
            .min_by_key(|&(i, t)| (self.met_at(id, t), t.len(), i))
            .map(|(i, _)| i)
    }

    /// Moves people from the largest tables to the smallest while sizes
    /// differ by two or more, choosing only someone who has met nobody at
    /// the smaller table and is kept apart from nobody there.
    fn even_out(&self, tables: &mut [Vec<AttendeeId>]) {
        // Every move narrows the gap: at most one move per person.
        for _ in 0..tables.iter().map(Vec::len).sum::<usize>() {
            let Some(small) = (0..tables.len()).min_by_key(|&i| (tables[i].len(), i)) else {
                return;
            };
            let smallest = tables[small].len();
            let largest = tables.iter().map(Vec::len).max().unwrap_or(0);
            if largest < smallest + 2 {
                return;
            }
            let candidate = tables.iter().enumerate().find_map(|(t, table)| {
                if table.len() != largest {
                    return None;
                }
                let p = table.iter().position(|&id| {
                    self.met_at(id, &tables[small]) == 0 && !self.apart_from(id, &tables[small])
                })?;
                Some((t, p))
            });
            let Some((from, position)) = candidate else {
                return;
            };
            let id = tables[from].remove(position);
            tables[small].push(id);
        }
    }
}

/// Which pairs have met since a draft was taken. Most clicks come with no
/// meeting since (a late arrival's table is the only way to meet during a
/// round), so the draft's history is only looked at when the meeting count
/// moved.
struct MetSince {
    /// The meetings the draft knew, by pair `(a, b)`, a < b; `None` when
    /// nobody has met anyone since the draft.
    known: Option<FxHashMap<(AttendeeId, AttendeeId), u32>>,
}

impl MetSince {
    fn new(event: &Event, draft: &RoundDraft) -> Self {
        if event.meetings_noted() == draft.meetings {
            return MetSince { known: None };
        }
        let known = draft
            .request
            .history
            .iter()
            .filter_map(|m| {
                let a = *draft.people.get(m.a)?;
                let b = *draft.people.get(m.b)?;
                Some(((a.min(b), a.max(b)), m.times))
            })
            .collect();
        MetSince { known: Some(known) }
    }

    fn met(&self, event: &Event, a: AttendeeId, b: AttendeeId) -> bool {
        let Some(known) = &self.known else {
            return false;
        };
        let before = known.get(&(a.min(b), a.max(b))).copied().unwrap_or(0);
        event.times_met(a, b) > before
    }
}

impl Event {
    /// How many meetings have been counted so far, twice each (once per
    /// person): it only grows, so a draft can tell whether anyone met
    /// since it was taken.
    pub(super) fn meetings_noted(&self) -> u64 {
        self.acquaintances.iter().map(|&n| u64::from(n)).sum()
    }
}
