//! Inflation and filling: a schedule for `n0` people grown to `n0·h`, and
//! its groups given rounds of their own.
//!
//! Source: the product (inflation) construction of resolvable group
//! divisible designs — give every person weight `h` and replace every
//! table by the `h` rounds of a resolvable transversal design RTD(p, h) —
//! followed by filling the groups with a smaller design, as in Rees &
//! Stinson, "On resolvable group-divisible designs with block size 3",
//! *Ars Combinatoria* 23 (1987), and Stinson's survey of Kirkman systems
//! (*Discrete Math.* 92, 1991). The "+G" rounds of Miller, Valkov &
//! Abel (2026) are the case of a base with a single table.
//!
//! A **base** is a repeat-free schedule on `0..n0` and a partition of its
//! people into equal **groups** no two members of which ever share a table
//! in it: the people alone (the whole schedule), or the tables of a round
//! taken out of it (a Kirkman system less a round is a design of type 3^u).
//! Person `x` becomes `x·h + j` for `j < h`; each base round gives `h`
//! rounds, in which a table `x₀ … x_{p−1}` seats the RTD's groups with row
//! `i` read as the copies of `xᵢ`. Two copies of people who share a table
//! once meet once; copies of one group never meet, so each inflated group
//! (`g·h` people) can then be given any schedule for `g·h` people, all
//! groups at once. Rounds: `rounds(base)·h + rounds(g·h)`.
//!
//! What it gives in the grid: 105 in threes from 15 (a Kirkman system less
//! a round, type 3⁵) inflated by 7 and filled with Kirkman systems of 21
//! (6·7 + 10 = 52 rounds); 120 from 15 inflated by 8 (GF(8)) and filled
//! with nearly Kirkman systems of 24 (6·8 + 11 = 59); 90 and 150 from 9
//! and 15 inflated by 10 (the squares of order 10 in `mols.txt`) and
//! filled with 30 (3·10 + 14 = 44, 6·10 + 14 = 74); 96 in fours from one
//! table inflated by 24 (three squares of order 24) and filled with 24
//! (24 + 7 = 31).

use super::{DesignRound, design_upto, transversal};

/// The longest filled inflation for `n` people in groups of `p` (at most
/// `limit` rounds), over every weight `h` with an RTD(p, h) (from the
/// product ring or `mols.txt`); `None` when no weight applies.
pub(super) fn filled(n: usize, p: usize, limit: usize) -> Option<Vec<DesignRound>> {
    let mut best: Option<Vec<DesignRound>> = None;
    for h in 2..=n / p {
        if !n.is_multiple_of(h) || !(n / h).is_multiple_of(p) {
            continue;
        }
        let Some(rtd) = transversal::rtd(h, p) else {
            continue;
        };
        let n0 = n / h;
        let Some(schedule) = design_upto(n0, p, usize::MAX) else {
            continue;
        };
        for (rounds, groups) in bases(n0, &schedule) {
            let Some(rounds) = inflate_and_fill(rounds, &groups, &rtd, h, p, limit) else {
                continue;
            };
            if best.as_ref().is_none_or(|b| rounds.len() > b.len()) {
                best = Some(rounds);
            }
        }
    }
    best
}

/// The bases a schedule offers: itself less its last round with that
/// round's tables as groups, and itself with the people as groups.
fn bases(n0: usize, schedule: &[DesignRound]) -> Vec<(&[DesignRound], Vec<Vec<u32>>)> {
    let alone: Vec<Vec<u32>> = (0..n0 as u32).map(|x| vec![x]).collect();
    let mut out = Vec::with_capacity(2);
    if let [less @ .., last] = schedule
        && !less.is_empty()
    {
        out.push((less, last.clone()));
    }
    out.push((schedule, alone));
    out
}

/// The base inflated by `h` (through `rtd`, RTD(p, h) over `row·h + col`)
/// and its groups filled; `None` when the groups are the whole room (the
/// fill would be this very size again).
fn inflate_and_fill(
    base: &[DesignRound],
    groups: &[Vec<u32>],
    rtd: &[DesignRound],
    h: usize,
    p: usize,
    limit: usize,
) -> Option<Vec<DesignRound>> {
    let g = groups.first()?.len();
    if groups.len() < 2 || groups.iter().any(|grp| grp.len() != g) {
        return None;
    }
    let h32 = h as u32;
    let copy = |x: u32, j: u32| x * h32 + j;
    let mut rounds: Vec<DesignRound> = Vec::new();
    'outer: for round in base {
        for inner in rtd {
            if rounds.len() >= limit {
                break 'outer;
            }
            let mut out: DesignRound = Vec::with_capacity(round.len() * h);
            for table in round {
                for block in inner {
                    out.push(
                        block
                            .iter()
                            .map(|&pt| copy(table[pt as usize / h], pt % h32))
                            .collect(),
                    );
                }
            }
            rounds.push(out);
        }
    }
    let width = g * h;
    if width.is_multiple_of(p) && rounds.len() < limit {
        let fill = design_upto(width, p, limit - rounds.len())?;
        // Place `c` of a group is copy `c mod h` of its member `c / h`.
        for fill_round in &fill {
            rounds.push(
                groups
                    .iter()
                    .flat_map(|grp| {
                        fill_round.iter().map(move |t| {
                            t.iter()
                                .map(|&c| copy(grp[c as usize / h], c % h32))
                                .collect()
                        })
                    })
                    .collect(),
            );
        }
    }
    Some(rounds)
}

#[cfg(test)]
mod tests {
    use super::super::is_repeat_free;
    use super::*;

    /// Every round in tables of exactly `p`, and no pair meeting twice.
    fn check(n: usize, p: usize, rounds: &[DesignRound]) {
        assert!(
            is_repeat_free(n, rounds),
            "{n}/{p} repeats or misses people"
        );
        assert!(rounds.iter().flatten().all(|t| t.len() == p), "{n}/{p}");
    }

    #[test]
    fn filling_reaches_every_size_it_claims() {
        // (people, table size, rounds): the Kirkman system of 105, the
        // nearly Kirkman systems of 120 (GF(8)), 90 and 150 (the squares
        // of order 10 in mols.txt).
        // 96 in fours: RTD(4, 24) from the three squares there, and 24/4
        // inside (24 + 7).
        for (n, p, rounds) in [
            (105, 3, 52),
            (120, 3, 59),
            (90, 3, 44),
            (150, 3, 74),
            (96, 4, 31),
        ] {
            let got = filled(n, p, usize::MAX).unwrap_or_else(|| panic!("{n}/{p}"));
            assert_eq!(got.len(), rounds, "{n}/{p}");
            check(n, p, &got);
        }
    }

    #[test]
    fn every_filling_is_repeat_free_and_stops_at_the_limit() {
        for p in 3..=5 {
            for n in (2 * p..=150).step_by(p) {
                if let Some(rounds) = filled(n, p, usize::MAX) {
                    check(n, p, &rounds);
                }
            }
        }
        let some = filled(105, 3, 7).expect("105 in threes");
        assert_eq!(some.len(), 7);
        check(105, 3, &some);
    }

    #[test]
    fn a_base_less_a_round_has_that_round_as_its_groups() {
        let schedule = design_upto(9, 3, usize::MAX).expect("KTS(9)");
        let last = schedule.last().cloned().expect("4 rounds");
        let found = bases(9, &schedule);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.len(), 3);
        assert_eq!(found[0].1, last);
        assert_eq!(found[1].0.len(), 4);
        assert_eq!(found[1].1.len(), 9);
    }
}
