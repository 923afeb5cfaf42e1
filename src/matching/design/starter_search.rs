//! The search for starters (see `develop.rs`): a tabu search on the
//! differences the starter rounds' and orbit blocks' pairs use, each to be
//! used at most once. Run offline by `examples/golfer_bank.rs`.

use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use super::develop::{Starter, frame_hole};

/// The shape of a development to search for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Order of the cyclic group.
    pub m: usize,
    /// Copies of Z_m.
    pub rows: usize,
    /// Points left in place.
    pub fixed: usize,
    /// Group size.
    pub p: usize,
    /// Starter rounds (each gives `m` rounds).
    pub starters: usize,
    /// Orbit blocks (each gives one round; needs `rows = p`, no fixed points).
    pub orbits: usize,
    /// True when the rows never meet and get inner rounds.
    pub inner: bool,
    /// True for a Kirkman frame (see `develop.rs`): starter rounds leave
    /// out the subgroup of order `t` in every row (`t = 3` for one starter
    /// round and 2 rows, 1 for three and 6 rows), no pair has a difference
    /// in it, and the starter found has three ∞ to fill the holes with
    /// (`p = 3`, no fixed points or orbit blocks in the shape).
    pub hole: bool,
    /// Groups of a group divisible design made of columns (0: none):
    /// with `g`, the points `x` of rows `r ≡ r' (mod rows / g)` are a
    /// group of `g` and never meet (no difference 0 between those rows),
    /// as the ∞ never do. A 4-RGDD of type 3^(m+1) is Z_m × 3 + 3 ∞ with
    /// `g = 3` (whole columns), one of type 2^(3m+1) Z_m × 6 + 2 ∞ with
    /// `g = 2` (rows 0 and 3, 1 and 4, 2 and 5); the rule makes such
    /// shapes tight for the exact search.
    pub column_groups: usize,
    /// When set, only starters fixed by this map are sought (see
    /// [`Symmetry`]); the exact search is the only one that takes it.
    pub symmetry: Option<Symmetry>,
}

/// A map σ of a development's people: `x` in row `r` ↦ `μ·x` in row
/// `r + 1` (rows in a cycle), and ∞ᵢ ↦ ∞ᵢ₊₁ when `turn_fixed` (else the ∞
/// stay). With `μ` a unit σ maps differences to differences, so a starter
/// fixed by σ develops into a design σ fixes, and the exact search picks
/// whole σ-orbits of tables: a third of the choices with three rows. The
/// multiplier idea is Ray-Chaudhuri & Wilson's (1971), whose base blocks
/// are orbits of a multiplicative subgroup of GF(q).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symmetry {
    pub mu: u32,
    pub turn_fixed: bool,
}

impl Symmetry {
    /// σ(x) for `rows` copies of Z_m followed by `fixed` ∞.
    pub fn image(&self, x: u32, m: usize, rows: usize, fixed: usize) -> u32 {
        let finite = (rows * m) as u32;
        if x >= finite {
            return match self.turn_fixed {
                true => finite + (x - finite + 1) % fixed as u32,
                false => x,
            };
        }
        let (r, y) = (x as usize / m, x as usize % m);
        (((r + 1) % rows) * m + self.mu as usize % m * y % m) as u32
    }

    /// True when μ is a unit mod `m` (σ a bijection of differences).
    pub fn is_unit(&self, m: usize) -> bool {
        let mu = self.mu as usize % m;
        m == 1 || (1..m).any(|y| mu * y % m == 1)
    }
}

impl Shape {
    /// A frame's hole (see `develop.rs`) as `(t, period)`: the subgroup of
    /// order `t = 3 / starters` in each row, the multiples of `period =
    /// m / t`; `None` when `hole` is off or the shape does not fit a frame
    /// (6 people a hole, tables of 3, no fixed points, orbit blocks or
    /// inner rounds). Both searches read the hole from here.
    pub(super) fn frame(&self) -> Option<(usize, usize)> {
        let fits = self.hole && self.p == 3 && self.fixed == 0 && self.orbits == 0 && !self.inner;
        frame_hole(self.starters, self.rows, self.m).filter(|_| fits)
    }

    /// The starter a search found for this shape (a frame's starter gets
    /// the three ∞ that fill its holes).
    pub(super) fn starter(&self, rounds: Vec<Vec<Vec<u32>>>, orbits: Vec<Vec<u32>>) -> Starter {
        Starter {
            m: self.m,
            rows: self.rows,
            fixed: if self.hole { 3 } else { self.fixed },
            inner: self.inner,
            frame: self.hole,
            rounds,
            orbits,
        }
    }

    /// How this shape's developments number their differences, for both
    /// searches; `None` when it asks for a hole that makes no frame.
    pub(super) fn slots(&self) -> Option<Slots> {
        let frame = self.frame();
        if self.hole && frame.is_none() {
            return None;
        }
        Some(Slots {
            m: self.m,
            rows: self.rows,
            inner: self.inner,
            period: frame.map_or(0, |(_, period)| period),
            group_period: group_period(self.rows, self.column_groups),
        })
    }

    /// Rounds a starter of this shape develops into (inner rounds aside;
    /// a frame's last round of lines inside the holes counted).
    pub fn rounds(&self) -> usize {
        self.starters * self.m + self.orbits + usize::from(self.hole)
    }
}

/// Cost of one forbidden pair (two ∞, an order-2 difference, a pair inside
/// a row when the rows must never meet).
const FORBIDDEN: i64 = 1_000;

/// The starters being searched: groups (numbered across all starter
/// rounds), and how often each difference is used.
struct Draft {
    /// The development's difference slots (and its `m` and rows).
    slots: Slots,
    /// Groups of starter round `k` are `k·per_round..(k+1)·per_round`.
    blocks: Vec<Vec<u32>>,
    /// `block_of[k·people + x]`: the group of `x` in starter round `k`.
    block_of: Vec<usize>,
    people: usize,
    counts: Vec<u32>,
    cost: i64,
    /// Orbit blocks: `orbit[o][r]` is the block's point in row `r`.
    orbit: Vec<Vec<u32>>,
}

/// A point in a pair that uses a difference twice (or is forbidden).
#[derive(Debug, Clone, Copy)]
enum Spot {
    /// Point `x` of starter round `k`.
    Round(usize, u32),
    /// Row `r`'s point of orbit block `o`.
    Orbit(usize, usize),
}

/// What a pair of the starter uses up: a difference slot, or nothing
/// allowed at all.
pub(super) enum Use {
    Slot(usize),
    Forbidden,
}

/// How a development numbers its differences: the slot a pair of a
/// starter uses, or that it is not allowed at all. Shared by the tabu
/// search here and the exact one (`exact_search.rs`).
pub(super) struct Slots {
    pub m: usize,
    pub rows: usize,
    /// Rows never meet (inner rounds follow).
    pub inner: bool,
    /// A frame's hole: differences that are multiples of it are not
    /// allowed (0: no hole).
    pub period: usize,
    /// Rows `r ≡ r'` modulo this hold the groups of the columns: no
    /// difference 0 between them (0: none; see [`Shape::column_groups`]).
    pub group_period: usize,
}

/// The `group_period` of [`Slots`] for `g`-row column groups (0: none,
/// or `g` does not divide the rows).
fn group_period(rows: usize, g: usize) -> usize {
    if g >= 2 && rows.is_multiple_of(g) {
        rows / g
    } else {
        0
    }
}

impl Slots {
    /// The number of slots for `fixed` points ∞.
    pub fn count(&self, fixed: usize) -> usize {
        self.rows * (self.rows + 1) / 2 * self.m + fixed * self.rows
    }

    pub fn classify(&self, a: u32, b: u32) -> Use {
        let (m, finite) = (self.m, self.rows * self.m);
        let (a, b) = (a.min(b) as usize, a.max(b) as usize);
        let pairs = self.rows * (self.rows + 1) / 2;
        if a >= finite {
            return Use::Forbidden; // two fixed points
        }
        let (ra, xa) = (a / m, a % m);
        if b >= finite {
            let f = b - finite;
            return Use::Slot(pairs * m + f * self.rows + ra);
        }
        let (rb, xb) = (b / m, b % m);
        let row_pair = ra * self.rows - ra * (ra + 1) / 2 + rb; // ra <= rb
        if ra == rb {
            let d = (xb + m - xa) % m;
            let d = d.min(m - d);
            if self.inner || 2 * d == m || (self.period > 0 && d.is_multiple_of(self.period)) {
                return Use::Forbidden;
            }
            return Use::Slot(row_pair * m + d);
        }
        let d = (xb + m - xa) % m;
        let grouped = self.group_period > 0 && (rb - ra).is_multiple_of(self.group_period);
        if (grouped && d == 0) || (self.period > 0 && d.is_multiple_of(self.period)) {
            return Use::Forbidden;
        }
        Use::Slot(row_pair * m + d)
    }
}

impl Draft {
    fn classify(&self, a: u32, b: u32) -> Use {
        self.slots.classify(a, b)
    }

    /// Adds (`+1`) or removes (`-1`) the pair's use; returns the cost change.
    fn touch(&mut self, a: u32, b: u32, delta: i32) -> i64 {
        match self.classify(a, b) {
            Use::Forbidden => FORBIDDEN * i64::from(delta),
            Use::Slot(k) => {
                let before = self.counts[k];
                let after = (i64::from(before) + i64::from(delta)) as u32;
                self.counts[k] = after;
                let excess = |c: u32| i64::from(c.saturating_sub(1));
                excess(after) - excess(before)
            }
        }
    }

    /// Exchanges points `a` and `b` (in different groups) in starter round
    /// `k`; returns the cost change. Calling it again undoes it.
    fn swap(&mut self, k: usize, a: u32, b: u32) -> i64 {
        let base = k * self.people;
        let (ba, bb) = (
            self.block_of[base + a as usize],
            self.block_of[base + b as usize],
        );
        let mut delta = 0;
        for i in 0..self.blocks[ba].len() {
            let c = self.blocks[ba][i];
            if c == a {
                self.blocks[ba][i] = b;
            } else {
                delta += self.touch(a, c, -1) + self.touch(b, c, 1);
            }
        }
        for i in 0..self.blocks[bb].len() {
            let c = self.blocks[bb][i];
            if c == b {
                self.blocks[bb][i] = a;
            } else {
                delta += self.touch(b, c, -1) + self.touch(a, c, 1);
            }
        }
        self.block_of[base + a as usize] = bb;
        self.block_of[base + b as usize] = ba;
        self.cost += delta;
        delta
    }

    /// Moves orbit block `o`'s point in row `r` to `y` (a point of that
    /// row); returns the cost change. Moving it back undoes it.
    fn move_orbit(&mut self, o: usize, r: usize, y: u32) -> i64 {
        let x = self.orbit[o][r];
        let mut delta = 0;
        for i in 0..self.orbit[o].len() {
            if i != r {
                let c = self.orbit[o][i];
                delta += self.touch(x, c, -1) + self.touch(y, c, 1);
            }
        }
        self.orbit[o][r] = y;
        self.cost += delta;
        delta
    }

    /// Points in a pair that uses a difference twice or is forbidden.
    fn conflicted(&self, per_round: usize) -> Vec<Spot> {
        let bad = |x: u32, y: u32| match self.classify(x, y) {
            Use::Forbidden => true,
            Use::Slot(k) => self.counts[k] > 1,
        };
        let mut out = Vec::new();
        for (o, b) in self.orbit.iter().enumerate() {
            for (i, &x) in b.iter().enumerate() {
                for (j, &y) in b.iter().enumerate().skip(i + 1) {
                    if bad(x, y) {
                        out.push(Spot::Orbit(o, i));
                        out.push(Spot::Orbit(o, j));
                    }
                }
            }
        }
        for (i, b) in self.blocks.iter().enumerate() {
            let k = i / per_round;
            for (i, &x) in b.iter().enumerate() {
                for &y in &b[i + 1..] {
                    if bad(x, y) {
                        out.push(Spot::Round(k, x));
                        out.push(Spot::Round(k, y));
                    }
                }
            }
        }
        out
    }
}

/// Looks for a starter of `shape` (so `shape.rounds()` rounds) with at
/// most `iterations` tabu steps; `None` when none is found.
pub fn find_starter(shape: &Shape, seed: u64, iterations: u64) -> Option<Starter> {
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
    let n = rows * m + fixed;
    let plain = symmetry.is_none();
    if !plain || p < 2 || m < 2 || starters == 0 || !n.is_multiple_of(p) || fixed > n / p {
        return None;
    }
    if orbits > 0 && (rows != p || fixed > 0) {
        return None;
    }
    let slots = shape.slots()?;
    let (t, period) = shape.frame().unwrap_or((0, 0));
    let out = |x: u32| hole && (x as usize % m).is_multiple_of(period);
    let seated = rows * (m - t) + fixed;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let per_round = seated / p;
    let mut blocks: Vec<Vec<u32>> = Vec::with_capacity(per_round * starters);
    let mut block_of = vec![0; n * starters];
    for k in 0..starters {
        // Fixed points first, one per group; then the rest at random.
        let mut finite: Vec<u32> = (0..(rows * m) as u32).filter(|&x| !out(x)).collect();
        finite.shuffle(&mut rng);
        let mut round: Vec<Vec<u32>> = (0..per_round).map(|_| Vec::with_capacity(p)).collect();
        for (f, g) in round.iter_mut().enumerate().take(fixed) {
            g.push((rows * m + f) as u32);
        }
        let mut next = finite.into_iter();
        for g in round.iter_mut() {
            while g.len() < p {
                g.push(next.next()?);
            }
        }
        for (i, g) in round.into_iter().enumerate() {
            for &x in &g {
                block_of[k * n + x as usize] = k * per_round + i;
            }
            blocks.push(g);
        }
    }
    let mut draft = Draft {
        counts: vec![0; slots.count(fixed)],
        slots,
        block_of,
        people: n,
        blocks: Vec::new(),
        cost: 0,
        orbit: Vec::new(),
    };
    let orbit: Vec<Vec<u32>> = (0..orbits)
        .map(|_| {
            (0..rows)
                .map(|r| (r * m + rng.random_range(0..m)) as u32)
                .collect()
        })
        .collect();
    for b in &orbit {
        for (i, &x) in b.iter().enumerate() {
            for &y in &b[i + 1..] {
                draft.cost += draft.touch(x, y, 1);
            }
        }
    }
    draft.orbit = orbit;
    for b in &blocks {
        for (i, &x) in b.iter().enumerate() {
            for &y in &b[i + 1..] {
                draft.cost += draft.touch(x, y, 1);
            }
        }
    }
    draft.blocks = blocks;
    let groups = per_round * starters;
    let mut tabu = vec![0u64; n * groups];
    let mut orbit_tabu = vec![0u64; n * orbits.max(1)];
    let mut best = draft.cost;
    let mut last_best = 0;
    for it in 1..=iterations {
        if draft.cost == 0 {
            break;
        }
        let conflicted = draft.conflicted(per_round);
        let Some(&spot) = conflicted.get(rng.random_range(0..conflicted.len().max(1))) else {
            break;
        };
        let (k, x) = match spot {
            Spot::Round(k, x) => (k, x),
            Spot::Orbit(o, r) => {
                step_orbit(&mut draft, &mut rng, &mut orbit_tabu, it, o, r, best);
                if draft.cost < best {
                    best = draft.cost;
                    last_best = it;
                }
                continue;
            }
        };
        let base = k * n;
        let mut choice: Option<(i64, u32)> = None;
        let mut ties = 0;
        for y in (0..n as u32).filter(|&y| !out(y)) {
            let (bx, by) = (
                draft.block_of[base + x as usize],
                draft.block_of[base + y as usize],
            );
            if bx == by {
                continue;
            }
            let delta = draft.swap(k, x, y);
            draft.swap(k, x, y);
            let is_tabu =
                tabu[x as usize * groups + by] > it || tabu[y as usize * groups + bx] > it;
            if is_tabu && draft.cost + delta >= best {
                continue;
            }
            keep_best(&mut choice, &mut ties, &mut rng, delta, y);
        }
        let Some((_, y)) = choice else { continue };
        let (bx, by) = (
            draft.block_of[base + x as usize],
            draft.block_of[base + y as usize],
        );
        draft.swap(k, x, y);
        let tenure = 3 + rng.random_range(0..(n as u64 / 8 + 3));
        tabu[x as usize * groups + bx] = it + tenure;
        tabu[y as usize * groups + by] = it + tenure;
        if draft.cost < best {
            best = draft.cost;
            last_best = it;
        } else if it - last_best > 2_000 + 20 * n as u64 {
            // A restart's worth of random swaps.
            for o in 0..orbits {
                let r = rng.random_range(0..rows);
                let y = (r * m + rng.random_range(0..m)) as u32;
                draft.move_orbit(o, r, y);
            }
            for _ in 0..3 {
                let k = rng.random_range(0..starters);
                let a = rng.random_range(0..n as u32);
                let b = rng.random_range(0..n as u32);
                if !out(a)
                    && !out(b)
                    && draft.block_of[k * n + a as usize] != draft.block_of[k * n + b as usize]
                {
                    draft.swap(k, a, b);
                }
            }
            best = draft.cost;
            last_best = it;
        }
    }
    if draft.cost != 0 {
        return None;
    }
    let mut rounds: Vec<Vec<Vec<u32>>> = Vec::with_capacity(starters);
    for chunk in draft.blocks.chunks(per_round) {
        rounds.push(
            chunk
                .iter()
                .map(|b| {
                    let mut b = b.clone();
                    b.sort_unstable();
                    b
                })
                .collect(),
        );
    }
    Some(shape.starter(rounds, draft.orbit))
}

/// One tabu step on orbit block `o`'s point in row `r`: the best move of it
/// to another point of the row (not tabu unless it beats `best`).
fn step_orbit(
    draft: &mut Draft,
    rng: &mut Xoshiro256PlusPlus,
    tabu: &mut [u64],
    it: u64,
    o: usize,
    r: usize,
    best: i64,
) {
    let (m, n) = (draft.slots.m, draft.people);
    let x = draft.orbit[o][r];
    let mut choice: Option<(i64, u32)> = None;
    let mut ties = 0;
    for y in (r * m) as u32..((r + 1) * m) as u32 {
        if y == x {
            continue;
        }
        let delta = draft.move_orbit(o, r, y);
        draft.move_orbit(o, r, x);
        if tabu[o * n + y as usize] > it && draft.cost + delta >= best {
            continue;
        }
        keep_best(&mut choice, &mut ties, rng, delta, y);
    }
    if let Some((_, y)) = choice {
        draft.move_orbit(o, r, y);
        tabu[o * n + x as usize] = it + 3 + rng.random_range(0..(m as u64 / 4 + 3));
    }
}

/// Keeps the move with the lowest delta seen so far, ties broken uniformly
/// at random (reservoir sampling over the tied moves).
fn keep_best(
    choice: &mut Option<(i64, u32)>,
    ties: &mut u32,
    rng: &mut Xoshiro256PlusPlus,
    delta: i64,
    y: u32,
) {
    match *choice {
        Some((d, _)) if delta > d => {}
        Some((d, _)) if delta == d => {
            *ties += 1;
            if rng.random_range(0..*ties) == 0 {
                *choice = Some((delta, y));
            }
        }
        _ => {
            *ties = 1;
            *choice = Some((delta, y));
        }
    }
}
