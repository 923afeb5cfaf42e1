//! Kirkman triple systems of order `3q`: `3q` people in threes for
//! `(3q − 1)/2` rounds in which everyone meets everyone exactly once, for
//! `q ≡ 1 (mod 6)` a prime power (21, 39, 57, 75, 93, 111, 129 and 147
//! people).
//!
//! Source: the `v = 3q` direct construction of Kirkman triple systems
//! (Ray-Chaudhuri & Wilson 1971; Stinson, "A survey of Kirkman triple
//! systems and related designs", *Discrete Math.* 92 (1991), Construction
//! 1.2). People are GF(q) × {0, 1, 2}; with ω primitive and `q = 6t + 1`,
//! the blocks are
//!
//! - `Z = {0₀, 0₁, 0₂}`,
//! - `B_{i,j} = {ωⁱ_j, ω^{i+2t}_j, ω^{i+4t}_j}` for `0 ≤ i < t`, `j ∈ {0,1,2}`
//!   (the cosets of the cube roots of unity, inside one row),
//! - `A_i = {ωⁱ_0, ω^{i+2t}_1, ω^{i+4t}_2}` for `0 ≤ i < 6t` (across rows).
//!
//! One class `C` is `Z`, every `B_{i,j}` and the `A_i` with `⌊i/t⌋` odd; its
//! `q` translates `C + s` are `q` rounds. Each `A_i` with `⌊i/t⌋` even gives
//! one more round on its own, its `q` translates (one point per row each,
//! so they partition everyone): `q + 3t = (3q − 1)/2` rounds. The result is
//! checked pair by pair before it is used.

use super::DesignRound;
use super::field::Field;

/// The Kirkman triple system on `v = 3q` people, or `None` when `q` is not
/// a prime power ≡ 1 (mod 6).
pub(super) fn kts_3q(v: usize) -> Option<Vec<DesignRound>> {
    if !v.is_multiple_of(3) {
        return None;
    }
    let q = v / 3;
    if q % 6 != 1 || q < 7 {
        return None;
    }
    let f = Field::new(q)?;
    let rounds = build(&f);
    super::is_repeat_free(v, &rounds).then_some(rounds)
}

fn build(f: &Field) -> Vec<DesignRound> {
    let q = f.q;
    let t = (q - 1) / 6;
    let power = |i: usize| f.exp[i % (q - 1)];
    let across = |i: usize| vec![(power(i), 0), (power(i + 2 * t), 1), (power(i + 4 * t), 2)];
    let mut class: Vec<Vec<(usize, usize)>> = vec![vec![(0, 0), (0, 1), (0, 2)]];
    for i in 0..t {
        for j in 0..3 {
            class.push(vec![
                (power(i), j),
                (power(i + 2 * t), j),
                (power(i + 4 * t), j),
            ]);
        }
    }
    class.extend((0..6 * t).filter(|i| (i / t) % 2 == 1).map(across));
    let translate = |block: &[(usize, usize)], s: usize| -> Vec<u32> {
        block
            .iter()
            .map(|&(x, row)| (row * q + f.add(x, s)) as u32)
            .collect()
    };
    let mut rounds: Vec<DesignRound> = (0..q)
        .map(|s| class.iter().map(|b| translate(b, s)).collect())
        .collect();
    for i in (0..6 * t).filter(|i| (i / t).is_multiple_of(2)) {
        let block = across(i);
        rounds.push((0..q).map(|s| translate(&block, s)).collect());
    }
    rounds
}
