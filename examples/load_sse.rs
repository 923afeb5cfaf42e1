//! Load test of the phones' live streams: how fast a new round reaches
//! thousands of connected phones, and what the server's memory does.
//!
//! The example opens N Server-Sent Events connections (default 2,000), one
//! per "phone", with a small client over raw tokio sockets, starts a round
//! through the API and reports how many phones received their table, how
//! many got the table the round's JSON gives them, the p50 / p99 / max
//! delivery latency, and the server's resident memory (VmRSS) before the
//! phones connect, once they are connected and after delivery, plus its
//! peak (VmHWM).
//!
//! Run with `cargo run --release --example load_sse` (2,000 phones against
//! the real server). Flags: `-- --n 10000` for 10,000 phones, `--bare` for
//! the baseline instead (a minimal actix-web server broadcasting one shared
//! message to every stream), `--both` for the baseline and then the real
//! server with the same N, one row each.
//!
//! The server runs in a child process (this same program, re-executed with
//! the hidden `--serve <mode>` flag): a process may hold at most 20,000
//! open files here, and 10,000 phones need 10,000 client sockets plus
//! 10,000 server sockets. The child prints its port (and for the real
//! server the event code and host key) on stdout; its memory is read from
//! `/proc/<pid>/status`; it is killed at the end, and it exits by itself if
//! this program goes away (its stdin closes).
//!
//! How a run goes, for the real server: N attendees join over the JSON API
//! (50 requests in flight; interests from a small pool, so tables share
//! some), then the N streams `GET /e/{code}/me/events` open (at most 500
//! connecting at a time, `--connects`) and each reads its first `state`
//! message (the lobby); only then does the round start (`POST
//! /api/events/{code}/rounds`). The server plans the next round in the
//! background once the joins have settled (its planner starts 1 s after
//! the last join and searches up to the matcher's 2 s budget), as during a
//! real evening, so the click is sent `--wait-ms` (default 4,000) after the
//! last join at the earliest: the click then commits the plan made ahead.
//! `--wait-ms 0` clicks as soon as the streams are open, whatever the
//! planner is doing (a click while planning hurries it). Each phone waits for the first message showing a table
//! (`data-table` in its HTML) and notes when it arrived; its table is
//! checked against the round's JSON after the run. Streams stay open until
//! every phone has its table or 10 s have passed since the round's answer
//! (those still waiting count as missing). The
//! baseline is the same without joins: its streams open on `/events`, send
//! a lobby message, and `POST /go` broadcasts one shared message of about
//! the size of a phone's table message.
//!
//! The first table gives two latencies per phone, to the moment its
//! socket read returned its table: from the organizer's click (the client
//! sending the start request) and from the commit (the round's
//! `started_at` as the server committed it; for the baseline the moment
//! `/go` broadcast), both on this machine's clocks. The second table gives
//! the same deliveries against other reference points: the first phone to
//! receive anything and the client receiving its answer (negative: before
//! the answer). Client and server
//! share the machine's two cores, so the client's own work is included;
//! the lines under the tables say how busy other processes kept the CPUs
//! just before the round (figures are only comparable on a quiet machine)
//! and how much CPU time the server and the client used meanwhile.
//!
//! The plumbing shared with `load_join` (the child process, what is read of
//! it from `/proc`, small client helpers) is in `examples/common/mod.rs`.

mod common;

use std::collections::HashMap;
use std::convert::Infallible;
use std::error::Error;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use actix_web::{HttpResponse, Responder, web};
use actix_web_lab::sse::{self, Sse};
use clap::Parser;
use common::{ChildServer, Memory, Mode, Result, find, machine_ticks, percentiles, process_cpu_ms};
use icebreaker::clock::SystemClock;
use icebreaker::event::Settings;
use icebreaker::startup::Application;
use icebreaker::state::AppState;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

/// Join requests in flight at once.
const JOINS_IN_FLIGHT: usize = 50;
/// How long one stream may take to open and send its first message.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long after the round's answer phones may still get their table.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// Size of the baseline's shared message, about that of a phone's table
/// message.
const BARE_HTML_BYTES: usize = 1_500;
impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Icebreaker => "icebreaker",
            Mode::Bare => "bare actix-web",
        }
    }
}

/// Opens N live streams to a server in a child process, starts a round
/// and reports delivery latency and the server's memory.
#[derive(Debug, Parser)]
struct Args {
    /// Phones (live streams) to open.
    #[arg(long, default_value_t = 2000)]
    n: usize,
    /// Measure the bare actix-web baseline instead of the real server.
    #[arg(long, conflicts_with = "both")]
    bare: bool,
    /// Measure the baseline, then the real server.
    #[arg(long)]
    both: bool,
    /// Streams being opened at once. Both servers listen with a backlog of
    /// 128 (the standard library's), so many more drop SYNs and those
    /// phones retry a second later.
    #[arg(long, default_value_t = 500)]
    connects: usize,
    /// Milliseconds from the last join to the click at the earliest, for
    /// the server to plan the round ahead (0: click once the streams are
    /// open).
    #[arg(long, default_value_t = 4000)]
    wait_ms: u64,
    /// Internal: run this server (the child process).
    #[arg(long, hide = true, value_enum)]
    serve: Option<Mode>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(mode) = args.serve {
        return serve(mode);
    }
    let modes = match (args.bare, args.both) {
        (_, true) => vec![Mode::Bare, Mode::Icebreaker],
        (true, false) => vec![Mode::Bare],
        (false, false) => vec![Mode::Icebreaker],
    };
    let mut rows = Vec::new();
    for mode in modes {
        let started = Instant::now();
        let wait = Duration::from_millis(args.wait_ms);
        let row = measure(mode, args.n, args.connects.max(1), wait)?;
        eprintln!(
            "[{}] done in {:.1} s\n",
            mode.name(),
            started.elapsed().as_secs_f64()
        );
        rows.push(row);
    }
    print_tables(&rows);
    Ok(())
}

// ---------------------------------------------------------------------------
// The server, in the child process.

fn serve(mode: Mode) -> Result<()> {
    common::serve_child(|listener, port| async move {
        match mode {
            Mode::Icebreaker => serve_icebreaker(listener, port).await,
            Mode::Bare => serve_bare(listener, port).await,
        }
    })
}

/// The real server, started as the tests start it, with the real clock.
async fn serve_icebreaker(listener: TcpListener, port: u16) -> Result<()> {
    let settings = Settings {
        max_attendees: 20_000,
        ..Settings::default()
    };
    // Everything comes from one address here: no limits.
    let config = common::server_config(port, settings.clone(), 0)?;
    let state = AppState::new(config, Arc::new(SystemClock));
    let slot = state.create_event("Load test".into(), settings);
    let host_key = slot.lock().host_key.reveal();
    // The timers plan the next round ahead, as in the real binary.
    tokio::spawn(state.clone().run_timers(Duration::from_millis(250)));
    println!("port {port}");
    println!("code {}", slot.code);
    println!("host-key {host_key}");
    println!("ready");
    Application::build(state, listener, 0)?
        .run_until_stopped()
        .await?;
    Ok(())
}

/// The shared message of the baseline, replaced by `POST /go`.
type Broadcast = watch::Sender<Arc<str>>;

/// The baseline: `GET /events` holds a stream open and sends the current
/// message (a lobby message at first); `POST /go` broadcasts one new
/// message to every stream and answers with the time it did.
async fn serve_bare(listener: TcpListener, port: u16) -> Result<()> {
    let lobby = json!({"v": 0, "now": now_ms(), "html": "<p>lobby</p>"}).to_string();
    let (sender, _) = watch::channel::<Arc<str>>(lobby.into());
    let broadcast = web::Data::new(sender);
    common::serve_bare(listener, port, move |routes| {
        routes
            .app_data(broadcast.clone())
            .route("/events", web::get().to(bare_events))
            .route("/go", web::post().to(bare_go));
    })
    .await
}

async fn bare_events(broadcast: web::Data<Broadcast>) -> impl Responder {
    let messages = WatchStream::new(broadcast.subscribe()).map(|message: Arc<str>| {
        let data = sse::Data::new(message.to_string()).event("state");
        Ok::<_, Infallible>(sse::Event::Data(data))
    });
    Sse::from_stream(messages)
        .with_keep_alive(Duration::from_secs(15))
        .with_retry_duration(Duration::from_secs(2))
}

async fn bare_go(broadcast: web::Data<Broadcast>) -> HttpResponse {
    let now = now_ms();
    let html = format!("<div>{}</div>", "x".repeat(BARE_HTML_BYTES));
    let message = json!({"v": 1, "now": now, "html": html}).to_string();
    broadcast.send_replace(message.into());
    HttpResponse::Created().json(json!({ "started_at_ms": now }))
}

// ---------------------------------------------------------------------------
// The child process, seen from the parent.

/// The server's child process; killed when dropped.
struct Server {
    child: ChildServer,
    code: String,
    host_key: String,
}

impl Server {
    fn start(mode: Mode) -> Result<Server> {
        let child = ChildServer::start(mode, std::iter::empty::<&str>())?;
        let mut server = Server {
            child,
            code: String::new(),
            host_key: String::new(),
        };
        for line in &server.child.said {
            match line.split_once(' ') {
                Some(("code", code)) => server.code = code.to_string(),
                Some(("host-key", key)) => server.host_key = key.to_string(),
                _ => return Err(format!("unexpected line from the server: {line}").into()),
            }
        }
        Ok(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.child.port)
    }

    /// VmRSS and VmHWM (peak), in MB.
    fn memory(&self) -> Result<Memory> {
        common::memory(self.child.pid())
    }
}

// ---------------------------------------------------------------------------
// One measurement.

/// What one run measured.
struct Row {
    mode: Mode,
    phones: usize,
    /// Seconds the joins took (real server).
    join_secs: Option<f64>,
    /// Seconds until every stream was open.
    connect_secs: f64,
    /// How busy the machine's CPUs were with other work (%), measured
    /// while the streams were open and idle, just before the round.
    others_busy: Option<f64>,
    /// Seconds from the last join to the click (real server).
    since_joins: Option<f64>,
    /// CPU time (ms) the server and this client used from the start
    /// request until the deliveries were in.
    server_cpu_ms: Option<f64>,
    /// The part of `server_cpu_ms` after the start request's answer.
    server_cpu_after_answer_ms: Option<f64>,
    client_cpu_ms: Option<f64>,
    connected: usize,
    received: usize,
    /// Phones whose table is the one the round gave them (real server).
    right_table: Option<usize>,
    /// Delivery times in ms since the Unix epoch (wall clock, µs precision).
    delivered_wall: Vec<f64>,
    /// Delivery instants.
    delivered_at: Vec<Instant>,
    /// The server's time of each delivered message's rendering (ms).
    rendered_ms: Vec<i64>,
    message_bytes: usize,
    /// When the server started the round (ms since the epoch).
    started_at_ms: f64,
    request_sent: Instant,
    answer_received: Instant,
    memory_idle: Memory,
    memory_connected: Memory,
    memory_after: Memory,
    errors: HashMap<String, usize>,
}

fn measure(mode: Mode, n: usize, connects: usize, wait: Duration) -> Result<Row> {
    let server = Server::start(mode)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let row = runtime.block_on(measure_with(mode, n, connects, wait, &server));
    // Stop the server first: its sockets, not ours, keep the TIME_WAITs.
    drop(server);
    drop(runtime);
    row
}

async fn measure_with(
    mode: Mode,
    n: usize,
    connects: usize,
    wait: Duration,
    server: &Server,
) -> Result<Row> {
    let log = |what: String| eprintln!("[{}] {what}", mode.name());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(JOINS_IN_FLIGHT)
        .build()?;
    let start_memory = server.memory()?;
    log(format!(
        "server up on port {}, RSS {:.1} MB",
        server.child.port, start_memory.rss
    ));

    // Who the phones are: N attendees for the real server.
    let mut join_secs = None;
    let mut joins_done = Instant::now();
    let phones: Vec<Phone> = match mode {
        Mode::Icebreaker => {
            let t = Instant::now();
            let joined = join_all(&client, server, n).await?;
            joins_done = Instant::now();
            let secs = t.elapsed().as_secs_f64();
            log(format!("{n} attendees joined in {secs:.1} s"));
            join_secs = Some(secs);
            joined
        }
        Mode::Bare => (0..n)
            .map(|_| Phone {
                id: None,
                path: "/events".to_string(),
                token: None,
            })
            .collect(),
    };
    let memory_idle = server.memory()?;

    // Open every stream and read its first message.
    let t = Instant::now();
    let gate = Arc::new(Semaphore::new(connects));
    let (connected_tx, mut connected_rx) = mpsc::unbounded_channel();
    let mut tasks = JoinSet::new();
    for (index, phone) in phones.iter().enumerate() {
        tasks.spawn(run_phone(
            index,
            server.child.port,
            phone.clone(),
            mode,
            Arc::clone(&gate),
            connected_tx.clone(),
        ));
    }
    drop(connected_tx);
    let mut connected = 0;
    let mut errors: HashMap<String, usize> = HashMap::new();
    while let Some(result) = connected_rx.recv().await {
        match result {
            Ok(()) => connected += 1,
            Err(e) => *errors.entry(format!("connect: {e}")).or_default() += 1,
        }
    }
    let connect_secs = t.elapsed().as_secs_f64();
    log(format!(
        "{connected} of {n} streams open in {connect_secs:.1} s"
    ));
    // Let the server settle (buffers, allocator) before reading its
    // memory, and see meanwhile how busy the machine is without us.
    let machine_before = machine_ticks();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let others_busy = busy_percent(machine_before, machine_ticks());
    let memory_connected = server.memory()?;
    log(format!(
        "RSS with the streams open {:.1} MB",
        memory_connected.rss
    ));

    // Give the server's planner its time since the last join.
    let click_at = joins_done + wait;
    if mode == Mode::Icebreaker && Instant::now() < click_at {
        tokio::time::sleep_until(tokio::time::Instant::from_std(click_at)).await;
    }
    let since_joins = joins_done.elapsed().as_secs_f64();
    if mode == Mode::Icebreaker {
        log(format!("clicking {since_joins:.1} s after the last join"));
    }

    // Start the round.
    let cpu_before = (
        process_cpu_ms(server.child.pid()),
        process_cpu_ms(std::process::id()),
    );
    let request_sent = Instant::now();
    let (round, started_at_ms, answer_received) = match mode {
        Mode::Icebreaker => {
            let response = client
                .post(server.url(&format!("/api/events/{}/rounds", server.code)))
                .bearer_auth(&server.host_key)
                .send()
                .await?;
            let answered = Instant::now();
            let status = response.status();
            let body: Value = response.json().await?;
            if status.as_u16() != 201 {
                return Err(format!("starting the round: {status} {body}").into());
            }
            let started = body["started_at"]
                .as_str()
                .and_then(parse_rfc3339_ms)
                .ok_or("the round has no readable started_at")?;
            (Some(body), started, answered)
        }
        Mode::Bare => {
            let response = client.post(server.url("/go")).send().await?;
            let answered = Instant::now();
            let body: Value = response.json().await?;
            let started = body["started_at_ms"]
                .as_f64()
                .ok_or("/go answered no time")?;
            (None, started, answered)
        }
    };
    let server_cpu_at_answer = process_cpu_ms(server.child.pid());
    log(format!(
        "round started; the request took {:.0} ms",
        (answer_received - request_sent).as_secs_f64() * 1000.0
    ));

    // Collect deliveries until everyone has one or the time is up.
    let deadline = tokio::time::Instant::from_std(answer_received + DELIVERY_TIMEOUT);
    let mut outcomes: Vec<Option<StateMessage>> = (0..n).map(|_| None).collect();
    let mut open_streams = Vec::with_capacity(n);
    let mut timed_out = false;
    loop {
        match tokio::time::timeout_at(deadline, tasks.join_next()).await {
            Ok(Some(Ok((index, Ok((delivery, stream)))))) => {
                outcomes[index] = Some(delivery);
                open_streams.push(stream);
            }
            Ok(Some(Ok((_, Err(e))))) => *errors.entry(e).or_default() += 1,
            Ok(Some(Err(e))) => *errors.entry(format!("task: {e}")).or_default() += 1,
            Ok(None) => break,
            Err(_) => {
                timed_out = true;
                break;
            }
        }
    }
    if timed_out {
        let missing = tasks.len();
        *errors
            .entry(format!(
                "nothing within {} s of the round's answer",
                DELIVERY_TIMEOUT.as_secs()
            ))
            .or_default() += missing;
    }
    let memory_after = server.memory()?;
    let server_cpu_ms = process_cpu_ms(server.child.pid())
        .zip(cpu_before.0)
        .map(|(b, a)| b - a);
    let server_cpu_after_answer_ms = process_cpu_ms(server.child.pid())
        .zip(server_cpu_at_answer)
        .map(|(b, a)| b - a);
    let client_cpu_ms = process_cpu_ms(std::process::id())
        .zip(cpu_before.1)
        .map(|(b, a)| b - a);
    tasks.abort_all();
    drop(open_streams);

    // Check the tables against the round.
    let expected: HashMap<u64, u64> = round
        .as_ref()
        .map(tables_by_id)
        .transpose()?
        .unwrap_or_default();
    let mut row = Row {
        mode,
        phones: n,
        join_secs,
        connect_secs,
        others_busy,
        since_joins: (mode == Mode::Icebreaker).then_some(since_joins),
        server_cpu_ms,
        server_cpu_after_answer_ms,
        client_cpu_ms,
        connected,
        received: 0,
        right_table: round.as_ref().map(|_| 0),
        delivered_wall: Vec::new(),
        delivered_at: Vec::new(),
        rendered_ms: Vec::new(),
        message_bytes: 0,
        started_at_ms,
        request_sent,
        answer_received,
        memory_idle,
        memory_connected,
        memory_after,
        errors,
    };
    let mut bytes = 0;
    for (phone, delivery) in phones.iter().zip(&outcomes) {
        let Some(delivery) = delivery else { continue };
        let (_, rendered_ms, table) = match delivery.parse() {
            Ok(parsed) => parsed,
            Err(e) => {
                *row.errors.entry(format!("message: {e}")).or_default() += 1;
                continue;
            }
        };
        row.received += 1;
        bytes += delivery.bytes;
        row.delivered_wall.push(delivery.read_wall_ms);
        row.delivered_at.push(delivery.read_at);
        row.rendered_ms.push(rendered_ms);
        if let (Some(right), Some(id)) = (row.right_table.as_mut(), phone.id)
            && table.is_some()
            && table == expected.get(&id).copied()
        {
            *right += 1;
        }
    }
    row.message_bytes = bytes / row.received.max(1);
    log(format!(
        "{} of {connected} phones received the round",
        row.received
    ));
    for (error, count) in &row.errors {
        log(format!("{count} × {error}"));
    }
    Ok(row)
}

/// One phone: the stream it opens and, for the real server, who it is.
#[derive(Debug, Clone)]
struct Phone {
    id: Option<u64>,
    path: String,
    token: Option<String>,
}

/// Joins `n` attendees over the API, a few requests at a time.
async fn join_all(client: &reqwest::Client, server: &Server, n: usize) -> Result<Vec<Phone>> {
    let next = Arc::new(AtomicUsize::new(0));
    let url = server.url(&format!("/api/events/{}/attendees", server.code));
    let mut workers = JoinSet::new();
    for _ in 0..JOINS_IN_FLIGHT.min(n) {
        let (client, next, url) = (client.clone(), Arc::clone(&next), url.clone());
        workers.spawn(async move {
            let mut joined = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<_, Box<dyn Error + Send + Sync>>(joined);
                }
                let interests = common::interests(i as u64);
                let response = client
                    .post(&url)
                    .json(&json!({"name": format!("Phone {i}"), "interests": interests}))
                    .send()
                    .await?;
                let status = response.status();
                let body: Value = response.json().await?;
                if status.as_u16() != 201 {
                    return Err(format!("joining: {status} {body}").into());
                }
                let id = body["id"].as_u64().ok_or("a join without id")?;
                let token = body["token"].as_str().ok_or("a join without token")?;
                joined.push((i, id, token.to_string()));
            }
        });
    }
    let mut joined = Vec::with_capacity(n);
    while let Some(result) = workers.join_next().await {
        joined.extend(result??);
    }
    joined.sort_by_key(|(i, _, _)| *i);
    Ok(joined
        .into_iter()
        .map(|(_, id, token)| Phone {
            id: Some(id),
            path: format!("/e/{}/me/events", server.code),
            token: Some(token),
        })
        .collect())
}

/// Attendee id → table, from the round's JSON.
fn tables_by_id(round: &Value) -> Result<HashMap<u64, u64>> {
    let mut tables = HashMap::new();
    for group in round["groups"].as_array().ok_or("a round without groups")? {
        let table = group["table"].as_u64().ok_or("a group without table")?;
        for member in group["members"]
            .as_array()
            .ok_or("a group without members")?
        {
            let id = member["id"].as_u64().ok_or("a member without id")?;
            tables.insert(id, table);
        }
    }
    Ok(tables)
}

// ---------------------------------------------------------------------------
// The phones.

/// One phone's stream: opens it (at most `--connects` at a time),
/// reads the first message, says so on `connected`, then waits for the
/// round (a message with a table; for the baseline the next message).
async fn run_phone(
    index: usize,
    port: u16,
    phone: Phone,
    mode: Mode,
    gate: Arc<Semaphore>,
    connected: mpsc::UnboundedSender<std::result::Result<(), String>>,
) -> (
    usize,
    std::result::Result<(StateMessage, SseStream), String>,
) {
    let opened = {
        let _permit = gate.acquire().await;
        tokio::time::timeout(CONNECT_TIMEOUT, open_stream(port, &phone))
            .await
            .map_err(|_| "timed out".to_string())
            .and_then(|r| r.map_err(|e| e.to_string()))
    };
    let mut stream = match opened {
        Ok(opened) => {
            let _ = connected.send(Ok(()));
            opened
        }
        Err(e) => {
            let _ = connected.send(Err(e.clone()));
            return (index, Err(format!("connect: {e}")));
        }
    };
    drop(connected);
    let result = async {
        loop {
            let message = stream.next_state().await?;
            // The baseline sends nothing else after its lobby message.
            if mode == Mode::Bare || message.has_table() {
                return Ok(message);
            }
        }
    }
    .await
    .map_err(|e: Box<dyn Error + Send + Sync>| format!("stream: {e}"));
    // The stream stays open: closing it now would make the server and
    // this client tear down connections while others still wait.
    (index, result.map(|message| (message, stream)))
}

/// Opens a phone's stream and reads its first `state` message.
async fn open_stream(port: u16, phone: &Phone) -> Result<SseStream> {
    let socket = TcpStream::connect(("127.0.0.1", port)).await?;
    socket.set_nodelay(true)?;
    let mut stream = SseStream::new(socket);
    let auth = phone
        .token
        .as_ref()
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n{auth}\r\n",
        phone.path
    );
    stream.socket.write_all(request.as_bytes()).await?;
    stream.read_head().await?;
    stream.next_state().await?;
    Ok(stream)
}

/// A `state` message as a phone sees it.
/// A `state` message as a phone sees it. Its JSON is only parsed after
/// the run, so that the phones waiting for their table do as little as
/// possible while deliveries are timed.
struct StateMessage {
    data: String,
    bytes: usize,
    /// When the socket read that completed the message returned.
    read_at: Instant,
    read_wall_ms: f64,
}

impl StateMessage {
    /// Whether the (JSON-escaped) HTML shows a table.
    fn has_table(&self) -> bool {
        self.data.contains(r#"data-table=\""#)
    }

    /// The message's version, server time and table.
    fn parse(&self) -> Result<(u64, i64, Option<u64>)> {
        let message: Value = serde_json::from_str(&self.data)?;
        let html = message["html"].as_str().ok_or("a state without html")?;
        Ok((
            message["v"].as_u64().ok_or("a state without v")?,
            message["now"].as_i64().ok_or("a state without now")?,
            table_in(html),
        ))
    }
}

enum Chunk {
    /// Reading the size line.
    Size,
    /// This many bytes of data left in the chunk.
    Data(usize),
    /// The CRLF after a chunk's data.
    End,
}

/// An HTTP/1.1 response body read as Server-Sent Events, with chunked
/// transfer encoding undone.
struct SseStream {
    socket: TcpStream,
    /// Bytes read and not yet decoded.
    raw: Vec<u8>,
    /// Decoded body not yet split into events.
    body: Vec<u8>,
    chunked: bool,
    chunk: Chunk,
    read_at: Instant,
    read_wall_ms: f64,
}

impl SseStream {
    fn new(socket: TcpStream) -> SseStream {
        SseStream {
            socket,
            raw: Vec::with_capacity(4096),
            body: Vec::new(),
            chunked: false,
            chunk: Chunk::Size,
            read_at: Instant::now(),
            read_wall_ms: 0.0,
        }
    }

    /// Reads more bytes; fails when the server closed the stream.
    async fn fill(&mut self) -> Result<()> {
        let mut buffer = [0u8; 4096];
        let n = self.socket.read(&mut buffer).await?;
        self.read_at = Instant::now();
        self.read_wall_ms = common::wall_secs() * 1000.0;
        if n == 0 {
            return Err("the server closed the stream".into());
        }
        self.raw.extend_from_slice(&buffer[..n]);
        Ok(())
    }

    /// Reads the status line and headers: 200, `text/event-stream`.
    async fn read_head(&mut self) -> Result<()> {
        let end = loop {
            if let Some(end) = find(&self.raw, b"\r\n\r\n") {
                break end;
            }
            if self.raw.len() > 64 * 1024 {
                return Err("response headers too long".into());
            }
            self.fill().await?;
        };
        let head = String::from_utf8_lossy(&self.raw[..end]).to_ascii_lowercase();
        self.raw.drain(..end + 4);
        let mut lines = head.lines();
        let status = lines.next().unwrap_or_default();
        if !status.starts_with("http/1.1 200") {
            return Err(format!("answer {status:?}").into());
        }
        let mut event_stream = false;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            match (name.trim(), value.trim()) {
                ("transfer-encoding", v) if v.contains("chunked") => self.chunked = true,
                ("content-type", v) if v.starts_with("text/event-stream") => event_stream = true,
                _ => {}
            }
        }
        if !event_stream {
            return Err("not an event stream".into());
        }
        self.decode()
    }

    /// Moves what `raw` holds of the body into `body`.
    fn decode(&mut self) -> Result<()> {
        if !self.chunked {
            self.body.append(&mut self.raw);
            return Ok(());
        }
        loop {
            match self.chunk {
                Chunk::Size => {
                    let Some(end) = find(&self.raw, b"\r\n") else {
                        return Ok(());
                    };
                    let size = common::chunk_size(&self.raw[..end])?;
                    self.raw.drain(..end + 2);
                    if size == 0 {
                        return Err("the server ended the stream".into());
                    }
                    self.chunk = Chunk::Data(size);
                }
                Chunk::Data(left) => {
                    if self.raw.is_empty() {
                        return Ok(());
                    }
                    let take = left.min(self.raw.len());
                    self.body.extend(self.raw.drain(..take));
                    self.chunk = if take == left {
                        Chunk::End
                    } else {
                        Chunk::Data(left - take)
                    };
                }
                Chunk::End => {
                    if self.raw.len() < 2 {
                        return Ok(());
                    }
                    self.raw.drain(..2);
                    self.chunk = Chunk::Size;
                }
            }
        }
    }

    /// The next `state` event (skipping `retry`, comments and others).
    async fn next_state(&mut self) -> Result<StateMessage> {
        loop {
            while let Some(end) = find(&self.body, b"\n\n") {
                let block: Vec<u8> = self.body.drain(..end + 2).collect();
                let block = std::str::from_utf8(&block)?;
                let mut is_state = false;
                let mut data = String::new();
                for line in block.lines() {
                    if line == "event: state" {
                        is_state = true;
                    } else if let Some(rest) = line.strip_prefix("data:") {
                        if !data.is_empty() {
                            data.push('\n');
                        }
                        data.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                    }
                }
                if !is_state {
                    continue;
                }
                return Ok(StateMessage {
                    data,
                    bytes: block.len(),
                    read_at: self.read_at,
                    read_wall_ms: self.read_wall_ms,
                });
            }
            self.fill().await?;
            self.decode()?;
        }
    }
}

/// The table number a phone's HTML shows (`data-table="N"`), if any.
fn table_in(html: &str) -> Option<u64> {
    let rest = html.split("data-table=\"").nth(1)?;
    rest.split('"').next()?.parse().ok()
}

// ---------------------------------------------------------------------------
// Time and figures.

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Milliseconds since the epoch of a UTC RFC 3339 time as the API writes
/// it, e.g. `2026-11-18T11:06:40.25Z`.
fn parse_rfc3339_ms(text: &str) -> Option<f64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let mut time = time.split(':');
    let hour: i64 = time.next()?.parse().ok()?;
    let minute: i64 = time.next()?.parse().ok()?;
    let seconds: f64 = time.next()?.parse().ok()?;
    // Days since the epoch of a proleptic Gregorian date (H. Hinnant's
    // days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let whole = (days * 86_400 + hour * 3_600 + minute * 60) as f64;
    Some((whole + seconds) * 1000.0)
}

fn busy_percent(before: Option<(u64, u64)>, after: Option<(u64, u64)>) -> Option<f64> {
    let ((busy_a, total_a), (busy_b, total_b)) = (before?, after?);
    let total = total_b.checked_sub(total_a).filter(|&t| t > 0)?;
    Some(busy_b.saturating_sub(busy_a) as f64 * 100.0 / total as f64)
}

fn since_ms(from: Instant, to: Instant) -> f64 {
    if to >= from {
        (to - from).as_secs_f64() * 1000.0
    } else {
        -((from - to).as_secs_f64() * 1000.0)
    }
}

fn latency_cells(values: Vec<f64>) -> String {
    match percentiles(values) {
        Some([p50, p99, max]) => format!("{p50:.0} | {p99:.0} | {max:.0}"),
        None => "– | – | –".to_string(),
    }
}

fn print_tables(rows: &[Row]) {
    println!(
        "| server | phones | connected | received | right table | click → phone p50 ms | p99 ms | max ms | commit → phone p50 ms | p99 ms | max ms | RSS idle MB | RSS connected MB | RSS after MB | peak MB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let from_start: Vec<f64> = row
            .delivered_wall
            .iter()
            .map(|w| w - row.started_at_ms)
            .collect();
        let from_click: Vec<f64> = row
            .delivered_at
            .iter()
            .map(|&at| since_ms(row.request_sent, at))
            .collect();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} |",
            row.mode.name(),
            row.phones,
            row.connected,
            row.received,
            row.right_table
                .map_or_else(|| "n/a".to_string(), |r| r.to_string()),
            latency_cells(from_click),
            latency_cells(from_start),
            row.memory_idle.rss,
            row.memory_connected.rss,
            row.memory_after.rss,
            row.memory_after.peak,
        );
    }
    println!();
    println!(
        "| server | start request ms | from first receipt p50 / p99 / max | from answer p50 / p99 / max | last render after start ms | message bytes |"
    );
    println!("|---|---:|---|---|---:|---:|");
    for row in rows {
        let first = row.delivered_at.iter().min().copied();
        let triple = |from: Instant| {
            let values: Vec<f64> = row
                .delivered_at
                .iter()
                .map(|&at| since_ms(from, at))
                .collect();
            latency_cells(values).replace(" | ", " / ")
        };
        let last_render = row.rendered_ms.iter().max().map_or_else(
            || "–".to_string(),
            |&r| format!("{:.0}", r as f64 - row.started_at_ms),
        );
        println!(
            "| {} | {:.0} | {} | {} | {} | {} |",
            row.mode.name(),
            since_ms(row.request_sent, row.answer_received),
            first.map_or_else(|| "–".to_string(), triple),
            triple(row.answer_received),
            last_render,
            row.message_bytes,
        );
    }
    println!();
    println!(
        "Latency: to the phone's socket read, from the click (the start request sent) and from the round's start as the server committed it (its started_at; for the baseline when /go broadcast), on this machine's clocks (ms; the server's time has ms precision). RSS idle: before the streams open (the real server: after the joins). Peak: VmHWM at the end."
    );
    for row in rows {
        let joins = row
            .join_secs
            .map(|s| format!("{} joins took {s:.1} s, ", row.phones))
            .unwrap_or_default();
        let click = row
            .since_joins
            .map(|s| format!("the click came {s:.1} s after the last join; "))
            .unwrap_or_default();
        let ms = |v: Option<f64>| v.map_or_else(|| "?".to_string(), |v| format!("{v:.0}"));
        println!(
            "{}: {joins}the streams opened in {:.1} s; {click}other processes kept the CPUs {}% busy just before the round; CPU time from the start request to the last delivery: server {} ms ({} ms after its answer), client {} ms.",
            row.mode.name(),
            row.connect_secs,
            row.others_busy
                .map_or_else(|| "?".to_string(), |b| format!("{b:.0}")),
            ms(row.server_cpu_ms),
            ms(row.server_cpu_after_answer_ms),
            ms(row.client_cpu_ms),
        );
        for (error, count) in &row.errors {
            println!("{}: {count} × {error}", row.mode.name());
        }
    }
}
