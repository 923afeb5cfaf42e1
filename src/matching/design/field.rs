//! Finite fields GF(q) for the constructions, elements numbered `0..q`,
//! and the development of base blocks over them.
//!
//! Nothing here is a `q × q` table: addition adds base-p digits, and
//! multiplication adds logarithms (tables of `q` entries). A table of
//! `q²` entries cost 60 ms for GF(625), the field 10,000 people in fours
//! are seated over.

use super::DesignRound;

/// A finite field GF(q), q = pᵏ a prime power, elements numbered `0..q`
/// (base-p digits are the coefficients of a polynomial over GF(p)).
pub(crate) struct Field {
    pub q: usize,
    /// The characteristic: addition is digit-wise modulo `p`.
    p: usize,
    /// `exp[i]` is ω^i for a primitive element ω (a generator of the
    /// non-zero elements), `0 ≤ i < q − 1`.
    pub exp: Vec<usize>,
    /// `log[x]` is the `i` with ω^i = x (`log[0]` is unused).
    log: Vec<usize>,
}

impl Field {
    /// The field of order `q`, or `None` when `q` is not a prime power.
    pub fn new(q: usize) -> Option<Field> {
        let (p, k) = prime_power(q)?;
        // Find a monic polynomial x^k + c(x) for which x generates every
        // non-zero element (for k = 1: a primitive root modulo p).
        let mut digits = vec![0usize; k];
        let mut tail = vec![0usize; k];
        let mut seen = vec![false; q];
        for c in 0..q {
            let mut x = c;
            for t in tail.iter_mut() {
                *t = x % p;
                x /= p;
            }
            digits.fill(0);
            digits[0] = 1;
            seen.fill(false);
            let mut exp = Vec::with_capacity(q - 1);
            for _ in 0..q - 1 {
                let x = digits.iter().rev().fold(0, |acc, &d| acc * p + d);
                if x == 0 || seen[x] {
                    break;
                }
                seen[x] = true;
                exp.push(x);
                // digits · x modulo (x^k + tail): shift up, fold the top back.
                let top = digits[k - 1];
                for i in (1..k).rev() {
                    digits[i] = digits[i - 1];
                }
                digits[0] = 0;
                for (d, &t) in digits.iter_mut().zip(&tail) {
                    *d = (*d + p - (top * t) % p) % p;
                }
            }
            if exp.len() != q - 1 {
                continue;
            }
            let mut log = vec![0; q];
            for (i, &x) in exp.iter().enumerate() {
                log[x] = i;
            }
            return Some(Field { q, p, exp, log });
        }
        None
    }

    pub fn add(&self, a: usize, b: usize) -> usize {
        if self.p == self.q {
            return (a + b) % self.q;
        }
        let (mut a, mut b, mut sum, mut place) = (a, b, 0, 1);
        while a > 0 || b > 0 {
            sum += ((a % self.p + b % self.p) % self.p) * place;
            a /= self.p;
            b /= self.p;
            place *= self.p;
        }
        sum
    }

    pub fn mul(&self, a: usize, b: usize) -> usize {
        if a == 0 || b == 0 {
            return 0;
        }
        self.exp[(self.log[a] + self.log[b]) % (self.q - 1)]
    }

    /// `1/a` (`0` for `a = 0`).
    pub fn inv(&self, a: usize) -> usize {
        if a == 0 {
            return 0;
        }
        self.exp[(self.q - 1 - self.log[a]) % (self.q - 1)]
    }

    /// `-a`.
    pub fn neg(&self, a: usize) -> usize {
        let (mut a, mut out, mut place) = (a, 0, 1);
        while a > 0 {
            out += ((self.p - a % self.p) % self.p) * place;
            a /= self.p;
            place *= self.p;
        }
        out
    }
}

/// A place in a design over GF(q) × rows: an element in a row, or the
/// point ∞ that translations leave in place.
#[derive(Debug, Clone, Copy)]
pub(super) enum Point {
    At(usize, usize),
    Infinity,
}

/// `block` translated by `s`, as person numbers: element `x` in row `r`
/// is person `r·q + x`, ∞ is person `rows·q`.
pub(super) fn translate(f: &Field, rows: usize, block: &[Point], s: usize) -> Vec<u32> {
    block
        .iter()
        .map(|pt| match *pt {
            Point::At(x, row) => (row * f.q + f.add(x, s)) as u32,
            Point::Infinity => (rows * f.q) as u32,
        })
        .collect()
}

/// The `q` translates of a base class: `q` rounds (the development of
/// the cyclic constructions over GF(q)).
pub(super) fn develop_class(f: &Field, rows: usize, class: &[Vec<Point>]) -> Vec<DesignRound> {
    (0..f.q)
        .map(|s| class.iter().map(|b| translate(f, rows, b, s)).collect())
        .collect()
}

/// `Some((p, k))` when `q = pᵏ` for a prime `p` and `k ≥ 1`.
pub(crate) fn prime_power(q: usize) -> Option<(usize, usize)> {
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
