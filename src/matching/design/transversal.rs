//! Resolvable transversal designs, and the round robin for pairs.
//!
//! - **Resolvable transversal designs** RTD(p, g): `n = p·g` people as `p`
//!   rows of `g` columns. The columns are the elements of a ring
//!   R = GF(q₁) × … × GF(qₛ) with `g = q₁⋯qₛ` (the prime-power factors of
//!   `g`: MacNeish's product construction of mutually orthogonal Latin
//!   squares, Handbook of Combinatorial Designs III.3.3), and row `i` is
//!   labelled `eᵢ = (i, …, i)`, which needs `p ≤ min qⱼ` so that every
//!   `eᵢ − eⱼ` is invertible. In round `k ∈ R`, group `t ∈ R` is
//!   `{(i, t + k·eᵢ)}`: one person per row. Two people in different rows
//!   meet in exactly one round (`b − a = k(eᵢ − eⱼ)` has one solution `k`);
//!   people in one row never meet. That is `g` repeat-free rounds.
//! - **The cyclic rounds** over Z_g, for any `g` (the Latin squares
//!   `L_k(i, t) = t + k·i mod g`, Handbook of Combinatorial Designs
//!   III.3.1): round `k` groups `{(i, t + k·i mod g)}` as above. People in
//!   rows `i ≠ j` meet in rounds `k` and `k'` only if
//!   `(k − k')(j − i) ≡ 0 (mod g)`, so rounds `0..R` are repeat-free for
//!   `R = min over d = 1..p−1 of g / gcd(d, g)`: 1,000 people in fours
//!   (g = 250) have 125 rounds, 10,000 have 1,250, at the cost of additions
//!   modulo `g`. Where the product ring does not reach `p` rows (250 = 2·5³
//!   has the factor 2 < 4), these are the rounds there are; where it does,
//!   they are the quicker build of the first `R`.
//! - **"+G" inner rounds** (Miller, Valkov & Abel, "Combinatorial solutions
//!   to the social golfer problem", Symmetry 18(2):269, 2026, Section 4):
//!   the rows are `p` sets of `g` people who never met, so when `p | g`
//!   every row is split at once by any schedule for `g` people in groups of
//!   `p`: `g + rounds(g, p)` rounds. This gives the affine planes (16 in 4s:
//!   4 + 1 = 5; 25 in 5s: 6), 27 in 3s (9 + 4 = 13) and 64 in 4s (16 + 5).
//! - **Round robin** for pairs: an even number of people meet everyone in
//!   `n − 1` rounds (the circle method).

use super::DesignRound;
use super::field::Field;

/// The circle method: `n` (even) people, `n − 1` rounds of pairs.
pub(super) fn round_robin(n: usize) -> Vec<DesignRound> {
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

/// The prime-power factors of `g` (e.g. 12 → [4, 3]).
pub(super) fn prime_power_factors(mut g: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut d = 2;
    while g > 1 {
        if g.is_multiple_of(d) {
            let mut q = 1;
            while g.is_multiple_of(d) {
                g /= d;
                q *= d;
            }
            out.push(q);
        }
        d += 1;
    }
    out
}

/// The ring GF(q₁) × … × GF(qₛ), elements numbered `0..g` in mixed radix.
struct ProductRing {
    fields: Vec<Field>,
}

impl ProductRing {
    fn new(g: usize) -> Option<ProductRing> {
        let fields = prime_power_factors(g)
            .into_iter()
            .map(Field::new)
            .collect::<Option<Vec<_>>>()?;
        Some(ProductRing { fields })
    }

    /// `t + k·e` where `e = (i, …, i)`, digit by digit (mixed radix, no
    /// allocation: a build for 10,000 people calls this 100,000 times).
    fn affine(&self, t: usize, k: usize, i: usize) -> usize {
        let (mut t, mut k, mut out, mut place) = (t, k, 0, 1);
        for f in &self.fields {
            let (td, kd) = (t % f.q, k % f.q);
            out += f.add(td, f.mul(kd, i)) * place;
            t /= f.q;
            k /= f.q;
            place *= f.q;
        }
        out
    }
}

/// Repeat-free rounds of the cyclic construction for `p` rows of `g`.
pub(super) fn cyclic_reach(g: usize, p: usize) -> usize {
    (1..p).map(|d| g / gcd(d, g)).min().unwrap_or(g)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The product ring for `p` rows of `g` columns, when it reaches them
/// (every prime-power factor of `g` at least `p`).
fn ring_for(g: usize, p: usize) -> Option<ProductRing> {
    let smallest = prime_power_factors(g).into_iter().min()?;
    if smallest >= p {
        ProductRing::new(g)
    } else {
        None
    }
}

/// Rounds `0..count` of `p` rows of `g` (person `row·g + column`): group
/// `t` of round `k` holds row `i`'s person in column `column(t, k, i)`.
fn by_column(
    g: usize,
    p: usize,
    count: usize,
    column: impl Fn(usize, usize, usize) -> usize,
) -> Vec<DesignRound> {
    (0..count)
        .map(|k| {
            (0..g)
                .map(|t| (0..p).map(|i| (i * g + column(t, k, i)) as u32).collect())
                .collect()
        })
        .collect()
}

/// Exactly the `g` rounds of a resolvable transversal design RTD(p, g)
/// (person `row·g + column`), when the product ring reaches `p` rows or
/// `mols.txt` has the squares; `None` otherwise. The filling construction
/// inflates with these.
pub(super) fn rtd(g: usize, p: usize) -> Option<Vec<DesignRound>> {
    if p < 2 {
        return None;
    }
    match ring_for(g, p) {
        Some(ring) => Some(by_column(g, p, g, |t, k, i| ring.affine(t, k, i))),
        None => super::mols::rtd(g, p),
    }
}

/// `p` rows of `g` people who never meet within a row: RTD(p, g) when the
/// product ring reaches `p` rows, else the cyclic rounds (see the module
/// docs), plus the inner rounds when `p | g`; `None` when `g < p`.
pub(super) fn transversal(g: usize, p: usize, limit: usize) -> Option<Vec<DesignRound>> {
    if g < p || p < 2 {
        return None;
    }
    let reach = cyclic_reach(g, p);
    let ring = if limit > reach { ring_for(g, p) } else { None };
    let mut rounds = match &ring {
        Some(ring) => by_column(g, p, g.min(limit), |t, k, i| ring.affine(t, k, i)),
        None => by_column(g, p, reach.min(limit), |t, k, i| (t + k * i) % g),
    };
    let built = rounds.len();
    if g.is_multiple_of(p)
        && limit > built
        && let Some(inner) = super::design_upto(g, p, limit - built)
    {
        rounds.extend(super::inside_rows(&inner, p, g));
    }
    Some(rounds)
}
