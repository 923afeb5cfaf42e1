//! The next round planned before the click: the background planner,
//! driven by the manual clock and `tick()`, and the click that commits its
//! plan over HTTP.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use icebreaker::domain::EventCode;
use icebreaker::matching::Budget;
use icebreaker::state::{DEBOUNCE_MS, EventSlot, Hurry, MAX_WAIT_MS, NextRound};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn slot(app: &TestApp) -> Arc<EventSlot> {
    let code = EventCode::parse(&app.code).unwrap();
    app.state.event(&code).unwrap()
}

/// Every id at a table in a board round, sorted (duplicates kept).
fn seated(round: &Value) -> Vec<u64> {
    let mut ids: Vec<u64> = tables(round).into_iter().flatten().collect();
    ids.sort_unstable();
    ids
}

fn pairs(tables: &[Vec<u64>]) -> HashSet<(u64, u64)> {
    let mut pairs = HashSet::new();
    for table in tables {
        for (i, &a) in table.iter().enumerate() {
            for &b in &table[i + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    pairs
}

async fn join_many(app: &TestApp, n: usize) -> Vec<Joined> {
    let mut people = Vec::new();
    for i in 0..n {
        people.push(app.join(&format!("P{i}"), &["music"]).await);
    }
    people
}

/// Moves the clock past the debounce, ticks, and waits for the plan.
async fn plan_settled(app: &TestApp, slot: &EventSlot) {
    app.clock.advance(DEBOUNCE_MS);
    app.state.tick().await;
    assert_eq!(app.state.next_round(slot), NextRound::Planning);
    app.state.settle_planning(slot).await;
    assert_eq!(app.state.next_round(slot), NextRound::Ready);
}

#[tokio::test]
async fn a_roster_change_invalidates_the_ready_plan_until_it_is_planned_again() {
    let app = spawn_app().await;
    let slot = slot(&app);
    join_many(&app, 8).await;
    app.state.tick().await;
    assert_eq!(
        app.state.next_round(&slot),
        NextRound::Unplanned,
        "the joins have not settled yet"
    );
    plan_settled(&app, &slot).await;
    let planned = app.state.planned_tables(&slot).unwrap();
    assert_eq!(planned.iter().map(Vec::len).sum::<usize>(), 8);

    let late = app.join("Late", &["music"]).await;
    assert_eq!(app.state.next_round(&slot), NextRound::Stale);
    app.clock.advance(DEBOUNCE_MS - 1);
    app.state.tick().await;
    assert_eq!(app.state.next_round(&slot), NextRound::Stale, "debounced");
    plan_settled(&app, &slot).await;
    let planned = app.state.planned_tables(&slot).unwrap();
    assert!(planned.iter().flatten().any(|&id| u64::from(id) == late.id));

    // A break is a roster change too.
    app.patch_me(&late.token, &json!({"present": false})).await;
    assert_eq!(app.state.next_round(&slot), NextRound::Stale);
    plan_settled(&app, &slot).await;
    let planned = app.state.planned_tables(&slot).unwrap();
    assert!(!planned.iter().flatten().any(|&id| u64::from(id) == late.id));
}

#[tokio::test]
async fn a_steady_trickle_of_arrivals_is_planned_after_the_longest_wait() {
    let app = spawn_app().await;
    let slot = slot(&app);
    join_many(&app, 4).await;
    plan_settled(&app, &slot).await;
    // One arrival every half debounce: the roster never settles.
    let step = DEBOUNCE_MS / 2;
    let mut waited = 0;
    while waited + step < MAX_WAIT_MS {
        app.join(&format!("T{waited}"), &["music"]).await;
        app.clock.advance(step);
        waited += step;
        app.state.tick().await;
        assert_eq!(app.state.next_round(&slot), NextRound::Stale);
    }
    app.join("Last", &["music"]).await;
    app.clock.advance(step);
    app.state.tick().await;
    assert_eq!(app.state.next_round(&slot), NextRound::Planning);
}

#[tokio::test]
async fn the_click_commits_the_ready_plan_repaired_for_who_is_present() {
    let app = spawn_app().await;
    let slot = slot(&app);
    let people = join_many(&app, 16).await;
    let first = app.start_round().await;
    let met = pairs(&tables(&first));
    plan_settled(&app, &slot).await;
    let planned = app.state.planned_tables(&slot).unwrap();
    assert!(
        pairs(
            &planned
                .iter()
                .map(|t| t.iter().map(|&id| u64::from(id)).collect())
                .collect::<Vec<_>>()
        )
        .is_disjoint(&met),
        "16 in groups of 4 can meet all new people"
    );

    // After the plan: two tablemates are kept apart (one must move), two
    // people at another table take a break and leave, someone arrives.
    let (a, b) = (planned[0][0], planned[0][1]);
    let apart = app
        .client
        .post(app.url(&format!("/api/events/{}/never-together", app.code)))
        .bearer_auth(&app.host_key)
        .json(&json!({"a": a, "b": b}))
        .send()
        .await
        .unwrap();
    assert_eq!(apart.status(), StatusCode::OK);
    // The table to drain: the one where `b` has fewest round-1 tablemates,
    // who go, so that `b` can move there without meeting anyone again.
    let has_met_b = |id: u32| met.contains(&(u64::from(id.min(b)), u64::from(id.max(b))));
    let drained = (1..4)
        .min_by_key(|&t| planned[t].iter().filter(|&&m| has_met_b(m)).count())
        .unwrap();
    let mut going: Vec<u32> = planned[drained].clone();
    going.sort_by_key(|&m| !has_met_b(m));
    let by_id = |wanted: u32| people.iter().find(|p| p.id == u64::from(wanted)).unwrap();
    let (resting, leaving) = (by_id(going[0]), by_id(going[1]));
    app.patch_me(&resting.token, &json!({"present": false}))
        .await;
    assert_eq!(
        app.leave(&leaving.token).await.status(),
        StatusCode::NO_CONTENT
    );
    let newcomer = app.join("Newcomer", &["music"]).await;
    assert_eq!(app.state.next_round(&slot), NextRound::Stale);

    let second = app.start_round().await;
    assert_eq!(second["number"], 2);
    let mut present: Vec<u64> = people
        .iter()
        .map(|p| p.id)
        .filter(|&p| p != resting.id && p != leaving.id)
        .chain([newcomer.id])
        .collect();
    present.sort_unstable();
    assert_eq!(seated(&second), present, "everyone present, once");
    assert_eq!(second["waiting"], json!([]));
    let now = tables(&second);
    assert!(
        !now.iter()
            .any(|t| t.contains(&u64::from(a)) && t.contains(&u64::from(b))),
        "the pair kept apart after the plan sits apart"
    );
    // The newcomer met a round-1 table on arrival, possibly one person at
    // every table now: their repeats may be unavoidable, nobody else's are.
    let others: Vec<Vec<u64>> = now
        .iter()
        .map(|t| t.iter().copied().filter(|&m| m != newcomer.id).collect())
        .collect();
    assert!(pairs(&others).is_disjoint(&met), "no avoidable repeat");
    let sizes: Vec<usize> = now.iter().map(Vec::len).collect();
    assert!(
        sizes.iter().all(|&s| (3..=4).contains(&s)),
        "tables rebalanced: {sizes:?}"
    );
}

/// A budget that holds the planner busy until the click hurries it.
struct UntilHurried(Hurry);

impl Budget for UntilHurried {
    fn exhausted(&mut self) -> bool {
        while !self.0.is_set() {
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }
}

#[tokio::test]
async fn a_click_while_planning_answers_at_once_with_a_valid_round() {
    // A budget the click must not wait for.
    let app = spawn_app_with(|c| c.round_budget = Duration::from_secs(600)).await;
    let slot = slot(&app);
    let people = join_many(&app, 12).await;
    assert!(
        app.state
            .plan_ahead_with(&slot, |hurry| Box::new(UntilHurried(hurry.clone())))
    );
    assert_eq!(app.state.next_round(&slot), NextRound::Planning);
    assert!(!app.state.plan_ahead(&slot), "one planner per event");
    let click = tokio::time::timeout(Duration::from_secs(60), app.start_round());
    let round = click.await.expect("the click does not wait for the budget");
    let mut everyone: Vec<u64> = people.iter().map(|p| p.id).collect();
    everyone.sort_unstable();
    assert_eq!(seated(&round), everyone);
    assert!(tables(&round).iter().all(|t| t.len() == 4));
    assert_ne!(app.state.next_round(&slot), NextRound::Planning);
}

#[tokio::test]
async fn without_a_plan_the_click_plans_at_once_and_the_timer_plans_ahead() {
    let app = spawn_app_with(|c| c.round_budget = Duration::from_secs(600)).await;
    let slot = slot(&app);
    join_many(&app, 9).await;
    // No tick yet: the click plans by itself, within the click budget.
    let click = tokio::time::timeout(Duration::from_secs(60), app.start_round());
    let first = click.await.expect("the click budget is short");
    assert_eq!(seated(&first).len(), 9);
    assert_eq!(app.state.next_round(&slot), NextRound::Unplanned);
    // Auto-rotate commits what the planner made meanwhile.
    app.patch_event_as(&app.host_key, &json!({"auto_rotate": true}))
        .await;
    app.clock.advance(DEBOUNCE_MS);
    app.state.tick().await;
    assert_eq!(app.state.next_round(&slot), NextRound::Planning);
    // The round's end and the change-over: the tick hurries the planner
    // and starts round 2 from its plan.
    app.clock.advance(11 * MINUTE);
    let tick = tokio::time::timeout(Duration::from_secs(60), app.state.tick());
    tick.await.expect("the timer does not wait for the budget");
    let board = app.board().await;
    assert_eq!(board["round"]["number"], 2);
    assert_eq!(seated(&board["round"]).len(), 9);
}
