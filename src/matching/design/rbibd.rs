//! Resolvable (3q+1, 4, 1) designs: `3q + 1` people in groups of 4 for `q`
//! rounds in which everyone meets everyone exactly once, for `q ≡ 1
//! (mod 4)` a prime power (28, 40, 52, 76, 88, 112, 124, 148 people; 16 is
//! the affine plane).
//!
//! Source: Beth, Jungnickel & Lenz, *Design Theory* (2nd ed.), Theorem
//! VII.7.5(a); the designs of Hanani, Ray-Chaudhuri & Wilson (1972). People
//! are GF(q) × {0, 1, 2} ∪ {∞}. With ω primitive and `q = 4t + 1`, the
//! first round is
//!
//! `{0₀, 0₁, 0₂, ∞}` and `{ωⁱ_j, −ωⁱ_j, (e·ωⁱ)_{j+1}, (−e·ωⁱ)_{j+1}}` for
//! `0 ≤ i < t`, `j ∈ Z₃`,
//!
//! and round `s ∈ GF(q)` adds `s` to every finite point. The pure
//! differences of row `j` are `±2ωⁱ, ±2eωⁱ` and the mixed ones between rows
//! `j` and `j+1` are `±(e−1)ωⁱ, ±(e+1)ωⁱ`: each non-zero element once when
//! `e` lies in the coset ω^t·⟨ω^{2t}⟩ and so does `(e+1)/(e−1)`. Such an `e`
//! is looked for among all elements and the result is checked pair by pair.

use super::DesignRound;
use super::field::{Field, Point, develop_class};

/// The design for `v = 3q + 1` people, or `None` when `q` is not a prime
/// power ≡ 1 (mod 4) or no multiplier `e` works.
pub(super) fn rbibd4(v: usize) -> Option<Vec<DesignRound>> {
    if v < 4 || !(v - 1).is_multiple_of(3) {
        return None;
    }
    let q = (v - 1) / 3;
    if q % 4 != 1 {
        return None;
    }
    let f = Field::new(q)?;
    let t = (q - 1) / 4;
    (1..q).find_map(|e| {
        let rounds = build(&f, t, e);
        super::is_repeat_free(v, &rounds).then_some(rounds)
    })
}

fn build(f: &Field, t: usize, e: usize) -> Vec<DesignRound> {
    let mut base: Vec<Vec<Point>> = vec![vec![
        Point::At(0, 0),
        Point::At(0, 1),
        Point::At(0, 2),
        Point::Infinity,
    ]];
    for i in 0..t {
        let w = f.exp[i];
        let ew = f.mul(e, w);
        for j in 0..3 {
            let next = (j + 1) % 3;
            base.push(vec![
                Point::At(w, j),
                Point::At(f.neg(w), j),
                Point::At(ew, next),
                Point::At(f.neg(ew), next),
            ]);
        }
    }
    develop_class(f, 3, &base)
}
