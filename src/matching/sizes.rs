//! The group-size rule: how many tables a round has and how many people sit
//! at each.
//!
//! The number of groups is `n / size` rounded to the nearest whole number, at
//! least one, and never so many that a group would have a single member. Sizes
//! then differ by at most one, larger groups first. One person alone is not a
//! group: they are waiting.

/// Group sizes for `n` people with a target `size` (≥ 2), largest first.
/// Empty when fewer than two people are present.
///
/// ```
/// use icebreaker::matching::group_sizes;
/// assert_eq!(group_sizes(7, 4), vec![4, 3]);
/// assert_eq!(group_sizes(6, 4), vec![3, 3]);
/// assert_eq!(group_sizes(5, 4), vec![5]);
/// assert_eq!(group_sizes(5, 2), vec![3, 2]);
/// assert_eq!(group_sizes(1, 4), Vec::<usize>::new());
/// ```
pub fn group_sizes(n: usize, size: usize) -> Vec<usize> {
    let size = size.max(2);
    if n < 2 {
        return Vec::new();
    }
    // Round half up: 6 / 4 = 1.5 → 2 groups.
    let rounded = (2 * n + size) / (2 * size);
    let groups = rounded.max(1).min(n / 2);
    let base = n / groups;
    let bigger = n % groups;
    (0..groups)
        .map(|g| if g < bigger { base + 1 } else { base })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::group_sizes;

    #[test]
    fn size_four_rule_for_small_rooms() {
        assert_eq!(group_sizes(0, 4), Vec::<usize>::new());
        assert_eq!(group_sizes(1, 4), Vec::<usize>::new());
        assert_eq!(group_sizes(2, 4), vec![2]);
        assert_eq!(group_sizes(3, 4), vec![3]);
        assert_eq!(group_sizes(4, 4), vec![4]);
        assert_eq!(group_sizes(5, 4), vec![5]);
        assert_eq!(group_sizes(6, 4), vec![3, 3]);
        assert_eq!(group_sizes(7, 4), vec![4, 3]);
        assert_eq!(group_sizes(8, 4), vec![4, 4]);
        assert_eq!(group_sizes(9, 4), vec![5, 4]);
        assert_eq!(group_sizes(10, 4), vec![4, 3, 3]);
    }

    #[test]
    fn pairs_with_an_odd_count_make_one_trio() {
        assert_eq!(group_sizes(3, 2), vec![3]);
        assert_eq!(group_sizes(5, 2), vec![3, 2]);
        assert_eq!(group_sizes(7, 2), vec![3, 2, 2]);
        assert_eq!(group_sizes(9, 2), vec![3, 2, 2, 2]);
        assert_eq!(group_sizes(101, 2).len(), 50);
    }

    #[test]
    fn everyone_is_seated_and_sizes_differ_by_at_most_one() {
        for size in 2..=8 {
            for n in 2..=200 {
                let sizes = group_sizes(n, size);
                assert_eq!(sizes.iter().sum::<usize>(), n, "n={n} size={size}");
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "n={n} size={size} {sizes:?}");
                assert!(*lo >= 2, "n={n} size={size} {sizes:?}");
            }
        }
    }
}
