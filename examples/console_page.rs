//! How heavy the organizer's console is with thousands of people: the
//! bytes of `GET /e/{code}/host` and of the console stream's first
//! messages, and the time the server takes to answer the page.
//!
//! Run with `cargo run --release --example console_page` (5,000 people,
//! a round running). Flags: `--n 300` for another head count, `--repeat
//! 20` for how many page loads the timings are taken over.
//!
//! The server is the real one (routes, views, snapshots) on a local port,
//! in this process, without a data file: the figures are the console's
//! rendering and transfer, not the disk. Attendees are added straight to
//! the event (not over HTTP: joining is measured by `load_join`), with
//! names, "what I do" and interests like real ones, so rows have their
//! real length. Each page load is timed from sending the request to the
//! last byte read, over a kept-alive connection; the page is read without
//! compression, as the raw size.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use icebreaker::clock::SystemClock;
use icebreaker::domain::{AdminToken, Profile, ProfileInput, Secret};
use icebreaker::event::Settings;
use icebreaker::startup::Application;
use icebreaker::state::{AppState, ServerConfig};

#[derive(Parser)]
struct Args {
    /// How many attendees the event has.
    #[arg(long, default_value_t = 5_000)]
    n: usize,
    /// How many page loads the timings are taken over.
    #[arg(long, default_value_t = 20)]
    repeat: usize,
}

const FIRST: [&str; 8] = [
    "Ada",
    "Grace",
    "Oluwaseun",
    "Hiroshi",
    "Marie",
    "Rowan",
    "Priya",
    "Mateo",
];
const LAST: [&str; 8] = [
    "Lovelace", "Hopper", "Adeyemi", "Tanaka", "Curie", "Khan", "Raman", "García",
];
const INTERESTS: [&str; 8] = [
    "rust",
    "climbing",
    "jazz",
    "sourdough",
    "chess",
    "cycling",
    "design",
    "poetry",
];

fn profile(i: usize) -> Option<Profile> {
    let name = format!("{} {} {i}", FIRST[i % 8], LAST[(i / 8) % 8]);
    Profile::try_from(ProfileInput {
        work: format!("Engineer at company {}", i % 97),
        interests: vec![INTERESTS[i % 8].into(), INTERESTS[(i / 3) % 8].into()],
        ask_me_about: "my garden".into(),
        weird_fact: format!("{name} once met a famous person"),
        spot_me: "red scarf".into(),
        call_me: String::new(),
        name,
    })
    .ok()
}

/// Reads one response's body, returning its bytes.
async fn body_of(client: &reqwest::Client, url: &str, cookie: &str) -> Vec<u8> {
    let response = client
        .get(url)
        .header("Cookie", cookie)
        .header("Accept-Encoding", "identity")
        .send()
        .await
        .expect("the console answers");
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.expect("a body").to_vec()
}

/// The first `state` message of the console stream at `url`, in bytes.
async fn first_message(client: &reqwest::Client, url: &str, cookie: &str) -> usize {
    let mut response = client
        .get(url)
        .header("Cookie", cookie)
        .send()
        .await
        .expect("the stream opens");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let mut text = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        text.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(start) = text.find("event: state")
            && let Some(end) = text[start..].find("\n\n")
        {
            return end;
        }
    }
    0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let port = listener.local_addr().expect("its address").port();
    let config = ServerConfig {
        public_url: format!("http://127.0.0.1:{port}"),
        admin_token: AdminToken::parse("console-bench-admin-token-0123").expect("a token"),
        defaults: Settings::default(),
        round_budget: Duration::from_secs(2),
        seed: 1,
        limits: icebreaker::limits::Limits {
            streams_per_client: 0,
            ..Default::default()
        },
    };
    let state = AppState::new(config, Arc::new(SystemClock));
    let mut settings = Settings::default();
    settings.max_attendees = settings.max_attendees.max(args.n);
    let slot = state.create_event("Networking Night".into(), settings);
    let (code, key) = {
        let mut event = slot.lock();
        for i in 0..args.n {
            let profile = profile(i).expect("a valid profile");
            event
                .join(profile, Secret::generate(), state.now())
                .expect("joins");
        }
        (event.code.to_string(), event.host_key.reveal())
    };
    state.start_round_after(&slot, None).await.expect("a round");
    let app = Application::build(state.clone(), listener, 2).expect("the server");
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let cookie = format!("ib_h_{code}={key}");
    let page_url = format!("{base}/e/{code}/host");

    let page = body_of(&client, &page_url, &cookie).await;
    let mut times = Vec::with_capacity(args.repeat);
    for _ in 0..args.repeat {
        let started = Instant::now();
        let _ = body_of(&client, &page_url, &cookie).await;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let stream = first_message(&client, &format!("{base}/e/{code}/host/events"), &cookie).await;
    let rows = String::from_utf8_lossy(&page).matches("<tr").count();
    println!(
        "{} attendees: console page {:.1} kB ({} table rows), median {:.1} ms, max {:.1} ms over {} loads; console stream's first message {:.1} kB",
        args.n,
        page.len() as f64 / 1000.0,
        rows,
        times[times.len() / 2],
        times[times.len() - 1],
        args.repeat,
        stream as f64 / 1000.0,
    );
}
