//! The bank of starters: first rounds of developments (see `develop.rs`)
//! for sizes no general construction here covers, found offline by
//! `examples/golfer_bank.rs` and kept in `bank.txt`, one per line:
//!
//! `people size m rows fixed inner : a b c, d e f, … ; … [| orbit blocks]`
//!
//! (`inner` is 0, 1, or 2 for a Kirkman frame; groups are separated by
//! commas, starter rounds by semicolons; the orbit blocks, if any, follow
//! a bar, separated by commas). Every line is
//! developed and checked repeat-free by this module's test, and a line that
//! does not develop into a repeat-free schedule is ignored at run time too.

use std::sync::OnceLock;

use super::develop::Starter;

/// The bank's text, compiled in.
pub(super) const BANK_TEXT: &str = include_str!("bank.txt");

/// The starters of the bank, parsed once.
fn starters() -> &'static [(usize, usize, Starter)] {
    static PARSED: OnceLock<Vec<(usize, usize, Starter)>> = OnceLock::new();
    PARSED.get_or_init(|| parse(BANK_TEXT))
}

/// Parses bank lines; malformed lines are skipped (the test asserts none is).
pub(super) fn parse(text: &str) -> Vec<(usize, usize, Starter)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let (head, body) = line.split_once(':')?;
            let (body, orbit_text) = body.split_once('|').unwrap_or((body, ""));
            let blocks = |text: &str| {
                text.split(',')
                    .filter(|b| !b.trim().is_empty())
                    .map(|b| {
                        b.split_whitespace()
                            .map(str::parse)
                            .collect::<Result<Vec<u32>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            let orbits = blocks(orbit_text).ok()?;
            let nums: Vec<usize> = head
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            let [n, p, m, rows, fixed, inner] = nums[..] else {
                return None;
            };
            let rounds: Vec<Vec<Vec<u32>>> =
                body.split(';').map(blocks).collect::<Result<_, _>>().ok()?;
            let starter = Starter {
                m,
                rows,
                fixed,
                inner: inner == 1,
                frame: inner == 2,
                rounds,
                orbits,
            };
            let per_round = starter.per_round();
            let shaped = starter.people() == n
                && inner <= 2
                && (!starter.frame || starter.holes().is_some())
                && starter
                    .rounds
                    .iter()
                    .all(|r| r.len() * p == per_round && r.iter().all(|b| b.len() == p))
                && starter.orbits.iter().all(|b| b.len() == p);
            shaped.then_some((n, p, starter))
        })
        .collect()
}

/// Writes a starter as a bank line.
pub fn line(n: usize, p: usize, s: &Starter) -> String {
    let rounds: Vec<String> = s
        .rounds
        .iter()
        .map(|r| {
            r.iter()
                .map(|b| b.iter().map(u32::to_string).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let orbits: Vec<String> = s
        .orbits
        .iter()
        .map(|b| b.iter().map(u32::to_string).collect::<Vec<_>>().join(" "))
        .collect();
    let orbits = if orbits.is_empty() {
        String::new()
    } else {
        format!(" | {}", orbits.join(", "))
    };
    format!(
        "{n} {p} {} {} {} {} : {}{orbits}",
        s.m,
        s.rows,
        s.fixed,
        if s.frame { 2 } else { u8::from(s.inner) },
        rounds.join(" ; ")
    )
}

/// The banked starters for `n` people in groups of `p`.
pub(super) fn banked(n: usize, p: usize) -> impl Iterator<Item = &'static Starter> {
    starters()
        .iter()
        .filter(move |(bn, bp, _)| *bn == n && *bp == p)
        .map(|(_, _, s)| s)
}
