//! Seating between rounds: late arrivals, breaks and departures change the
//! current round's tables without re-planning it (people are already
//! talking).
//!
//! Rule: a late arrival joins the smallest table that stays within group
//! size + 1, preferring people they have not met, then shared interests; when
//! no table has room they wait, and as soon as enough are waiting to form a
//! group (group size − 1, at least 2) they get a new table. Nobody is left
//! alone at a table: a last remaining member is seated elsewhere.

use super::{AttendeeId, Event, Presence, Table};

impl Event {
    /// Seats a present attendee in the current round, if there is one and
    /// they are not seated yet.
    pub(super) fn seat_late(&mut self, id: AttendeeId) {
        let group_size = self.settings.group_size;
        let Some(round) = self.rounds.last() else {
            return;
        };
        let seated =
            round.tables.iter().any(|t| t.members.contains(&id)) || round.waiting.contains(&id);
        if seated || self.attendees[id as usize].presence != Presence::Present {
            return;
        }
        let mine = &self.attendees[id as usize].interest_keys;
        // Smallest table first, then fewest earlier meetings (someone back
        // from a break should meet new people, not their last group), then
        // most shared interests, then the lowest number.
        let best = round
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.members.is_empty() && t.members.len() < group_size + 1)
            .min_by_key(|(_, t)| {
                let shared: usize = t
                    .members
                    .iter()
                    .map(|&m| {
                        self.attendees[m as usize]
                            .interest_keys
                            .iter()
                            .filter(|k| mine.contains(k))
                            .count()
                    })
                    .sum();
                let met: u32 = t.members.iter().map(|&m| self.times_met(id, m)).sum();
                (t.members.len(), met, std::cmp::Reverse(shared), t.number)
            })
            .map(|(i, _)| i);
        let Some(round) = self.rounds.last_mut() else {
            return;
        };
        let round_no = round.number;
        if let Some(i) = best {
            self.changes
                .tables
                .insert((round_no, round.tables[i].number));
            let table = &mut round.tables[i].members;
            let others = table.clone();
            table.push(id);
            // Only the newcomer's pairs are new meetings.
            for m in others {
                let pair = (m.min(id), m.max(id));
                *self.met.entry(pair).or_insert(0) += 1;
                self.changes.pairs.insert(pair);
            }
            return;
        }
        self.changes.rounds.insert(round_no);
        round.waiting.push(id);
        if round.waiting.len() < group_size.saturating_sub(1).max(2) {
            return;
        }
        let members = std::mem::take(&mut round.waiting);
        // Reuse a table that emptied, else open the next number.
        let number = match round.tables.iter_mut().find(|t| t.members.is_empty()) {
            Some(table) => {
                table.members = members.clone();
                table.number
            }
            None => {
                let number = round.tables.len() + 1;
                round.tables.push(Table {
                    number,
                    members: members.clone(),
                });
                number
            }
        };
        self.changes.tables.insert((round_no, number));
        self.record_meetings(&members);
    }

    /// Takes an attendee off the current round (table or waiting list) and
    /// re-seats anyone left alone at their table.
    pub(super) fn unseat(&mut self, id: AttendeeId) {
        let Some(round) = self.rounds.last_mut() else {
            return;
        };
        round.waiting.retain(|&m| m != id);
        self.changes.rounds.insert(round.number);
        for table in &mut round.tables {
            if table.members.contains(&id) {
                table.members.retain(|&m| m != id);
                self.changes.tables.insert((round.number, table.number));
            }
        }
        self.reseat_loners();
    }

    /// Seats elsewhere everyone who sits alone at a table.
    pub(super) fn reseat_loners(&mut self) {
        let Some(round) = self.rounds.last_mut() else {
            return;
        };
        let mut loners = Vec::new();
        for table in round.tables.iter_mut().filter(|t| t.members.len() == 1) {
            loners.extend(table.members.pop());
            self.changes.tables.insert((round.number, table.number));
        }
        for id in loners {
            self.seat_late(id);
        }
    }
}
