//! When each phase of the search gives up: repair kicks after a stall,
//! polishing perturbs after a stretch without a gain and counts as
//! converged (so the plan is *done*) after a longer one.

use super::search::FULL_NEIGHBOURHOOD_LIMIT;
use super::state::Problem;

/// When polishing counts as converged (see `Patience`). In any room, 24
/// perturbations without a gain; fewer stop in local optima: 16 people in
/// fours for 3 rounds, 4 of them sharing an interest, reach the fewest
/// groups with nothing in common (6) for 30 of 30 seeds at 24, 29 of 30
/// at 16, about half at 6. In a room above 160 people, where each step
/// samples its moves, gains come in short gaps until none comes at all:
/// eight times the longest gap seen, at least two perturbations' worth.
/// Measured on six rooms of 180 to 1,000 people (clustered and uniform
/// interests): a run that ignores "done" for 10 s more gains nothing on
/// four, 1.4% on 500 people in fives, 0.8% on 180 in threes. With this
/// and the polishing sample (`POLISH_SAMPLE`), the clustered 300 of the
/// benchmark is done in 187 ms; before both, in 925 ms.
pub(crate) fn polish_patience(problem: &Problem) -> Patience {
    let kick = kick_every(problem);
    Patience {
        most: 24 * kick,
        least: LEAST_KICKS * kick,
        adaptive: problem.n > FULL_NEIGHBOURHOOD_LIMIT,
    }
}

/// See `polish_patience`.
const LEAST_KICKS: u64 = 2;

/// Polishing iterations without a gain between perturbations.
pub(crate) fn kick_every(problem: &Problem) -> u64 {
    200 + 2 * problem.n as u64
}

/// When polishing counts as converged: `most` iterations without a gain;
/// in a room whose moves are sampled (above [`FULL_NEIGHBOURHOOD_LIMIT`]),
/// sooner: `GAP_FACTOR` times the longest wait for a gain seen so far, but
/// never under `least`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Patience {
    pub most: u64,
    pub least: u64,
    pub adaptive: bool,
}

/// See [`Patience`].
const GAP_FACTOR: u64 = 8;

impl Patience {
    pub(crate) fn now(self, longest_gap: u64) -> u64 {
        if self.adaptive {
            self.most.min(self.least.max(GAP_FACTOR * longest_gap))
        } else {
            self.most
        }
    }
}

/// Iterations without a new best before a kick (see `Search::repair`);
/// grows with the room.
pub(crate) fn stall_limit(problem: &Problem) -> u64 {
    (200 + 20 * problem.n as u64).min(20_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_patience_follows_the_longest_gap_within_its_bounds() {
        let fixed = Patience {
            most: 1_000,
            least: 100,
            adaptive: false,
        };
        assert_eq!(fixed.now(0), 1_000);
        assert_eq!(fixed.now(50), 1_000);
        let adaptive = Patience {
            adaptive: true,
            ..fixed
        };
        assert_eq!(adaptive.now(0), 100, "never under `least`");
        assert_eq!(adaptive.now(50), 400, "eight times the longest gap");
        assert_eq!(adaptive.now(500), 1_000, "never over `most`");
    }

    #[test]
    fn only_rooms_with_sampled_moves_get_adaptive_patience() {
        let room = |n: usize| Problem::new(vec![4; n / 4], vec![vec![1]; n]);
        let small = polish_patience(&room(FULL_NEIGHBOURHOOD_LIMIT));
        let large = polish_patience(&room(FULL_NEIGHBOURHOOD_LIMIT + 4));
        assert!(!small.adaptive && large.adaptive);
        assert_eq!(small.most, 24 * kick_every(&room(FULL_NEIGHBOURHOOD_LIMIT)));
        assert!(large.least < large.most);
    }
}
