//! Mutually orthogonal Latin squares of orders the finite fields do not
//! give, found offline by `examples/mols_search.rs` and kept in `mols.txt`,
//! one set per line: a pair of order 10 (n ≡ 2 mod 4, where MacNeish's
//! product fails because 2 has no pair), three of order 24 (the product of
//! GF(8) and GF(3) gives only two; these come from a difference matrix
//! over Z₂³ × Z₃, and make 96 in fours: 24 + 7 rounds). The format:
//!
//! `order : square ; square [; …]` (each square row by row, rows separated
//! by commas).
//!
//! `t` squares give a resolvable transversal design RTD(t + 1, n)
//! (Handbook of Combinatorial Designs, III.3: `t` MOLS are a TD(t + 2, n),
//! and a TD(k + 1, n) is a resolvable TD(k, n)): row 0 of the design is
//! the square's row `r`, row 1 its column `c`, row `i + 1` the symbol of
//! square `i` in cell `(r, c)`, and round `k` gathers the cells where the
//! last square has symbol `k`. A line that does not parse, or whose
//! squares are not Latin and orthogonal, is ignored (the tests assert none
//! is).

use std::sync::OnceLock;

use super::DesignRound;

/// The file, compiled in.
pub(super) const MOLS_TEXT: &str = include_str!("mols.txt");

/// A set of squares of one order, each `n × n`, row-major.
#[derive(Debug)]
pub(super) struct Squares {
    pub n: usize,
    pub squares: Vec<Vec<usize>>,
}

fn sets() -> &'static [Squares] {
    static PARSED: OnceLock<Vec<Squares>> = OnceLock::new();
    PARSED.get_or_init(|| parse(MOLS_TEXT))
}

/// Parses the lines, keeping only sets that are Latin and orthogonal.
pub(super) fn parse(text: &str) -> Vec<Squares> {
    text.lines()
        .filter_map(|line| {
            let (head, body) = line.trim().split_once(':')?;
            let n: usize = head.trim().parse().ok()?;
            let squares = body
                .split(';')
                .map(|sq| {
                    sq.split([',', ' '])
                        .filter(|t| !t.is_empty())
                        .map(str::parse)
                        .collect::<Result<Vec<usize>, _>>()
                })
                .collect::<Result<Vec<_>, _>>()
                .ok()?;
            let set = Squares { n, squares };
            set.is_valid().then_some(set)
        })
        .collect()
}

impl Squares {
    /// Every square Latin, every two orthogonal.
    fn is_valid(&self) -> bool {
        let n = self.n;
        let latin = |s: &[usize]| {
            s.len() == n * n
                && (0..n).all(|i| {
                    let (mut row, mut col) = (vec![false; n], vec![false; n]);
                    (0..n).all(|j| {
                        let (a, b) = (s[i * n + j], s[j * n + i]);
                        a < n
                            && b < n
                            && !std::mem::replace(&mut row[a], true)
                            && !std::mem::replace(&mut col[b], true)
                    })
                })
        };
        let orthogonal = |a: &[usize], b: &[usize]| {
            let mut seen = vec![false; n * n];
            (0..n * n).all(|c| !std::mem::replace(&mut seen[a[c] * n + b[c]], true))
        };
        !self.squares.is_empty()
            && self.squares.iter().all(|s| latin(s))
            && self
                .squares
                .iter()
                .enumerate()
                .all(|(i, a)| self.squares[i + 1..].iter().all(|b| orthogonal(a, b)))
    }
}

/// RTD(p, n) from the file (person `row·n + column`), when a set of at
/// least `p − 1` squares of order `n` is there.
pub(super) fn rtd(n: usize, p: usize) -> Option<Vec<DesignRound>> {
    if p < 2 {
        return None;
    }
    let set = sets()
        .iter()
        .find(|s| s.n == n && s.squares.len() + 1 >= p)?;
    let last = set.squares.last()?;
    let mut rounds: Vec<DesignRound> = vec![Vec::with_capacity(n); n];
    for r in 0..n {
        for c in 0..n {
            let cell = r * n + c;
            let mut block = vec![r as u32, (n + c) as u32];
            for i in 2..p {
                block.push((i * n + set.squares[i - 2][cell]) as u32);
            }
            rounds[last[cell]].push(block);
        }
    }
    Some(rounds)
}

#[cfg(test)]
mod tests {
    use super::super::is_repeat_free;
    use super::*;

    #[test]
    fn every_line_of_the_file_is_a_set_of_orthogonal_squares() {
        let lines = MOLS_TEXT.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(
            parse(MOLS_TEXT).len(),
            lines,
            "a line is malformed or not orthogonal"
        );
        assert!(lines >= 1);
    }

    #[test]
    fn squares_make_resolvable_transversal_designs() {
        let rounds = rtd(10, 3).expect("RTD(3, 10)");
        assert_eq!(rounds.len(), 10);
        assert!(rounds.iter().flatten().all(|t| t.len() == 3));
        assert!(is_repeat_free(30, &rounds));
        assert!(rtd(10, 4).is_none(), "one pair gives 3 rows, not 4");
        let rounds = rtd(24, 4).expect("RTD(4, 24)");
        assert_eq!(rounds.len(), 24);
        assert!(rounds.iter().flatten().all(|t| t.len() == 4));
        assert!(is_repeat_free(96, &rounds));
        assert!(rtd(6, 3).is_none(), "no pair of order 6 exists");
    }

    #[test]
    fn damaged_lines_are_ignored() {
        // Not Latin; not orthogonal (a square with itself); cut short.
        let text = "2 : 0 0, 1 1 ; 0 1, 1 0\n3 : 0 1 2, 1 2 0, 2 0 1 ; 0 1 2, 1 2 0, 2 0 1\n3 : 0 1\nx : 1";
        assert!(parse(text).is_empty());
        let good = "3 : 0 1 2, 1 2 0, 2 0 1 ; 0 1 2, 2 0 1, 1 2 0";
        assert_eq!(parse(good).len(), 1);
    }
}
