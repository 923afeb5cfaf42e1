//! Finite fields GF(q) for the constructions: addition and multiplication
//! tables over elements numbered `0..q`.

/// A finite field GF(q), q = pᵏ a prime power, elements numbered `0..q`
/// (base-p digits are the coefficients of a polynomial over GF(p)).
pub(crate) struct Field {
    pub q: usize,
    add: Vec<usize>,
    mul: Vec<usize>,
    /// `exp[i]` is ω^i for a primitive element ω (a generator of the
    /// non-zero elements).
    pub exp: Vec<usize>,
}

impl Field {
    /// The field of order `q`, or `None` when `q` is not a prime power.
    pub fn new(q: usize) -> Option<Field> {
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
            return Some(Field { q, add, mul, exp });
        }
        None
    }

    pub fn add(&self, a: usize, b: usize) -> usize {
        self.add[a * self.q + b]
    }

    pub fn mul(&self, a: usize, b: usize) -> usize {
        self.mul[a * self.q + b]
    }

    /// `-a`.
    pub fn neg(&self, a: usize) -> usize {
        (0..self.q).find(|&b| self.add(a, b) == 0).unwrap_or(0)
    }
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
