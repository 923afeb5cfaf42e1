//! The local search over a schedule: the moves, and the two ways of using
//! them (the phases that call these live in `phases.rs`).
//!
//! - **Repair** while some pair meets twice (or a pair to keep apart shares
//!   a group): a tabu search in the style of Dotú & Van Hentenryck
//!   ("Scheduling social golfers locally", CPAIOR 2005) and Triska & Musliu
//!   (Ann. Oper. Res. 194, 2012). Try swapping every member of a group with
//!   a repeat (in a large room: of one random such group) with everyone in
//!   other groups of that round, take the best swap that is not tabu (or
//!   that beats the best plan so far), and forbid both people to move back
//!   into the group they left for a few iterations. After a stretch without
//!   a new best the search returns to the best plan and kicks it with a few
//!   random swaps (the restarts of Dotú & Van Hentenryck).
//! - **Polish** a repeat-free plan: avoid pairs who met at earlier events,
//!   improve shared interests and fairness with swaps inside a round and
//!   whole-schedule identity swaps (which keep a design's structure),
//!   accepting only moves that do not make the plan worse and never one
//!   that spoils the secured repeat-free rounds.
//!
//! Rounds before `frozen` are never changed by a swap inside a round while
//! repairing: they are the repeat-free run already secured.

use rand::RngExt;
use rustc_hash::FxHashMap;

use super::Budget;
use super::patience::{Patience, kick_every, stall_limit};
use super::state::{Problem, State, Tally};

/// The engine's random source: small, fast and identical on every platform
/// for the same seed (plans must be reproducible).
pub(crate) type Rng = rand::rngs::Xoshiro256PlusPlus;

/// Above this many people, candidate partners are sampled rather than all
/// tried in each iteration.
pub(crate) const FULL_NEIGHBOURHOOD_LIMIT: usize = 160;
/// Sampled candidates per iteration in large rooms.
const SAMPLE: usize = 64;
/// Sampled candidates per polishing iteration in large rooms (see
/// `Search::polish_candidates`). A trade: on six rooms of 180 to 1,000
/// people, 64 ends about 1% higher (99.6% of the best seen against 98.5%)
/// but is done 1.3–2.2 times later (316 ms against 187 ms for the
/// benchmark's 300); 24 is no faster on the larger rooms.
const POLISH_SAMPLE: usize = 32;
/// Most conflicting groups tried in one repair iteration.
const REPAIR_GROUPS: usize = 6;
/// Iterations a person may not return to a group they just left.
const TABU_TENURE: std::ops::Range<u64> = 5..15;

/// How a repair ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repair {
    /// No conflict is left in the rounds being repaired.
    Clean,
    /// No new best within the patience: the best plan seen is restored.
    Stalled,
    /// The budget ran out: the best plan seen is restored.
    OutOfBudget,
}

/// A move: a swap inside one round, or an identity swap across all rounds.
#[derive(Clone, Copy, Debug)]
enum Move {
    InRound(usize, u32, u32),
    Identities(u32, u32),
}

pub(crate) struct Search<'p> {
    problem: &'p Problem,
    history: &'p [(u32, u32, u32)],
    pub state: State<'p>,
    pub rng: Rng,
    /// Iterations used so far (each one asked the budget first).
    pub iteration: u64,
    /// True once the budget said stop: every later phase returns at once.
    pub out_of_budget: bool,
    /// Rounds before this one are not touched by repair or kicks.
    pub frozen: usize,
    /// Rounds before this one must stay repeat-free while polishing.
    pub prefix: usize,
    /// Best cost seen in the current phase, and its rounds (saved lazily:
    /// only when the search is about to leave a best plan).
    best_cost: i64,
    best: Option<Vec<Vec<Vec<u32>>>>,
    at_best: bool,
    /// `(round, person, group)` → the iteration until which the person may
    /// not move back into that group of that round.
    tabu: FxHashMap<(u32, u32, u32), u64>,
    /// Groups `(round, group)` that may hold a repeated pair; verified lazily.
    conflicts: Vec<(usize, usize)>,
    /// True after a full scan found no repeat and no move has made one since.
    repeat_free: bool,
    /// Scratch space for pricing identity swaps.
    tally: Tally,
}

impl<'p> Search<'p> {
    pub fn new(
        problem: &'p Problem,
        history: &'p [(u32, u32, u32)],
        state: State<'p>,
        rng: Rng,
    ) -> Self {
        let best_cost = state.cost;
        Search {
            problem,
            history,
            state,
            rng,
            iteration: 0,
            out_of_budget: false,
            frozen: 0,
            prefix: 0,
            best_cost,
            best: None,
            at_best: true,
            tabu: FxHashMap::default(),
            conflicts: Vec::new(),
            repeat_free: false,
            tally: Tally::default(),
        }
    }

    /// Tonight's earlier meetings, `(a, b, times)`.
    pub fn history(&self) -> &'p [(u32, u32, u32)] {
        self.history
    }

    pub fn rounds(&self) -> usize {
        self.state.groups.len()
    }

    /// Replaces the schedule (e.g. to drop a round that could not be made
    /// repeat-free); the phase's best restarts from it.
    pub fn reset_to(&mut self, rounds: &[Vec<Vec<u32>>]) {
        self.state = State::rebuild(self.problem, self.history, rounds);
        self.start_phase();
    }

    /// Forgets the previous phase's best and tabu list.
    fn start_phase(&mut self) {
        self.best_cost = self.state.cost;
        self.best = None;
        self.at_best = true;
        self.tabu.clear();
        self.scan_conflicts();
    }

    /// Asks the budget for one more iteration.
    fn tick(&mut self, budget: &mut dyn Budget) -> bool {
        if self.out_of_budget || budget.exhausted() {
            self.out_of_budget = true;
            return false;
        }
        self.iteration += 1;
        true
    }

    /// Notes a new best plan of this phase; true if the cost improved.
    fn note_best(&mut self) -> bool {
        if self.state.cost < self.best_cost {
            self.best_cost = self.state.cost;
            self.at_best = true;
            self.best = None;
            return true;
        }
        false
    }

    /// Returns to the best plan of this phase.
    fn restore_best(&mut self) {
        if !self.at_best
            && let Some(best) = self.best.take()
        {
            self.state = State::rebuild(self.problem, self.history, &best);
        }
        self.at_best = true;
        self.scan_conflicts();
    }

    fn scan_conflicts(&mut self) {
        self.conflicts.clear();
        for r in self.frozen..self.rounds() {
            for g in 0..self.state.groups[r].len() {
                if self.state.group_has_conflict(r, g) {
                    self.conflicts.push((r, g));
                }
            }
        }
        self.repeat_free = self.conflicts.is_empty();
    }

    /// A random group that still holds a repeated pair, if any.
    fn pick_conflict(&mut self) -> Option<(usize, usize)> {
        while !self.conflicts.is_empty() {
            let i = self.rng.random_range(0..self.conflicts.len());
            let (r, g) = self.conflicts[i];
            if self.state.group_has_conflict(r, g) {
                return Some((r, g));
            }
            self.conflicts.swap_remove(i);
        }
        if !self.repeat_free {
            self.scan_conflicts();
            if let Some(&c) = self.conflicts.first() {
                return Some(c);
            }
        }
        None
    }

    /// Tabu search on the rounds from `frozen` on until none holds a
    /// conflict, `patience` iterations pass without a new best, or the
    /// budget ends. On anything but `Clean` the best plan seen is restored.
    pub fn repair(&mut self, budget: &mut dyn Budget, patience: u64) -> Repair {
        self.start_phase();
        let stall_limit = stall_limit(self.problem);
        let (mut last_improvement, mut last_kick) = (self.iteration, self.iteration);
        loop {
            let groups = self.conflict_groups();
            if groups.is_empty() {
                return Repair::Clean;
            }
            if !self.tick(budget) {
                self.restore_best();
                return if self.conflict_groups().is_empty() {
                    Repair::Clean
                } else {
                    Repair::OutOfBudget
                };
            }
            self.repair_step(&groups);
            if self.note_best() {
                last_improvement = self.iteration;
            }
            if self.iteration - last_improvement > patience {
                self.restore_best();
                return Repair::Stalled;
            }
            if self.iteration - last_improvement.max(last_kick) > stall_limit {
                self.kick();
                last_kick = self.iteration;
            }
        }
    }

    /// Improves a plan whose first `prefix` rounds are repeat-free until it
    /// has converged (true; see [`Patience`]) or the budget ends (false).
    /// After a stretch without a gain it returns to the best plan and
    /// perturbs it with a few random identity swaps (which keep every
    /// round's structure). The best plan seen is kept.
    pub fn polish(&mut self, budget: &mut dyn Budget, patience: Option<Patience>) -> bool {
        self.start_phase();
        let kick_every = kick_every(self.problem);
        let (mut last_improvement, mut last_kick) = (self.iteration, self.iteration);
        let mut longest_gap = 0;
        let converged = loop {
            if !self.tick(budget) {
                break false;
            }
            self.polish_step();
            if self.note_best() {
                longest_gap = longest_gap.max(self.iteration - last_improvement);
                last_improvement = self.iteration;
            }
            if let Some(patience) = patience
                && self.iteration - last_improvement > patience.now(longest_gap)
            {
                break true;
            }
            if self.iteration - last_improvement.max(last_kick) > kick_every {
                self.perturb();
                last_kick = self.iteration;
            }
        };
        self.restore_best();
        converged
    }

    /// Back to the best plan, then two or three random identity swaps that
    /// keep the secured rounds repeat-free.
    fn perturb(&mut self) {
        if self.at_best {
            self.best = Some(self.state.groups.clone());
        } else if let Some(best) = &self.best {
            self.state = State::rebuild(self.problem, self.history, best);
        }
        self.at_best = false;
        let n = self.problem.n as u32;
        for _ in 0..2 + self.rng.random_range(0..2) {
            let (x, y) = (self.rng.random_range(0..n), self.rng.random_range(0..n));
            if x == y {
                continue;
            }
            self.state.swap_identities(x, y);
            if !self.prefix_intact(0..self.prefix, x, y) {
                self.state.swap_identities(x, y);
            }
        }
        self.tabu.clear();
    }

    /// The rounds as they stand (the best of the last phase).
    pub fn into_rounds(self) -> Vec<Vec<Vec<u32>>> {
        self.state.groups
    }

    /// Applies a move, saving the best plan first if this leaves it.
    fn apply(&mut self, mv: Move, delta: i64) {
        if self.at_best && delta > 0 {
            self.best = Some(self.state.groups.clone());
            self.at_best = false;
        }
        match mv {
            Move::InRound(r, x, y) => {
                self.state.swap(r, x, y);
                self.note_groups_of(r, x, y);
            }
            Move::Identities(x, y) => {
                self.state.swap_identities(x, y);
                for r in self.frozen..self.rounds() {
                    self.note_groups_of(r, x, y);
                }
            }
        }
    }

    /// Records the groups of `x` and `y` in round `r` as conflicts if they
    /// now hold a repeat.
    fn note_groups_of(&mut self, r: usize, x: u32, y: u32) {
        if r < self.frozen {
            return;
        }
        for p in [x, y] {
            let g = self.state.group_of[r][p as usize] as usize;
            if self.state.group_has_conflict(r, g) {
                self.conflicts.push((r, g));
                self.repeat_free = false;
            }
        }
    }

    /// People of round `r` to try swapping with: everyone in a small room,
    /// a random sample in a large one.
    fn candidates(&mut self) -> Vec<u32> {
        self.sample(SAMPLE)
    }

    /// Everyone in a small room, else `size` people at random.
    fn sample(&mut self, size: usize) -> Vec<u32> {
        let n = self.problem.n;
        if n <= FULL_NEIGHBOURHOOD_LIMIT {
            (0..n as u32).collect()
        } else {
            (0..size)
                .map(|_| self.rng.random_range(0..n as u32))
                .collect()
        }
    }

    /// Polishing's candidates for moving `x` out of group `g` of round `r`:
    /// in a large room, every other one is someone sharing an interest with
    /// one of `x`'s groupmates (who would bring something in common), the
    /// rest at random (identity swaps, tried on every fourth, stay random).
    /// In 300 people of 12 communities a random candidate shares nothing
    /// with the group eleven times in twelve.
    fn polish_candidates(&mut self, r: usize, g: usize, x: u32) -> Vec<u32> {
        let mut out = self.sample(POLISH_SAMPLE);
        if self.problem.n <= FULL_NEIGHBOURHOOD_LIMIT {
            return out;
        }
        let members = &self.state.groups[r][g];
        for slot in out.iter_mut().skip(1).step_by(2) {
            let m = members[self.rng.random_range(0..members.len())];
            let similar = self.problem.similar(m);
            if m != x && !similar.is_empty() {
                *slot = similar[self.rng.random_range(0..similar.len())];
            }
        }
        out
    }

    /// True when swapping `x` and `y` in round `r` would move either back
    /// into a group it recently left.
    fn is_tabu(&self, r: usize, x: u32, y: u32) -> bool {
        let gx = self.state.group_of[r][x as usize];
        let gy = self.state.group_of[r][y as usize];
        [(x, gy), (y, gx)].into_iter().any(|(p, g)| {
            self.tabu
                .get(&(r as u32, p, g))
                .is_some_and(|&until| until > self.iteration)
        })
    }

    /// Forbids `x` and `y` (just swapped in round `r`) to return for a while.
    fn make_tabu(&mut self, r: usize, x: u32, y: u32) {
        let tenure = self.rng.random_range(TABU_TENURE);
        let until = self.iteration + tenure;
        // After the swap, x sits in y's old group and vice versa.
        let gx = self.state.group_of[r][x as usize];
        let gy = self.state.group_of[r][y as usize];
        self.tabu.insert((r as u32, x, gy), until);
        self.tabu.insert((r as u32, y, gx), until);
        if self.tabu.len() > 100_000 {
            let now = self.iteration;
            self.tabu.retain(|_, until| *until > now);
        }
    }

    /// The groups to repair this iteration: in a small room every group
    /// that holds a repeat (a full scan is cheap, and a swap can also create
    /// a repeat in another round's group, which only a scan sees); in a large
    /// room one random group from the conflict list. Empty when repeat-free.
    fn conflict_groups(&mut self) -> Vec<(usize, usize)> {
        if self.problem.n <= FULL_NEIGHBOURHOOD_LIMIT {
            self.scan_conflicts();
            self.conflicts.clone()
        } else {
            self.pick_conflict().into_iter().collect()
        }
    }

    /// One tabu step over the given groups, which hold repeats: the best swap
    /// of a conflicting member with someone in another group of that round.
    fn repair_step(&mut self, groups: &[(usize, usize)]) {
        // Many conflicting groups (a fresh greedy round): a few of them at
        // random, so an iteration stays cheap.
        let sampled: Vec<(usize, usize)>;
        let groups = if groups.len() > REPAIR_GROUPS {
            sampled = (0..REPAIR_GROUPS)
                .map(|_| groups[self.rng.random_range(0..groups.len())])
                .collect();
            &sampled[..]
        } else {
            groups
        };
        let candidates = self.candidates();
        let mut best: Option<(i64, Move)> = None;
        let mut ties = 0u32;
        for &(r, g) in groups {
            let members = self.state.groups[r][g].clone();
            let conflicted: Vec<u32> = members
                .iter()
                .copied()
                .filter(|&a| {
                    members
                        .iter()
                        .any(|&b| a != b && self.state.conflicting(a, b))
                })
                .collect();
            for x in conflicted {
                for &y in &candidates {
                    if self.state.group_of[r][y as usize] as usize == g {
                        continue;
                    }
                    let delta = self.state.swap_delta(r, x, y);
                    let aspires = self.state.cost + delta < self.best_cost;
                    if self.is_tabu(r, x, y) && !aspires {
                        continue;
                    }
                    match best {
                        Some((d, _)) if delta > d => {}
                        Some((d, _)) if delta == d => {
                            ties += 1;
                            if self.rng.random_range(0..ties) == 0 {
                                best = Some((delta, Move::InRound(r, x, y)));
                            }
                        }
                        _ => {
                            ties = 1;
                            best = Some((delta, Move::InRound(r, x, y)));
                        }
                    }
                }
            }
        }
        if let Some((delta, mv @ Move::InRound(r, x, y))) = best {
            self.apply(mv, delta);
            self.make_tabu(r, x, y);
        }
    }

    /// True when the groups of `x` and `y` in the secured rounds hold no
    /// conflict (checked after a move, before keeping it).
    fn prefix_intact(&self, rounds: std::ops::Range<usize>, x: u32, y: u32) -> bool {
        rounds.into_iter().all(|r| {
            [x, y].into_iter().all(|p| {
                let g = self.state.group_of[r][p as usize] as usize;
                !self.state.group_has_conflict(r, g)
            })
        })
    }

    /// One improvement step on a repeat-free plan: try moves around one
    /// person (preferably from a group with nothing in common) and take the
    /// best one that does not make the plan worse nor spoils a secured round.
    fn polish_step(&mut self) {
        let r = self.rng.random_range(0..self.rounds());
        let groups = self.state.groups[r].len();
        let mut g = self.rng.random_range(0..groups);
        for _ in 0..8 {
            if self.state.group_needs_work(r, g) {
                break;
            }
            g = self.rng.random_range(0..groups);
        }
        let members = &self.state.groups[r][g];
        let x = members[self.rng.random_range(0..members.len())];
        let candidates = self.polish_candidates(r, g, x);
        let mut moves: Vec<(i64, Move)> = Vec::new();
        for (i, &y) in candidates.iter().enumerate() {
            if y == x {
                continue;
            }
            if self.state.group_of[r][y as usize] as usize != g && !self.is_tabu(r, x, y) {
                let delta = self.state.swap_delta(r, x, y);
                if delta <= 0 {
                    moves.push((delta, Move::InRound(r, x, y)));
                }
            }
            // Identity swaps touch every round: try them on a quarter of the
            // candidates to keep an iteration cheap.
            if i % 4 == 0 {
                let delta = self.state.identity_delta(x, y, &mut self.tally);
                if delta <= 0 {
                    moves.push((delta, Move::Identities(x, y)));
                }
            }
        }
        moves.sort_by_key(|&(d, _)| d);
        // The best move that keeps the secured rounds repeat-free (a move
        // may trade a repeat in a later round for one among them).
        for (delta, mv) in moves.into_iter().take(4) {
            match mv {
                Move::InRound(r, x, y) => {
                    self.state.swap(r, x, y);
                    if r >= self.prefix || self.prefix_intact(r..r + 1, x, y) {
                        self.state.swap(r, x, y);
                        self.apply(mv, delta);
                        self.make_tabu(r, x, y);
                        return;
                    }
                    self.state.swap(r, x, y);
                }
                Move::Identities(x, y) => {
                    self.state.swap_identities(x, y);
                    let intact = self.prefix_intact(0..self.prefix, x, y);
                    self.state.swap_identities(x, y);
                    if intact {
                        self.apply(mv, delta);
                        return;
                    }
                }
            }
        }
    }

    /// Back to the best plan, then a few random swaps in the rounds being
    /// repaired to leave its valley.
    fn kick(&mut self) {
        if self.at_best {
            self.best = Some(self.state.groups.clone());
        } else if let Some(best) = &self.best {
            self.state = State::rebuild(self.problem, self.history, best);
        }
        self.at_best = false;
        let kicks = 1 + self.rng.random_range(0..3);
        for _ in 0..kicks {
            let r = self.rng.random_range(self.frozen..self.rounds());
            let x = self.rng.random_range(0..self.problem.n as u32);
            let y = self.rng.random_range(0..self.problem.n as u32);
            if self.state.group_of[r][x as usize] != self.state.group_of[r][y as usize] {
                self.state.swap(r, x, y);
            }
        }
        self.tabu.clear();
        self.scan_conflicts();
    }
}
