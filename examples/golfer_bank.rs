//! The offline program that fills the engine's bank of starters
//! (`src/matching/design/bank.txt`).
//!
//! For every social-golfer size up to 150 people in groups of 3 to 8 where
//! the engine's general constructions fall short of the best known (or, if
//! none is published, of the counting bound), it searches for a starter
//! round (see `src/matching/design/develop.rs`) whose cyclic development
//! reaches that number. The shapes, in the order tried: `p` rows of Z_g
//! (g groups) with one starter round and orbit blocks for the rounds past
//! `g`; `m` = the target rounds (or a half, a third), the people split
//! into `rows` copies of Z_m plus fixed points; and, where the group size
//! divides the number of groups, `p` rows of Z_g with inner rounds; for
//! Kirkman systems of order 6u + 3, first a Kirkman frame of type 6^u
//! (see `develop.rs`). Every
//! starter found is developed and checked repeat-free before it is written.
//!
//! Run: `cargo run --release --example golfer_bank -- [--secs S] [--only N/P]
//! [--steps K] [--exact] [--write]` (K tabu steps a seed, 200,000 unless
//! given; with `--exact`, the exact-cover search of `exact_search.rs`
//! instead, K branching steps a seed, on the shapes without orbit
//! blocks).
//! Without `--write` it only prints what it finds. S is the search time
//! per shape tried (default 20 s). The time limit is this
//! program's business; the engine only ever reads the bank.

use std::time::{Duration, Instant};

use icebreaker::matching::{
    ExactSearch, Shape, Starter, Symmetry, bank_line, best_known, counting_bound, design,
    find_starter,
};

/// The shapes to try for `n` people in groups of `p`, aiming at `target`
/// rounds.
fn shapes(n: usize, p: usize, target: usize) -> Vec<Shape> {
    let mut out = Vec::new();
    let g = n / p;
    let shape = |m, rows, fixed, starters, orbits, inner| Shape {
        m,
        rows,
        fixed,
        p,
        starters,
        orbits,
        inner,
        hole: false,
        column_groups: 0,
        symmetry: None,
    };
    // Kirkman systems of order 6u + 3 (u odd) from a Kirkman frame of
    // type 6^u, holes filled with the ∞: Z_3u × 2 rows with one starter
    // round, or Z_u × 6 rows with three.
    let u = n.saturating_sub(3) / 6;
    if p == 3 && n % 6 == 3 && u >= 5 && u % 2 == 1 && target == (n - 1) / 2 {
        for (m, rows, starters) in [(3 * u, 2, 1), (u, 6, 3)] {
            out.push(Shape {
                hole: true,
                ..shape(m, rows, 0, starters, 0, false)
            });
        }
    }
    // First, the quickest to find where it exists: p rows of Z_g, one
    // starter round and orbit blocks for the rest (Kirkman systems of
    // order 3g for g not a prime power 1 mod 6).
    if target > g && target - g < g {
        out.push(shape(g, p, 0, 1, target - g, false));
    }
    for starters in 1..=3 {
        if target < 2 * starters || !target.is_multiple_of(starters) {
            continue;
        }
        let m = target / starters;
        let rows = n / m;
        let fixed = n - rows * m;
        // Each fixed point meets a row at most once over all starters.
        let fits = fixed <= g && (fixed == 0 || starters * (p - 1) <= rows);
        // An RGDD of type g^u: columns split into groups of g rows, the ∞
        // another group, everyone meets all but the rest of their group.
        let rgdd = fixed >= 2 && rows.is_multiple_of(fixed) && target * (p - 1) == n - fixed;
        if rows < 1 || !fits {
            continue;
        }
        let plain = shape(m, rows, fixed, starters, 0, false);
        let grouped = Shape {
            column_groups: fixed,
            ..plain
        };
        for base in [grouped, plain] {
            if base.column_groups > 0 && !rgdd {
                continue;
            }
            // The exact search first looks among starters fixed by a
            // row-turning σ (μ^k = 1 for k = rows, or the order of σ on
            // rows and ∞ when it turns the ∞ too): fewer choices.
            if starters <= 2 && rows >= 2 {
                let turns: &[bool] = match fixed {
                    f if f == rows => &[true],
                    0 | 1 => &[false],
                    _ => &[false, true],
                };
                for &turn_fixed in turns {
                    let order = if turn_fixed { lcm(rows, fixed) } else { rows };
                    for mu in roots_of_unity(m, order).into_iter().take(4) {
                        out.push(Shape {
                            symmetry: Some(Symmetry { mu, turn_fixed }),
                            ..base
                        });
                    }
                }
            }
            out.push(base);
        }
    }
    if g.is_multiple_of(p) && g > p {
        let inner = design(g, p).map_or(0, |d| d.len());
        if g + inner >= target {
            out.push(shape(g, p, 0, 1, 0, true));
        }
    }
    out
}

fn lcm(a: usize, b: usize) -> usize {
    let gcd = (1..=a.min(b))
        .rev()
        .find(|&d| a.is_multiple_of(d) && b.is_multiple_of(d))
        .unwrap_or(1);
    a / gcd * b
}

/// Units μ mod `m` with μ^k = 1, 1 first.
fn roots_of_unity(m: usize, k: usize) -> Vec<u32> {
    let power = |mu: usize| (0..k).fold(1 % m, |acc, _| acc * mu % m);
    (1..m.max(2))
        .filter(|&mu| power(mu) == 1 % m)
        .map(|mu| mu as u32)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let secs: u64 = value("--secs").and_then(|s| s.parse().ok()).unwrap_or(20);
    let only = value("--only");
    // Tabu steps per seed before the next seed restarts the search.
    let steps: u64 = value("--steps")
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let write = args.iter().any(|a| a == "--write");
    let exact = args.iter().any(|a| a == "--exact");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/matching/design/bank.txt");
    let mut bank = std::fs::read_to_string(path).unwrap_or_default();
    for p in 3..=8usize {
        for n in (2 * p..=150).step_by(p) {
            if only.as_ref().is_some_and(|o| *o != format!("{n}/{p}")) {
                continue;
            }
            let target = best_known(n, p).map_or(counting_bound(n, p), |k| k.rounds);
            let have = design(n, p).map_or(0, |d| d.len());
            if have >= target {
                continue;
            }
            let mut found: Option<Starter> = None;
            'shapes: for shape in shapes(n, p, target) {
                // The exact search takes no orbit blocks.
                if exact && shape.orbits != 0 {
                    continue;
                }
                // The tabu search takes no symmetry.
                if !exact && shape.symmetry.is_some() {
                    continue;
                }
                let start = Instant::now();
                // The exact cover is built once a shape, not once a seed.
                let cover = if exact {
                    match ExactSearch::new(&shape) {
                        Some(cover) => Some(cover),
                        None => continue,
                    }
                } else {
                    None
                };
                let mut seed = 0;
                while start.elapsed() < Duration::from_secs(secs) {
                    seed += 1;
                    let found_now = match &cover {
                        Some(cover) => cover.run(seed, steps),
                        None => find_starter(&shape, seed, steps),
                    };
                    if let Some(s) = found_now {
                        let rounds = s.develop();
                        if rounds.len() > have {
                            println!(
                                "{n}/{p}: {} rounds (target {target}, had {have}) {shape:?} in {:.1} s",
                                rounds.len(),
                                start.elapsed().as_secs_f64()
                            );
                            found = Some(s);
                            break 'shapes;
                        }
                    }
                }
            }
            match found {
                Some(s) => {
                    let line = bank_line(n, p, &s);
                    println!("{line}");
                    bank.push_str(&line);
                    bank.push('\n');
                    if write {
                        // Written after each find, so an interrupted run keeps its work.
                        if let Err(e) = std::fs::write(path, &bank) {
                            eprintln!("cannot write {path}: {e}");
                            std::process::exit(1);
                        }
                    }
                }
                None => println!("{n}/{p}: open (target {target}, have {have})"),
            }
        }
    }
}
