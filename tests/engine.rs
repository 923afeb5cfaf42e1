//! The matching engine through its public API: invariants (property tests),
//! history, determinism, interests and fairness.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use icebreaker::matching::{
    IterationBudget, PastMeeting, Plan, PlanError, PlanRequest, group_sizes, plan,
};
use proptest::prelude::*;

fn run(request: &PlanRequest, iterations: u64) -> Plan {
    plan(request, &mut IterationBudget::new(iterations)).expect("valid request")
}

/// Every attendee sits exactly once per round, in groups of the rule's sizes.
fn assert_valid(request: &PlanRequest, result: &Plan) {
    let n = request.interests.len();
    assert_eq!(result.rounds.len(), request.rounds);
    let mut expected = group_sizes(n, request.group_size);
    expected.sort_unstable();
    for round in &result.rounds {
        let mut seen = vec![0; n];
        for m in round.groups.iter().flatten().chain(&round.waiting) {
            seen[*m] += 1;
        }
        assert!(
            seen.iter().all(|&c| c == 1),
            "everyone exactly once: {seen:?}"
        );
        let mut sizes: Vec<usize> = round.groups.iter().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, expected);
        assert_eq!(round.waiting.len(), usize::from(n == 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn everyone_sits_once_per_round_in_even_groups(
        n in 0usize..60,
        size in 2usize..7,
        rounds in 1usize..6,
        seed in any::<u64>(),
        with_interests in any::<bool>(),
    ) {
        let mut request = PlanRequest::anonymous(n, size, rounds, seed);
        if with_interests {
            request.interests = (0..n).map(|i| vec![format!("topic {}", i % 5)]).collect();
        }
        let result = run(&request, 300);
        assert_valid(&request, &result);
        let sizes: Vec<usize> = result.rounds[0].groups.iter().map(Vec::len).collect();
        if let (Some(lo), Some(hi)) = (sizes.iter().min(), sizes.iter().max()) {
            prop_assert!(hi - lo <= 1);
        }
    }

    /// Whatever construction the portfolio picks for a size (transversal,
    /// cyclic, Kirkman, banked starters, …), its rounds partition everyone
    /// into groups of the size and no pair meets twice.
    #[test]
    fn every_design_is_repeat_free(
        groups in 1usize..300,
        size in 2usize..9,
        limit in 1usize..40,
    ) {
        let n = groups * size;
        let rounds = icebreaker::matching::design_upto(n, size, limit).expect("a multiple");
        prop_assert!(!rounds.is_empty() && rounds.len() <= limit);
        let mut met = std::collections::HashSet::new();
        for round in &rounds {
            let mut people: Vec<u32> = round.iter().flatten().copied().collect();
            people.sort_unstable();
            prop_assert_eq!(people, (0..n as u32).collect::<Vec<_>>());
            for group in round {
                prop_assert_eq!(group.len(), size);
                for (i, &a) in group.iter().enumerate() {
                    for &b in &group[i + 1..] {
                        prop_assert!(met.insert((a.min(b), a.max(b))), "{} and {} meet twice", a, b);
                    }
                }
            }
        }
    }
}

#[test]
fn same_seed_same_plan_other_seed_other_plan() {
    let mut request = PlanRequest::anonymous(40, 4, 5, 11);
    request.interests = (0..40).map(|i| vec![format!("t{}", i % 7)]).collect();
    let a = run(&request, 20_000);
    let b = run(&request, 20_000);
    assert_eq!(a.rounds, b.rounds);
    request.seed = 12;
    let c = run(&request, 20_000);
    assert_ne!(a.rounds, c.rounds);
}

#[test]
fn history_is_not_repeated() {
    // 16 people in groups of 4; everyone has already met their block
    // (0-1-2-3, 4-5-6-7, ...) in an earlier round.
    let mut request = PlanRequest::anonymous(16, 4, 3, 3);
    for g in 0..4 {
        for a in 0..4 {
            for b in a + 1..4 {
                request.history.push(PastMeeting {
                    a: 4 * g + a,
                    b: 4 * g + b,
                    times: 1,
                });
            }
        }
    }
    let result = run(&request, 50_000);
    assert_valid(&request, &result);
    assert_eq!(result.stats.repeat_pairs, 0);
    for round in &result.rounds {
        for group in &round.groups {
            let blocks: std::collections::HashSet<usize> = group.iter().map(|m| m / 4).collect();
            assert_eq!(
                blocks.len(),
                group.len(),
                "{group:?} repeats an earlier group"
            );
        }
    }
}

#[test]
fn known_maxima_from_designs_and_search() {
    for (n, p, rounds) in [
        (16, 4, 5),
        (15, 3, 7),
        (27, 3, 13),
        (25, 5, 6),
        (31, 4, 9),
        (26, 3, 12),
    ] {
        let result = run(&PlanRequest::anonymous(n, p, rounds, 1), 200_000);
        assert_eq!(result.stats.repeat_pairs, 0, "{n} people in groups of {p}");
        assert_eq!(result.stats.rounds_before_first_repeat, rounds);
    }
}

#[test]
fn repeats_come_last_and_are_spread() {
    // 36 in groups of 6 cannot have more than 3 repeat-free rounds.
    let result = run(&PlanRequest::anonymous(36, 6, 5, 5), 5_000);
    assert!(result.stats.repeat_pairs > 0);
    assert!(result.stats.rounds_before_first_repeat >= 2);
    // Fairness: nobody carries a large share of the repeats.
    assert!(
        result.stats.max_repeats_per_person <= 4,
        "{:?}",
        result.stats
    );
}

#[test]
fn groups_form_around_shared_interests() {
    // Four communities of eight; each person has one interest of their own.
    let n = 32;
    let mut request = PlanRequest::anonymous(n, 4, 3, 9);
    request.interests = (0..n)
        .map(|i| vec![format!("Community {}", i % 4), format!("own {i}")])
        .collect();
    let result = run(&request, 50_000);
    assert_eq!(result.stats.repeat_pairs, 0);
    assert_eq!(result.stats.groups_without_shared_interest, 0);
    // Round 1 can seat whole communities (6 sharing pairs a group); after
    // that, without repeats, at best two from each of two communities (2
    // pairs): (6 + 2 + 2) / 3 = 3.3. Random groups share about 1.35.
    let per_group = result.stats.shared_interest_pairs as f64 / result.stats.groups as f64;
    assert!(per_group >= 3.0, "{per_group}");
}

#[test]
fn interests_match_after_normalisation() {
    // Two pairs who wrote the same interest differently; nothing else in common.
    let mut request = PlanRequest::anonymous(4, 2, 1, 0);
    request.interests = vec![
        vec!["Hiking".into()],
        vec!["AI".into()],
        vec![" hikings ".into()],
        vec!["ai!".into()],
    ];
    let result = run(&request, 10_000);
    let mut groups = result.rounds[0].groups.clone();
    groups.sort();
    assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let mut request = PlanRequest::anonymous(4, 1, 1, 0);
    assert_eq!(
        plan(&request, &mut IterationBudget::new(10)).unwrap_err(),
        PlanError::GroupSizeTooSmall(1)
    );
    request.group_size = 2;
    request.rounds = 0;
    assert!(matches!(
        plan(&request, &mut IterationBudget::new(10)),
        Err(PlanError::RoundsOutOfRange(0))
    ));
    request.rounds = 1;
    request.history.push(PastMeeting {
        a: 0,
        b: 9,
        times: 1,
    });
    assert!(matches!(
        plan(&request, &mut IterationBudget::new(10)),
        Err(PlanError::UnknownAttendee { index: 9, count: 4 })
    ));
}

#[test]
fn zero_budget_still_returns_a_valid_plan() {
    let request = PlanRequest::anonymous(50, 4, 4, 2);
    let result = run(&request, 0);
    assert_valid(&request, &result);
}

#[test]
fn unavoidable_unshared_groups_are_spread_over_people() {
    // 16 people in groups of 4 for 3 rounds; only 4 of them share anything
    // ("chess"), so at most two groups a round can share an interest and at
    // least 8 seats a round are in a group without one: 24 of the 12
    // non-players' 36 seats. Spread fairly, nobody sits in such a group in
    // all 3 rounds while someone else never does.
    let mut request = PlanRequest::anonymous(16, 4, 3, 4);
    request.interests = (0..16)
        .map(|i| {
            vec![if i < 4 {
                "chess".to_string()
            } else {
                format!("own {i}")
            }]
        })
        .collect();
    let result = run(&request, 50_000);
    assert_eq!(result.stats.repeat_pairs, 0);
    assert_eq!(result.stats.groups_without_shared_interest, 6);
    assert!(
        result.stats.max_unshared_rounds_per_person <= 2,
        "{:?}",
        result.stats
    );
}

/// Does any group of the plan hold both `a` and `b`?
fn grouped(result: &Plan, a: usize, b: usize) -> bool {
    result
        .rounds
        .iter()
        .flat_map(|r| &r.groups)
        .any(|g| g.contains(&a) && g.contains(&b))
}

#[test]
fn pairs_kept_apart_never_share_a_group_even_past_the_repeat_free_limit() {
    // 9 in threes: only 4 rounds can be repeat-free, so 10 rounds force
    // repeats, and the search must still keep these pairs apart.
    let apart = vec![(0, 1), (0, 2), (3, 4), (5, 6), (7, 8), (8, 1)];
    for seed in 0..3 {
        let mut request = PlanRequest::anonymous(9, 3, 10, seed);
        // Tempt the search: the pairs kept apart share every interest.
        request.interests = (0..9)
            .map(|i| vec!["chess".to_string(), format!("topic {}", i % 2)])
            .collect();
        request.apart = apart.clone();
        // Nobody waits (checked by `assert_valid`): the search itself found
        // groupings that keep every pair apart.
        let result = run(&request, 5_000);
        assert_valid(&request, &result);
        for &(a, b) in &apart {
            assert!(!grouped(&result, a, b), "seed {seed}: {a} and {b} grouped");
        }
    }
}

#[test]
fn when_no_grouping_keeps_a_pair_apart_one_of_them_waits() {
    let mut request = PlanRequest::anonymous(3, 3, 2, 1);
    request.apart = vec![(0, 1)];
    let result = run(&request, 10_000);
    for round in &result.rounds {
        assert_eq!(round.waiting.len(), 1, "{round:?}");
        assert!(round.waiting[0] == 0 || round.waiting[0] == 1);
        assert_eq!(round.groups.len(), 1);
        assert_eq!(round.groups[0].len(), 2);
    }
    assert!(!grouped(&result, 0, 1));
}

#[test]
fn meetings_at_earlier_events_are_avoided_before_shared_interests() {
    // 0-1 and 2-3 met last week and share an interest; the other pairings
    // share nothing. Avoiding last week wins over interests.
    let mut request = PlanRequest::anonymous(4, 2, 1, 3);
    request.interests = vec![
        vec!["chess".into()],
        vec!["chess".into()],
        vec!["jazz".into()],
        vec!["jazz".into()],
    ];
    let mut without = request.clone();
    without.earlier.clear();
    assert!(
        grouped(&run(&without, 10_000), 0, 1),
        "interests alone pair 0-1"
    );
    request.earlier = vec![
        PastMeeting {
            a: 0,
            b: 1,
            times: 1,
        },
        PastMeeting {
            a: 2,
            b: 3,
            times: 1,
        },
    ];
    let result = run(&request, 10_000);
    assert!(
        !grouped(&result, 0, 1) && !grouped(&result, 2, 3),
        "{result:?}"
    );
}

#[test]
fn a_meeting_tonight_weighs_more_than_one_at_an_earlier_event() {
    // 0 must sit with someone: with 2 and 3 already tonight, with 1 only
    // at an earlier event. The earlier one is the lesser evil.
    let mut request = PlanRequest::anonymous(4, 2, 1, 5);
    request.history = vec![
        PastMeeting {
            a: 0,
            b: 2,
            times: 1,
        },
        PastMeeting {
            a: 0,
            b: 3,
            times: 1,
        },
    ];
    request.earlier = vec![PastMeeting {
        a: 0,
        b: 1,
        times: 3,
    }];
    let result = run(&request, 10_000);
    assert!(grouped(&result, 0, 1), "{result:?}");
}

#[test]
fn bad_apart_pairs_are_errors() {
    let mut request = PlanRequest::anonymous(4, 2, 1, 5);
    request.apart = vec![(1, 1)];
    assert_eq!(
        plan(&request, &mut IterationBudget::new(10)).unwrap_err(),
        PlanError::SelfApart(1)
    );
    request.apart = vec![(1, 4)];
    assert_eq!(
        plan(&request, &mut IterationBudget::new(10)).unwrap_err(),
        PlanError::UnknownAttendee { index: 4, count: 4 }
    );
}

#[test]
fn asking_for_more_rounds_never_shortens_the_repeat_free_run() {
    // Sizes with a construction, sizes without one, and rooms between
    // design sizes; each asked for k rounds and for k + 3.
    let sizes = [
        (15, 3, 7),
        (18, 3, 6),
        (21, 3, 10),
        (24, 4, 5),
        (30, 5, 4),
        (31, 4, 9),
        (36, 6, 3),
        (40, 4, 9),
        (45, 5, 5),
        (26, 3, 8),
    ];
    for (n, p, k) in sizes {
        for seed in 0..2 {
            let fewer = run(&PlanRequest::anonymous(n, p, k, seed), 800);
            let more = run(&PlanRequest::anonymous(n, p, k + 3, seed), 800);
            assert!(
                more.stats.rounds_before_first_repeat >= fewer.stats.rounds_before_first_repeat,
                "{n}/{p} seed {seed}: {} at {k} rounds, {} at {}",
                fewer.stats.rounds_before_first_repeat,
                more.stats.rounds_before_first_repeat,
                k + 3
            );
        }
    }
    // 40 in 4s: the resolvable design gives 13 whatever is asked.
    for asked in [9, 13, 16] {
        let result = run(&PlanRequest::anonymous(40, 4, asked, 3), 2_000);
        assert_eq!(
            result.stats.rounds_before_first_repeat,
            asked.min(13),
            "{asked} asked"
        );
    }
}

#[test]
fn a_finished_plan_says_so_and_returns_before_the_budget() {
    // At the known maximum without interests: nothing to do after the design.
    let result = run(&PlanRequest::anonymous(28, 4, 9, 1), 1_000_000);
    assert!(result.done);
    assert_eq!(result.stats.rounds_before_first_repeat, 9);
    assert!(
        result.iterations < 1_000,
        "{} iterations",
        result.iterations
    );
    // With interests, polishing stops once it has stalled.
    let mut request = PlanRequest::anonymous(60, 4, 4, 2);
    request.interests = (0..60).map(|i| vec![format!("t{}", i % 9)]).collect();
    let result = run(&request, 10_000_000);
    assert!(result.done);
    assert!(result.iterations < 10_000_000, "{}", result.iterations);
    assert_eq!(result.stats.repeat_pairs, 0);
    // A budget too small to finish says it is not done.
    let result = run(&request, 10);
    assert!(!result.done);
}

#[test]
fn the_plan_is_the_same_for_a_seed_under_an_iteration_budget() {
    for (n, p, rounds) in [(24, 4, 8), (21, 3, 11), (57, 3, 6)] {
        let request = PlanRequest::anonymous(n, p, rounds, 77);
        assert_eq!(
            run(&request, 5_000).rounds,
            run(&request, 5_000).rounds,
            "{n}/{p}"
        );
    }
}
