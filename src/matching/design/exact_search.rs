//! The exact search for a starter round (see `develop.rs`): an exact
//! cover, by Knuth's Algorithm X ("Dancing links", 2000) with his rule of
//! branching on the column with the fewest candidates left.
//!
//! Columns: every person of the starter round (each in exactly one
//! table), and every difference slot (each used at most once; exactly
//! once, and so a column to branch on, when the round has as many pairs
//! as there are slots — a tight shape such as a Kirkman frame or a 1-
//! rotational nearly Kirkman system). Candidates: every table of `p`
//! people whose pairs are allowed and use distinct slots. Where the tabu
//! search of `starter_search.rs` stalls a few conflicts short (the frame
//! for 69 in threes: 2 or 3 left after 200,000 steps), this finds one in
//! milliseconds. Several starter rounds share the slot columns, each with
//! its own people; orbit blocks are not taken. Run offline by
//! `examples/golfer_bank.rs --exact`.

use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use super::develop::Starter;
use super::starter_search::{Shape, Slots, Use};

/// The candidates: each table's people (`p` apiece) and its columns as a
/// bitset of `words` words.
struct Cover {
    p: usize,
    words: usize,
    people: Vec<u32>,
    bits: Vec<u64>,
    /// Columns that must be covered (people, and slots when tight).
    primary: usize,
    columns: usize,
}

impl Cover {
    fn bits(&self, t: usize) -> &[u64] {
        &self.bits[t * self.words..(t + 1) * self.words]
    }

    fn disjoint(&self, t: usize, used: &[u64]) -> bool {
        self.bits(t).iter().zip(used).all(|(a, b)| a & b == 0)
    }
}

/// Looks for a starter of `shape` (no orbit blocks) with at most `nodes`
/// branching steps; `None` when none
/// is found or the shape is not one this search takes.
pub fn find_starter_exact(shape: &Shape, seed: u64, nodes: u64) -> Option<Starter> {
    let Shape {
        m,
        rows,
        fixed,
        p,
        starters,
        orbits,
        inner,
        hole,
    } = *shape;
    if starters == 0 || orbits != 0 || p < 2 || m < 2 {
        return None;
    }
    let frame = shape.frame();
    if hole && frame.is_none() {
        return None;
    }
    let period = frame.map_or(0, |(_, period)| period);
    let slots = Slots {
        m,
        rows,
        inner,
        period,
    };
    let finite = (rows * m) as u32;
    let people: Vec<u32> = (0..finite)
        .filter(|&x| !hole || !(x as usize % m).is_multiple_of(period))
        .chain(finite..finite + fixed as u32)
        .collect();
    let n = people.len();
    if !n.is_multiple_of(p) || fixed > n / p {
        return None;
    }
    let slot_count = slots.count(fixed);
    let slot = |a: u32, b: u32| match slots.classify(a, b) {
        Use::Slot(k) => Some(k),
        Use::Forbidden => None,
    };
    // Slots some allowed pair can use: tight when the round's pairs fill
    // them all.
    let mut usable = vec![false; slot_count];
    for (i, &a) in people.iter().enumerate() {
        for &b in &people[i + 1..] {
            if let Some(k) = slot(a, b) {
                usable[k] = true;
            }
        }
    }
    let pairs = starters * (n / p) * (p * (p - 1) / 2);
    let tight = usable.iter().filter(|&&u| u).count() == pairs;
    // Columns: the people of each starter round, then the usable slots
    // (renumbered), which all starter rounds share.
    let mut column_of_slot = vec![usize::MAX; slot_count];
    let mut columns = starters * n;
    for (k, &u) in usable.iter().enumerate() {
        if u {
            column_of_slot[k] = columns;
            columns += 1;
        }
    }
    let words = columns.div_ceil(64);
    let mut cover = Cover {
        p,
        words,
        people: Vec::new(),
        bits: Vec::new(),
        primary: if tight { columns } else { starters * n },
        columns,
    };
    let mut table: Vec<usize> = Vec::with_capacity(p);
    let mut taken: Vec<usize> = Vec::new();
    tables(
        &people,
        &slot,
        &column_of_slot,
        &mut table,
        &mut taken,
        0,
        &mut cover,
    );
    // The same tables for the other starter rounds, on their own people
    // columns (people are sorted, so a person's column is its position).
    let one = cover.people.len() / p;
    for k in 1..starters {
        for t in 0..one {
            let mut bits = cover.bits(t).to_vec();
            let table = cover.people[t * p..(t + 1) * p].to_vec();
            for &person in &table {
                let i = people.binary_search(&person).unwrap_or(0);
                bits[i / 64] &= !(1 << (i % 64));
                let c = k * n + i;
                bits[c / 64] |= 1 << (c % 64);
            }
            cover.bits.extend(bits);
            cover.people.extend(table);
        }
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut open: Vec<u32> = (0..(cover.people.len() / p) as u32).collect();
    open.shuffle(&mut rng);
    let mut used = vec![0u64; words];
    let mut chosen = Vec::with_capacity(starters * n / p);
    let mut budget = nodes;
    if !search(&cover, &open, &mut used, &mut chosen, &mut budget, &mut rng) {
        return None;
    }
    let mut rounds: Vec<Vec<Vec<u32>>> = vec![Vec::new(); starters];
    for &t in &chosen {
        let t = t as usize;
        let mut b = cover.people[t * p..(t + 1) * p].to_vec();
        b.sort_unstable();
        rounds[t / one].push(b);
    }
    for round in &mut rounds {
        round.sort_unstable();
    }
    Some(Starter {
        m,
        rows,
        fixed: if hole { 3 } else { fixed },
        inner,
        frame: hole,
        rounds,
        orbits: Vec::new(),
    })
}

/// Every table of `p` of `people` (indices from `from` on, extending
/// `table`, whose slots are `taken`) with allowed pairs on distinct slots.
fn tables(
    people: &[u32],
    slot: &dyn Fn(u32, u32) -> Option<usize>,
    column_of_slot: &[usize],
    table: &mut Vec<usize>,
    taken: &mut Vec<usize>,
    from: usize,
    cover: &mut Cover,
) {
    if table.len() == cover.p {
        let mut bits = vec![0u64; cover.words];
        for &i in table.iter() {
            bits[i / 64] |= 1 << (i % 64);
        }
        for &k in taken.iter() {
            let c = column_of_slot[k];
            bits[c / 64] |= 1 << (c % 64);
        }
        cover.bits.extend(bits);
        cover.people.extend(table.iter().map(|&i| people[i]));
        return;
    }
    for i in from..people.len() {
        let before = taken.len();
        let fits = table.iter().all(|&j| match slot(people[j], people[i]) {
            Some(k) if !taken.contains(&k) => {
                taken.push(k);
                true
            }
            _ => false,
        });
        if fits {
            table.push(i);
            tables(people, slot, column_of_slot, table, taken, i + 1, cover);
            table.pop();
        }
        taken.truncate(before);
    }
}

/// Algorithm X over the candidates in `open` (all disjoint from `used`):
/// branch on the uncovered primary column with the fewest of them, ties
/// at random.
fn search(
    cover: &Cover,
    open: &[u32],
    used: &mut [u64],
    chosen: &mut Vec<u32>,
    budget: &mut u64,
    rng: &mut Xoshiro256PlusPlus,
) -> bool {
    let covered = |c: usize| used[c / 64] >> (c % 64) & 1 == 1;
    if (0..cover.primary).all(covered) {
        return true;
    }
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let mut through = vec![0u32; cover.columns];
    for &t in open {
        for (w, &word) in cover.bits(t as usize).iter().enumerate() {
            let mut word = word;
            while word != 0 {
                through[w * 64 + word.trailing_zeros() as usize] += 1;
                word &= word - 1;
            }
        }
    }
    let mut pick: Option<(u32, usize)> = None;
    let mut ties = 0;
    for c in (0..cover.primary).filter(|&c| !covered(c)) {
        match pick {
            Some((k, _)) if through[c] > k => {}
            Some((k, _)) if through[c] == k => {
                ties += 1;
                if rng.random_range(0..ties) == 0 {
                    pick = Some((k, c));
                }
            }
            _ => {
                ties = 1;
                pick = Some((through[c], c));
            }
        }
    }
    let Some((count, column)) = pick else {
        return false;
    };
    if count == 0 {
        return false;
    }
    let has = |t: u32| cover.bits(t as usize)[column / 64] >> (column % 64) & 1 == 1;
    for &t in open.iter().filter(|&&t| has(t)) {
        let bits = cover.bits(t as usize);
        for (u, b) in used.iter_mut().zip(bits) {
            *u |= b;
        }
        let next: Vec<u32> = open
            .iter()
            .copied()
            .filter(|&u| cover.disjoint(u as usize, used))
            .collect();
        chosen.push(t);
        if search(cover, &next, used, chosen, budget, rng) {
            return true;
        }
        chosen.pop();
        for (u, b) in used.iter_mut().zip(bits) {
            *u &= !b;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::is_repeat_free;
    use super::*;

    fn shape(m: usize, rows: usize, fixed: usize, p: usize, hole: bool) -> Shape {
        Shape {
            m,
            rows,
            fixed,
            p,
            starters: 1,
            orbits: 0,
            inner: false,
            hole,
        }
    }

    #[test]
    fn exact_covers_develop_into_the_designs_they_claim() {
        // (shape, people, rounds): KTS(15) 1-rotational; the frame of
        // type 6⁵ (KTS(33)); a nearly Kirkman system of 24 (Z_11 × 2 + 2
        // ∞); RBIBD(28, 4, 1) as Z_9 × 3 + ∞; 4-RGDD 3^12 as Z_11 × 3 + 3 ∞.
        // KTS(21) as two starter rounds over Z_5 × 4 rows + ∞ (10 rounds).
        let mut two_rounds = shape(5, 4, 1, 3, false);
        two_rounds.starters = 2;
        for (shape, n, rounds) in [
            (shape(7, 2, 1, 3, false), 15, 7),
            (shape(15, 2, 0, 3, true), 33, 16),
            (shape(11, 2, 2, 3, false), 24, 11),
            (shape(9, 3, 1, 4, false), 28, 9),
            (shape(11, 3, 3, 4, false), 36, 11),
            (two_rounds, 21, 10),
        ] {
            let s = (1..=5)
                .find_map(|seed| find_starter_exact(&shape, seed, 1_000_000))
                .unwrap_or_else(|| panic!("{n} people: {shape:?}"));
            assert_eq!(s.people(), n);
            let developed = s.develop();
            assert_eq!(developed.len(), rounds, "{n} people");
            assert!(developed.iter().flatten().all(|t| t.len() == shape.p));
            assert!(is_repeat_free(n, &developed), "{n} people");
        }
    }

    #[test]
    fn shapes_it_does_not_take_are_refused() {
        let mut orbit = shape(7, 3, 0, 3, false);
        orbit.orbits = 3;
        assert!(find_starter_exact(&orbit, 1, 1_000).is_none());
        let mut two_frames = shape(15, 2, 0, 3, true);
        two_frames.starters = 2;
        assert!(find_starter_exact(&two_frames, 1, 1_000).is_none());
        // A hole of 6 with one starter round needs m ≥ 6 (m = 3: all hole).
        assert!(find_starter_exact(&shape(3, 2, 0, 3, true), 1, 1_000).is_none());
        // A frame needs two rows and a subgroup of order 3.
        assert!(find_starter_exact(&shape(14, 2, 0, 3, true), 1, 1_000).is_none());
        assert!(find_starter_exact(&shape(15, 3, 0, 3, true), 1, 1_000).is_none());
    }
}
