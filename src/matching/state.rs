//! A schedule being optimised, with its cost kept up to date move by move.
//!
//! Local search tries hundreds of thousands of moves, so the cost of a move
//! must not require re-scoring the whole plan. Every change goes through
//! [`State::swap`], which updates the pair counts, the per-group interest
//! figures and the per-person fairness counters, and returns the change in
//! cost. Trying a move is "swap, read the delta, swap back".

use rustc_hash::FxHashMap;

use super::pairs::{PairTable, pair_key};

/// Weights of the objective, in the order of priority: repeats
/// first, then groups with nothing in common, then fairness and the amount
/// of shared material.
pub(crate) mod weight {
    /// The k-th meeting of a pair (k ≥ 2) costs `REPEAT * (k - 1)`: a third
    /// meeting costs more than a second.
    pub const REPEAT: i64 = 1_000_000;
    /// Per person, `FAIR_REPEAT * repeats²`: two repeats on one person cost
    /// more than one repeat each on two people.
    pub const FAIR_REPEAT: i64 = 0;
    /// A group whose members share no interest at all.
    pub const NO_SHARE: i64 = 50_000;
    /// Per person, `FAIR_NO_SHARE * rounds_without_shared_interest²`.
    pub const FAIR_NO_SHARE: i64 = 5_000;
    /// Reward for each pair in a group that shares at least one interest.
    pub const SHARED_PAIR: i64 = 1_000;
    /// Reward for each further shared interest of a pair (up to two more).
    pub const SHARED_EXTRA: i64 = 200;
    /// Grouping a pair who met at an earlier event, per time they met
    /// there (up to [`EARLIER_TIMES`]): avoided before interests count,
    /// but a repeat of tonight costs more.
    pub const EARLIER: i64 = 200_000;
    /// Earlier meetings beyond this count weigh no more.
    pub const EARLIER_TIMES: u32 = 3;
    /// Grouping a pair who must be kept apart: far above anything else, so
    /// the search removes it first (and `plan` checks it never survives).
    pub const APART: i64 = 1_000_000_000;
}

/// The fixed part of a planning problem: who is there, their interests and
/// the shape of every round.
#[derive(Debug)]
pub(crate) struct Problem {
    pub n: usize,
    /// Group sizes of every round, largest first (see `group_sizes`).
    pub sizes: Vec<usize>,
    /// Interest ids per person, sorted and de-duplicated.
    pub interests: Vec<Vec<u32>>,
    /// False when nobody gave an interest: the interest terms are skipped.
    pub has_interests: bool,
    /// Shared-interest counts per pair, precomputed for small rooms.
    sim: Option<Vec<u8>>,
    /// Per person, up to `SIMILAR_LIMIT` people sharing an interest with
    /// them (built with `sim`): polishing in a large room draws half its
    /// candidates from these, as they bring something in common to a group.
    similar: Vec<Vec<u32>>,
    /// A fixed cost each time particular pairs share a group: people who
    /// met at earlier events, and pairs to keep apart. Few pairs, so a map.
    pair_costs: FxHashMap<u64, i64>,
}

/// Up to this many people the shared-interest counts are precomputed.
const SIM_TABLE_LIMIT: usize = 2048;

/// Longest list of people sharing an interest kept per person (a room
/// where everyone shares "tech" would otherwise keep n² entries).
const SIMILAR_LIMIT: usize = 256;

impl Problem {
    pub fn new(sizes: Vec<usize>, interests: Vec<Vec<u32>>) -> Self {
        let n = interests.len();
        let has_interests = interests.iter().any(|i| !i.is_empty());
        let mut problem = Problem {
            n,
            sizes,
            interests,
            has_interests,
            sim: None,
            similar: Vec::new(),
            pair_costs: FxHashMap::default(),
        };
        if has_interests && n <= SIM_TABLE_LIMIT {
            let mut table = vec![0u8; n * n];
            for a in 0..n {
                for b in a + 1..n {
                    let s = shared_count(&problem.interests[a], &problem.interests[b]);
                    table[a * n + b] = s;
                    table[b * n + a] = s;
                }
            }
            problem.similar = (0..n)
                .map(|a| {
                    (0..n as u32)
                        .filter(|&b| b as usize != a && table[a * n + b as usize] > 0)
                        .take(SIMILAR_LIMIT)
                        .collect()
                })
                .collect();
            problem.sim = Some(table);
        }
        problem
    }

    /// Adds the costs of grouping pairs who met at earlier events
    /// (`(a, b, times)`) and of pairs to keep apart.
    pub fn with_pair_costs(mut self, earlier: &[(u32, u32, u32)], apart: &[(u32, u32)]) -> Self {
        for &(a, b, times) in earlier {
            let cost = weight::EARLIER * i64::from(times.min(weight::EARLIER_TIMES));
            *self.pair_costs.entry(pair_key(a, b)).or_insert(0) += cost;
        }
        for &(a, b) in apart {
            let cost = self.pair_costs.entry(pair_key(a, b)).or_insert(0);
            if *cost < weight::APART {
                *cost += weight::APART;
            }
        }
        self
    }

    /// True when some pairs cost something to group (see `with_pair_costs`).
    pub fn has_pair_costs(&self) -> bool {
        !self.pair_costs.is_empty()
    }

    /// The fixed cost of putting `a` and `b` in one group.
    #[inline]
    pub fn pair_cost(&self, a: u32, b: u32) -> i64 {
        if self.pair_costs.is_empty() {
            return 0;
        }
        self.pair_costs.get(&pair_key(a, b)).copied().unwrap_or(0)
    }

    /// True when `a` and `b` must never share a group.
    #[inline]
    pub fn is_apart(&self, a: u32, b: u32) -> bool {
        self.pair_cost(a, b) >= weight::APART
    }

    /// People sharing an interest with `a` (empty when not precomputed).
    pub fn similar(&self, a: u32) -> &[u32] {
        self.similar.get(a as usize).map_or(&[], Vec::as_slice)
    }

    /// Number of interests `a` and `b` share.
    #[inline]
    pub fn sim(&self, a: u32, b: u32) -> u8 {
        match &self.sim {
            Some(t) => t[a as usize * self.n + b as usize],
            None => shared_count(&self.interests[a as usize], &self.interests[b as usize]),
        }
    }
}

/// Size of the intersection of two sorted lists, saturating at 255.
pub(crate) fn shared_count(a: &[u32], b: &[u32]) -> u8 {
    let (mut i, mut j, mut count) = (0, 0, 0u8);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count = count.saturating_add(1);
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// Repeat units of a pair that met `m` times: the k-th meeting costs
/// k − 1, so 0, 0, 1, 3, 6, …
fn ladder(m: i64) -> i64 {
    if m <= 1 { 0 } else { (m - 1) * m / 2 }
}

/// Interest figures of one group, kept so they can be subtracted again.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GroupInfo {
    /// Pairs in the group sharing at least one interest.
    pub shared_pairs: u32,
    /// Further shared interests beyond the first, two at most per pair.
    pub extra: u32,
    /// True when no pair in the group shares anything.
    pub no_share: bool,
}

impl GroupInfo {
    fn cost(&self) -> i64 {
        let no_share = if self.no_share { weight::NO_SHARE } else { 0 };
        no_share
            - weight::SHARED_PAIR * i64::from(self.shared_pairs)
            - weight::SHARED_EXTRA * i64::from(self.extra)
    }
}

/// Scratch space for [`State::identity_delta`], kept by the caller so a
/// call allocates nothing: per person touched, the change in meetings with
/// `x`, with `y`, and in rounds without anything shared. Found through a
/// slot per person (a search of the list at each entry took a fifth of
/// polishing's time).
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// `slot[p]`: 1 + the index of `p`'s entry, 0 when none; all 0
    /// between calls.
    slot: Vec<u32>,
    entries: Vec<(u32, i64, i64, i64)>,
}

impl Tally {
    fn prepare(&mut self, n: usize) {
        if self.slot.len() < n {
            self.slot.resize(n, 0);
        }
    }

    fn bump(&mut self, p: u32, dx: i64, dy: i64, dn: i64) {
        match self.slot[p as usize] {
            0 => {
                self.entries.push((p, dx, dy, dn));
                self.slot[p as usize] = self.entries.len() as u32;
            }
            k => {
                let t = &mut self.entries[k as usize - 1];
                t.1 += dx;
                t.2 += dy;
                t.3 += dn;
            }
        }
    }

    /// The totals, clearing the slots for the next call.
    fn drain(&mut self) -> impl Iterator<Item = (u32, i64, i64, i64)> + '_ {
        for &(p, ..) in &self.entries {
            self.slot[p as usize] = 0;
        }
        self.entries.drain(..)
    }
}

/// A full schedule with its incrementally maintained cost.
#[derive(Clone)]
pub(crate) struct State<'p> {
    pub problem: &'p Problem,
    /// `groups[round][group]` lists the members.
    pub groups: Vec<Vec<Vec<u32>>>,
    /// `group_of[round][person]` is the person's group in that round.
    pub group_of: Vec<Vec<u32>>,
    /// Meetings per pair: history plus every planned round.
    pub pairs: PairTable,
    /// Per person: meetings beyond the first with anyone (history included).
    repeats: Vec<u32>,
    /// Per person: planned rounds spent in a group without a shared interest.
    no_share: Vec<u32>,
    /// `info[round][group]`, only maintained when there are interests.
    info: Vec<Vec<GroupInfo>>,
    /// The objective; lower is better. Includes constant history terms.
    pub cost: i64,
}

impl<'p> State<'p> {
    /// An empty schedule that remembers `history` (pairs and how often they met).
    pub fn new(problem: &'p Problem, history: &[(u32, u32, u32)]) -> Self {
        let mut state = State {
            problem,
            groups: Vec::new(),
            group_of: Vec::new(),
            pairs: PairTable::new(problem.n),
            repeats: vec![0; problem.n],
            no_share: vec![0; problem.n],
            info: Vec::new(),
            cost: 0,
        };
        for &(a, b, times) in history {
            for _ in 0..times.min(255) {
                state.cost += state.pair_change(a, b, 1);
            }
        }
        state
    }

    /// Appends a round (a partition of everyone into groups of `problem.sizes`).
    pub fn push_round(&mut self, groups: Vec<Vec<u32>>) {
        let r = self.groups.len();
        let mut group_of = vec![0u32; self.problem.n];
        for (g, members) in groups.iter().enumerate() {
            for &m in members {
                group_of[m as usize] = g as u32;
            }
        }
        self.group_of.push(group_of);
        self.info.push(vec![GroupInfo::default(); groups.len()]);
        let mut delta = 0;
        for members in &groups {
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    delta += self.pair_change(a, b, 1) + self.problem.pair_cost(a, b);
                }
            }
        }
        self.groups.push(groups);
        if self.problem.has_interests {
            for g in 0..self.groups[r].len() {
                delta += self.account(r, g);
            }
        }
        self.cost += delta;
    }

    /// Rebuilds a state from a saved schedule (used to return to the best).
    pub fn rebuild(
        problem: &'p Problem,
        history: &[(u32, u32, u32)],
        rounds: &[Vec<Vec<u32>>],
    ) -> Self {
        let mut state = State::new(problem, history);
        for round in rounds {
            state.push_round(round.clone());
        }
        state
    }

    /// Changes the meeting count of a pair and returns the change in cost.
    #[inline]
    fn pair_change(&mut self, a: u32, b: u32, delta: i32) -> i64 {
        let after = i64::from(self.pairs.add(a, b, delta));
        let before = after - i64::from(delta);
        let mut cost = weight::REPEAT * (ladder(after) - ladder(before));
        let excess = (after - 1).max(0) - (before - 1).max(0);
        if excess != 0 {
            for p in [a, b] {
                let r = &mut self.repeats[p as usize];
                let old = i64::from(*r);
                let new = old + excess;
                *r = new as u32;
                cost += weight::FAIR_REPEAT * (new * new - old * old);
            }
        }
        cost
    }

    /// Adds group `g` of round `r`'s interest terms; returns the cost added.
    fn account(&mut self, r: usize, g: usize) -> i64 {
        let members = &self.groups[r][g];
        let mut info = GroupInfo::default();
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let s = self.problem.sim(a, b);
                if s > 0 {
                    info.shared_pairs += 1;
                    info.extra += u32::from(s.min(3) - 1);
                }
            }
        }
        info.no_share = members.len() >= 2 && info.shared_pairs == 0;
        let mut cost = info.cost();
        if info.no_share {
            for &m in members {
                let c = &mut self.no_share[m as usize];
                let old = i64::from(*c);
                *c += 1;
                cost += weight::FAIR_NO_SHARE * (2 * old + 1);
            }
        }
        self.info[r][g] = info;
        cost
    }

    /// Removes group `g` of round `r`'s interest terms; returns the cost change.
    fn unaccount(&mut self, r: usize, g: usize) -> i64 {
        let info = self.info[r][g];
        let mut cost = -info.cost();
        if info.no_share {
            for &m in &self.groups[r][g] {
                let c = &mut self.no_share[m as usize];
                let old = i64::from(*c);
                *c -= 1;
                cost -= weight::FAIR_NO_SHARE * (2 * old - 1);
            }
        }
        cost
    }

    /// Exchanges `x` and `y` (in different groups) in round `r`; returns the
    /// change in cost. Calling it again undoes it exactly.
    pub fn swap(&mut self, r: usize, x: u32, y: u32) -> i64 {
        let ga = self.group_of[r][x as usize] as usize;
        let gb = self.group_of[r][y as usize] as usize;
        debug_assert_ne!(ga, gb);
        let interests = self.problem.has_interests;
        let mut delta = 0;
        if interests {
            delta += self.unaccount(r, ga) + self.unaccount(r, gb);
        }
        for k in 0..self.groups[r][ga].len() {
            let a = self.groups[r][ga][k];
            if a == x {
                self.groups[r][ga][k] = y;
            } else {
                delta += self.pair_change(x, a, -1) + self.pair_change(y, a, 1);
                delta += self.problem.pair_cost(y, a) - self.problem.pair_cost(x, a);
            }
        }
        for k in 0..self.groups[r][gb].len() {
            let b = self.groups[r][gb][k];
            if b == y {
                self.groups[r][gb][k] = x;
            } else {
                delta += self.pair_change(y, b, -1) + self.pair_change(x, b, 1);
                delta += self.problem.pair_cost(x, b) - self.problem.pair_cost(y, b);
            }
        }
        self.group_of[r][x as usize] = gb as u32;
        self.group_of[r][y as usize] = ga as u32;
        if interests {
            delta += self.account(r, ga) + self.account(r, gb);
        }
        self.cost += delta;
        delta
    }

    /// The change in cost [`State::swap`]`(r, x, y)` would make, without
    /// making it. The search reads thousands of these per step; a swap and
    /// its undo do twice the work and write the pair table both times
    /// (with interests, 90% of a polishing run went there). A unit test
    /// checks it against `swap` on random moves.
    pub fn swap_delta(&self, r: usize, x: u32, y: u32) -> i64 {
        // Fairness of repeats is weighted 0, so a pair's change is its own.
        const _: () = assert!(weight::FAIR_REPEAT == 0, "swap_delta omits FAIR_REPEAT");
        let ga = self.group_of[r][x as usize] as usize;
        let gb = self.group_of[r][y as usize] as usize;
        // `out` leaves `a`'s group, `into` joins it.
        let moved = |out: u32, into: u32, a: u32| -> i64 {
            let c_out = i64::from(self.pairs.get(out, a));
            let c_in = i64::from(self.pairs.get(into, a));
            let repeats = ladder((c_out - 1).max(0)) - ladder(c_out) + ladder((c_in + 1).min(255))
                - ladder(c_in);
            weight::REPEAT * repeats + self.problem.pair_cost(into, a)
                - self.problem.pair_cost(out, a)
        };
        let mut delta = 0;
        for &a in &self.groups[r][ga] {
            if a != x {
                delta += moved(x, y, a);
            }
        }
        for &b in &self.groups[r][gb] {
            if b != y {
                delta += moved(y, x, b);
            }
        }
        if self.problem.has_interests {
            let (na, nb) = (self.info[r][ga].no_share, self.info[r][gb].no_share);
            delta += self.regroup_delta(r, ga, x, y, nb) + self.regroup_delta(r, gb, y, x, na);
        }
        delta
    }

    /// The interest terms' change when `into` takes `out`'s place in group
    /// `g` of round `r` (`into` comes from a group whose `no_share` flag is
    /// `from_no_share`), as `swap`'s unaccount and account make it.
    fn regroup_delta(&self, r: usize, g: usize, out: u32, into: u32, from_no_share: bool) -> i64 {
        let old = self.info[r][g];
        let members = &self.groups[r][g];
        let mut cost = -old.cost();
        if old.no_share {
            for &m in members {
                cost -= weight::FAIR_NO_SHARE * (2 * i64::from(self.no_share[m as usize]) - 1);
            }
        }
        let info = self.info_with(r, g, out, into);
        cost += info.cost();
        if info.no_share {
            for &m in members {
                let m = if m == out { into } else { m };
                let was_counted = if m == into {
                    from_no_share
                } else {
                    old.no_share
                };
                let count = i64::from(self.no_share[m as usize]) - i64::from(was_counted);
                cost += weight::FAIR_NO_SHARE * (2 * count + 1);
            }
        }
        cost
    }

    /// Group `g` of round `r`'s interest figures with `into` in `out`'s place.
    fn info_with(&self, r: usize, g: usize, out: u32, into: u32) -> GroupInfo {
        let members = &self.groups[r][g];
        let member = |i: usize| {
            let m = members[i];
            if m == out { into } else { m }
        };
        let mut info = GroupInfo::default();
        for i in 0..members.len() {
            for j in i + 1..members.len() {
                let s = self.problem.sim(member(i), member(j));
                if s > 0 {
                    info.shared_pairs += 1;
                    info.extra += u32::from(s.min(3) - 1);
                }
            }
        }
        info.no_share = members.len() >= 2 && info.shared_pairs == 0;
        info
    }

    /// The change in cost [`State::swap_identities`]`(x, y)` would make,
    /// without making it: each term of the cost is a sum over pairs,
    /// groups or people, so the rounds' changes add up (a pair's meetings
    /// and a person's rounds without anything shared are totalled first,
    /// then priced once). Polishing tries one of these for every fourth
    /// candidate; doing and undoing them took three quarters of its time.
    /// A unit test checks it against `swap_identities`.
    pub fn identity_delta(&self, x: u32, y: u32, tally: &mut Tally) -> i64 {
        const _: () = assert!(weight::FAIR_REPEAT == 0, "identity_delta omits FAIR_REPEAT");
        tally.prepare(self.problem.n);
        let pc = |a: u32, b: u32| self.problem.pair_cost(a, b);
        let mut delta = 0;
        for r in 0..self.groups.len() {
            let ga = self.group_of[r][x as usize] as usize;
            let gb = self.group_of[r][y as usize] as usize;
            if ga == gb {
                continue;
            }
            let (ca, cb) = if self.problem.has_interests {
                let (oa, ob) = (self.info[r][ga], self.info[r][gb]);
                let (na, nb) = (self.info_with(r, ga, x, y), self.info_with(r, gb, y, x));
                delta += na.cost() - oa.cost() + nb.cost() - ob.cost();
                let flag = |b: bool| i64::from(b);
                tally.bump(x, 0, 0, flag(nb.no_share) - flag(oa.no_share));
                tally.bump(y, 0, 0, flag(na.no_share) - flag(ob.no_share));
                (
                    flag(na.no_share) - flag(oa.no_share),
                    flag(nb.no_share) - flag(ob.no_share),
                )
            } else {
                (0, 0)
            };
            for &a in &self.groups[r][ga] {
                if a != x {
                    tally.bump(a, -1, 1, ca);
                    delta += pc(y, a) - pc(x, a);
                }
            }
            for &b in &self.groups[r][gb] {
                if b != y {
                    tally.bump(b, 1, -1, cb);
                    delta += pc(x, b) - pc(y, b);
                }
            }
        }
        for (p, dx, dy, dn) in tally.drain() {
            for (q, d) in [(x, dx), (y, dy)] {
                if d != 0 {
                    let c = i64::from(self.pairs.get(q, p));
                    delta += weight::REPEAT * (ladder(c + d) - ladder(c));
                }
            }
            if dn != 0 {
                let c = i64::from(self.no_share[p as usize]);
                delta += weight::FAIR_NO_SHARE * ((c + dn) * (c + dn) - c * c);
            }
        }
        delta
    }

    /// Exchanges the places of `x` and `y` in every round: the schedule's
    /// structure (and so its repeat-freeness) is unchanged, only who sits
    /// where. Calling it again undoes it exactly.
    pub fn swap_identities(&mut self, x: u32, y: u32) -> i64 {
        let mut delta = 0;
        for r in 0..self.groups.len() {
            if self.group_of[r][x as usize] != self.group_of[r][y as usize] {
                delta += self.swap(r, x, y);
            }
        }
        delta
    }

    /// True when `a` and `b` conflict: they meet more than once, or must
    /// be kept apart.
    #[inline]
    pub fn conflicting(&self, a: u32, b: u32) -> bool {
        self.pairs.get(a, b) >= 2 || self.problem.is_apart(a, b)
    }

    /// True when some pair in group `g` of round `r` conflicts (see
    /// [`State::conflicting`]).
    pub fn group_has_conflict(&self, r: usize, g: usize) -> bool {
        let members = &self.groups[r][g];
        members
            .iter()
            .enumerate()
            .any(|(i, &a)| members[i + 1..].iter().any(|&b| self.conflicting(a, b)))
    }

    /// True when group `g` of round `r` has no shared interest (and interests
    /// are in play at all).
    pub fn group_has_no_share(&self, r: usize, g: usize) -> bool {
        self.problem.has_interests && self.info[r][g].no_share
    }

    /// True when group `g` of round `r` could do better: nothing in common,
    /// or a pair who met at an earlier event.
    pub fn group_needs_work(&self, r: usize, g: usize) -> bool {
        if self.group_has_no_share(r, g) {
            return true;
        }
        if !self.problem.has_pair_costs() {
            return false;
        }
        let members = &self.groups[r][g];
        members.iter().enumerate().any(|(i, &a)| {
            members[i + 1..]
                .iter()
                .any(|&b| self.problem.pair_cost(a, b) > 0)
        })
    }

    /// The cost recomputed from scratch; for tests of the incremental updates.
    #[cfg(test)]
    pub fn recomputed_cost(&self, history: &[(u32, u32, u32)]) -> i64 {
        State::rebuild(self.problem, history, &self.groups).cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Problem {
        // 8 people in two groups of 4; people 0-3 like chess, 4-7 like jazz.
        let interests = (0..8).map(|i| vec![if i < 4 { 0 } else { 1 }]).collect();
        Problem::new(vec![4, 4], interests)
    }

    #[test]
    fn read_only_deltas_are_what_the_swaps_make() {
        use rand::{RngExt, SeedableRng};
        // 24 people in groups of 4 over 5 rounds, interests from a small
        // pool (so groups with and without something shared), a history
        // with repeats, and pairs with fixed costs.
        let interests: Vec<Vec<u32>> = (0..24u32).map(|i| vec![i % 5, (i * 7) % 9 + 5]).collect();
        let earlier = [(0, 1, 2), (2, 9, 1)];
        let apart = [(3, 4)];
        let problem = Problem::new(vec![4; 6], interests).with_pair_costs(&earlier, &apart);
        let history = vec![(0, 5, 1), (1, 6, 2)];
        let mut state = State::new(&problem, &history);
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(3);
        let mut tally = Tally::default();
        for _ in 0..5 {
            let mut people: Vec<u32> = (0..24).collect();
            rand::seq::SliceRandom::shuffle(&mut people[..], &mut rng);
            state.push_round(people.chunks(4).map(<[u32]>::to_vec).collect());
        }
        for _ in 0..2_000 {
            let r = rng.random_range(0..5);
            let x = rng.random_range(0..24u32);
            let y = rng.random_range(0..24u32);
            if state.group_of[r][x as usize] == state.group_of[r][y as usize] {
                continue;
            }
            let predicted = state.swap_delta(r, x, y);
            let made = state.swap(r, x, y);
            assert_eq!(predicted, made, "round {r}: {x} ↔ {y}");
            if x != y {
                let predicted = state.identity_delta(x, y, &mut tally);
                let made = state.swap_identities(x, y);
                assert_eq!(predicted, made, "every round: {x} ↔ {y}");
            }
        }
        assert_eq!(state.cost, state.recomputed_cost(&history));
    }

    #[test]
    fn swaps_keep_the_cost_equal_to_a_recount() {
        let p = problem();
        let history = [(0, 4, 1), (1, 5, 2)];
        let mut s = State::new(&p, &history);
        s.push_round(vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]]);
        s.push_round(vec![vec![0, 1, 4, 5], vec![2, 3, 6, 7]]);
        assert_eq!(s.cost, s.recomputed_cost(&history));
        for (r, x, y) in [(0, 0, 4), (1, 2, 5), (1, 0, 7), (0, 3, 6)] {
            let before = s.cost;
            let d = s.swap(r, x, y);
            assert_eq!(s.cost, before + d);
            assert_eq!(s.cost, s.recomputed_cost(&history));
        }
        let before = s.cost;
        let d = s.swap_identities(1, 6);
        assert_eq!(s.cost, s.recomputed_cost(&history));
        assert_eq!(s.swap_identities(1, 6), -d);
        assert_eq!(s.cost, before);
    }

    #[test]
    fn repeats_and_unshared_groups_cost_more() {
        let p = problem();
        let mut s = State::new(&p, &[]);
        s.push_round(vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]]);
        let good = s.cost;
        // Mixing chess and jazz players breaks no rule but loses shared pairs.
        let d = s.swap(0, 0, 4);
        assert!(d > 0);
        s.swap(0, 0, 4);
        assert_eq!(s.cost, good);
        // The same round twice: every pair repeats.
        s.push_round(vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]]);
        assert!(s.cost - 2 * good >= 12 * weight::REPEAT);
        assert!(s.group_has_conflict(1, 0));
    }
}
