//! The greedy round used to start the search where no construction reaches
//! (Triska & Musliu, "An effective greedy heuristic for the social golfer
//! problem", Ann. Oper. Res. 194 (2012), Section 3: fill groups one by one
//! with the player who has met the fewest of the group so far).

use rand::RngExt;
use rand::seq::SliceRandom;

use super::search::Rng;
use super::state::{State, weight};

/// Above this many people still to seat, a sample of them is scored for
/// each place instead of all.
const SAMPLE: usize = 64;

/// One round built group by group: each group starts from a random person and
/// adds whoever costs least with the members so far (fewest earlier meetings,
/// most shared interests).
pub(crate) fn greedy_round(state: &State, rng: &mut Rng) -> Vec<Vec<u32>> {
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
