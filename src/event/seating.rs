//! Seating between rounds: late arrivals, breaks and departures change the
//! current round's tables without re-planning it (people are already
//! talking).
//!
//! Rule: a late arrival joins the smallest table that stays within group
//! size + 1 and holds nobody they are kept apart from (see `apart.rs`),
//! preferring people they have not met, then shared interests; when
//! no table has room they wait, and as soon as enough are waiting to form a
//! group (group size − 1, at least 2) they get a new table. Nobody is left
//! alone at a table: a last remaining member is seated elsewhere.
//!
//! Everyone who joined while a round was planned is seated in one go when
//! it starts (a thousand people at a thousand tables in a big room), so the
//! comparison of interests is prepared once for all of them (see
//! [`TableInterests`]) rather than redone table by table for each.

use std::cmp::Reverse;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{AttendeeId, Event, InterestKey, Round, Table};

impl Event {
    /// Seats a present attendee in the current round, if there is one and
    /// they are not seated yet.
    pub(super) fn seat_late(&mut self, id: AttendeeId) {
        self.seat_arrivals(&[id]);
    }

    /// Seats, in order and by the rule above, those of `ids` who are
    /// present and not seated yet in the current round.
    pub(super) fn seat_arrivals(&mut self, ids: &[AttendeeId]) {
        let Some(round) = self.rounds.last() else {
            return;
        };
        let arrivals = {
            let mut seated = SeatedCheck::new(round, ids.len());
            let mut arrivals = Vec::with_capacity(ids.len());
            for &id in ids {
                if self.is_present(id) && !seated.contains(id) {
                    seated.insert(id);
                    arrivals.push(id);
                }
            }
            arrivals
        };
        if arrivals.is_empty() {
            return;
        }
        let mut interests = TableInterests::new(self, &arrivals);
        let arriving = arrivals.len();
        for id in arrivals {
            match self.best_table_for(id, &mut interests) {
                Some(i) => {
                    self.seat_at(i, id);
                    interests.seated(i, id);
                }
                None => {
                    if let Some(opened) = self.wait_for_table(id) {
                        interests.forget(opened);
                    }
                }
            }
        }
        tracing::info!(
            event = %self.code,
            round = self.rounds.last().map_or(0, |r| r.number),
            arrivals = arriving,
            waiting = self.rounds.last().map_or(0, |r| r.waiting.len()),
            "late arrivals seated (or back from a break)"
        );
    }

    /// The index of the table `id` should join, if one has room: the
    /// smallest, then fewest earlier meetings (someone back from a break
    /// should meet new people, not their last group), then most of their
    /// interests found at the table, then the lowest number.
    fn best_table_for(&self, id: AttendeeId, interests: &mut TableInterests) -> Option<usize> {
        let round = self.rounds.last()?;
        let limit = self.settings.group_size + 1;
        let avoid = self.avoid.get(&id);
        let allowed =
            |t: &Table| avoid.is_none_or(|others| !t.members.iter().any(|m| others.contains(m)));
        let has_room = |t: &Table| !t.members.is_empty() && t.members.len() < limit && allowed(t);
        // Size comes first, so only the smallest tables need scoring.
        let smallest = round
            .tables
            .iter()
            .filter(|t| has_room(t))
            .map(|t| t.members.len())
            .min()?;
        let acquainted = self.has_met_anyone(id);
        let mine = interests.keys_of(id);
        round
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| t.members.len() == smallest && has_room(t))
            .min_by_key(|&(i, t)| {
                let met: u32 = if acquainted {
                    t.members.iter().map(|&m| self.times_met(id, m)).sum()
                } else {
                    0
                };
                let shared = interests.shared(self, round, i, &mine);
                (met, Reverse(shared), t.number)
            })
            .map(|(i, _)| i)
    }

    /// Seats `id` at the current round's table `i`: only the newcomer's
    /// pairs are new meetings.
    fn seat_at(&mut self, i: usize, id: AttendeeId) {
        let Some(round) = self.rounds.last_mut().map(Arc::make_mut) else {
            return;
        };
        let Some(table) = round.tables.get_mut(i) else {
            return;
        };
        self.changes.tables.insert((round.number, table.number));
        let others = table.members.clone();
        table.members.push(id);
        for m in others {
            self.note_meeting(m, id);
        }
    }

    /// Puts `id` on the waiting list; once enough wait, they get a table
    /// (an emptied one again, else a new one), whose index is returned.
    fn wait_for_table(&mut self, id: AttendeeId) -> Option<usize> {
        let group_size = self.settings.group_size;
        let round = self.rounds.last_mut().map(Arc::make_mut)?;
        let round_no = round.number;
        self.changes.rounds.insert(round_no);
        round.waiting.push(id);
        let enough = group_size.saturating_sub(1).max(2);
        if round.waiting.len() < enough {
            return None;
        }
        // Those who wait and may sit together (in order of arrival).
        let mut members: Vec<AttendeeId> = Vec::with_capacity(round.waiting.len());
        for &w in &round.waiting {
            let clash = self
                .avoid
                .get(&w)
                .is_some_and(|others| members.iter().any(|m| others.contains(m)));
            if !clash {
                members.push(w);
            }
        }
        if members.len() < enough {
            return None;
        }
        round.waiting.retain(|w| !members.contains(w));
        // Reuse a table that emptied, else open the next number.
        let (index, number) = match round.tables.iter().position(|t| t.members.is_empty()) {
            Some(i) => {
                round.tables[i].members = members.clone();
                (i, round.tables[i].number)
            }
            None => {
                let number = round.tables.len() + 1;
                round.tables.push(Table {
                    number,
                    members: members.clone(),
                });
                (round.tables.len() - 1, number)
            }
        };
        self.changes.tables.insert((round_no, number));
        self.record_meetings(&members);
        Some(index)
    }

    /// Takes an attendee off the current round (table or waiting list) and
    /// re-seats anyone left alone at their table.
    pub(super) fn unseat(&mut self, id: AttendeeId) {
        let Some(round) = self.rounds.last_mut().map(Arc::make_mut) else {
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
        let Some(round) = self.rounds.last() else {
            return;
        };
        if !round.tables.iter().any(|t| t.members.len() == 1) {
            return;
        }
        let Some(round) = self.rounds.last_mut().map(Arc::make_mut) else {
            return;
        };
        let mut loners = Vec::new();
        for table in round.tables.iter_mut().filter(|t| t.members.len() == 1) {
            loners.extend(table.members.pop());
            self.changes.tables.insert((round.number, table.number));
        }
        self.seat_arrivals(&loners);
    }
}

/// Who already has a place in a round (at a table or waiting). One
/// arrival is checked by a scan; many by a set made once.
enum SeatedCheck<'a> {
    Scan(&'a Round, Vec<AttendeeId>),
    Set(FxHashSet<AttendeeId>),
}

impl<'a> SeatedCheck<'a> {
    fn new(round: &'a Round, arrivals: usize) -> Self {
        if arrivals <= 1 {
            return SeatedCheck::Scan(round, Vec::new());
        }
        let everyone = round.tables.iter().flat_map(|t| t.members.iter());
        SeatedCheck::Set(everyone.chain(&round.waiting).copied().collect())
    }

    fn contains(&self, id: AttendeeId) -> bool {
        match self {
            SeatedCheck::Scan(round, added) => {
                added.contains(&id)
                    || round.waiting.contains(&id)
                    || round.tables.iter().any(|t| t.members.contains(&id))
            }
            SeatedCheck::Set(set) => set.contains(&id),
        }
    }

    fn insert(&mut self, id: AttendeeId) {
        match self {
            SeatedCheck::Scan(_, added) => added.push(id),
            SeatedCheck::Set(set) => {
                set.insert(id);
            }
        }
    }
}

/// Which of the arrivals' interests someone at each table has, as bits,
/// so that "how many of my interests does this table share" is a few bit
/// tests instead of comparing every member's interests as text. Only the
/// arrivals' interests are numbered: no other can be shared.
struct TableInterests {
    /// Each arrival interest's number (its bit).
    numbers: FxHashMap<InterestKey, u32>,
    /// Each arrival's interest numbers.
    arrivals: FxHashMap<AttendeeId, Vec<u32>>,
    /// `u64` words per table: one bit per numbered interest.
    words: usize,
    /// The bits, `words` per table index, filled when first needed.
    bits: Vec<u64>,
    /// Per table index: whether its bits are filled.
    counted: Vec<bool>,
}

impl TableInterests {
    fn new(event: &Event, arrivals: &[AttendeeId]) -> Self {
        let mut numbers = FxHashMap::default();
        let mut mine = FxHashMap::default();
        for &id in arrivals {
            let Some(attendee) = event.attendee(id) else {
                continue;
            };
            let mut keys: Vec<u32> = attendee
                .interest_keys
                .iter()
                .map(|k| {
                    let next = numbers.len() as u32;
                    *numbers.entry(k.clone()).or_insert(next)
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            mine.insert(id, keys);
        }
        let tables = event.current_round().map_or(0, |r| r.tables.len());
        let words = numbers.len().div_ceil(64);
        TableInterests {
            numbers,
            arrivals: mine,
            words,
            bits: vec![0; tables * words],
            counted: vec![false; tables],
        }
    }

    fn keys_of(&self, id: AttendeeId) -> Vec<u32> {
        self.arrivals.get(&id).cloned().unwrap_or_default()
    }

    /// How many of `mine` someone at table `i` has.
    fn shared(&mut self, event: &Event, round: &Round, i: usize, mine: &[u32]) -> usize {
        if mine.is_empty() {
            return 0;
        }
        if self.counted.len() <= i {
            self.counted.resize(i + 1, false);
            self.bits.resize((i + 1) * self.words, 0);
        }
        if !self.counted[i] {
            self.counted[i] = true;
            let members = round.tables.get(i).map_or(&[][..], |t| &t.members[..]);
            for &m in members {
                let keys = event.attendee(m).map_or(&[][..], |a| &a.interest_keys[..]);
                for key in keys {
                    if let Some(&n) = self.numbers.get(key) {
                        self.set(i, n);
                    }
                }
            }
        }
        mine.iter().filter(|&&n| self.has(i, n)).count()
    }

    /// `id` now sits at table `i`: their interests count there.
    fn seated(&mut self, i: usize, id: AttendeeId) {
        if self.counted.get(i).copied().unwrap_or(false) {
            for n in self.keys_of(id) {
                self.set(i, n);
            }
        }
    }

    /// Table `i` changed wholesale: count it again when next needed.
    fn forget(&mut self, i: usize) {
        if let Some(counted) = self.counted.get_mut(i) {
            *counted = false;
            let words = &mut self.bits[i * self.words..(i + 1) * self.words];
            words.fill(0);
        }
    }

    fn set(&mut self, table: usize, n: u32) {
        let n = n as usize;
        self.bits[table * self.words + n / 64] |= 1 << (n % 64);
    }

    fn has(&self, table: usize, n: u32) -> bool {
        let n = n as usize;
        self.bits[table * self.words + n / 64] & (1 << (n % 64)) != 0
    }
}
