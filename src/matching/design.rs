//! Combinatorial constructions: schedules that reach the theoretical number
//! of repeat-free rounds where local search stalls.
//!
//! - **Resolvable transversal designs.** `n = p·q` people with `q` a prime
//!   power and `q ≥ p`: lay people out as `p` rows by `q` columns, the columns
//!   labelled by the elements of the finite field GF(q) and row `i` by a field
//!   element `eᵢ`. In round `k` (for each `k` in GF(q)) group `t` is
//!   `{(i, t + k·eᵢ)}`: one person per row. Two people in different rows meet
//!   in exactly one round (solve `j − j' = k(eᵢ − eᵢ')` for `k`), people in the
//!   same row never meet. That is `q` repeat-free rounds.
//! - **Recursion inside the rows.** When `p` divides `q`, every row (q people
//!   who never met) can itself be split by a design for `q` people in groups
//!   of `p`, applied to all rows at once: `q + rounds(q, p)` rounds. This gives
//!   the affine planes (16 in 4s: 4 + 1 = 5; 25 in 5s: 6), 27 in 3s (9 + 4 =
//!   13, a Kirkman triple system), 64 in 4s (16 + 5 = 21) and 32 in 4s (8 + 1 =
//!   9 of the 10 known to exist).
//! - **Round robin** for pairs: an even number of people meet everyone in
//!   `n − 1` rounds (the circle method).
//!
//! Designs are returned over people `0..n`; the search then decides who
//! takes which place, so interests and history still count.

/// A finite field GF(q), q = pᵏ a prime power, elements numbered `0..q`
/// (base-p digits are the coefficients of a polynomial over GF(p)).
struct Field {
    q: usize,
    add: Vec<usize>,
    mul: Vec<usize>,
}

impl Field {
    /// The field of order `q`, or `None` when `q` is not a prime power.
    fn new(q: usize) -> Option<Field> {
        let (p, k) = prime_power(q)?;
        // Polynomials of degree < k over GF(p), as base-p digit vectors.
        let digits = |mut x: usize| -> Vec<usize> {
            (0..k)
                .map(|_| {
                    let d = x % p;
                    x /= p;
                    d
                })
                .collect()
        };
        let number = |ds: &[usize]| ds.iter().rev().fold(0, |acc, &d| acc * p + d);
        let mut add = vec![0; q * q];
        for a in 0..q {
            for b in 0..q {
                let s: Vec<usize> = digits(a)
                    .iter()
                    .zip(digits(b))
                    .map(|(x, y)| (x + y) % p)
                    .collect();
                add[a * q + b] = number(&s);
            }
        }
        // Find a monic polynomial x^k + c(x) for which x generates every
        // non-zero element; multiplication is then a sum of logarithms.
        for c in 0..q {
            let tail = digits(c);
            let times_x = |v: &[usize]| -> Vec<usize> {
                // v·x mod (x^k + tail): shift up, fold the overflow back.
                let top = v[k - 1];
                let mut out = vec![0; k];
                for i in (1..k).rev() {
                    out[i] = v[i - 1];
                }
                for i in 0..k {
                    out[i] = (out[i] + (p - (top * tail[i]) % p)) % p;
                }
                out
            };
            let mut exp = Vec::with_capacity(q - 1);
            let mut v = vec![0; k];
            v[0] = 1;
            let mut seen = vec![false; q];
            let mut ok = true;
            for _ in 0..q - 1 {
                let x = number(&v);
                if x == 0 || seen[x] {
                    ok = false;
                    break;
                }
                seen[x] = true;
                exp.push(x);
                v = times_x(&v);
            }
            if !ok {
                continue;
            }
            let mut log = vec![0; q];
            for (i, &x) in exp.iter().enumerate() {
                log[x] = i;
            }
            let mut mul = vec![0; q * q];
            for a in 1..q {
                for b in 1..q {
                    mul[a * q + b] = exp[(log[a] + log[b]) % (q - 1)];
                }
            }
            return Some(Field { q, add, mul });
        }
        None
    }

    fn add(&self, a: usize, b: usize) -> usize {
        self.add[a * self.q + b]
    }

    fn mul(&self, a: usize, b: usize) -> usize {
        self.mul[a * self.q + b]
    }
}

/// `Some((p, k))` when `q = pᵏ` for a prime `p` and `k ≥ 1`.
fn prime_power(q: usize) -> Option<(usize, usize)> {
    if q < 2 {
        return None;
    }
    let p = (2..=q).find(|d| q.is_multiple_of(*d))?;
    let (mut rest, mut k) = (q, 0);
    while rest % p == 0 {
        rest /= p;
        k += 1;
    }
    (rest == 1).then_some((p, k))
}

/// A round: groups of person numbers.
pub type DesignRound = Vec<Vec<u32>>;

/// The longest repeat-free schedule this module can build for `n` people in
/// groups of exactly `p` (a single round when no construction applies), or
/// `None` when `n` is not a multiple of `p`. Each round
/// partitions `0..n` into `n / p` groups of `p`.
pub fn design(n: usize, p: usize) -> Option<Vec<DesignRound>> {
    if p < 2 || n < p || !n.is_multiple_of(p) {
        return None;
    }
    if n == p {
        return Some(vec![vec![(0..n as u32).collect()]]);
    }
    let mut best = None;
    if p == 2 {
        best = Some(round_robin(n));
    }
    if let Some(td) = transversal(n / p, p)
        && best
            .as_ref()
            .is_none_or(|b: &Vec<DesignRound>| td.len() > b.len())
    {
        best = Some(td);
    }
    // Any partition is a one-round design.
    Some(best.unwrap_or_else(|| {
        let people: Vec<u32> = (0..n as u32).collect();
        vec![people.chunks(p).map(<[u32]>::to_vec).collect()]
    }))
}

/// A design for groups of the given sizes (largest first, differing by at
/// most one, as `group_sizes` makes them). When some groups are one short,
/// the design for full groups is used with "phantom" places left empty: the
/// phantoms are places that never share a group in the rounds kept, so each
/// round still has exactly `sizes.len()` groups. Empty when no design helps.
pub fn design_for_sizes(sizes: &[usize]) -> Vec<DesignRound> {
    let Some(&p) = sizes.first() else {
        return Vec::new();
    };
    let n: usize = sizes.iter().sum();
    let full = sizes.len() * p;
    let phantoms = (full - n) as u32;
    let Some(rounds) = design(full, p) else {
        return Vec::new();
    };
    if phantoms == 0 {
        return rounds;
    }
    // Places 0..phantoms are left empty; in the transversal layout they lie
    // in one row and never meet in its main rounds.
    rounds
        .into_iter()
        .filter(|round| {
            round
                .iter()
                .all(|g| g.iter().filter(|&&slot| slot < phantoms).count() <= 1)
        })
        .map(|round| {
            round
                .into_iter()
                .map(|g| {
                    g.into_iter()
                        .filter(|&slot| slot >= phantoms)
                        .map(|slot| slot - phantoms)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The circle method: `n` (even) people, `n − 1` rounds of pairs.
fn round_robin(n: usize) -> Vec<DesignRound> {
    let m = n as u32 - 1;
    (0..m)
        .map(|r| {
            let mut round = vec![vec![m, r]];
            for i in 1..=m / 2 {
                round.push(vec![(r + i) % m, (r + m - i) % m]);
            }
            round
        })
        .collect()
}

/// The transversal-design construction for `p` rows of `q` columns (see the
/// module docs), plus the recursive rounds inside the rows when `p | q`.
fn transversal(q: usize, p: usize) -> Option<Vec<DesignRound>> {
    if q < p {
        return None;
    }
    let field = Field::new(q)?;
    let person = |row: usize, col: usize| (row * q + col) as u32;
    let mut rounds: Vec<DesignRound> = (0..q)
        .map(|k| {
            (0..q)
                .map(|t| {
                    (0..p)
                        .map(|i| person(i, field.add(t, field.mul(k, i))))
                        .collect()
                })
                .collect()
        })
        .collect();
    if q.is_multiple_of(p)
        && let Some(inner) = design(q, p)
    {
        for inner_round in inner {
            let mut round = Vec::with_capacity(q);
            for row in 0..p {
                for group in &inner_round {
                    round.push(group.iter().map(|&c| person(row, c as usize)).collect());
                }
            }
            rounds.push(round);
        }
    }
    Some(rounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts every round partitions 0..n into groups of p and no pair meets twice.
    fn assert_repeat_free(n: usize, p: usize, rounds: &[DesignRound]) {
        assert_sizes_and_no_repeats(n, &vec![p; n / p], rounds);
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
        }
        for q in [1, 6, 10, 12, 15] {
            assert!(Field::new(q).is_none(), "{q} is not a prime power");
        }
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
            (64, 4, 21),
            (20, 4, 5),
            (10, 2, 9),
        ] {
            let rounds = design(n, p).unwrap_or_else(|| panic!("{n}/{p}"));
            assert_eq!(rounds.len(), max, "{n} people in groups of {p}");
            assert_repeat_free(n, p, &rounds);
        }
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
    fn rooms_just_short_of_a_design_keep_most_of_it() {
        use crate::matching::group_sizes;
        // (people, group size, repeat-free rounds expected at least)
        for (n, p, at_least) in [(31, 4, 8), (30, 4, 8), (15, 4, 4), (26, 3, 9), (24, 5, 5)] {
            let sizes = group_sizes(n, p);
            let rounds = design_for_sizes(&sizes);
            assert!(rounds.len() >= at_least, "{n}/{p}: {} rounds", rounds.len());
            assert_sizes_and_no_repeats(n, &sizes, &rounds);
        }
    }

    #[test]
    fn thirty_two_in_fours_gets_nine_rounds() {
        let rounds = design(32, 4).unwrap();
        assert_eq!(rounds.len(), 9);
        assert_repeat_free(32, 4, &rounds);
    }

    #[test]
    fn a_single_round_where_no_construction_applies() {
        assert_eq!(design(18, 3).map(|d| d.len()), Some(1)); // 6 is not a prime power
        assert_eq!(design(24, 4).map(|d| d.len()), Some(1));
        assert!(design(30, 4).is_none()); // not a multiple
        assert_repeat_free(18, 3, &design(18, 3).unwrap());
    }
}
