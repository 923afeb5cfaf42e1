//! Kirkman triple systems of orders `3q` and `2q + 1`: people in threes
//! for `(v − 1)/2` rounds in which everyone meets everyone exactly once,
//! for `q ≡ 1 (mod 6)` a prime power (`3q`: 21, 39, 57, 75, 93, 111, 129,
//! 147; `2q + 1`: 15, 27, 39, 51, 63, 75, 87, 99, 123, 135, 147).
//!
//! ## `v = 3q`
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
//!
//! ## `v = 2q + 1`
//!
//! Source: the 1-rotational construction over GF(q) × {1, 2} ∪ {∞}
//! (Ray-Chaudhuri & Wilson 1971; Stinson 1991, Construction 1.1). One base
//! class, developed by the `q` translations, gives all `q = (v − 1)/2`
//! rounds. With `q = 6t + 1`, ω primitive, ε = ω^{2t} a cube root of unity
//! and `S` the powers ω^e with ⌊e/t⌋ even (a union of cosets of ⟨ε⟩; −S is
//! the other half of the non-zero elements), the base class is
//!
//! - `{∞, 0₁, 0₂}`,
//! - `{ωⁱ₁, ω^{i+2t}₁, ω^{i+4t}₁}` for `0 ≤ i < t` (row 1's points in `S`;
//!   their differences are every non-zero element once),
//! - `{y₁, (a·y)₂, (−a·y)₂}` for every `y ∈ −S` (row 1's other points;
//!   row 2's pairs `±a·y` cover row 2 and their differences `±2a·y` are
//!   every non-zero element once).
//!
//! The mixed differences `a·y − y` and `−a·y − y` cover the non-zero
//! elements once when `(a − 1)/(a + 1)` maps `−S` onto itself, as
//! `a = (1 + ε)/(1 − ε)` does; every `a` is tried in turn and the first
//! schedule that checks repeat-free pair by pair is used.

use super::DesignRound;
use super::field::{Field, Point, develop_class, translate};

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

/// The Kirkman triple system on `v = 2q + 1` people, or `None` when `q` is
/// not a prime power ≡ 1 (mod 6). Person `r·q + x` is `x` in row `r`
/// (rows 0 and 1), person `2q` is ∞.
pub(super) fn kts_2q1(v: usize) -> Option<Vec<DesignRound>> {
    if v < 15 || v.is_multiple_of(2) {
        return None;
    }
    let q = (v - 1) / 2;
    if q % 6 != 1 {
        return None;
    }
    let f = Field::new(q)?;
    let t = (q - 1) / 6;
    let eps = f.exp[2 * t];
    // a = (1 + ε)/(1 − ε) first, then every other element.
    let formula = f.mul(f.add(1, eps), f.inv(f.add(1, f.neg(eps))));
    let candidates = std::iter::once(formula).chain((2..q).filter(|&a| a != formula));
    for a in candidates {
        let rounds = build_2q1(&f, t, a);
        if super::is_repeat_free(v, &rounds) {
            return Some(rounds);
        }
    }
    None
}

fn build_2q1(f: &Field, t: usize, a: usize) -> Vec<DesignRound> {
    let power = |e: usize| f.exp[e % (f.q - 1)];
    let mut class: Vec<Vec<Point>> = vec![vec![Point::Infinity, Point::At(0, 0), Point::At(0, 1)]];
    for i in 0..t {
        class.push((0..3).map(|k| Point::At(power(i + 2 * k * t), 0)).collect());
    }
    for e in (0..6 * t).filter(|e| (e / t) % 2 == 1) {
        let y = power(e);
        let ay = f.mul(a, y);
        class.push(vec![
            Point::At(y, 0),
            Point::At(ay, 1),
            Point::At(f.neg(ay), 1),
        ]);
    }
    develop_class(f, 2, &class)
}

fn build(f: &Field) -> Vec<DesignRound> {
    let q = f.q;
    let t = (q - 1) / 6;
    let power = |i: usize| f.exp[i % (q - 1)];
    let across = |i: usize| {
        vec![
            Point::At(power(i), 0),
            Point::At(power(i + 2 * t), 1),
            Point::At(power(i + 4 * t), 2),
        ]
    };
    let mut class: Vec<Vec<Point>> = vec![vec![Point::At(0, 0), Point::At(0, 1), Point::At(0, 2)]];
    for i in 0..t {
        for j in 0..3 {
            class.push((0..3).map(|k| Point::At(power(i + 2 * k * t), j)).collect());
        }
    }
    class.extend((0..6 * t).filter(|i| (i / t) % 2 == 1).map(across));
    let mut rounds = develop_class(f, 3, &class);
    for i in (0..6 * t).filter(|i| (i / t).is_multiple_of(2)) {
        let block = across(i);
        rounds.push((0..q).map(|s| translate(f, 3, &block, s)).collect());
    }
    rounds
}
