//! How many times each pair of attendees has met: earlier rounds (history)
//! plus the rounds being planned.
//!
//! Small rooms use a dense triangular table (one byte per pair, fast and
//! cache-friendly); above [`DENSE_LIMIT`] people a hash map keeps memory
//! proportional to the meetings that actually happen (10,000 people would
//! otherwise need 50 MB of mostly zeros).

use rustc_hash::FxHashMap;

/// Up to this many people the table is dense: 4,096² bytes = 16 MB.
pub const DENSE_LIMIT: usize = 4096;

/// Meeting counts per unordered pair. Counts saturate at 255, far beyond any
/// real event.
#[derive(Debug, Clone)]
pub enum PairTable {
    /// `counts[i * n + j]` for `i < j`.
    Dense { n: usize, counts: Vec<u8> },
    /// Key `(i << 32) | j` for `i < j`; absent means zero.
    Sparse(FxHashMap<u64, u8>),
}

impl PairTable {
    pub fn new(n: usize) -> Self {
        if n <= DENSE_LIMIT {
            PairTable::Dense {
                n,
                counts: vec![0; n * n],
            }
        } else {
            PairTable::Sparse(FxHashMap::default())
        }
    }

    /// Meetings of `a` and `b` so far.
    #[inline]
    pub fn get(&self, a: u32, b: u32) -> u8 {
        let (i, j) = if a < b { (a, b) } else { (b, a) };
        match self {
            PairTable::Dense { n, counts } => counts[i as usize * n + j as usize],
            PairTable::Sparse(map) => map.get(&key(i, j)).copied().unwrap_or(0),
        }
    }

    /// Adds `delta` (±1 or a history count) and returns the new count.
    #[inline]
    pub fn add(&mut self, a: u32, b: u32, delta: i32) -> u8 {
        let (i, j) = if a < b { (a, b) } else { (b, a) };
        match self {
            PairTable::Dense { n, counts } => {
                let slot = &mut counts[i as usize * *n + j as usize];
                *slot = (i32::from(*slot) + delta).clamp(0, 255) as u8;
                *slot
            }
            PairTable::Sparse(map) => {
                let k = key(i, j);
                let new =
                    (i32::from(map.get(&k).copied().unwrap_or(0)) + delta).clamp(0, 255) as u8;
                if new == 0 {
                    map.remove(&k);
                } else {
                    map.insert(k, new);
                }
                new
            }
        }
    }
}

#[inline]
fn key(i: u32, j: u32) -> u64 {
    (u64::from(i) << 32) | u64::from(j)
}

/// One key for the unordered pair `a`, `b`.
#[inline]
pub(crate) fn pair_key(a: u32, b: u32) -> u64 {
    key(a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_count_the_same() {
        for mut table in [PairTable::new(10), PairTable::new(DENSE_LIMIT + 1)] {
            assert_eq!(table.get(3, 7), 0);
            assert_eq!(table.add(7, 3, 1), 1);
            assert_eq!(table.add(3, 7, 2), 3);
            assert_eq!(table.get(7, 3), 3);
            assert_eq!(table.add(3, 7, -3), 0);
            assert_eq!(table.add(3, 7, -1), 0, "counts never go negative");
        }
    }
}
