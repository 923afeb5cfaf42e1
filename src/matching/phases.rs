//! The order of work of one plan: prefix first, then the rest, then polish.
//!
//! 1. **Secure the repeat-free run.** Start from the longest repeat-free
//!    schedule the construction portfolio has for these group sizes (people
//!    randomly assigned to its places), cut to the rounds asked, and repair
//!    it against tonight's history. While the run is shorter than it can be
//!    (the rounds asked, the best known for the size, the counting bound),
//!    add a round (Triska & Musliu's greedy start: each group grows by the
//!    person who costs least with its members) and search all rounds for a
//!    repeat-free plan of that length; a failed attempt is dropped. In a
//!    room above 160 people where interests or earlier-event pairs count,
//!    a run grown this way from a greedy round is tried first, and kept
//!    when it is as long as the design's (see `GREEDY_FIRST_ABOVE`).
//! 2. **The remaining rounds** are added greedily and repaired with the
//!    secured rounds frozen: as few repeats as possible, spread over people.
//!    Asking for more rounds therefore never shortens the repeat-free run:
//!    the first steps are the same whatever the count asked.
//! 3. **Polish** interests, earlier-event pairs and fairness until no move
//!    has paid for a while, keeping the secured rounds repeat-free.
//!
//! The plan is *done* when the run is as long as it can be and polishing
//! has converged: the search returns then, whatever budget is left.

use rand::SeedableRng;
use rand::seq::SliceRandom;

use super::Budget;
use super::design::design_for_sizes;
use super::known;
use super::patience::{polish_patience, stall_limit};
use super::search::{FULL_NEIGHBOURHOOD_LIMIT, Repair, Rng, Search};
use super::start::greedy_round;
use super::state::{Problem, State};

/// Rooms above this size try a greedy run before a design where interests
/// count (see `optimise`). In smaller ones polishing tries every person
/// for every move (the search's full neighbourhood, also 160) and places
/// people on the design better than greedy rounds start: 16 people in
/// fours, 4 sharing an interest, end with 6 groups with nothing in common
/// from the design, 8 from greedy rounds (whose first round seats all 4
/// together). In larger rooms the greedy start is better: 300 people in
/// 12 communities reach 99.0% of a 20 s run's shared pairs in 300 ms from
/// it, 95.4% from the design; 1,000 in 25 communities 5.27 shared pairs
/// per group against 5.08.
const GREEDY_FIRST_ABOVE: usize = FULL_NEIGHBOURHOOD_LIMIT;

/// Attempts at one more repeat-free round before the run counts as final.
const EXTEND_ATTEMPTS: u32 = 3;

/// What the search returns.
pub(crate) struct SearchResult {
    pub rounds: Vec<Vec<Vec<u32>>>,
    pub iterations: u64,
    /// Leading rounds secured repeat-free (history included).
    pub prefix: usize,
    /// True when the search stopped because nothing was left to gain, not
    /// because the budget ran out.
    pub done: bool,
}

/// Plans `rounds` rounds for `problem` (see the module docs).
pub(crate) fn optimise(
    problem: &Problem,
    history: &[(u32, u32, u32)],
    rounds: usize,
    seed: u64,
    budget: &mut dyn Budget,
) -> SearchResult {
    let mut rng = Rng::seed_from_u64(seed);
    let target = rounds.min(known::run_limit(&problem.sizes));
    let designed = design_for_sizes(&problem.sizes, rounds);
    let mut place: Vec<u32> = (0..problem.n as u32).collect();
    place.shuffle(&mut rng);
    let designed: Vec<Vec<Vec<u32>>> = designed
        .into_iter()
        .take(rounds)
        .map(|round| {
            round
                .into_iter()
                .map(|g| g.into_iter().map(|slot| place[slot as usize]).collect())
                .collect()
        })
        .collect();
    let stall = stall_limit(problem);

    // 1. The repeat-free run. With interests (or earlier-event pairs) in a
    //    large room, a run built greedily around them is tried first: a
    //    design fixes who meets whom in every round and serves interests
    //    only through who takes which place (see GREEDY_FIRST_ABOVE). It is
    //    kept when it is as long as the design's; else the design.
    let mut attempt = None;
    let mut dropped_iterations = 0;
    if (problem.has_interests || problem.has_pair_costs())
        && designed.len() > 1
        && problem.n > GREEDY_FIRST_ABOVE
    {
        let mut state = State::new(problem, history);
        state.push_round(greedy_round(&state, &mut rng));
        let mut search = Search::new(problem, history, state, rng.clone());
        let prefix = grow_prefix(&mut search, budget, stall, target);
        if prefix >= designed.len().min(target) {
            attempt = Some((search, prefix));
        } else {
            dropped_iterations = search.iteration;
            rng = search.rng.clone();
        }
    }
    let (mut search, prefix) = match attempt {
        Some(found) => found,
        None => {
            let mut state = State::new(problem, history);
            for round in designed {
                state.push_round(round);
            }
            if state.groups.is_empty() {
                let groups = greedy_round(&state, &mut rng);
                state.push_round(groups);
            }
            let mut search = Search::new(problem, history, state, rng);
            let prefix = grow_prefix(&mut search, budget, stall, target);
            (search, prefix)
        }
    };

    // 2. The remaining rounds, the secured ones frozen.
    search.frozen = prefix;
    search.prefix = prefix;
    let mut rest_settled = true;
    if search.rounds() < rounds {
        while search.rounds() < rounds {
            let groups = greedy_round(&search.state, &mut search.rng);
            search.state.push_round(groups);
        }
        rest_settled = search.repair(budget, stall * 4) != Repair::OutOfBudget;
    }

    // 3. Polish.
    search.frozen = 0;
    let polished = if problem.has_interests || problem.has_pair_costs() {
        let patience = budget.stop_when_done().then(|| polish_patience(problem));
        search.polish(budget, patience)
    } else {
        true
    };
    let done = !search.out_of_budget && rest_settled && polished;
    SearchResult {
        iterations: search.iteration + dropped_iterations,
        prefix,
        done,
        rounds: search.into_rounds(),
    }
}

/// Secures the starting rounds (see [`secure_prefix`]), then adds one
/// greedy round at a time while the run is shorter than `target`, until
/// [`EXTEND_ATTEMPTS`] attempts in a row fail. Returns the run's length.
fn grow_prefix(search: &mut Search, budget: &mut dyn Budget, stall: u64, target: usize) -> usize {
    let mut prefix = secure_prefix(search, budget, stall);
    let mut failures = 0;
    while prefix < target && failures < EXTEND_ATTEMPTS && !search.out_of_budget {
        let saved = search.state.groups.clone();
        let groups = greedy_round(&search.state, &mut search.rng);
        search.state.push_round(groups);
        if search.repair(budget, stall * 8) == Repair::Clean {
            prefix += 1;
            failures = 0;
        } else {
            // Back to the secured rounds; the next attempt starts from
            // another greedy round (a restart).
            search.reset_to(&saved);
            failures += 1;
        }
    }
    prefix
}

/// Repairs the starting rounds against the history; when some cannot be
/// made repeat-free, keeps the longest repeat-free run of them. Returns
/// its length.
fn secure_prefix(search: &mut Search, budget: &mut dyn Budget, stall: u64) -> usize {
    if search.repair(budget, stall * 8) == Repair::Clean {
        return search.rounds();
    }
    let rounds = search.state.groups.clone();
    let ordered = super::stats::repeat_free_first(search.history(), rounds, 0, |_| 0);
    let clean = super::stats::leading_repeat_free(search.history(), &ordered);
    search.reset_to(&ordered[..clean]);
    clean
}
