//! Benchmark of the matching engine on the social-golfer instances and on
//! generated interest data.
//!
//! Run with `cargo run --release --example bench_matcher` (add `-- --quick`
//! for a smaller time limit per instance, and a word such as `golf` to run
//! only the instances whose name contains it). Prints one row per instance; the
//! README's figures come from here. Peak memory of the whole process is
//! printed at the end (VmHWM from /proc on Linux).

use std::time::{Duration, Instant};

use icebreaker::deadline::Deadline;
use icebreaker::matching::{PlanRequest, RoundPlan, group_sizes, plan};
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let filter = args.iter().find(|a| !a.starts_with("--")).cloned();
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
    for inst in instances {
        if filter
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
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory (whole run): {mb:.0} MB");
    }
}
