//! The last word on pairs to keep apart. The search gives such a pair a
//! cost far above any other, so it only survives when the search ran out
//! of budget or no grouping avoids it (three people, two of whom must not
//! meet). "Never" must mean never, so each planned round is checked here:
//! a clash is swapped away with someone from another group when a swap
//! breaks no other rule of the kind, and otherwise one of the two waits out
//! the round.

use super::RoundPlan;
use super::state::Problem;

/// `groups` as a round in which no group holds a pair to keep apart, and
/// nobody sits alone. Members of each group come out sorted.
pub(crate) fn keep_apart(problem: &Problem, mut groups: Vec<Vec<u32>>) -> RoundPlan {
    let mut waiting = Vec::new();
    if problem.has_pair_costs() {
        for g in 0..groups.len() {
            while let Some(y) = clashing_member(problem, &groups[g]) {
                if !swap_away(problem, &mut groups, g, y) {
                    groups[g].retain(|&m| m != y);
                    waiting.push(y as usize);
                }
            }
        }
        // Someone left alone by that waits too (never a group of one).
        for group in groups.iter_mut().filter(|g| g.len() == 1) {
            waiting.extend(group.drain(..).map(|p| p as usize));
        }
        groups.retain(|g| !g.is_empty());
    }
    RoundPlan {
        groups: groups
            .into_iter()
            .map(|g| {
                let mut g: Vec<usize> = g.into_iter().map(|p| p as usize).collect();
                g.sort_unstable();
                g
            })
            .collect(),
        waiting,
    }
}

/// The member of `group` to move: the one kept apart from the most other
/// members (the later one on a tie), if any pair clashes.
fn clashing_member(problem: &Problem, group: &[u32]) -> Option<u32> {
    group
        .iter()
        .map(|&a| {
            let clashes = group.iter().filter(|&&b| problem.is_apart(a, b)).count();
            (clashes, a)
        })
        .filter(|&(clashes, _)| clashes > 0)
        .max()
        .map(|(_, a)| a)
}

/// True when `person` may sit with everyone in `group` except `without`.
fn fits(problem: &Problem, person: u32, group: &[u32], without: u32) -> bool {
    group
        .iter()
        .all(|&m| m == without || !problem.is_apart(person, m))
}

/// Swaps `y` (in group `g`) with someone from another group, where both
/// fit; false when nobody can be swapped.
fn swap_away(problem: &Problem, groups: &mut [Vec<u32>], g: usize, y: u32) -> bool {
    for h in 0..groups.len() {
        if h == g {
            continue;
        }
        let partner = groups[h]
            .iter()
            .copied()
            .find(|&z| fits(problem, y, &groups[h], z) && fits(problem, z, &groups[g], y));
        if let Some(z) = partner {
            for m in groups[g].iter_mut().filter(|m| **m == y) {
                *m = z;
            }
            for m in groups[h].iter_mut().filter(|m| **m == z) {
                *m = y;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(n: usize, apart: &[(u32, u32)]) -> Problem {
        let sizes = crate::matching::group_sizes(n, 3);
        Problem::new(sizes, vec![Vec::new(); n]).with_pair_costs(&[], apart)
    }

    #[test]
    fn a_clash_is_swapped_into_another_group() {
        let p = problem(6, &[(0, 1)]);
        let round = keep_apart(&p, vec![vec![0, 1, 2], vec![3, 4, 5]]);
        assert!(round.waiting.is_empty());
        for g in &round.groups {
            assert!(!(g.contains(&0) && g.contains(&1)), "{:?}", round.groups);
            assert_eq!(g.len(), 3);
        }
    }

    #[test]
    fn with_no_way_out_one_of_the_pair_waits() {
        // Three people, one group: 0 and 1 cannot both sit in it.
        let p = problem(3, &[(0, 1)]);
        let round = keep_apart(&p, vec![vec![0, 1, 2]]);
        assert_eq!(round.groups, vec![vec![0, 2]]);
        assert_eq!(round.waiting, vec![1]);
    }

    #[test]
    fn the_person_with_most_clashes_waits() {
        // 0 clashes with both 1 and 2: 0 waits, and 1 and 2 talk.
        let p = problem(3, &[(0, 1), (0, 2)]);
        let round = keep_apart(&p, vec![vec![0, 1, 2]]);
        assert_eq!(round.groups, vec![vec![1, 2]]);
        assert_eq!(round.waiting, vec![0]);
    }

    #[test]
    fn nobody_is_left_alone() {
        // Groups of two: moving 1 out leaves 0 alone, so 0 waits as well.
        let sizes = crate::matching::group_sizes(2, 2);
        let p = Problem::new(sizes, vec![Vec::new(); 2]).with_pair_costs(&[], &[(0, 1)]);
        let round = keep_apart(&p, vec![vec![0, 1]]);
        assert!(round.groups.is_empty());
        assert_eq!(round.waiting, vec![1, 0]);
    }
}
