//! The matching engine: splits everyone present into small groups, round
//! after round, so each person meets as many new people as possible around
//! shared interests.
//!
//! It is pure: no I/O and no clock. Randomness comes from the request's seed,
//! and the caller decides when to stop through a [`Budget`] (the command line
//! and the server pass a wall-clock deadline, tests pass an iteration count),
//! so the same request, seed and iteration budget always give the same plan.
//!
//! ```
//! use icebreaker::matching::{plan, IterationBudget, PlanRequest};
//! let request = PlanRequest::anonymous(16, 4, 5, 7);
//! let plan = plan(&request, &mut IterationBudget::new(100_000)).unwrap();
//! assert_eq!(plan.rounds.len(), 5);
//! assert_eq!(plan.stats.repeat_pairs, 0); // the affine plane of order 4
//! ```

mod apart;
mod design;
mod known;
mod pairs;
mod patience;
mod phases;
mod search;
mod sizes;
mod start;
mod state;
mod stats;

use rustc_hash::FxHashMap;

use crate::domain::normalize_interest;
pub use design::{
    ExactSearch, Shape, Starter, Symmetry, bank_line, design, design_upto, find_starter,
    find_starter_exact,
};
pub use known::{Known, best_known, counting_bound};
pub use sizes::group_sizes;
pub use stats::PlanStats;

/// Most rounds one request may plan. Pair counts are kept in a byte, and no
/// real event rotates more often than this.
pub const MAX_ROUNDS: usize = 100;
/// Past meetings of one pair beyond this count weigh no more.
const MAX_HISTORY_TIMES: u32 = 100;

/// Decides when the search stops. Checked once per iteration.
pub trait Budget {
    /// True when the search must stop and return the best plan found.
    fn exhausted(&mut self) -> bool;

    /// False to make the engine search until the budget ends even once
    /// the plan is done (a benchmark's reference run); true by default:
    /// a finished plan returns at once.
    fn stop_when_done(&self) -> bool {
        true
    }
}

/// A budget of search iterations: deterministic, for tests and reproducible
/// plans.
#[derive(Debug, Clone)]
pub struct IterationBudget {
    remaining: u64,
}

impl IterationBudget {
    pub fn new(iterations: u64) -> Self {
        IterationBudget {
            remaining: iterations,
        }
    }
}

impl Budget for IterationBudget {
    fn exhausted(&mut self) -> bool {
        if self.remaining == 0 {
            return true;
        }
        self.remaining -= 1;
        false
    }
}

/// Two attendees who have already met, and how many times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastMeeting {
    pub a: usize,
    pub b: usize,
    pub times: u32,
}

/// What to plan. Attendees are numbered by their position in `interests`;
/// the caller maps its own ids to these numbers.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    /// Each attendee's interests as typed; normalised here.
    pub interests: Vec<Vec<String>>,
    /// Target group size (≥ 2); actual sizes follow [`group_sizes`].
    pub group_size: usize,
    /// Rounds to plan (1 to [`MAX_ROUNDS`]).
    pub rounds: usize,
    /// Who already met whom (earlier rounds of this event).
    pub history: Vec<PastMeeting>,
    /// Who met whom at earlier events: avoided too, but weighted less than
    /// a repeat of tonight (see `state::weight::EARLIER`).
    pub earlier: Vec<PastMeeting>,
    /// Pairs never to put in one group (someone would rather not meet
    /// someone again; the organizer keeps two apart). A hard rule: when no
    /// grouping avoids it, one of the two waits out the round.
    pub apart: Vec<(usize, usize)>,
    /// Seed of the search's random choices.
    pub seed: u64,
}

impl PlanRequest {
    /// `n` attendees without interests.
    pub fn anonymous(n: usize, group_size: usize, rounds: usize, seed: u64) -> Self {
        PlanRequest {
            interests: vec![Vec::new(); n],
            group_size,
            rounds,
            history: Vec::new(),
            earlier: Vec::new(),
            apart: Vec::new(),
            seed,
        }
    }
}

impl PlanRequest {
    /// The figures of any set of rounds for this request (e.g. a random
    /// baseline, or a plan read back from a file).
    pub fn evaluate(&self, rounds: &[RoundPlan]) -> Result<PlanStats, PlanError> {
        let n = self.interests.len();
        let history = merge_history(&self.history, n)?;
        let interests = intern_interests(&self.interests);
        Ok(stats::evaluate(n, &interests, &history, rounds))
    }
}

/// Why a request cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("group size must be at least 2, got {0}")]
    GroupSizeTooSmall(usize),
    #[error("rounds must be between 1 and {MAX_ROUNDS}, got {0}")]
    RoundsOutOfRange(usize),
    #[error("attendee #{index} is named, but there are only {count} attendees")]
    UnknownAttendee { index: usize, count: usize },
    #[error("history says attendee #{0} met themselves")]
    SelfMeeting(usize),
    #[error("attendee #{0} cannot be kept apart from themselves")]
    SelfApart(usize),
}

/// One planned round: groups of attendee numbers (table 1 is the first group)
/// and anyone left waiting (only ever a person who is alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundPlan {
    pub groups: Vec<Vec<usize>>,
    pub waiting: Vec<usize>,
}

/// The planned rounds, repeat-free rounds first, with their figures.
#[derive(Debug, Clone)]
pub struct Plan {
    pub rounds: Vec<RoundPlan>,
    pub stats: PlanStats,
    /// Search iterations used.
    pub iterations: u64,
    /// True when the engine stopped because the plan was finished (the
    /// repeat-free run as long as it can get and polishing converged), not
    /// because the budget ran out: the budget is a ceiling, not the usual
    /// time.
    pub done: bool,
}

/// Plans `request.rounds` rounds and returns them ordered so the longest
/// repeat-free run found comes first (the live server commits the first
/// round and plans again when the room changes). The run is secured before
/// the other rounds are planned, so asking for more rounds never shortens
/// it; the engine returns as soon as the plan is done (see [`Plan::done`]),
/// before the budget ends.
pub fn plan(request: &PlanRequest, budget: &mut dyn Budget) -> Result<Plan, PlanError> {
    let n = request.interests.len();
    if request.group_size < 2 {
        return Err(PlanError::GroupSizeTooSmall(request.group_size));
    }
    if request.rounds == 0 || request.rounds > MAX_ROUNDS {
        return Err(PlanError::RoundsOutOfRange(request.rounds));
    }
    let history = merge_history(&request.history, n)?;
    let earlier = merge_history(&request.earlier, n)?;
    let apart = check_apart(&request.apart, n)?;
    let interests = intern_interests(&request.interests);
    let sizes = group_sizes(n, request.group_size);
    if sizes.is_empty() {
        let waiting: Vec<usize> = (0..n).collect();
        let rounds = vec![
            RoundPlan {
                groups: Vec::new(),
                waiting
            };
            request.rounds
        ];
        let stats = stats::evaluate(n, &interests, &history, &rounds);
        return Ok(Plan {
            rounds,
            stats,
            iterations: 0,
            done: true,
        });
    }
    let problem = state::Problem::new(sizes, interests).with_pair_costs(&earlier, &apart);
    let found = phases::optimise(&problem, &history, request.rounds, request.seed, budget);
    let ordered = stats::repeat_free_first(&history, found.rounds, found.prefix, |round| {
        round_cost(&problem, round)
    });
    let rounds: Vec<RoundPlan> = ordered
        .into_iter()
        .map(|groups| apart::keep_apart(&problem, groups))
        .collect();
    let stats = stats::evaluate(n, &problem.interests, &history, &rounds);
    Ok(Plan {
        rounds,
        stats,
        iterations: found.iterations,
        done: found.done,
    })
}

/// How a round ranks among repeat-free ones to be played first (lower is
/// better): pairs who met at earlier events or are kept apart, then groups
/// with no interest in common, then fewer shared-interest pairs.
fn round_cost(problem: &state::Problem, round: &[Vec<u32>]) -> (i64, usize, i64) {
    let (mut pair_cost, mut unshared, mut shared) = (0, 0, 0);
    for group in round {
        let mut group_shares = false;
        for (i, &a) in group.iter().enumerate() {
            for &b in &group[i + 1..] {
                pair_cost += problem.pair_cost(a, b);
                if problem.sim(a, b) > 0 {
                    group_shares = true;
                    shared += 1;
                }
            }
        }
        if problem.has_interests && !group_shares {
            unshared += 1;
        }
    }
    (pair_cost, unshared, -shared)
}

/// Checks the history and merges duplicate pairs into `(a, b, times)`, a < b.
fn merge_history(history: &[PastMeeting], n: usize) -> Result<Vec<(u32, u32, u32)>, PlanError> {
    let mut merged: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for m in history {
        for index in [m.a, m.b] {
            if index >= n {
                return Err(PlanError::UnknownAttendee { index, count: n });
            }
        }
        if m.a == m.b {
            return Err(PlanError::SelfMeeting(m.a));
        }
        let key = (m.a.min(m.b) as u32, m.a.max(m.b) as u32);
        let times = merged.entry(key).or_insert(0);
        *times = (*times + m.times).min(MAX_HISTORY_TIMES);
    }
    let mut out: Vec<(u32, u32, u32)> = merged
        .into_iter()
        .filter(|&(_, t)| t > 0)
        .map(|((a, b), t)| (a, b, t))
        .collect();
    out.sort_unstable();
    Ok(out)
}

/// Checks the pairs to keep apart and numbers them as the engine does.
fn check_apart(apart: &[(usize, usize)], n: usize) -> Result<Vec<(u32, u32)>, PlanError> {
    apart
        .iter()
        .map(|&(a, b)| {
            for index in [a, b] {
                if index >= n {
                    return Err(PlanError::UnknownAttendee { index, count: n });
                }
            }
            if a == b {
                return Err(PlanError::SelfApart(a));
            }
            Ok((a as u32, b as u32))
        })
        .collect()
}

/// Normalises interests and numbers them: each attendee gets a sorted list
/// of interest ids, equal ids meaning the same topic.
fn intern_interests(raw: &[Vec<String>]) -> Vec<Vec<u32>> {
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    raw.iter()
        .map(|list| {
            let mut mine: Vec<u32> = list
                .iter()
                .filter_map(|s| normalize_interest(s))
                .map(|key| {
                    let next = ids.len() as u32;
                    *ids.entry(key.as_str().to_string()).or_insert(next)
                })
                .collect();
            mine.sort_unstable();
            mine.dedup();
            mine
        })
        .collect()
}
