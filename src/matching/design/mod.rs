//! Combinatorial constructions: schedules that reach the known number of
//! repeat-free rounds where local search stalls. The portfolio, each
//! construction documented with its source in its own module:
//!
//! - `transversal`: resolvable transversal designs from mutually orthogonal
//!   Latin squares (MacNeish's products of finite fields) with "+G" inner
//!   rounds (affine planes, 27 in 3s, 64 in 4s, …), the cyclic rounds
//!   over Z_g for rooms of any size (125 repeat-free rounds for 1,000 in
//!   fours), and the round robin;
//! - `rbibd`: resolvable (3q+1, 4, 1) designs (28, 40, 52, … in 4s);
//! - `kirkman`: Kirkman triple systems of orders 3q and 2q + 1 (21, 39,
//!   57, …; 15, 27, 51, 87, 99, 123, … in 3s);
//! - `fill`: a schedule inflated by a resolvable transversal design and
//!   its groups filled with a smaller one (90, 105, 120, 150 in 3s; 96 in
//!   4s), with `mols`: orthogonal Latin squares the fields do not give
//!   (orders 10 and 24), found offline and compiled in;
//! - `develop` + `bank`: starter-block developments, with orbit blocks and
//!   Kirkman frames (Kirkman and nearly Kirkman triple systems, sizes in
//!   4s, 5s, … that no formula here covers), starters found offline by
//!   `starter_search` (tabu) or `exact_search` (exact cover) and compiled
//!   in.
//!
//! [`design`] returns the longest of them. Designs are over people `0..n`;
//! the search then decides who takes which place, so interests, history
//! and pairs kept apart still count.

mod bank;
mod develop;
mod exact_search;
mod field;
mod fill;
mod kirkman;
mod mols;
mod rbibd;
mod starter_search;
mod transversal;

pub use bank::line as bank_line;
pub use develop::Starter;
pub use exact_search::{ExactSearch, find_starter_exact};
pub use starter_search::{Shape, Symmetry, find_starter};

/// A round: groups of person numbers.
pub type DesignRound = Vec<Vec<u32>>;

/// The longest repeat-free schedule the portfolio has for `n` people in
/// groups of exactly `p` (a single round when no construction applies), or
/// `None` when `n` is not a multiple of `p`. Each round partitions `0..n`
/// into `n / p` groups of `p`.
pub fn design(n: usize, p: usize) -> Option<Vec<DesignRound>> {
    design_upto(n, p, usize::MAX)
}

/// [`design`], with at most `limit` rounds built (10,000 people have
/// designs of thousands of rounds; a plan needs a few).
pub fn design_upto(n: usize, p: usize, limit: usize) -> Option<Vec<DesignRound>> {
    if p < 2 || n < p || !n.is_multiple_of(p) {
        return None;
    }
    if n == p || limit <= 1 {
        return Some(vec![single_round(n, p)]);
    }
    let mut best: Vec<DesignRound> = Vec::new();
    let mut consider = |rounds: Vec<DesignRound>| {
        if rounds.len() > best.len() {
            best = rounds;
        }
    };
    if p == 2 {
        consider(transversal::round_robin(n));
    }
    if let Some(td) = transversal::transversal(n / p, p, limit) {
        consider(td);
    }
    if p == 4
        && let Some(r) = rbibd::rbibd4(n)
    {
        consider(r);
    }
    if p == 3 {
        if let Some(k) = kirkman::kts_3q(n) {
            consider(k);
        }
        if let Some(k) = kirkman::kts_2q1(n) {
            consider(k);
        }
    }
    for starter in bank::banked(n, p) {
        let rounds = starter.develop();
        if is_repeat_free(n, &rounds) {
            consider(rounds);
        }
    }
    let wanted = limit.min(super::known::counting_bound(n, p));
    if best.len() < wanted
        && n <= FILL_LIMIT
        && let Some(rounds) = fill::filled(n, p, limit)
        && rounds.len() > best.len()
    {
        best = rounds;
    }
    if best.is_empty() {
        best.push(single_round(n, p));
    }
    best.truncate(limit);
    Some(best)
}

/// The largest room the filling construction is tried for: it builds a
/// design for every divisor of `n`, and past this the cyclic rounds give
/// more rounds than an evening (or a term) has.
const FILL_LIMIT: usize = 1_000;

/// Any partition is a one-round design.
fn single_round(n: usize, p: usize) -> DesignRound {
    let people: Vec<u32> = (0..n as u32).collect();
    people.chunks(p).map(<[u32]>::to_vec).collect()
}

/// `inner` (rounds over `0..width`) applied inside each of the `rows` rows
/// of width `width` at once: row `r` holds people `r·width..(r+1)·width`.
fn inside_rows(inner: &[DesignRound], rows: usize, width: usize) -> Vec<DesignRound> {
    inner
        .iter()
        .map(|inner_round| {
            (0..rows)
                .flat_map(|row| {
                    inner_round
                        .iter()
                        .map(move |g| g.iter().map(|&c| (row * width) as u32 + c).collect())
                })
                .collect()
        })
        .collect()
}

/// True when every round partitions `0..n` and no pair meets twice.
pub(crate) fn is_repeat_free(n: usize, rounds: &[DesignRound]) -> bool {
    let mut met = vec![false; n * n];
    for round in rounds {
        let mut seen = vec![false; n];
        for g in round {
            for (i, &a) in g.iter().enumerate() {
                let a = a as usize;
                if a >= n || seen[a] {
                    return false;
                }
                seen[a] = true;
                for &b in &g[i + 1..] {
                    let b = b as usize;
                    if b >= n {
                        return false;
                    }
                    let k = a.min(b) * n + a.max(b);
                    if met[k] {
                        return false;
                    }
                    met[k] = true;
                }
            }
        }
        if seen.iter().any(|s| !s) {
            return false;
        }
    }
    true
}

/// A design for groups of the given sizes (largest first, differing by at
/// most one, as `group_sizes` makes them), at most `limit` rounds. When some
/// groups are one short, the design for full groups is used with "phantom"
/// places left empty: places that never share a group in the rounds kept,
/// so each round still has exactly `sizes.len()` groups. Where the design
/// has enough places that never meet at all (a row of a transversal design,
/// the fixed points of a development), every round is kept; otherwise only
/// the rounds in which the phantoms sit apart. Empty when no design helps.
pub fn design_for_sizes(sizes: &[usize], limit: usize) -> Vec<DesignRound> {
    let Some(&p) = sizes.first() else {
        return Vec::new();
    };
    let n: usize = sizes.iter().sum();
    let full = sizes.len() * p;
    let phantoms = full - n;
    let Some(rounds) = design_upto(full, p, limit) else {
        return Vec::new();
    };
    if phantoms == 0 {
        return rounds;
    }
    let empty: Vec<u32> =
        never_meeting(full, &rounds, phantoms).unwrap_or_else(|| (0..phantoms as u32).collect());
    let mut is_empty = vec![false; full];
    for &e in &empty {
        is_empty[e as usize] = true;
    }
    // Renumber the remaining places 0..n.
    let mut number = vec![0u32; full];
    let mut next = 0;
    for (place, slot) in number.iter_mut().enumerate() {
        if !is_empty[place] {
            *slot = next;
            next += 1;
        }
    }
    rounds
        .into_iter()
        .filter(|round| {
            round
                .iter()
                .all(|g| g.iter().filter(|&&s| is_empty[s as usize]).count() <= 1)
        })
        .map(|round| {
            round
                .into_iter()
                .map(|g| {
                    g.into_iter()
                        .filter(|&s| !is_empty[s as usize])
                        .map(|s| number[s as usize])
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// `k` places of which no two share a group in any round, if greedy
/// finds them. Each place's group in each round is looked up, not a table
/// of pairs: 10,000 places would need 100 MB of it.
fn never_meeting(n: usize, rounds: &[DesignRound], k: usize) -> Option<Vec<u32>> {
    let mut group_of = vec![vec![0u32; n]; rounds.len()];
    for (r, round) in rounds.iter().enumerate() {
        for (g, group) in round.iter().enumerate() {
            for &x in group {
                group_of[r][x as usize] = g as u32;
            }
        }
    }
    let meet = |a: usize, b: usize| group_of.iter().any(|of| of[a] == of[b]);
    let mut chosen: Vec<u32> = Vec::with_capacity(k);
    for x in 0..n {
        if chosen.iter().all(|&c| !meet(c as usize, x)) {
            chosen.push(x as u32);
            if chosen.len() == k {
                return Some(chosen);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::field::Field;
    use super::*;

    /// Asserts every round partitions 0..n into groups of p and no pair meets twice.
    fn assert_repeat_free(n: usize, p: usize, rounds: &[DesignRound]) {
        assert_sizes_and_no_repeats(n, &vec![p; n / p], rounds);
    }

    /// Asserts rounds partition 0..n into groups of exactly `sizes`.
    fn assert_sizes_and_no_repeats(n: usize, sizes: &[usize], rounds: &[DesignRound]) {
        let mut met = std::collections::HashSet::new();
        for round in rounds {
            let mut got: Vec<usize> = round.iter().map(Vec::len).collect();
            got.sort_unstable_by(|a, b| b.cmp(a));
            assert_eq!(got, sizes);
            let mut people: Vec<u32> = round.iter().flatten().copied().collect();
            people.sort_unstable();
            assert_eq!(people, (0..n as u32).collect::<Vec<_>>());
            for g in round {
                for (i, &a) in g.iter().enumerate() {
                    for &b in &g[i + 1..] {
                        assert!(met.insert((a.min(b), a.max(b))), "{a} and {b} meet twice");
                    }
                }
            }
        }
    }

    #[test]
    fn fields_of_prime_power_order_exist() {
        for q in [2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 25, 27, 32, 49] {
            let f = Field::new(q).unwrap_or_else(|| panic!("GF({q})"));
            // Every non-zero element has an inverse: the table is a field.
            for a in 1..q {
                assert!(
                    (1..q).any(|b| f.mul(a, b) == 1),
                    "GF({q}): {a} has no inverse"
                );
            }
            // Addition and multiplication distribute; −a undoes a.
            for a in 0..q {
                assert_eq!(f.add(a, f.neg(a)), 0, "GF({q}): -{a}");
                for b in 0..q {
                    let c = (a * 7 + b * 3 + 1) % q;
                    assert_eq!(
                        f.mul(a, f.add(b, c)),
                        f.add(f.mul(a, b), f.mul(a, c)),
                        "GF({q}): {a}({b} + {c})"
                    );
                }
            }
            // ω generates every non-zero element.
            let mut powers = f.exp.clone();
            powers.sort_unstable();
            assert_eq!(powers, (1..q).collect::<Vec<_>>(), "GF({q})");
        }
        for q in [1, 6, 10, 12, 15] {
            assert!(Field::new(q).is_none(), "{q} is not a prime power");
        }
    }

    #[test]
    fn transversal_designs_reach_every_size_they_claim() {
        // Every g ≤ 50: g rounds where the prime-power factors of g are all
        // ≥ p, else the cyclic reach; plus the inner rounds when p | g.
        for p in 2..=8 {
            for g in p..=50 {
                let rounds = transversal::transversal(g, p, usize::MAX)
                    .unwrap_or_else(|| panic!("RTD({p}, {g})"));
                let ring = transversal::prime_power_factors(g)
                    .into_iter()
                    .min()
                    .is_some_and(|q| q >= p);
                let base = if ring {
                    g
                } else {
                    transversal::cyclic_reach(g, p)
                };
                let inner = if g % p == 0 {
                    design(g, p).map_or(0, |d| d.len())
                } else {
                    0
                };
                assert_eq!(rounds.len(), base + inner, "RTD({p}, {g})");
                assert_repeat_free(g * p, p, &rounds);
            }
        }
        // MacNeish: 20 = 4·5 has 3 orthogonal squares, so 20 rounds for 80 in 4s.
        assert_eq!(
            transversal::transversal(20, 4, usize::MAX).map(|d| d.len()),
            Some(20 + 5)
        );
        // 12 = 4·3 has 2: the cyclic rounds (12/gcd(3, 12) = 4) and 1 inside.
        assert_eq!(
            transversal::transversal(12, 4, usize::MAX).map(|d| d.len()),
            Some(4 + 1)
        );
        assert!(transversal::transversal(3, 4, usize::MAX).is_none());
    }

    #[test]
    fn cyclic_rounds_serve_large_rooms_of_any_size() {
        // 1,000 people in fours: 250 = 2·5³ has no 3 orthogonal squares from
        // fields, but the cyclic rounds reach 125 (250/gcd(2, 250)); 1,000
        // in fives 50 (200/gcd(4, 200)); a prime g reaches g.
        for (g, p, reach) in [(250, 4, 125), (200, 5, 50), (2500, 4, 1250), (97, 8, 97)] {
            assert_eq!(transversal::cyclic_reach(g, p), reach, "{g}×{p}");
        }
        for (g, p, asked) in [(250, 4, 100), (200, 5, 50), (2500, 4, 10), (333, 3, 100)] {
            let rounds = transversal::transversal(g, p, asked).expect("rows of people");
            assert_eq!(rounds.len(), asked, "{g}×{p}");
            assert_repeat_free(g * p, p, &rounds);
        }
    }

    #[test]
    fn kirkman_triple_systems_for_every_3q() {
        for v in [21, 39, 57, 75, 93, 111, 129, 147] {
            let rounds = kirkman::kts_3q(v).unwrap_or_else(|| panic!("KTS({v})"));
            assert_eq!(rounds.len(), (v - 1) / 2, "KTS({v})");
            assert_repeat_free(v, 3, &rounds);
        }
        // q = 5 and 9 are not 1 mod 6; 11 is not a prime power 1 mod 6.
        for v in [15, 27, 33] {
            assert!(kirkman::kts_3q(v).is_none(), "{v}");
        }
        for v in [15, 27, 39, 51, 63, 75, 87, 99, 123, 135, 147] {
            let rounds = kirkman::kts_2q1(v).unwrap_or_else(|| panic!("KTS({v}) as 2q + 1"));
            assert_eq!(rounds.len(), (v - 1) / 2, "KTS({v})");
            assert_repeat_free(v, 3, &rounds);
        }
        // q = 11, 17 are not 1 mod 6; 55 is not a prime power.
        for v in [23, 35, 111] {
            assert!(kirkman::kts_2q1(v).is_none(), "{v}");
        }
    }

    #[test]
    fn resolvable_designs_of_blocks_of_four_for_every_3q_plus_1() {
        for q in [5, 9, 13, 17, 25, 29, 37, 41, 49] {
            let v = 3 * q + 1;
            let rounds = rbibd::rbibd4(v).unwrap_or_else(|| panic!("RBIBD({v}, 4, 1)"));
            assert_eq!(rounds.len(), q, "{v}");
            assert_repeat_free(v, 4, &rounds);
        }
        assert!(rbibd::rbibd4(22).is_none()); // q = 7 is not 1 mod 4
    }

    #[test]
    fn every_banked_starter_develops_into_a_repeat_free_schedule() {
        let lines = bank::BANK_TEXT
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        let parsed = bank::parse(bank::BANK_TEXT);
        assert_eq!(parsed.len(), lines, "a bank line does not parse");
        for (n, p, starter) in &parsed {
            let rounds = starter.develop();
            assert!(
                rounds.len() >= starter.m * starter.rounds.len() + starter.orbits.len(),
                "{n}/{p}"
            );
            assert_repeat_free(*n, *p, &rounds);
        }
    }

    #[test]
    fn a_small_starter_is_found_and_develops() {
        // KTS(15): Z_7 × {0, 1} ∪ {∞}, 7 rounds.
        let shape = Shape {
            m: 7,
            rows: 2,
            fixed: 1,
            p: 3,
            starters: 1,
            orbits: 0,
            inner: false,
            hole: false,
            column_groups: 0,
            symmetry: None,
        };
        let s = find_starter(&shape, 1, 200_000).expect("a starter for 15 in 3s");
        let rounds = s.develop();
        assert_eq!(rounds.len(), 7);
        assert_repeat_free(15, 3, &rounds);
        let line = bank_line(15, 3, &s);
        assert_eq!(bank::parse(&line), vec![(15, 3, s)]);
        // KTS(21) with orbit blocks: Z_7 × {0, 1, 2}, one starter round
        // (7 rounds) and 3 orbit blocks (a round each).
        let shape = Shape {
            m: 7,
            rows: 3,
            fixed: 0,
            p: 3,
            starters: 1,
            orbits: 3,
            inner: false,
            hole: false,
            column_groups: 0,
            symmetry: None,
        };
        let s = (1..=20)
            .find_map(|seed| find_starter(&shape, seed, 200_000))
            .expect("a starter for 21 in 3s");
        assert_eq!(s.orbits.len(), 3);
        let rounds = s.develop();
        assert_eq!(rounds.len(), 10);
        assert_repeat_free(21, 3, &rounds);
        let line = bank_line(21, 3, &s);
        assert!(line.contains(" | "), "{line}");
        assert_eq!(bank::parse(&line), vec![(21, 3, s)]);
    }

    #[test]
    fn a_kirkman_frame_is_found_and_its_holes_filled() {
        // KTS(33) from a frame of type 6⁵: Z_15 × 2 rows, one starter
        // round leaving out the subgroup {0, 5, 10} in both rows (hole 0),
        // the holes filled with 3 ∞.
        let shape = Shape {
            m: 15,
            rows: 2,
            fixed: 0,
            p: 3,
            starters: 1,
            orbits: 0,
            inner: false,
            hole: true,
            column_groups: 0,
            symmetry: None,
        };
        let s = (1..=50)
            .find_map(|seed| find_starter(&shape, seed, 200_000))
            .expect("a frame of type 6^5");
        assert!(s.frame);
        assert_eq!(s.people(), 33);
        let rounds = s.develop();
        assert_eq!(rounds.len(), 16);
        assert_eq!(shape.rounds(), 16);
        assert_repeat_free(33, 3, &rounds);
        let line = bank_line(33, 3, &s);
        assert_eq!(bank::parse(&line), vec![(33, 3, s)]);
    }

    #[test]
    fn designs_reach_the_known_maxima() {
        // (people, group size, repeat-free rounds known to be the maximum)
        for (n, p, max) in [
            (16, 4, 5),
            (9, 3, 4),
            (25, 5, 6),
            (27, 3, 13),
            (49, 7, 8),
            (64, 8, 9),
            (20, 4, 5),
            (10, 2, 9),
            (28, 4, 9),
            (40, 4, 13),
        ] {
            let rounds = design(n, p).unwrap_or_else(|| panic!("{n}/{p}"));
            assert_eq!(rounds.len(), max, "{n} people in groups of {p}");
            assert_repeat_free(n, p, &rounds);
        }
        assert!(design(64, 4).is_some_and(|d| d.len() >= 21));
    }

    #[test]
    fn rooms_just_short_of_a_design_keep_most_of_it() {
        use crate::matching::group_sizes;
        // (people, group size, repeat-free rounds expected at least)
        for (n, p, at_least) in [(31, 4, 9), (30, 4, 8), (15, 4, 4), (26, 3, 12), (24, 5, 5)] {
            let sizes = group_sizes(n, p);
            let rounds = design_for_sizes(&sizes, usize::MAX);
            assert!(rounds.len() >= at_least, "{n}/{p}: {} rounds", rounds.len());
            assert_sizes_and_no_repeats(n, &sizes, &rounds);
        }
    }

    #[test]
    fn designs_build_only_the_rounds_asked() {
        let rounds = design_upto(10_000, 4, 10).expect("10,000 in 4s");
        assert_eq!(rounds.len(), 10);
        assert!(design(30, 4).is_none()); // not a multiple
        assert_eq!(design(12, 4).map(|d| d.len()), Some(1)); // 3 groups of 4
    }
}
