//! Simulates a whole networking event against a real server, through the
//! HTTP JSON API only, and prints one row per round.
//!
//! The server is started in-process on a random local port with a manual
//! clock (moved forward by the simulation, never slept on) and the default
//! matcher budget of 2 s per round. Synthetic attendees then do what people
//! do at such an event: about half join before the first round, the rest
//! arrive while rounds 1 to 3 are running, some take a break and come back,
//! and from round 4 on a few leave for good. Interests come from eight
//! clusters of five topics, most people picking from one cluster, so shared
//! interests are as common as at a themed meetup.
//!
//! The attendees are seeded: the same seed gives the same profiles, arrival
//! times, breaks and departures. The server's tables may still differ a
//! little from run to run: the matcher searches for a fixed time, and the
//! seed of each round also depends on the event's (random) code.
//!
//! Run with `cargo run --release --example simulate_event` (300 attendees,
//! 8 rounds of groups of 4, seed 2026). Add `-- 7` to use seed 7, and
//! `-- --quick` for 60 attendees (a fast check). The output is a Markdown
//! table, ready to paste into the README, followed by a summary line.
//!
//! Columns: `present` is the board's present count when the round starts;
//! `tables`, `smallest` and `largest` describe the round as planned (the
//! answer to starting it). `repeat pairs` counts pairs who sat together
//! this round and already shared a table in an earlier round: at the
//! planned tables, with people seated into the round while it ran (late
//! arrivals, returns from a break) or at its final tables; `planned
//! repeats` are those the round started with. `no shared` counts planned
//! tables without a shared interest. `late`, `seated` and the `join`
//! columns are about people arriving while the round runs (seated: at a
//! table right after joining, not waiting; join: time of the join
//! request). `away/back/left` are breaks taken, returns from a break and
//! departures during the round; `start ms` is how long the request
//! starting the round took.

use std::collections::HashSet;
use std::error::Error;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use icebreaker::clock::ManualClock;
use icebreaker::domain::AdminToken;
use icebreaker::event::Settings;
use icebreaker::startup::Application;
use icebreaker::state::{AppState, ServerConfig};
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// 2026-11-26 19:00 UTC: when the first round starts.
const START: i64 = 1_795_719_600_000;
const MINUTE: i64 = 60_000;
const DEFAULT_SEED: u64 = 2026;
const ATTENDEES: usize = 300;
const QUICK_ATTENDEES: usize = 60;
const ROUNDS: usize = 8;
const GROUP_SIZE: usize = 4;
const ROUND_MINUTES: u32 = 10;
/// Late arrivals come while rounds 1 to this one run.
const ARRIVAL_ROUNDS: usize = 3;
/// Chance that someone present takes a break during a round.
const BREAK_CHANCE: f64 = 0.05;
/// Chance that someone on a break comes back during a round.
const RETURN_CHANCE: f64 = 0.5;
/// Chance that someone present leaves for good during a round, from
/// round [`FIRST_LEAVING_ROUND`] on.
const LEAVE_CHANCE: f64 = 0.02;
const FIRST_LEAVING_ROUND: usize = 4;
/// Chance that an interest is drawn from the person's own cluster.
const HOME_CLUSTER_CHANCE: f64 = 0.8;

/// Eight interest communities of five topics each.
const CLUSTERS: [[&str; 5]; 8] = [
    ["Rust", "Compilers", "Open source", "Databases", "Linux"],
    [
        "Machine learning",
        "Statistics",
        "Data viz",
        "LLMs",
        "Robotics",
    ],
    [
        "Startups",
        "Product design",
        "Marketing",
        "Venture capital",
        "Pricing",
    ],
    ["Hiking", "Climbing", "Cycling", "Running", "Sailing"],
    ["Jazz", "Guitar", "Photography", "Film", "Poetry"],
    ["Cooking", "Coffee", "Baking", "Wine", "Gardening"],
    ["Board games", "Chess", "Video games", "Puzzles", "Sci-fi"],
    [
        "Climate",
        "Urbanism",
        "Education",
        "Public health",
        "Economics",
    ],
];

const JOBS: [&str; 8] = [
    "Engineer",
    "Designer",
    "Researcher",
    "Founder",
    "Teacher",
    "Analyst",
    "Product manager",
    "Student",
];

const FACTS: [&str; 6] = [
    "I once met a penguin at an airport",
    "I can whistle two notes at once",
    "I have never eaten a banana",
    "I was an extra in a soap opera",
    "I own forty-two houseplants",
    "I learned to swim at thirty",
];

const SPOTS: [&str; 6] = [
    "red scarf",
    "green jacket",
    "big glasses",
    "yellow sneakers",
    "striped shirt",
    "tall, with a hat",
];

/// A synthetic attendee's answers: 2 to 5 interests, mostly from one
/// cluster.
fn profile(n: usize, rng: &mut Xoshiro256PlusPlus) -> Value {
    let home = rng.random_range(0..CLUSTERS.len());
    let count = rng.random_range(2..=5);
    let mut interests: Vec<&str> = Vec::new();
    while interests.len() < count {
        let cluster = if rng.random_bool(HOME_CLUSTER_CHANCE) {
            home
        } else {
            rng.random_range(0..CLUSTERS.len())
        };
        let topic = CLUSTERS[cluster][rng.random_range(0..CLUSTERS[cluster].len())];
        if !interests.contains(&topic) {
            interests.push(topic);
        }
    }
    let job = JOBS[rng.random_range(0..JOBS.len())];
    json!({
        "name": format!("Guest {n}"),
        "work": format!("{job} at Company {}", rng.random_range(1..=40)),
        "interests": interests,
        "ask_me_about": format!("my {} side project", interests[0].to_lowercase()),
        "weird_fact": FACTS[rng.random_range(0..FACTS.len())],
        "spot_me": SPOTS[rng.random_range(0..SPOTS.len())],
    })
}

/// The JSON API of one event, as an attendee or its host calls it.
struct Api {
    client: reqwest::Client,
    base: String,
    code: String,
    host_key: String,
}

/// The answer's JSON body when it has status `want`, else an error with
/// what the server said.
async fn expect(response: reqwest::Response, want: StatusCode, what: &str) -> Result<Value> {
    let status = response.status();
    if status != want {
        let text = response.text().await.unwrap_or_default();
        return Err(format!("{what}: expected {want}, got {status}: {text}").into());
    }
    if status == StatusCode::NO_CONTENT {
        return Ok(Value::Null);
    }
    Ok(response.json().await?)
}

impl Api {
    fn url(&self, tail: &str) -> String {
        format!("{}/api/events/{}{tail}", self.base, self.code)
    }

    /// `POST /attendees`: the new attendee and how long joining took
    /// (request and answer).
    async fn join(&self, body: &Value) -> Result<(Value, Duration)> {
        let started = Instant::now();
        let response = self
            .client
            .post(self.url("/attendees"))
            .json(body)
            .send()
            .await?;
        let joined = expect(response, StatusCode::CREATED, "join").await?;
        Ok((joined, started.elapsed()))
    }

    /// `GET /attendees/me`.
    async fn me(&self, token: &str) -> Result<Value> {
        let response = self
            .client
            .get(self.url("/attendees/me"))
            .bearer_auth(token)
            .send()
            .await?;
        expect(response, StatusCode::OK, "read me").await
    }

    /// `PATCH /attendees/me` with `{"present": present}`.
    async fn set_present(&self, token: &str, present: bool) -> Result<Value> {
        let response = self
            .client
            .patch(self.url("/attendees/me"))
            .bearer_auth(token)
            .json(&json!({ "present": present }))
            .send()
            .await?;
        expect(response, StatusCode::OK, "take a break or come back").await
    }

    /// `DELETE /attendees/me`.
    async fn leave(&self, token: &str) -> Result<()> {
        let response = self
            .client
            .delete(self.url("/attendees/me"))
            .bearer_auth(token)
            .send()
            .await?;
        expect(response, StatusCode::NO_CONTENT, "leave").await?;
        Ok(())
    }

    /// `POST /rounds` as the host: the round and how long starting it took.
    async fn start_round(&self) -> Result<(Value, Duration)> {
        let started = Instant::now();
        let response = self
            .client
            .post(self.url("/rounds"))
            .bearer_auth(&self.host_key)
            .send()
            .await?;
        let round = expect(response, StatusCode::CREATED, "start a round").await?;
        Ok((round, started.elapsed()))
    }

    /// `GET /board`.
    async fn board(&self) -> Result<Value> {
        let response = self.client.get(self.url("/board")).send().await?;
        expect(response, StatusCode::OK, "read the board").await
    }
}

/// A field that must be there, or an error naming it.
fn field<'a>(value: &'a Value, name: &str) -> Result<&'a Value> {
    value
        .get(name)
        .ok_or_else(|| format!("the answer has no \"{name}\": {value}").into())
}

fn as_u64(value: &Value, name: &str) -> Result<u64> {
    field(value, name)?
        .as_u64()
        .ok_or_else(|| format!("\"{name}\" is not a number: {value}").into())
}

fn as_array<'a>(value: &'a Value, name: &str) -> Result<&'a Vec<Value>> {
    field(value, name)?
        .as_array()
        .ok_or_else(|| format!("\"{name}\" is not a list: {value}").into())
}

/// A round's tables (board shape) as lists of attendee ids.
fn tables(round: &Value) -> Result<Vec<Vec<u64>>> {
    as_array(round, "groups")?
        .iter()
        .map(|group| {
            as_array(group, "members")?
                .iter()
                .map(|m| as_u64(m, "id"))
                .collect()
        })
        .collect()
}

/// The ids at the table of an attendee's `me` answer (themselves
/// included), if they sit at one.
fn table_of(me: &Value) -> Result<Option<Vec<u64>>> {
    let group = field(me, "group")?;
    if group.is_null() {
        return Ok(None);
    }
    let mut ids = vec![as_u64(me, "id")?];
    for member in as_array(group, "members")? {
        ids.push(as_u64(member, "id")?);
    }
    Ok(Some(ids))
}

/// Adds every pair of `members` (smaller id first) to `pairs`.
fn add_pairs(pairs: &mut HashSet<(u64, u64)>, members: &[u64]) {
    for (i, &a) in members.iter().enumerate() {
        for &b in &members[i + 1..] {
            pairs.insert((a.min(b), a.max(b)));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Present,
    OnBreak,
    Left,
}

struct Person {
    token: String,
    status: Status,
}

/// Something one attendee does while a round runs.
#[derive(Debug, Clone, Copy)]
enum Action {
    /// The next synthetic attendee joins.
    Arrive,
    TakeBreak(usize),
    ComeBack(usize),
    Leave(usize),
}

/// What the table shows for one round.
#[derive(Debug, Default)]
struct Row {
    round: u64,
    present: u64,
    tables: usize,
    smallest: usize,
    largest: usize,
    repeats: usize,
    planned_repeats: usize,
    no_shared: usize,
    late: usize,
    seated: usize,
    join_ms: Vec<f64>,
    breaks: usize,
    returns: usize,
    departures: usize,
    start_ms: f64,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Row {
    fn print(&self) {
        let (mean, max) = if self.join_ms.is_empty() {
            ("–".to_string(), "–".to_string())
        } else {
            let sum: f64 = self.join_ms.iter().sum();
            let max = self.join_ms.iter().copied().fold(0.0, f64::max);
            (
                format!("{:.1}", sum / self.join_ms.len() as f64),
                format!("{max:.1}"),
            )
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {mean} | {max} | {}/{}/{} | {:.0} |",
            self.round,
            self.present,
            self.tables,
            self.smallest,
            self.largest,
            self.planned_repeats,
            self.repeats,
            self.no_shared,
            self.late,
            self.seated,
            self.breaks,
            self.returns,
            self.departures,
            self.start_ms,
        );
    }
}

/// Starts the server with one event; returns the API client and the clock.
async fn start_server(seed: u64, attendees: usize) -> Result<(Api, Arc<ManualClock>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let settings = Settings {
        group_size: GROUP_SIZE,
        round_minutes: ROUND_MINUTES,
        registration_open: true,
        max_attendees: attendees.max(5000),
        ..Settings::default()
    };
    let config = ServerConfig {
        public_url: base.clone(),
        admin_token: AdminToken::parse("simulation-admin-token-0123456789")?,
        defaults: settings.clone(),
        round_budget: Duration::from_secs(2),
        seed,
        // Every simulated phone shares this machine's address: no limits.
        limits: icebreaker::limits::Limits {
            writes_per_minute: 0,
            streams_per_client: 0,
            ..Default::default()
        },
    };
    let clock = Arc::new(ManualClock::starting_at(START - 30 * MINUTE));
    let state = AppState::new(config, clock.clone());
    let slot = state.create_event("Simulated Networking Night".into(), settings);
    let (code, host_key) = {
        let event = slot.lock();
        (event.code.to_string(), event.host_key.reveal())
    };
    let app = Application::build(state, listener, 0)?;
    tokio::spawn(app.run_until_stopped());
    let api = Api {
        client: reqwest::Client::new(),
        base,
        code,
        host_key,
    };
    Ok((api, clock))
}

#[tokio::main]
async fn main() -> Result<()> {
    let wall = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let seed = match args.iter().find(|a| !a.starts_with("--")) {
        Some(s) => s
            .parse::<u64>()
            .map_err(|_| format!("the seed must be a whole number, not {s:?}"))?,
        None => DEFAULT_SEED,
    };
    let total = if quick { QUICK_ATTENDEES } else { ATTENDEES };
    let early = total / 2;
    // The rest arrive during the first rounds, as evenly as possible.
    let late_per_round: Vec<usize> = (0..ARRIVAL_ROUNDS)
        .map(|r| (total - early) * (r + 1) / ARRIVAL_ROUNDS - (total - early) * r / ARRIVAL_ROUNDS)
        .collect();

    let mut profile_rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let profiles: Vec<Value> = (1..=total).map(|n| profile(n, &mut profile_rng)).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5EED_0FBE_AC0A_5700);

    let (api, clock) = start_server(seed, total).await?;
    let mut people: Vec<Person> = Vec::new();
    let mut next_profile = profiles.iter();

    // The first half trickles in during the half hour before round 1.
    for i in 0..early {
        clock.set(START - 30 * MINUTE + (i as i64 * 30 * MINUTE) / early as i64);
        let profile = next_profile.next().ok_or("ran out of profiles")?;
        let (joined, _) = api.join(profile).await?;
        people.push(Person {
            token: field(&joined, "token")?
                .as_str()
                .ok_or("the token is not a string")?
                .to_string(),
            status: Status::Present,
        });
    }

    println!(
        "| round | present | tables | smallest | largest | planned repeats | repeat pairs | no shared | late | seated | join mean ms | join max ms | away/back/left | start ms |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|");

    // Pairs who shared a table in an earlier round.
    let mut met: HashSet<(u64, u64)> = HashSet::new();
    let mut total_repeats = 0;
    let round_ms = i64::from(ROUND_MINUTES) * MINUTE;
    for r in 1..=ROUNDS {
        let round_start = START + (r as i64 - 1) * round_ms;
        clock.set(round_start);
        let (round, took) = api.start_round().await?;
        let board = api.board().await?;
        let planned = tables(&round)?;
        let sizes = planned.iter().map(Vec::len);
        let mut row = Row {
            round: as_u64(&round, "number")?,
            present: as_u64(&board, "present_count")?,
            tables: planned.len(),
            smallest: sizes.clone().min().unwrap_or(0),
            largest: sizes.max().unwrap_or(0),
            no_shared: as_array(&round, "groups")?
                .iter()
                .filter(|g| g["shared_interests"].as_array().is_none_or(Vec::is_empty))
                .count(),
            start_ms: millis(took),
            ..Row::default()
        };
        // Everyone who sat together at some point of this round.
        let mut this_round: HashSet<(u64, u64)> = HashSet::new();
        for table in &planned {
            add_pairs(&mut this_round, table);
        }
        row.planned_repeats = this_round.intersection(&met).count();

        // What happens while the round runs, at random moments.
        let mut actions: Vec<(i64, Action)> = Vec::new();
        let arrivals = late_per_round.get(r - 1).copied().unwrap_or(0);
        for _ in 0..arrivals {
            actions.push((rng.random_range(1_000..round_ms - 1_000), Action::Arrive));
        }
        for (i, person) in people.iter().enumerate() {
            let action = match person.status {
                Status::Present if rng.random_bool(BREAK_CHANCE) => Action::TakeBreak(i),
                Status::Present if r >= FIRST_LEAVING_ROUND && rng.random_bool(LEAVE_CHANCE) => {
                    Action::Leave(i)
                }
                Status::OnBreak if rng.random_bool(RETURN_CHANCE) => Action::ComeBack(i),
                _ => continue,
            };
            actions.push((rng.random_range(1_000..round_ms - 1_000), action));
        }
        // A stable sort by time after a seeded shuffle: ties in random order.
        actions.shuffle(&mut rng);
        actions.sort_by_key(|&(at, _)| at);

        for (at, action) in actions {
            clock.set(round_start + at);
            match action {
                Action::Arrive => {
                    let profile = next_profile.next().ok_or("ran out of profiles")?;
                    let (joined, took) = api.join(profile).await?;
                    let token = field(&joined, "token")?
                        .as_str()
                        .ok_or("the token is not a string")?
                        .to_string();
                    let me = api.me(&token).await?;
                    row.late += 1;
                    row.join_ms.push(millis(took));
                    if me["seat"] == "table" {
                        row.seated += 1;
                    }
                    if let Some(table) = table_of(&me)? {
                        add_pairs(&mut this_round, &table);
                    }
                    people.push(Person {
                        token,
                        status: Status::Present,
                    });
                }
                Action::TakeBreak(i) => {
                    api.set_present(&people[i].token, false).await?;
                    people[i].status = Status::OnBreak;
                    row.breaks += 1;
                }
                Action::ComeBack(i) => {
                    let me = api.set_present(&people[i].token, true).await?;
                    if let Some(table) = table_of(&me)? {
                        add_pairs(&mut this_round, &table);
                    }
                    people[i].status = Status::Present;
                    row.returns += 1;
                }
                Action::Leave(i) => {
                    api.leave(&people[i].token).await?;
                    people[i].status = Status::Left;
                    row.departures += 1;
                }
            }
        }

        // The round's final tables count as meetings too.
        clock.set(round_start + round_ms);
        let board = api.board().await?;
        let last = field(&board, "round")?;
        if as_u64(last, "number")? != row.round {
            return Err(format!("the board shows round {last}, not {}", row.round).into());
        }
        for table in tables(last)? {
            add_pairs(&mut this_round, &table);
        }
        row.repeats = this_round.intersection(&met).count();
        total_repeats += row.repeats;
        met.extend(this_round);
        row.print();
    }

    let board = api.board().await?;
    println!();
    println!(
        "{} attendees ({} still present), {ROUNDS} rounds of {GROUP_SIZE}, seed {seed}: {total_repeats} repeat pairs in all, {:.1} s wall time.",
        as_u64(&board, "attendee_count")?,
        as_u64(&board, "present_count")?,
        wall.elapsed().as_secs_f64(),
    );
    Ok(())
}
