//! The offline program behind the engine's pairs of orthogonal Latin
//! squares (`src/matching/design/mols.txt`), for orders the finite fields
//! do not give: 10, 14, … (n ≡ 2 mod 4, where MacNeish's products fail
//! because 2 has no pair). Such a pair is a resolvable transversal design
//! RTD(3, n), which the filling construction (`fill.rs`) inflates with:
//! 90 and 150 people in threes come from inflating by 10, 126 by 14.
//!
//! Method: a Latin square L is drawn by random cycle switches from the
//! cyclic square (a cyclic square of even order has no transversal, so it
//! never has a mate; `50·n²` switches leave that family), its transversals
//! are listed, and a mate M is an exact cover of the cells by `n` disjoint
//! transversals (symbol `k` of M on the `k`-th), found by backtracking on
//! the uncovered cell with the fewest transversals left (Knuth's rule for
//! Algorithm X). The pair is checked orthogonal again before it is
//! printed. Orders up to 16 (cells are bits of a 256-bit set).
//!
//! Run: `cargo run --release --example mols_search -- --order N [--secs S]
//! [--write]`. It prints the line `N : L ; M` (row by row); `--write`
//! appends it to `mols.txt`. The time limit is this program's business;
//! the engine only reads the file.

use std::time::{Duration, Instant};

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// A random Latin square of order `n`: the cyclic square after `switches`
/// row cycle switches.
fn random_square(n: usize, switches: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<Vec<usize>> {
    let mut l: Vec<Vec<usize>> = (0..n)
        .map(|r| (0..n).map(|c| (r + c) % n).collect())
        .collect();
    for _ in 0..switches {
        let (r1, r2) = (rng.random_range(0..n), rng.random_range(0..n));
        if r1 == r2 {
            continue;
        }
        // Swap the two rows along the cycle through column c.
        let mut c = rng.random_range(0..n);
        let start = l[r1][c];
        loop {
            let (a, b) = (l[r1][c], l[r2][c]);
            l[r1][c] = b;
            l[r2][c] = a;
            if b == start {
                break;
            }
            // Row r1 now has b twice: the other copy's column is next.
            let Some(next) = (0..n).find(|&d| d != c && l[r1][d] == b) else {
                break;
            };
            c = next;
        }
    }
    l
}

/// True when `l` and `m` are Latin squares of order `n` and orthogonal.
fn orthogonal(n: usize, l: &[Vec<usize>], m: &[Vec<usize>]) -> bool {
    let latin = |s: &[Vec<usize>]| {
        (0..n).all(|i| {
            let mut row = vec![false; n];
            let mut col = vec![false; n];
            (0..n).all(|j| {
                let (a, b) = (s[i][j], s[j][i]);
                a < n
                    && b < n
                    && !std::mem::replace(&mut row[a], true)
                    && !std::mem::replace(&mut col[b], true)
            })
        })
    };
    let mut pairs = vec![false; n * n];
    latin(l)
        && latin(m)
        && (0..n)
            .all(|r| (0..n).all(|c| !std::mem::replace(&mut pairs[l[r][c] * n + m[r][c]], true)))
}

/// Cells as bits: row `r`, column `c` is bit `r·n + c` (n ≤ 16).
type Cells = [u64; 4];

/// Looks for a mate of `l`: `n` disjoint transversals (an exact cover of
/// the cells), by backtracking on the uncovered cell with the fewest
/// transversals left, at most `nodes` steps. Transversal `k` of the cover
/// is where the mate has symbol `k`.
fn mate(n: usize, l: &[Vec<usize>], nodes: u64) -> Option<Vec<Vec<usize>>> {
    let all = transversals(n, l, 5_000_000);
    eprintln!("  {} transversals", all.len());
    let cells: Vec<Cells> = all
        .iter()
        .map(|cols| {
            let mut b = [0u64; 4];
            for (r, &c) in cols.iter().enumerate() {
                let bit = r * n + c;
                b[bit / 64] |= 1 << (bit % 64);
            }
            b
        })
        .collect();
    // by_cell[bit]: the transversals through that cell.
    let mut by_cell: Vec<Vec<usize>> = vec![Vec::new(); n * n];
    for (t, cols) in all.iter().enumerate() {
        for (r, &c) in cols.iter().enumerate() {
            by_cell[r * n + c].push(t);
        }
    }
    let mut chosen = Vec::with_capacity(n);
    let mut budget = nodes;
    if !cover(n, &cells, &by_cell, [0; 4], &mut chosen, &mut budget) {
        return None;
    }
    let mut m = vec![vec![0; n]; n];
    for (k, &t) in chosen.iter().enumerate() {
        for (r, &c) in all[t].iter().enumerate() {
            m[r][c] = k;
        }
    }
    orthogonal(n, l, &m).then_some(m)
}

fn cover(
    n: usize,
    cells: &[Cells],
    by_cell: &[Vec<usize>],
    used: Cells,
    chosen: &mut Vec<usize>,
    budget: &mut u64,
) -> bool {
    if chosen.len() == n {
        return true;
    }
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let free = |t: usize| (0..4).all(|i| cells[t][i] & used[i] == 0);
    // The uncovered cell with the fewest transversals still free.
    let mut pick: Option<(usize, Vec<usize>)> = None;
    for bit in 0..n * n {
        if used[bit / 64] >> (bit % 64) & 1 == 1 {
            continue;
        }
        let options: Vec<usize> = by_cell[bit].iter().copied().filter(|&t| free(t)).collect();
        if pick.as_ref().is_none_or(|(_, o)| options.len() < o.len()) {
            let empty = options.is_empty();
            pick = Some((bit, options));
            if empty {
                return false;
            }
        }
    }
    let Some((_, options)) = pick else {
        return false;
    };
    for t in options {
        let mut next = used;
        for i in 0..4 {
            next[i] |= cells[t][i];
        }
        chosen.push(t);
        if cover(n, cells, by_cell, next, chosen, budget) {
            return true;
        }
        chosen.pop();
    }
    false
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let Some(n) = value("--order")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| (3..=16).contains(&n))
    else {
        eprintln!("usage: mols_search --order N [--secs S] [--write]  (3 ≤ N ≤ 16)");
        std::process::exit(2);
    };
    let secs: u64 = value("--secs").and_then(|s| s.parse().ok()).unwrap_or(60);
    let write = args.iter().any(|a| a == "--write");
    let start = Instant::now();
    let mut seed = 0;
    while start.elapsed() < Duration::from_secs(secs) {
        seed += 1;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let l = random_square(n, 50 * n * n, &mut rng);
        let Some(m) = mate(n, &l, 2_000_000) else {
            continue;
        };
        let rows = |s: &[Vec<usize>]| {
            s.iter()
                .map(|r| r.iter().map(usize::to_string).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let line = format!("{n} : {} ; {}", rows(&l), rows(&m));
        println!(
            "order {n}: a pair in {:.1} s (seed {seed})",
            start.elapsed().as_secs_f64()
        );
        println!("{line}");
        if write {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/matching/design/mols.txt");
            let mut text = std::fs::read_to_string(path).unwrap_or_default();
            text.push_str(&line);
            text.push('\n');
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("cannot write {path}: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    println!("order {n}: none found in {secs} s");
}

/// Transversals of `l` (one cell per row, column and symbol), as the
/// column of each row; at most `cap` of them.
fn transversals(n: usize, l: &[Vec<usize>], cap: usize) -> Vec<Vec<usize>> {
    /// The walk: columns chosen so far (one per row), and what they use.
    struct Walk<'a> {
        n: usize,
        l: &'a [Vec<usize>],
        cols: Vec<usize>,
        used_col: Vec<bool>,
        used_symbol: Vec<bool>,
        out: Vec<Vec<usize>>,
        cap: usize,
    }
    impl Walk<'_> {
        fn go(&mut self, r: usize) {
            if self.out.len() >= self.cap {
                return;
            }
            if r == self.n {
                self.out.push(self.cols.clone());
                return;
            }
            for c in 0..self.n {
                let s = self.l[r][c];
                if self.used_col[c] || self.used_symbol[s] {
                    continue;
                }
                self.used_col[c] = true;
                self.used_symbol[s] = true;
                self.cols.push(c);
                self.go(r + 1);
                self.cols.pop();
                self.used_col[c] = false;
                self.used_symbol[s] = false;
            }
        }
    }
    let mut walk = Walk {
        n,
        l,
        cols: Vec::with_capacity(n),
        used_col: vec![false; n],
        used_symbol: vec![false; n],
        out: Vec::new(),
        cap,
    };
    walk.go(0);
    walk.out
}
