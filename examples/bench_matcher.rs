//! Benchmark of the matching engine on the social-golfer instances and on
//! generated interest data.
//!
//! Run with `cargo run --release --example bench_matcher` (add `-- --quick`
//! for a smaller time limit per instance, and a word to run only part:
//! `grid` for the social-golfer grid, `prefix` for its prefix rows,
//! `converge` for the convergence rows, or a word such as `golf` for the
//! named instances whose name contains it). Prints one row per instance;
//! the README's figures come from here. Peak memory of the whole process is
//! printed at the end (VmHWM from /proc on Linux).
//!
//! - **The grid**: every n ≤ 150 with groups of 3 to 8 (n a multiple of
//!   the group size, at least two groups), asked for the best known number
//!   of rounds (the counting bound where none is published), 1 s each,
//!   with the published best and its source, the repeat-free run reached
//!   and the time.
//! - **Prefix rows**: the same sizes asked for 3 rounds more than the best
//!   known: the repeat-free run must not get shorter.
//! - **Convergence rows**: 300 people with clustered interests, 6 rounds,
//!   under growing budgets, against a 20 s run that ignores "done".

use std::time::{Duration, Instant};

use icebreaker::deadline::Deadline;
use icebreaker::matching::{
    Budget, PlanRequest, RoundPlan, best_known, counting_bound, group_sizes, plan,
};
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

struct Instance {
    name: &'static str,
    request: PlanRequest,
    limit: Duration,
    baseline: bool,
}

/// `n` people in `clusters` interest communities: each takes three interests
/// from their community's pool of eight and one from anywhere.
fn clustered(n: usize, clusters: usize, seed: u64) -> Vec<Vec<String>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let c = rng.random_range(0..clusters);
            let mut mine: Vec<String> = (0..8).map(|k| format!("topic {c}-{k}")).collect();
            mine.shuffle(&mut rng);
            mine.truncate(3);
            let other = rng.random_range(0..clusters);
            mine.push(format!("topic {other}-{}", rng.random_range(0..8)));
            mine
        })
        .collect()
}

/// Random groups of the engine's sizes: what a naive tool does.
fn random_rounds(request: &PlanRequest, seed: u64) -> Vec<RoundPlan> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = request.interests.len();
    (0..request.rounds)
        .map(|_| {
            let mut people: Vec<usize> = (0..n).collect();
            people.shuffle(&mut rng);
            let mut groups = Vec::new();
            let mut rest = people.as_slice();
            for size in group_sizes(n, request.group_size) {
                let (g, r) = rest.split_at(size);
                groups.push(g.to_vec());
                rest = r;
            }
            RoundPlan {
                groups,
                waiting: Vec::new(),
            }
        })
        .collect()
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A deadline that makes the engine use all of it (the reference run).
struct Full(Deadline);

impl Budget for Full {
    fn exhausted(&mut self) -> bool {
        self.0.exhausted()
    }

    fn stop_when_done(&self) -> bool {
        false
    }
}

/// The grid's sizes: `(people, group size)`.
fn grid() -> Vec<(usize, usize)> {
    (3..=8usize)
        .flat_map(|p| (2 * p..=150).step_by(p).map(move |n| (n, p)))
        .collect()
}

/// Rounds to ask for `n` people in groups of `p`, and the published best.
fn target(n: usize, p: usize) -> (usize, Option<usize>, &'static str) {
    match best_known(n, p) {
        Some(k) => (k.rounds, Some(k.rounds), k.source),
        None => (
            counting_bound(n, p),
            None,
            "none listed; asked the counting bound",
        ),
    }
}

/// One plan of the grid: (repeat-free run, ms, done).
fn grid_plan(n: usize, p: usize, rounds: usize, limit: Duration) -> (usize, u128, bool) {
    let request = PlanRequest::anonymous(n, p, rounds, 42);
    let start = Instant::now();
    let result = plan(&request, &mut Deadline::after(limit));
    let ms = start.elapsed().as_millis();
    match result {
        Ok(r) => (r.stats.rounds_before_first_repeat, ms, r.done),
        Err(_) => (0, ms, false),
    }
}

fn run_grid(limit: Duration) {
    println!("\n## The grid (asked: best known, else the counting bound; limit {limit:?} each)");
    println!(
        "{:>4} {:>3} {:>6} {:>6} {:>8} {:>6} {:>5}  source",
        "n", "p", "bound", "known", "reached", "ms", "done"
    );
    let (mut with_known, mut at_known, mut slowest) = (0, 0, 0u128);
    let mut open = Vec::new();
    for (n, p) in grid() {
        let (rounds, known, source) = target(n, p);
        let (reached, ms, done) = grid_plan(n, p, rounds, limit);
        slowest = slowest.max(ms);
        if let Some(k) = known {
            with_known += 1;
            if reached >= k {
                at_known += 1;
            } else {
                open.push(format!("{n}/{p}: {reached} of {k}"));
            }
        }
        println!(
            "{:>4} {:>3} {:>6} {:>6} {:>8} {:>6} {:>5}  {}",
            n,
            p,
            counting_bound(n, p),
            known.map_or("?".to_string(), |k| k.to_string()),
            reached,
            ms,
            if done { "yes" } else { "no" },
            source
        );
    }
    println!(
        "at the best known: {at_known} of {with_known} sizes with a published value ({} sizes in the grid); slowest {slowest} ms",
        grid().len()
    );
    println!("open: {}", open.join(", "));
}

fn run_prefix(limit: Duration) {
    println!("\n## Prefix rows (asked: best known + 3 rounds; limit {limit:?} each)");
    println!(
        "{:>4} {:>3} {:>6} {:>6} {:>10} {:>10} {:>6}",
        "n", "p", "known", "asked", "run@known", "run@+3", "ms"
    );
    let (mut kept, mut total) = (0, 0);
    for (n, p) in grid() {
        let (rounds, _, _) = target(n, p);
        let (base, _, _) = grid_plan(n, p, rounds, limit);
        let (more, ms, _) = grid_plan(n, p, rounds + 3, limit);
        total += 1;
        if more >= base {
            kept += 1;
        }
        println!(
            "{:>4} {:>3} {:>6} {:>6} {:>10} {:>10} {:>6}{}",
            n,
            p,
            rounds,
            rounds + 3,
            base,
            more,
            ms,
            if more < base { "  SHORTER" } else { "" }
        );
    }
    println!("asking 3 more rounds kept the run on {kept} of {total} sizes");
}

fn run_convergence() {
    println!("\n## Convergence: interests-300x4 (12 communities), 6 rounds");
    println!(
        "{:>12} {:>8} {:>7} {:>14} {:>6} {:>5} {:>11}",
        "budget", "repeats", "run", "shared pairs", "ms", "done", "iterations"
    );
    let mut request = PlanRequest::anonymous(300, 4, 6, 42);
    request.interests = clustered(300, 12, 7);
    let row = |label: String, budget: &mut dyn Budget| {
        let start = Instant::now();
        let r = plan(&request, budget).ok();
        let ms = start.elapsed().as_millis();
        if let Some(r) = r {
            println!(
                "{:>12} {:>8} {:>7} {:>14} {:>6} {:>5} {:>11}",
                label,
                r.stats.repeat_pairs,
                r.stats.rounds_before_first_repeat,
                r.stats.shared_interest_pairs,
                ms,
                if r.done { "yes" } else { "no" },
                r.iterations
            );
        }
    };
    for ms in [30u64, 100, 300, 1000, 5000] {
        row(
            format!("{ms} ms"),
            &mut Deadline::after(Duration::from_millis(ms)),
        );
    }
    row(
        "20 s, full".into(),
        &mut Full(Deadline::after(Duration::from_secs(20))),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let filter = args.iter().find(|a| !a.starts_with("--")).cloned();
    let part = |word: &str| filter.as_deref().is_none_or(|f| f == word);
    let secs = |s: u64| Duration::from_secs(if quick { s.min(2) } else { s });
    let anon = |n, p, r| PlanRequest::anonymous(n, p, r, 42);
    let mut interests_300 = anon(300, 4, 6);
    interests_300.interests = clustered(300, 12, 7);
    let mut interests_1000 = anon(1000, 4, 10);
    interests_1000.interests = clustered(1000, 25, 8);
    let instances = vec![
        Instance {
            name: "kirkman-15x3",
            request: anon(15, 3, 7),
            limit: secs(1),
            baseline: false,
        },
        Instance {
            name: "affine-16x4",
            request: anon(16, 4, 5),
            limit: secs(1),
            baseline: false,
        },
        Instance {
            name: "nkts-18x3",
            request: anon(18, 3, 8),
            limit: secs(5),
            baseline: false,
        },
        Instance {
            name: "golf-24x4",
            request: anon(24, 4, 7),
            limit: secs(5),
            baseline: false,
        },
        Instance {
            name: "golf-32x4",
            request: anon(32, 4, 10),
            limit: secs(5),
            baseline: false,
        },
        Instance {
            name: "short-31x4",
            request: anon(31, 4, 9),
            limit: secs(2),
            baseline: false,
        },
        Instance {
            name: "short-26x3",
            request: anon(26, 3, 12),
            limit: secs(2),
            baseline: false,
        },
        Instance {
            name: "past-max-36x6",
            request: anon(36, 6, 5),
            limit: secs(2),
            baseline: false,
        },
        Instance {
            name: "large-1000x4",
            request: anon(1000, 4, 10),
            limit: secs(2),
            baseline: false,
        },
        Instance {
            name: "large-10000x4",
            request: anon(10_000, 4, 10),
            limit: secs(20),
            baseline: false,
        },
        Instance {
            name: "interests-300x4",
            request: interests_300,
            limit: secs(3),
            baseline: true,
        },
        Instance {
            name: "interests-1000x4",
            request: interests_1000,
            limit: secs(3),
            baseline: true,
        },
    ];
    println!(
        "{:<20} {:>6} {:>5} {:>6} {:>7} {:>10} {:>9} {:>12} {:>9}",
        "instance",
        "people",
        "size",
        "rounds",
        "repeats",
        "rep-free",
        "no-share",
        "shared/grp",
        "ms"
    );
    let named = filter
        .as_deref()
        .is_none_or(|f| !["grid", "prefix", "converge"].contains(&f));
    for inst in instances {
        if !named
            || filter
                .as_ref()
                .is_some_and(|f| !inst.name.contains(f.as_str()))
        {
            continue;
        }
        let start = Instant::now();
        let result = plan(&inst.request, &mut Deadline::after(inst.limit));
        let ms = start.elapsed().as_millis();
        let Ok(result) = result else {
            println!("{:<20} failed: {result:?}", inst.name);
            continue;
        };
        let s = &result.stats;
        println!(
            "{:<20} {:>6} {:>5} {:>6} {:>7} {:>10} {:>9} {:>12.2} {:>9}",
            inst.name,
            inst.request.interests.len(),
            inst.request.group_size,
            inst.request.rounds,
            s.repeat_pairs,
            s.rounds_before_first_repeat,
            s.groups_without_shared_interest,
            s.shared_interest_pairs as f64 / s.groups.max(1) as f64,
            ms
        );
        if inst.baseline {
            let rounds = random_rounds(&inst.request, 1);
            if let Ok(b) = inst.request.evaluate(&rounds) {
                println!(
                    "{:<20} {:>6} {:>5} {:>6} {:>7} {:>10} {:>9} {:>12.2} {:>9}",
                    "  random baseline",
                    inst.request.interests.len(),
                    inst.request.group_size,
                    inst.request.rounds,
                    b.repeat_pairs,
                    b.rounds_before_first_repeat,
                    b.groups_without_shared_interest,
                    b.shared_interest_pairs as f64 / b.groups.max(1) as f64,
                    "-"
                );
            }
        }
    }
    let grid_limit = Duration::from_millis(if quick { 300 } else { 1000 });
    if part("grid") {
        run_grid(grid_limit);
    }
    if part("prefix") {
        run_prefix(grid_limit);
    }
    if part("converge") {
        run_convergence();
    }
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory (whole run): {mb:.0} MB");
    }
}
