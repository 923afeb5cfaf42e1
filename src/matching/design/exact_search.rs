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
//!
//! Two rules of the shape make large sizes reachable. With
//! `column_groups` the columns hold groups (no difference 0 between their
//! rows), which makes a 4-RGDD of type 3^u (Z_m × 3 + 3 ∞) tight. With a `symmetry` σ the candidates
//! are whole σ-orbits of tables, so a starter round of three rows is a
//! third as many choices: 4-RGDDs of type 3^u for 48–120 people, of type
//! 2^u for 44 and 56 and RBIBD(100, 4, 1) are found in 0.1–7.5 s where
//! the plain cover found none in 300 s.

use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use super::develop::Starter;
use super::starter_search::{Shape, Use};

/// The candidates: each one's tables (`p` people apiece, one table or a
/// σ-orbit of them) and its columns as a bitset of `words` words.
struct Cover {
    words: usize,
    /// Candidate `t`'s people are `people[start[t]..start[t + 1]]`.
    people: Vec<u32>,
    start: Vec<usize>,
    bits: Vec<u64>,
    /// Columns that must be covered (people, and slots when tight).
    primary: usize,
    columns: usize,
}

impl Cover {
    fn bits(&self, t: usize) -> &[u64] {
        &self.bits[t * self.words..(t + 1) * self.words]
    }

    fn people(&self, t: usize) -> &[u32] {
        &self.people[self.start[t]..self.start[t + 1]]
    }

    fn disjoint(&self, t: usize, used: &[u64]) -> bool {
        self.bits(t).iter().zip(used).all(|(a, b)| a & b == 0)
    }

    fn push(&mut self, people: &[u32], bits: &[u64]) {
        self.people.extend_from_slice(people);
        self.start.push(self.people.len());
        self.bits.extend_from_slice(bits);
    }
}

/// Looks for a starter of `shape` (no orbit blocks) with at most `nodes`
/// branching steps; `None` when none
/// is found or the shape is not one this search takes.
pub fn find_starter_exact(shape: &Shape, seed: u64, nodes: u64) -> Option<Starter> {
    ExactSearch::new(shape)?.run(seed, nodes)
}

/// One shape's exact cover, built once and searched with any number of
/// seeds (building the candidates of a large shape takes longer than a
/// short search).
pub struct ExactSearch {
    shape: Shape,
    /// People in each starter round.
    n: usize,
    cover: Cover,
}

impl ExactSearch {
    /// The candidates and columns of `shape`; `None` when the shape is
    /// not one this search takes.
    pub fn new(shape: &Shape) -> Option<ExactSearch> {
        let Shape {
            m,
            rows,
            fixed,
            p,
            starters,
            orbits,
            hole,
            symmetry,
            ..
        } = *shape;
        if starters == 0 || orbits != 0 || p < 2 || m < 2 {
            return None;
        }
        let slots = shape.slots()?;
        let period = slots.period;
        let finite = (rows * m) as u32;
        let people: Vec<u32> = (0..finite)
            .filter(|&x| !hole || !(x as usize % m).is_multiple_of(period))
            .chain(finite..finite + fixed as u32)
            .collect();
        let n = people.len();
        if !n.is_multiple_of(p) || fixed > n / p {
            return None;
        }
        // σ on people (see `Shape::symmetry`); it must be a bijection of them.
        let sigma = match symmetry {
            None => None,
            Some(sym) => {
                let image = move |x: u32| sym.image(x, m, rows, fixed);
                let closed = people
                    .iter()
                    .all(|&x| people.binary_search(&image(x)).is_ok());
                if !sym.is_unit(m) || !closed {
                    return None;
                }
                Some(image)
            }
        };
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
            words,
            people: Vec::new(),
            start: vec![0],
            bits: Vec::new(),
            primary: if tight { columns } else { starters * n },
            columns,
        };
        // A table's columns in starter round `k`, or `None` when a pair is
        // not allowed or two pairs share a slot.
        let table_bits = |table: &[u32], k: usize| -> Option<Vec<u64>> {
            let mut bits = vec![0u64; words];
            let mut set = |c: usize| {
                let fresh = bits[c / 64] >> (c % 64) & 1 == 0;
                bits[c / 64] |= 1 << (c % 64);
                fresh
            };
            for (i, &a) in table.iter().enumerate() {
                let at = people.binary_search(&a).ok()?;
                if !set(k * n + at) {
                    return None;
                }
                for &b in &table[i + 1..] {
                    if !set(column_of_slot[slot(a, b)?]) {
                        return None;
                    }
                }
            }
            Some(bits)
        };
        let mut table: Vec<usize> = Vec::with_capacity(p);
        let mut taken: Vec<usize> = Vec::new();
        let mut found: Vec<Vec<u32>> = Vec::new();
        tables(&people, &slot, &mut table, &mut taken, 0, p, &mut found);
        for k in 0..starters {
            for t in &found {
                match sigma {
                    None => {
                        if let Some(bits) = table_bits(t, k) {
                            cover.push(t, &bits);
                        }
                    }
                    Some(image) => {
                        if let Some((people, bits)) = orbit(t, image, k, words, &table_bits) {
                            cover.push(&people, &bits);
                        }
                    }
                }
            }
        }
        Some(ExactSearch {
            shape: *shape,
            n,
            cover,
        })
    }

    /// Algorithm X from a `seed`-shuffled order of the candidates, at
    /// most `nodes` branching steps; `None` when no starter is found.
    pub fn run(&self, seed: u64, nodes: u64) -> Option<Starter> {
        let Shape { p, starters, .. } = self.shape;
        let (n, cover) = (self.n, &self.cover);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut open: Vec<u32> = (0..(cover.start.len() - 1) as u32).collect();
        open.shuffle(&mut rng);
        let mut used = vec![0u64; cover.words];
        let mut chosen = Vec::with_capacity(starters * n / p);
        let mut budget = nodes;
        if !search(cover, &open, &mut used, &mut chosen, &mut budget, &mut rng) {
            return None;
        }
        // Candidates are built round by round, so the first are round 0's.
        let per_round = (cover.start.len() - 1) / starters;
        let mut rounds: Vec<Vec<Vec<u32>>> = vec![Vec::new(); starters];
        for &t in &chosen {
            let t = t as usize;
            for b in cover.people(t).chunks(p) {
                let mut b = b.to_vec();
                b.sort_unstable();
                rounds[t / per_round].push(b);
            }
        }
        for round in &mut rounds {
            round.sort_unstable();
        }
        Some(self.shape.starter(rounds, Vec::new()))
    }
}

/// A table's columns in a starter round, `None` when it is not allowed.
type TableBits<'a> = dyn Fn(&[u32], usize) -> Option<Vec<u64>> + 'a;

/// The σ-orbit of `table` as one candidate (its tables' people and the
/// union of their columns), taken only from its least table so each
/// orbit is a candidate once; `None` when two of its tables share a
/// person or a slot, or a table is not allowed.
fn orbit(
    table: &[u32],
    image: impl Fn(u32) -> u32,
    k: usize,
    words: usize,
    table_bits: &TableBits,
) -> Option<(Vec<u32>, Vec<u64>)> {
    let mut union = vec![0u64; words];
    let mut people = Vec::new();
    let mut current = table.to_vec();
    loop {
        let bits = table_bits(&current, k)?;
        if union.iter().zip(&bits).any(|(u, b)| u & b != 0) {
            return None;
        }
        for (u, b) in union.iter_mut().zip(&bits) {
            *u |= b;
        }
        people.extend_from_slice(&current);
        current = current.iter().map(|&x| image(x)).collect();
        current.sort_unstable();
        if current.as_slice() == table {
            return Some((people, union));
        }
        if current.as_slice() < table {
            return None;
        }
    }
}

/// Every table of `p` of `people` (indices from `from` on, extending
/// `table`, whose slots are `taken`) with allowed pairs on distinct
/// slots, as the people's numbers.
fn tables(
    people: &[u32],
    slot: &dyn Fn(u32, u32) -> Option<usize>,
    table: &mut Vec<usize>,
    taken: &mut Vec<usize>,
    from: usize,
    p: usize,
    found: &mut Vec<Vec<u32>>,
) {
    if table.len() == p {
        found.push(table.iter().map(|&i| people[i]).collect());
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
            tables(people, slot, table, taken, i + 1, p, found);
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
    use super::super::starter_search::Symmetry;
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
            column_groups: 0,
            symmetry: None,
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
    fn a_symmetric_search_finds_starters_fixed_by_sigma() {
        // 4-RGDD 3^12 (36 in fours, 11 rounds): Z_11 × 3 + 3 ∞ with the
        // columns as groups, fixed by σ: x_r ↦ (μx)_(r+1), ∞ᵢ ↦ ∞ᵢ₊₁, for
        // μ = 1; 3^8 (24 in fours) over Z_7 with μ = 2 (2³ = 1 mod 7);
        // RBIBD(28, 4, 1) as Z_9 × 3 + ∞ (the ∞ in place) with μ = 4.
        for (m, fixed, columns, mu, n) in [
            (11, 3, true, 1, 36),
            (7, 3, true, 2, 24),
            (9, 1, false, 4, 28),
        ] {
            let mut shape = shape(m, 3, fixed, 4, false);
            shape.column_groups = if columns { 3 } else { 0 };
            let sym = Symmetry {
                mu,
                turn_fixed: fixed == 3,
            };
            shape.symmetry = Some(sym);
            let s = (1..=10)
                .find_map(|seed| find_starter_exact(&shape, seed, 1_000_000))
                .unwrap_or_else(|| panic!("{n} people: {shape:?}"));
            let developed = s.develop();
            assert_eq!(developed.len(), m, "{n} people");
            assert!(is_repeat_free(n, &developed), "{n} people");
            // The starter round is σ-invariant.
            let finite = (3 * m) as u32;
            let sigma = |x: u32| sym.image(x, m, 3, fixed);
            let mut turned: Vec<Vec<u32>> = s.rounds[0]
                .iter()
                .map(|t| {
                    let mut t: Vec<u32> = t.iter().map(|&x| sigma(x)).collect();
                    t.sort_unstable();
                    t
                })
                .collect();
            turned.sort_unstable();
            assert_eq!(turned, s.rounds[0], "{n} people, μ = {mu}");
            if columns {
                // No column ever meets: nobody sits with x of another row.
                assert!(developed.iter().flatten().all(|t| {
                    t.iter()
                        .filter(|&&x| x < finite)
                        .map(|&x| x % m as u32)
                        .collect::<std::collections::HashSet<_>>()
                        .len()
                        == t.iter().filter(|&&x| x < finite).count()
                }));
            }
        }
    }

    #[test]
    fn column_groups_of_two_rows_never_meet() {
        // A nearly Kirkman system of 30 (3-RGDD of type 2^15): Z_7 × 4 + 2
        // ∞, two starter rounds (14 rounds), rows 0 and 2, 1 and 3 holding
        // the groups, as the two ∞ do.
        let mut shape = shape(7, 4, 2, 3, false);
        shape.starters = 2;
        shape.column_groups = 2;
        let s = (1..=10)
            .find_map(|seed| find_starter_exact(&shape, seed, 1_000_000))
            .expect("a nearly Kirkman system of 30");
        let rounds = s.develop();
        assert_eq!(rounds.len(), 14);
        assert!(is_repeat_free(30, &rounds));
        let group = |x: u32| if x < 28 { x % 14 } else { 14 };
        for table in rounds.iter().flatten() {
            let groups: std::collections::HashSet<u32> = table.iter().map(|&x| group(x)).collect();
            assert_eq!(groups.len(), table.len(), "{table:?}");
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
        // σ needs a unit: 3 is not one mod 15.
        let mut not_a_unit = shape(15, 3, 3, 4, false);
        not_a_unit.symmetry = Some(Symmetry {
            mu: 3,
            turn_fixed: true,
        });
        assert!(find_starter_exact(&not_a_unit, 1, 1_000).is_none());
        // The tabu search takes no symmetry.
        let mut turned = shape(11, 3, 3, 4, false);
        turned.symmetry = Some(Symmetry {
            mu: 1,
            turn_fixed: true,
        });
        assert!(super::super::find_starter(&turned, 1, 1_000).is_none());
    }
}
