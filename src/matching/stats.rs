//! Figures of a plan (repeats, rounds before the first repeat, groups without
//! a shared interest, how evenly these fall on people), and the final
//! ordering of rounds.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::RoundPlan;
use super::state::shared_count;

/// What a plan achieves. Repeats count meetings with someone already met,
/// history included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanStats {
    /// Planned meetings of a pair that had already met (earlier in the plan
    /// or in the history). A third meeting counts twice.
    pub repeat_pairs: usize,
    /// Leading rounds in which nobody meets anyone a second time.
    pub rounds_before_first_repeat: usize,
    /// Groups in which no two members share an interest.
    pub groups_without_shared_interest: usize,
    /// Pairs sharing at least one interest, summed over all groups.
    pub shared_interest_pairs: usize,
    /// Groups in the whole plan.
    pub groups: usize,
    /// Most repeat meetings that fall on one person.
    pub max_repeats_per_person: usize,
    /// Most rounds one person spends in a group without a shared interest.
    pub max_unshared_rounds_per_person: usize,
}

fn pair_key(a: usize, b: usize) -> (u32, u32) {
    (a.min(b) as u32, a.max(b) as u32)
}

/// Scores `rounds` for `n` people with interned `interests` and `history`.
pub(crate) fn evaluate(
    n: usize,
    interests: &[Vec<u32>],
    history: &[(u32, u32, u32)],
    rounds: &[RoundPlan],
) -> PlanStats {
    let mut met: FxHashMap<(u32, u32), u32> =
        history.iter().map(|&(a, b, t)| ((a, b), t)).collect();
    let mut repeats = vec![0usize; n];
    let mut unshared = vec![0usize; n];
    let anyone_has_interests = interests.iter().any(|i| !i.is_empty());
    let mut stats = PlanStats::default();
    let mut clean_so_far = true;
    for round in rounds {
        let mut round_clean = true;
        for group in &round.groups {
            stats.groups += 1;
            let mut shared = 0;
            for (i, &a) in group.iter().enumerate() {
                for &b in &group[i + 1..] {
                    let count = met.entry(pair_key(a, b)).or_insert(0);
                    if *count >= 1 {
                        stats.repeat_pairs += *count as usize;
                        repeats[a] += 1;
                        repeats[b] += 1;
                        round_clean = false;
                    }
                    *count += 1;
                    if shared_count(&interests[a], &interests[b]) > 0 {
                        shared += 1;
                    }
                }
            }
            stats.shared_interest_pairs += shared;
            if anyone_has_interests && group.len() >= 2 && shared == 0 {
                stats.groups_without_shared_interest += 1;
                for &m in group {
                    unshared[m] += 1;
                }
            }
        }
        clean_so_far &= round_clean;
        if clean_so_far {
            stats.rounds_before_first_repeat += 1;
        }
    }
    stats.max_repeats_per_person = repeats.into_iter().max().unwrap_or(0);
    stats.max_unshared_rounds_per_person = unshared.into_iter().max().unwrap_or(0);
    stats
}

/// Leading rounds of `rounds` in which no pair meets a second time
/// (history included).
pub(crate) fn leading_repeat_free(history: &[(u32, u32, u32)], rounds: &[Vec<Vec<u32>>]) -> usize {
    let mut met: FxHashSet<(u32, u32)> = history.iter().map(|&(a, b, _)| (a, b)).collect();
    for (r, round) in rounds.iter().enumerate() {
        for g in round {
            for (i, &a) in g.iter().enumerate() {
                for &b in &g[i + 1..] {
                    if !met.insert(pair_key(a as usize, b as usize)) {
                        return r;
                    }
                }
            }
        }
    }
    rounds.len()
}

/// Orders rounds so that as many as possible come first without any pair
/// meeting twice: the first `secured` rounds (known to be repeat-free
/// together) come first, then repeatedly the remaining round that adds no
/// repeat; among such rounds the one with the least `round_cost` comes
/// first (the caller ranks by people who met at an earlier event, then by
/// groups with nothing in common). When no clean round is left, the
/// remaining rounds follow in the order found. Only the first round is
/// played before planning again, so what it holds matters most.
pub(crate) fn repeat_free_first<K: Ord>(
    history: &[(u32, u32, u32)],
    rounds: Vec<Vec<Vec<u32>>>,
    secured: usize,
    round_cost: impl Fn(&[Vec<u32>]) -> K,
) -> Vec<Vec<Vec<u32>>> {
    let mut met: FxHashSet<(u32, u32)> = history.iter().map(|&(a, b, _)| (a, b)).collect();
    // Each round's cost once (the loop below looks at every remaining
    // round each time: 10,000 people's rounds are costly to walk).
    let mut remaining: Vec<(bool, Vec<Vec<u32>>, K)> = rounds
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let cost = round_cost(&r);
            (i < secured, r, cost)
        })
        .collect();
    let mut ordered = Vec::with_capacity(remaining.len());
    let pairs_of = |g: &[u32]| -> Vec<(u32, u32)> {
        g.iter()
            .enumerate()
            .flat_map(|(i, &a)| g[i + 1..].iter().map(move |&b| (a, b)))
            .collect()
    };
    loop {
        let any_secured = remaining.iter().any(|(s, _, _)| *s);
        let clean = remaining
            .iter()
            .enumerate()
            .filter(|(_, (s, _, _))| *s || !any_secured)
            .filter(|(_, (_, round, _))| {
                round.iter().all(|g| {
                    pairs_of(g)
                        .into_iter()
                        .all(|(a, b)| !met.contains(&pair_key(a as usize, b as usize)))
                })
            })
            .min_by_key(|&(i, (_, _, cost))| (cost, i))
            .map(|(i, _)| i);
        let Some(idx) = clean else { break };
        let (_, round, _) = remaining.remove(idx);
        for g in &round {
            for (i, &a) in g.iter().enumerate() {
                for &b in &g[i + 1..] {
                    met.insert(pair_key(a as usize, b as usize));
                }
            }
        }
        ordered.push(round);
    }
    ordered.extend(remaining.into_iter().map(|(_, r, _)| r));
    ordered
}
