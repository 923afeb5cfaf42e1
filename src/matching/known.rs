//! What is known about the longest repeat-free run for a room: the counting
//! bound and the published best for the social-golfer sizes up to 150
//! people. The search uses it to know when it may stop; the benchmark
//! prints it beside what the engine reaches.
//!
//! Only published facts are listed (see /work/shared/SOCIAL_GOLFER.md for
//! the table these come from); where none is listed here, the counting
//! bound is the only limit the engine knows.

/// The counting bound for `n` people in groups of `p`: each round a person
/// meets `p − 1` new people, so at most ⌊(n − 1)/(p − 1)⌋ rounds.
pub fn counting_bound(n: usize, p: usize) -> usize {
    if p < 2 || n < 2 {
        return 0;
    }
    (n - 1) / (p - 1)
}

/// A published best number of repeat-free rounds, and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub rounds: usize,
    pub source: &'static str,
}

/// The best known number of repeat-free rounds for `n` people in groups of
/// exactly `p` (3 ≤ p ≤ 8, n ≤ 150, `p | n`), when published.
pub fn best_known(n: usize, p: usize) -> Option<Known> {
    if p < 2 || n < p || !n.is_multiple_of(p) {
        return None;
    }
    let g = n / p;
    let known = |rounds, source| Some(Known { rounds, source });
    if g == 1 {
        return known(1, "one group: everyone meets at once");
    }
    if g < p {
        // A second round needs p people from p different groups of the first.
        return known(1, "pigeonhole: fewer groups than places in a group");
    }
    if n > 150 || !(3..=8).contains(&p) {
        return None;
    }
    let bound = counting_bound(n, p);
    match p {
        3 if n % 6 == 3 => known(bound, "Kirkman triple system (Ray-Chaudhuri & Wilson 1971)"),
        3 if n == 12 => known(
            4,
            "no nearly Kirkman triple system of order 12 (Kotzig & Rosa 1974)",
        ),
        3 => known(
            (n - 2) / 2,
            "nearly Kirkman triple system (Baker & Wilson 1977; Rees & Stinson 1987)",
        ),
        4 => match n {
            16 => known(5, "affine plane of order 4"),
            20 => known(5, "proven below the bound (SOCIAL_GOLFER.md)"),
            32 => known(10, "Aguado 2004; Triska & Musliu 2012"),
            _ if n % 12 == 4 => known(
                bound,
                "resolvable (v,4,1) design (Hanani, Ray-Chaudhuri & Wilson 1972)",
            ),
            _ => known(
                bound,
                "4-RGDD of type 3^u or 2^u (Ge, Lam, Ling & Shen 2005; SOCIAL_GOLFER.md)",
            ),
        },
        _ if g == p && p == 6 => known(3, "no pair of orthogonal Latin squares of order 6"),
        _ if g == p => known(p + 1, "affine plane of prime-power order"),
        5 if n == 30 => known(6, "SOCIAL_GOLFER.md (6-5)"),
        5 if n == 40 => known(8, "best known, 9 open (SOCIAL_GOLFER.md, 8-5)"),
        _ => None,
    }
}

/// The longest repeat-free run worth trying for rounds of these group
/// sizes: the best known where one is published, else the counting bound
/// (with the largest group when sizes differ).
pub(crate) fn run_limit(sizes: &[usize]) -> usize {
    let Some(&p) = sizes.first() else {
        return 0;
    };
    if sizes.len() == 1 {
        return 1;
    }
    let n: usize = sizes.iter().sum();
    if sizes.iter().all(|&s| s == p)
        && let Some(k) = best_known(n, p)
    {
        return k.rounds;
    }
    counting_bound(n, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_never_exceed_the_bound() {
        for p in 3..=8 {
            for n in (p..=150).step_by(p) {
                if let Some(k) = best_known(n, p) {
                    assert!(k.rounds <= counting_bound(n, p).max(1), "{n}/{p}");
                }
            }
        }
        assert_eq!(best_known(15, 3).map(|k| k.rounds), Some(7));
        assert_eq!(best_known(18, 3).map(|k| k.rounds), Some(8));
        assert_eq!(best_known(40, 4).map(|k| k.rounds), Some(13));
        assert_eq!(best_known(36, 6).map(|k| k.rounds), Some(3));
        assert_eq!(run_limit(&[4, 4, 4, 3]), 4); // ⌊14 / 3⌋
    }
}
