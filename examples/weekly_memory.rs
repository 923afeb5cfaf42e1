//! Weekly memory, measured: a season of weekly events on one server, run
//! twice on the same attendance — once with returning attendees linked to
//! their earlier visits (as the join form does when they keep their filled
//! in answers), once as strangers every week — and how often people are
//! seated again with someone they met in an earlier week.
//!
//! Run with `cargo run --release --example weekly_memory` (a pool of 400
//! people, 12 weeks of 250 attending, groups of 4, 6 rounds a week, seed
//! 2026). `-- --quick` runs 4 weeks of 120 from a pool of 200.
//!
//! The events run in-process through `AppState` (no HTTP: the join form's
//! linking is tested in `tests/api/memory.rs`), on an ephemeral store and
//! a manual clock, with a matcher budget of 300 ms per round; each event
//! ends after its rounds and the default retention (30 days) applies, so
//! the memory reaches back four weeks. Printed per
//! week: returning attendees, pairs seated that night, how many of those
//! pairs had met in an earlier week (with memory / without), and the time
//! spent gathering the earlier meetings for one round (with memory).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use icebreaker::clock::{Clock, ManualClock};
use icebreaker::domain::{AdminToken, PersonKey, Profile, ProfileInput, Secret};
use icebreaker::event::Settings;
use icebreaker::state::{AppState, ServerConfig};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;

const MINUTE: i64 = 60_000;
const WEEK: i64 = 7 * 24 * 60 * MINUTE;
/// A Thursday evening in 2027.
const SEASON_START: i64 = 1_800_000_000_000;
const GROUP_SIZE: usize = 4;
const ROUNDS: usize = 6;
/// Weeks an event's people are remembered under the default retention
/// (30 days after it ends).
const RETAINED_WEEKS: usize = 4;

/// How big a season to run.
struct Season {
    pool: usize,
    weeks: usize,
    attending: usize,
}

/// One week's figures.
#[derive(Default, Clone)]
struct Week {
    returning: usize,
    pairs: usize,
    met_before: usize,
    /// Of those, pairs who met in the four weeks before: what the memory
    /// still holds under the default 30-day retention.
    met_recently: usize,
    gather_ms: f64,
}

fn profile(person: usize, rng: &mut Xoshiro256PlusPlus) -> Profile {
    // Eight clusters of five topics, as at a themed meetup: shared interests
    // pull the same people together week after week unless memory says no.
    let cluster = person % 8;
    let mut interests: Vec<String> = (0..5).map(|t| format!("topic {cluster}-{t}")).collect();
    interests.shuffle(rng);
    interests.truncate(3);
    Profile::try_from(ProfileInput {
        name: format!("Person {person}"),
        interests,
        ..ProfileInput::default()
    })
    .expect("a valid profile")
}

/// Who attends each week (the same for both runs).
fn attendance(season: &Season, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..season.weeks)
        .map(|_| {
            let mut people: Vec<usize> = (0..season.pool).collect();
            people.shuffle(&mut rng);
            people.truncate(season.attending);
            people
        })
        .collect()
}

async fn run(season: &Season, weeks: &[Vec<usize>], memory: bool, seed: u64) -> Vec<Week> {
    let settings = Settings {
        group_size: GROUP_SIZE,
        max_attendees: 5000,
        ..Settings::default()
    };
    let config = ServerConfig {
        public_url: "http://127.0.0.1:8080".into(),
        admin_token: AdminToken::parse("weekly-memory-admin-token").expect("a valid token"),
        defaults: settings.clone(),
        round_budget: Duration::from_millis(300),
        seed,
        limits: icebreaker::limits::Limits::default(),
    };
    let clock = Arc::new(ManualClock::starting_at(SEASON_START));
    let state = AppState::new(config, clock.clone());
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut key_of: Vec<Option<PersonKey>> = vec![None; season.pool];
    // Pairs of pool people who shared a table in an earlier week, and the
    // last week they did.
    let mut met_earlier: HashMap<(usize, usize), usize> = HashMap::new();
    let mut out = Vec::new();
    for (w, people) in weeks.iter().enumerate() {
        let slot = state.create_event(format!("Week {}", w + 1), settings.clone());
        let mut week = Week::default();
        let mut pool_id = Vec::with_capacity(people.len());
        for &p in people {
            let token = Secret::generate();
            let returning = if memory { key_of[p] } else { None };
            week.returning += usize::from(key_of[p].is_some());
            let mut event = slot.lock();
            let id = event
                .join_as(profile(p, &mut rng), token, returning, clock.now())
                .expect("room to join");
            key_of[p] = key_of[p].or(event.attendee(id).and_then(|a| a.person));
            pool_id.push(p);
        }
        let mut tonight: Vec<(usize, usize)> = Vec::new();
        for _ in 0..ROUNDS {
            let draft = slot.lock().prepare_round(1).expect("people to seat");
            let started = Instant::now();
            let earlier = state.earlier_meetings(&slot, &draft);
            week.gather_ms = week.gather_ms.max(started.elapsed().as_secs_f64() * 1000.0);
            drop(earlier);
            state.start_round(&slot).await.expect("a round");
            clock.advance(10 * MINUTE);
            let event = slot.read();
            let round = event.current_round().expect("the round just started");
            for table in &round.tables {
                for (i, &a) in table.members.iter().enumerate() {
                    for &b in &table.members[i + 1..] {
                        let (x, y) = (pool_id[a as usize], pool_id[b as usize]);
                        let pair = (x.min(y), x.max(y));
                        week.pairs += 1;
                        if let Some(&last) = met_earlier.get(&pair) {
                            week.met_before += 1;
                            week.met_recently += usize::from(w - last <= RETAINED_WEEKS);
                        }
                        tonight.push(pair);
                    }
                }
            }
        }
        met_earlier.extend(tonight.into_iter().map(|pair| (pair, w)));
        slot.lock().end_event(clock.now());
        clock.set(SEASON_START + (w as i64 + 1) * WEEK);
        // The server's timer: events past their retention period (30 days
        // after they ended) forget their people, and so does the memory.
        state.tick().await;
        out.push(week);
    }
    out
}

#[tokio::main]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let season = if quick {
        Season {
            pool: 200,
            weeks: 4,
            attending: 120,
        }
    } else {
        Season {
            pool: 400,
            weeks: 12,
            attending: 250,
        }
    };
    let seed = 2026;
    let weeks = attendance(&season, seed);
    let with = run(&season, &weeks, true, seed).await;
    let without = run(&season, &weeks, false, seed).await;
    println!(
        "pool {}, {} weeks of {} attending, groups of {GROUP_SIZE}, {ROUNDS} rounds a week, seed {seed}\n",
        season.pool, season.weeks, season.attending
    );
    println!(
        "| week | returning | pairs seated | met in the 4 weeks before: with memory | without | met any week before: with memory | without | gathering ms |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut totals = [0usize; 5];
    for (w, (a, b)) in with.iter().zip(&without).enumerate() {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.2} |",
            w + 1,
            a.returning,
            a.pairs,
            a.met_recently,
            b.met_recently,
            a.met_before,
            b.met_before,
            a.gather_ms
        );
        for (t, v) in totals.iter_mut().zip([
            a.pairs,
            a.met_recently,
            b.met_recently,
            a.met_before,
            b.met_before,
        ]) {
            *t += v;
        }
    }
    let share = |n: usize| 100.0 * n as f64 / totals[0].max(1) as f64;
    println!(
        "\nall weeks: {} pairs seated. Met in the 4 weeks before: {} with memory ({:.1}%), {} without ({:.1}%). Met in any week before: {} with memory ({:.1}%), {} without ({:.1}%).",
        totals[0],
        totals[1],
        share(totals[1]),
        totals[2],
        share(totals[2]),
        totals[3],
        share(totals[3]),
        totals[4],
        share(totals[4]),
    );
}
