//! The optimiser: a start (a combinatorial design where one exists, otherwise
//! a greedy round-by-round fill), then local search over all planned rounds
//! at once until the budget runs out or nothing is left to gain.
//!
//! Two modes alternate:
//! - **Repair** while some pair meets twice (or a pair to keep apart shares
//!   a group): a tabu search in the style of Dotú & Van Hentenryck /
//!   Triska & Musliu. Try swapping every member of a group with a repeat
//!   (in a large room: of one random such group) with everyone in other
//!   groups of that round, take the best swap that is not tabu (or that
//!   beats the best plan so far), and forbid both people to move back into
//!   the group they left for a few iterations.
//! - **Polish** once the plan is repeat-free: avoid pairs who met at
//!   earlier events, improve shared interests and fairness with swaps
//!   inside a round and whole-schedule identity swaps (which keep a
//!   design's structure), accepting only moves that do not make the plan
//!   worse.
//!
//! After a long stretch without improvement the search returns to the best
//! plan and kicks it with a few random swaps.

use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rustc_hash::FxHashMap;

use super::Budget;
use super::design::design_for_sizes;
use super::state::{Problem, State, weight};

/// The engine's random source: small, fast and identical on every platform
/// for the same seed (plans must be reproducible).
pub(crate) type Rng = Xoshiro256PlusPlus;

/// What the search returns: the rounds and how many iterations it ran.
pub(crate) struct SearchResult {
    pub rounds: Vec<Vec<Vec<u32>>>,
    pub iterations: u64,
}

/// Above this many people, candidate partners are sampled rather than all
/// tried in each iteration.
const FULL_NEIGHBOURHOOD_LIMIT: usize = 160;
/// Sampled candidates per iteration in large rooms.
const SAMPLE: usize = 64;
/// Iterations a person may not return to a group they just left.
const TABU_TENURE: std::ops::Range<u64> = 5..15;

pub(crate) fn optimise(
    problem: &Problem,
    history: &[(u32, u32, u32)],
    rounds: usize,
    seed: u64,
    budget: &mut dyn Budget,
) -> SearchResult {
    let mut rng = Rng::seed_from_u64(seed);
    let state = initial(problem, history, rounds, &mut rng);
    let mut search = Search::new(problem, history, state, rng);
    search.run(budget);
    let iterations = search.iteration;
    SearchResult {
        rounds: search.best_rounds(),
        iterations,
    }
}

/// The starting plan: design rounds (with people randomly assigned to the
/// design's places) as far as they go, then greedy rounds.
fn initial<'p>(
    problem: &'p Problem,
    history: &[(u32, u32, u32)],
    rounds: usize,
    rng: &mut Rng,
) -> State<'p> {
    let mut state = State::new(problem, history);
    let designed = design_for_sizes(&problem.sizes);
    let mut place: Vec<u32> = (0..problem.n as u32).collect();
    place.shuffle(rng);
    for round in designed.into_iter().take(rounds) {
        let groups = round
            .into_iter()
            .map(|g| g.into_iter().map(|slot| place[slot as usize]).collect())
            .collect();
        state.push_round(groups);
    }
    while state.groups.len() < rounds {
        let groups = greedy_round(&state, rng);
        state.push_round(groups);
    }
    state
}

/// One round built group by group: each group starts from a random person and
/// adds whoever costs least with the members so far (fewest earlier meetings,
/// most shared interests).
fn greedy_round(state: &State, rng: &mut Rng) -> Vec<Vec<u32>> {
    let problem = state.problem;
    let mut unassigned: Vec<u32> = (0..problem.n as u32).collect();
    unassigned.shuffle(rng);
    let mut groups = Vec::with_capacity(problem.sizes.len());
    for &size in &problem.sizes {
        let Some(first) = unassigned.pop() else { break };
        let mut group = vec![first];
        let mut group_shares = false;
        while group.len() < size && !unassigned.is_empty() {
            let candidates: Vec<usize> = if unassigned.len() <= 2 * SAMPLE {
                (0..unassigned.len()).collect()
            } else {
                (0..SAMPLE)
                    .map(|_| rng.random_range(0..unassigned.len()))
                    .collect()
            };
            let mut best = (i64::MAX, 0, false);
            for idx in candidates {
                let c = unassigned[idx];
                let mut cost = 0;
                let mut shares = false;
                for &m in &group {
                    let met = i64::from(state.pairs.get(c, m));
                    cost += weight::REPEAT * met + problem.pair_cost(c, m);
                    let s = problem.sim(c, m);
                    if s > 0 {
                        shares = true;
                        cost -=
                            weight::SHARED_PAIR + weight::SHARED_EXTRA * i64::from(s.min(3) - 1);
                    }
                }
                if shares && !group_shares {
                    cost -= weight::NO_SHARE;
                }
                if cost < best.0 {
                    best = (cost, idx, shares);
                }
            }
            group_shares |= best.2;
            group.push(unassigned.swap_remove(best.1));
        }
        groups.push(group);
    }
    groups
}

/// A move: a swap inside one round, or an identity swap across all rounds.
#[derive(Clone, Copy, Debug)]
enum Move {
    InRound(usize, u32, u32),
    Identities(u32, u32),
}

struct Search<'p> {
    problem: &'p Problem,
    history: &'p [(u32, u32, u32)],
    state: State<'p>,
    rng: Rng,
    iteration: u64,
    /// Best cost seen, and its rounds (saved lazily: only when the search is
    /// about to leave a best plan, see `save_if_leaving_best`).
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
}

impl<'p> Search<'p> {
    fn new(
        problem: &'p Problem,
        history: &'p [(u32, u32, u32)],
        state: State<'p>,
        rng: Rng,
    ) -> Self {
        let best_cost = state.cost;
        let mut search = Search {
            problem,
            history,
            state,
            rng,
            iteration: 0,
            best_cost,
            best: None,
            at_best: true,
            tabu: FxHashMap::default(),
            conflicts: Vec::new(),
            repeat_free: false,
        };
        search.scan_conflicts();
        search
    }

    fn rounds(&self) -> usize {
        self.state.groups.len()
    }

    fn best_rounds(self) -> Vec<Vec<Vec<u32>>> {
        if self.at_best {
            self.state.groups
        } else {
            self.best.unwrap_or(self.state.groups)
        }
    }

    fn scan_conflicts(&mut self) {
        self.conflicts.clear();
        for r in 0..self.rounds() {
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

    fn run(&mut self, budget: &mut dyn Budget) {
        let n = self.problem.n;
        if n < 2 || self.rounds() == 0 {
            return;
        }
        // Iterations without a new best before a kick, and before giving up.
        let stall_limit = (200 + 20 * n as u64).min(20_000);
        let give_up = stall_limit * 40;
        let mut last_improvement = 0;
        let mut last_kick = 0;
        while !budget.exhausted() {
            self.iteration += 1;
            let groups = self.conflict_groups();
            if !groups.is_empty() {
                self.repair_step(&groups);
            } else if self.problem.has_interests || self.problem.has_pair_costs() {
                self.polish_step();
            } else {
                break; // repeat-free and no interests: nothing left to gain
            }
            if self.state.cost < self.best_cost {
                self.best_cost = self.state.cost;
                self.at_best = true;
                self.best = None;
                last_improvement = self.iteration;
            }
            // Polishing interests stops once it has long stopped paying; a
            // plan with repeats gets far longer (they may be unavoidable).
            let patience = if self.repeat_free {
                give_up
            } else {
                give_up * 5
            };
            if self.iteration - last_improvement > patience {
                break;
            }
            if self.iteration - last_improvement.max(last_kick) > stall_limit {
                self.kick();
                last_kick = self.iteration;
            }
        }
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
                for r in 0..self.rounds() {
                    self.note_groups_of(r, x, y);
                }
            }
        }
    }

    /// Records the groups of `x` and `y` in round `r` as conflicts if they
    /// now hold a repeat.
    fn note_groups_of(&mut self, r: usize, x: u32, y: u32) {
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
        let n = self.problem.n;
        if n <= FULL_NEIGHBOURHOOD_LIMIT {
            (0..n as u32).collect()
        } else {
            (0..SAMPLE)
                .map(|_| self.rng.random_range(0..n as u32))
                .collect()
        }
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
                    let delta = self.state.swap(r, x, y);
                    self.state.swap(r, x, y);
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

    /// One improvement step on a repeat-free plan: try moves around one
    /// person (preferably from a group with nothing in common) and take the
    /// best one that does not make the plan worse.
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
        let candidates = self.candidates();
        let mut best: Option<(i64, Move)> = None;
        for (i, &y) in candidates.iter().enumerate() {
            if y == x {
                continue;
            }
            if self.state.group_of[r][y as usize] as usize != g && !self.is_tabu(r, x, y) {
                let delta = self.state.swap(r, x, y);
                self.state.swap(r, x, y);
                if best.is_none_or(|(d, _)| delta < d) {
                    best = Some((delta, Move::InRound(r, x, y)));
                }
            }
            // Identity swaps touch every round: try them on a quarter of the
            // candidates to keep an iteration cheap.
            if i % 4 == 0 {
                let delta = self.state.swap_identities(x, y);
                self.state.swap_identities(x, y);
                if best.is_none_or(|(d, _)| delta < d) {
                    best = Some((delta, Move::Identities(x, y)));
                }
            }
        }
        if let Some((delta, mv)) = best.filter(|&(d, _)| d <= 0) {
            self.apply(mv, delta);
            if let Move::InRound(r, x, y) = mv {
                self.make_tabu(r, x, y);
            }
        }
    }

    /// Back to the best plan, then a few random swaps to leave its valley.
    fn kick(&mut self) {
        if self.at_best {
            self.best = Some(self.state.groups.clone());
        } else if let Some(best) = &self.best {
            self.state = State::rebuild(self.problem, self.history, best);
        }
        self.at_best = false;
        let kicks = 1 + self.rng.random_range(0..3);
        for _ in 0..kicks {
            let r = self.rng.random_range(0..self.rounds());
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
