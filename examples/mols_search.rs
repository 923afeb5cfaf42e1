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
//! For orders with a non-cyclic abelian group (24 = 2·2·2·3, …) the
//! squares come quicker from a difference matrix over that group
//! (Handbook of Combinatorial Designs, 2nd ed., on difference matrices: an (n, k; 1) difference
//! matrix over G is a resolvable TD(k, n), so k − 1 squares): rows 0, the
//! identity and maps fᵢ with every difference of two rows a bijection,
//! found by randomised depth-first search, column by column.
//!
//! Run: `cargo run --release --example mols_search -- --order N [--secs S]
//! [--nodes K] [--write]` (a pair, orders up to 16; K search steps per
//! square tried, 200,000 unless given) or `-- --group 2x2x2x3 --squares T
//! [--secs S] [--write]` (T squares of order 24). It prints the line `N : L ; M` (row by row); `--write`
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
    let mut chosen = Vec::with_capacity(n);
    let mut budget = nodes;
    let everything: Vec<usize> = (0..all.len()).collect();
    if !cover(n, &all, &cells, &everything, &mut chosen, &mut budget) {
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

/// Algorithm X on the transversals still disjoint from those chosen
/// (`open`): branch on the uncovered cell with the fewest of them, and
/// pass each branch only the ones disjoint from its choice (about 1/e of
/// them survive a choice, so the lists shrink fast).
fn cover(
    n: usize,
    all: &[Vec<usize>],
    cells: &[Cells],
    open: &[usize],
    chosen: &mut Vec<usize>,
    budget: &mut u64,
) -> bool {
    if chosen.len() == n {
        return true;
    }
    if *budget == 0 || open.is_empty() {
        return false;
    }
    *budget -= 1;
    let mut through = vec![0usize; n * n];
    for &t in open {
        for (r, &c) in all[t].iter().enumerate() {
            through[r * n + c] += 1;
        }
    }
    // Uncovered cells are the ones some open transversal could still
    // take; a covered cell has none. A cell chosen earlier is covered.
    let covered = |bit: usize| {
        chosen
            .iter()
            .any(|&t| cells[t][bit / 64] >> (bit % 64) & 1 == 1)
    };
    let Some(cell) = (0..n * n)
        .filter(|&bit| !covered(bit))
        .min_by_key(|&bit| through[bit])
    else {
        return false;
    };
    if through[cell] == 0 {
        return false;
    }
    let (row, col) = (cell / n, cell % n);
    for &t in open.iter().filter(|&&t| all[t][row] == col) {
        let next: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&u| (0..4).all(|i| cells[u][i] & cells[t][i] == 0))
            .collect();
        chosen.push(t);
        if cover(n, all, cells, &next, chosen, budget) {
            return true;
        }
        chosen.pop();
    }
    false
}

/// An abelian group Z_{m₁} × … × Z_{mₖ}, elements numbered in mixed
/// radix, with its subtraction table.
struct Group {
    n: usize,
    sub: Vec<usize>,
}

impl Group {
    fn new(moduli: &[usize]) -> Group {
        let n: usize = moduli.iter().product();
        let digits = |mut x: usize| {
            moduli
                .iter()
                .map(|&m| {
                    let d = x % m;
                    x /= m;
                    d
                })
                .collect::<Vec<_>>()
        };
        let number = |ds: &[usize]| {
            ds.iter()
                .zip(moduli)
                .rev()
                .fold(0, |acc, (&d, &m)| acc * m + d)
        };
        let mut sub = vec![0; n * n];
        for a in 0..n {
            for b in 0..n {
                let (da, db) = (digits(a), digits(b));
                let ds: Vec<usize> = da
                    .iter()
                    .zip(&db)
                    .zip(moduli)
                    .map(|((&x, &y), &m)| (x + m - y) % m)
                    .collect();
                sub[a * n + b] = number(&ds);
            }
        }
        Group { n, sub }
    }

    fn sub(&self, a: usize, b: usize) -> usize {
        self.sub[a * self.n + b]
    }

    /// `a + b`, as `a − (0 − b)`.
    fn add(&self, a: usize, b: usize) -> usize {
        self.sub(a, self.sub(0, b))
    }
}

/// A difference matrix over `group` with rows 0, the identity and `t`
/// maps `fᵢ` (each `fᵢ(0) = 0`): every difference of two rows is a
/// bijection. Randomised depth-first search over the columns with at most
/// `nodes` steps. The maps are returned; `None` when the budget runs out.
fn difference_matrix(
    group: &Group,
    t: usize,
    nodes: u64,
    rng: &mut Xoshiro256PlusPlus,
) -> Option<Vec<Vec<usize>>> {
    let n = group.n;
    // Rows: 0 = zero, 1 = identity, 2.. = the maps. used[(i·rows + j)·n + d]:
    // difference d of rows j − i taken (i < j).
    let rows = t + 2;
    let mut used = vec![false; rows * rows * n];
    let mut value = vec![vec![0usize; n]; rows];
    value[1] = (0..n).collect();
    // Column 0 is all zeros: every difference 0 taken.
    for i in 0..rows {
        for j in i + 1..rows {
            used[(i * rows + j) * n] = true;
        }
    }
    let mut order: Vec<usize> = (1..n).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    // Variables: (column order[k], row r) for r = 2..rows, in sequence.
    let vars = (n - 1) * t;
    let mut choice = vec![0usize; vars];
    let mut candidates: Vec<Vec<usize>> = vec![Vec::new(); vars];
    let mut budget = nodes;
    let mut v = 0;
    let take =
        |used: &mut Vec<bool>, value: &[Vec<usize>], x: usize, r: usize, y: usize, on: bool| {
            for i in 0..r {
                used[(i * rows + r) * n + group.sub(y, value[i][x])] = on;
            }
        };
    let free = |used: &[bool], value: &[Vec<usize>], x: usize, r: usize, y: usize| {
        (0..r).all(|i| !used[(i * rows + r) * n + group.sub(y, value[i][x])])
    };
    let mut fresh = true;
    loop {
        if v == vars {
            return Some(value[2..].to_vec());
        }
        if budget == 0 {
            return None;
        }
        budget -= 1;
        let (x, r) = (order[v / t], 2 + v % t);
        if fresh {
            let mut c: Vec<usize> = (0..n).filter(|&y| free(&used, &value, x, r, y)).collect();
            for i in (1..c.len()).rev() {
                c.swap(i, rng.random_range(0..=i));
            }
            candidates[v] = c;
            choice[v] = 0;
        } else {
            // Back from v + 1: undo this variable's value, try the next.
            take(&mut used, &value, x, r, value[r][x], false);
            choice[v] += 1;
        }
        if let Some(&y) = candidates[v].get(choice[v]) {
            value[r][x] = y;
            take(&mut used, &value, x, r, y, true);
            v += 1;
            fresh = true;
        } else if v == 0 {
            return None;
        } else {
            v -= 1;
            fresh = false;
        }
    }
}

/// The `t + 1` Latin squares of a difference matrix with rows 0, the
/// identity and the maps `fᵢ`: its transversal design's block through
/// `(0, r)` and `(1, c)` is column `x = c − r` shifted by `r`, so the
/// squares are `L₀(r, c) = c − r` (which column: the resolution class)
/// and `Lᵢ(r, c) = fᵢ(c − r) + r`.
fn squares_of(group: &Group, maps: &[Vec<usize>]) -> Vec<Vec<Vec<usize>>> {
    let n = group.n;
    let class: Vec<Vec<usize>> = (0..n)
        .map(|r| (0..n).map(|c| group.sub(c, r)).collect())
        .collect();
    let mut out = vec![class];
    out.extend(maps.iter().map(|f| {
        (0..n)
            .map(|r| (0..n).map(|c| group.add(f[group.sub(c, r)], r)).collect())
            .collect()
    }));
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let secs: u64 = value("--secs").and_then(|s| s.parse().ok()).unwrap_or(60);
    let write = args.iter().any(|a| a == "--write");
    let start = Instant::now();
    let rows = |s: &[Vec<usize>]| {
        s.iter()
            .map(|r| r.iter().map(usize::to_string).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(spec) = value("--group") {
        let moduli: Vec<usize> = spec.split('x').filter_map(|m| m.parse().ok()).collect();
        // t maps beside the zero and identity rows: t + 1 squares.
        let squares: usize = value("--squares").and_then(|s| s.parse().ok()).unwrap_or(2);
        let t = squares.saturating_sub(1);
        if moduli.is_empty() || moduli.iter().any(|&m| m < 2) || t < 1 {
            eprintln!("usage: mols_search --group 2x2x2x3 --squares T [--secs S] [--write]");
            std::process::exit(2);
        }
        let group = Group::new(&moduli);
        let n = group.n;
        let mut seed = 0;
        while start.elapsed() < Duration::from_secs(secs) {
            seed += 1;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let Some(maps) = difference_matrix(&group, t, 2_000_000, &mut rng) else {
                continue;
            };
            let squares = squares_of(&group, &maps);
            let all_pairs =
                (0..=t).all(|i| (i + 1..=t).all(|j| orthogonal(n, &squares[i], &squares[j])));
            if !all_pairs {
                eprintln!("seed {seed}: the squares do not check; not written");
                std::process::exit(1);
            }
            let body: Vec<String> = squares.iter().map(|s| rows(s)).collect();
            let line = format!("{n} : {}", body.join(" ; "));
            println!(
                "order {n}: {} squares over Z_{spec} in {:.1} s (seed {seed})",
                t + 1,
                start.elapsed().as_secs_f64()
            );
            println!("{line}");
            if write {
                append(&line);
            }
            return;
        }
        println!("order {n}: no difference matrix over Z_{spec} in {secs} s");
        return;
    }
    let Some(n) = value("--order")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| (3..=16).contains(&n))
    else {
        eprintln!("usage: mols_search --order N [--secs S] [--write]  (3 ≤ N ≤ 16)");
        std::process::exit(2);
    };
    // Search steps for one square's mate before the next square is drawn.
    let nodes: u64 = value("--nodes")
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let mut seed = 0;
    while start.elapsed() < Duration::from_secs(secs) {
        seed += 1;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let l = random_square(n, 50 * n * n, &mut rng);
        let Some(m) = mate(n, &l, nodes) else {
            continue;
        };
        let line = format!("{n} : {} ; {}", rows(&l), rows(&m));
        println!(
            "order {n}: a pair in {:.1} s (seed {seed})",
            start.elapsed().as_secs_f64()
        );
        println!("{line}");
        if write {
            append(&line);
        }
        return;
    }
    println!("order {n}: none found in {secs} s");
}

/// Appends a line to `mols.txt`.
fn append(line: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/matching/design/mols.txt");
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    text.push_str(line);
    text.push('\n');
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("cannot write {path}: {e}");
        std::process::exit(1);
    }
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
