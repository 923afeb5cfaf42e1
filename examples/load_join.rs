//! Load test of the JSON API with durable storage on: how many joins a
//! second the server commits to its SQLite file, how fast it serves the
//! board's JSON, and what happens to joins while a round for 5,000 people
//! is being planned.
//!
//! Measured, in this order (each closed-loop phase `--seconds`, default 5,
//! after a short warm-up that is not counted):
//!
//! 1. **bare actix-web hello**: `GET /` answering `hello` from a minimal
//!    actix-web server (as many workers as icebreaker: one per core), the
//!    yardstick every request rate is divided by;
//! 2. **board JSON**: `GET /api/events/{code}/board` of an event with 200
//!    people present and a round started (the JSON then lists every
//!    group); its size in bytes is printed (no `Accept-Encoding`, so the
//!    answer is not compressed);
//! 3. **joins during a 5,000-person round**: 4,500 people join, then
//!    joins go on at a fixed rate (open loop, default 500/s over 20
//!    connections, latency counted from when each join was due, so a
//!    stalled server cannot hide its backlog): their first second, which
//!    brings the event to 5,000 present, is one row; then `POST
//!    /api/events/{code}/rounds` plans a round for those present (up to
//!    the matcher's 2 s budget; then the round is committed, people who
//!    joined meanwhile are seated as late arrivals, and it is written)
//!    while the joins go on: those due while that request was in flight
//!    are the second row;
//! 4. **durable joins**: `POST /api/events/{code}/attendees` as fast as
//!    the connections go, into one fresh event, each a distinct name with
//!    three interests from a small pool. A join is answered only after it
//!    is committed to SQLite (WAL, `synchronous=FULL`, group commit), so
//!    every 201 counted is on disk. The second table gives the answers of
//!    each second: the event grows by thousands a second, and a join's
//!    cost grows with its event's size. `--join-events 10` spreads the
//!    joins over ten fresh events in turn instead.
//!
//! The first table prints the issue's order (hello, joins, board, round):
//! requests a second, p50 / p99 / max latency, the rate as a ratio of the
//! bare hello's, the target and whether it was met. The second gives the
//! counts, errors, and CPU time of each phase.
//!
//! The client is a small HTTP/1.1 client over raw tokio sockets with
//! keep-alive connections (default 50 on 2 runtime threads, like `wrk
//! -t2 -c50`), closed loop: each connection sends its next request when
//! the previous answer is in. Latencies are from writing the request to
//! reading the whole answer. (Against the board it gives the same rate as
//! `wrk`; against the bare hello it needs more CPU than `wrk`, so that
//! yardstick is somewhat lower than `wrk -t2 -c50` finds.)
//!
//! Run with `cargo run --release --example load_join`. It starts the
//! servers itself, each in a child process (this same program re-executed
//! with the hidden `--serve` flag): the bare one for phase 1, then the real
//! server with a fresh data file in the temporary directory (removed at
//! the end), the rate limit off, and an event per phase. Flags:
//! `--seconds 10`, `--connections 100`, `--client-threads 1`,
//! `--round-join-rate 1000`, `--phases board,joins` (any of `hello`,
//! `board`, `round`, `joins`; default all), `--join-events 10`, and
//! `--rate-limit N` to run the server with a limit of N changes per client
//! address per minute (default 0: off). This program sends everything from
//! one address, so a limit below what a phase sends turns its joins into
//! 429s (counted as errors; the setup joins of phases 2 and 3 then fail
//! and stop the run).
//!
//! To measure a server started by hand instead (phase 1 still starts its
//! own bare server):
//!
//! ```text
//! cargo run --release -- --rate-limit 0 --max-attendees 100000 --data /tmp/x.db
//! cargo run --release --example load_join -- --url http://127.0.0.1:8080 \
//!     --code CODE --host-key KEY [--server-pid PID] [--data /tmp/x.db]
//! ```
//!
//! with the code and key from the organizer link the server prints
//! (`…/e/CODE/host?key=KEY`); `--max-attendees` because the run joins
//! far more than the default 5,000 people. All phases then use that one
//! event: 200 people and a round for the board, topped up to 5,000
//! present for the big round, then the sustained joins into an event of
//! 6,000+ people with a round running (so they are slower than into the
//! fresh event of a self-started run). Use a fresh data file each time.
//! `--server-pid` adds the server's CPU time and memory to the report,
//! `--data` the data file's size.
//!
//! This machine has two cores and the client shares them with the server:
//! every figure includes the client's own work. The report gives the CPU
//! time the server, its store writer thread and this client used in each
//! phase, and how busy other processes kept the CPUs meanwhile: figures
//! are only comparable on a quiet machine. Progress goes to stderr, with
//! each phase's window on the wall clock, to line it up with `perf record
//! -k CLOCK_REALTIME -p <server pid>` (`perf report --time FROM,TO`).
//!
//! The plumbing shared with `load_sse` (the child process, what is read of
//! it from `/proc`, small client helpers) is in `examples/common/mod.rs`.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::{HttpResponse, web};
use clap::{Parser, ValueEnum};
use common::{ChildServer, Memory, Mode, Result, find};
use icebreaker::clock::SystemClock;
use icebreaker::event::Settings;
use icebreaker::startup::Application;
use icebreaker::state::AppState;
use icebreaker::store::Store;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// Attendees an event of the self-started server may hold: the sustained
/// joins must never find it full.
const MAX_ATTENDEES: usize = 1_000_000;
/// How long joins go on at a fixed rate before the big round is asked for.
const ROUND_LEAD: Duration = Duration::from_secs(1);
/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Phase {
    /// The bare actix-web hello.
    Hello,
    /// The board's JSON.
    Board,
    /// Joins during a big round.
    Round,
    /// Sustained durable joins.
    Joins,
}

/// Measures durable joins, the board's JSON and joins during a big round
/// against the real server, and a bare actix-web "hello" as yardstick.
#[derive(Debug, Parser)]
struct Args {
    /// Seconds each phase is measured (after a short warm-up).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Keep-alive connections of the closed-loop phases (hello, board,
    /// joins), like `wrk -c`.
    #[arg(long, default_value_t = 50)]
    connections: usize,
    /// Threads of this client's async runtime, like `wrk -t`. The machine
    /// has two cores, shared with the server.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
    /// The server's limit on changes (joins) per client address and minute
    /// (burst: the server's default); 0 turns it off. Only for the server
    /// this program starts.
    #[arg(long, default_value_t = 0, conflicts_with = "url")]
    rate_limit: u32,
    /// People present in the board's event.
    #[arg(long, default_value_t = 200)]
    board_people: usize,
    /// People present when the big round is planned.
    #[arg(long, default_value_t = 5000)]
    round_people: usize,
    /// Joins per second (open loop) while the big round is planned.
    #[arg(long, default_value_t = 500.0)]
    round_join_rate: f64,
    /// Connections those joins are spread over.
    #[arg(long, default_value_t = 20)]
    round_connections: usize,
    /// Phases to run, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "hello,board,round,joins"
    )]
    phases: Vec<Phase>,
    /// A running icebreaker to measure (e.g. http://127.0.0.1:8080)
    /// instead of one this program starts.
    #[arg(long, requires_all = ["code", "host_key"])]
    url: Option<String>,
    /// With --url: the event to use.
    #[arg(long, requires = "url")]
    code: Option<String>,
    /// With --url: the event's host key (to start rounds).
    #[arg(long, requires = "url")]
    host_key: Option<String>,
    /// With --url: the server's process id, for its CPU time and memory.
    #[arg(long, requires = "url")]
    server_pid: Option<u32>,
    /// With --url: the server's data file, for its size.
    #[arg(long, requires = "url")]
    data: Option<PathBuf>,
    /// Spread the sustained joins over this many fresh events, in turn:
    /// each join republishes its event, so its cost grows with the
    /// event's size. Only for the server this program starts.
    #[arg(long, default_value_t = 1, conflicts_with = "url")]
    join_events: usize,
    /// Internal: run this server (the child process).
    #[arg(long, hide = true, value_enum)]
    serve: Option<Mode>,
    /// Internal: the child's data file.
    #[arg(long, hide = true)]
    serve_data: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(mode) = args.serve {
        return serve(
            mode,
            args.serve_data.as_deref(),
            args.rate_limit,
            args.join_events,
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads.max(1))
        .enable_all()
        .build()?;
    let report = runtime.block_on(run(&args))?;
    report.print(&args);
    Ok(())
}

// ---------------------------------------------------------------------------
// The servers, in the child process.

fn serve(mode: Mode, data: Option<&Path>, rate_limit: u32, join_events: usize) -> Result<()> {
    common::serve_child(|listener, port| async move {
        match mode {
            Mode::Icebreaker => {
                let data = data.ok_or("--serve icebreaker needs --serve-data")?;
                serve_icebreaker(listener, port, data, rate_limit, join_events).await
            }
            Mode::Bare => serve_bare(listener, port).await,
        }
    })
}

/// The real server as the binary starts it (durable store, timers), with
/// an event for the board, one for the round and `join_events` for the
/// sustained joins.
async fn serve_icebreaker(
    listener: TcpListener,
    port: u16,
    data: &Path,
    rate_limit: u32,
    join_events: usize,
) -> Result<()> {
    let settings = Settings {
        max_attendees: MAX_ATTENDEES,
        ..Settings::default()
    };
    let config = common::server_config(port, settings.clone(), rate_limit)?;
    let (store, loaded) = Store::open(data)?;
    let state = AppState::with_store(config, Arc::new(SystemClock), store, loaded);
    println!("port {port}");
    let joins = (0..join_events.max(1)).map(join_purpose);
    for purpose in ["board".to_string(), "round".to_string()]
        .into_iter()
        .chain(joins)
    {
        let slot = state.create_event(format!("Load test: {purpose}"), settings.clone());
        let host_key = slot.lock().host_key.reveal();
        println!("event {purpose} {} {host_key}", slot.code);
    }
    println!("ready");
    tokio::spawn(state.clone().run_timers(Duration::from_millis(250)));
    Application::build(state.clone(), listener, 0)?
        .run_until_stopped()
        .await?;
    state.store().close();
    Ok(())
}

/// The yardstick: `GET /` answers `hello`.
async fn serve_bare(listener: TcpListener, port: u16) -> Result<()> {
    common::serve_bare(listener, port, |routes| {
        routes.route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().body("hello") }),
        );
    })
    .await
}

// ---------------------------------------------------------------------------
// The server, seen from the client.

/// An event to load: its code and host key.
#[derive(Debug, Clone)]
struct EventRef {
    code: String,
    host_key: String,
}

/// The data file of a server child process (with its write-ahead log and
/// shared-memory index): any left from an earlier run removed when it is
/// made, and removed again when dropped, after the child is gone.
struct DataFiles(PathBuf);

impl DataFiles {
    fn fresh(data: PathBuf) -> DataFiles {
        for path in data_files(&data) {
            let _ = std::fs::remove_file(path);
        }
        DataFiles(data)
    }
}

impl Drop for DataFiles {
    fn drop(&mut self) {
        for path in data_files(&self.0) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A server under test.
struct Server {
    addr: SocketAddr,
    /// The `Host` header's value.
    host: String,
    pid: Option<u32>,
    data: Option<PathBuf>,
    /// The events of the board, round and joins phases.
    events: BTreeMap<String, EventRef>,
    /// The server child process, killed when dropped; before
    /// `_data_files`, so that it is gone when its files are removed.
    _child: Option<ChildServer>,
    _data_files: Option<DataFiles>,
}

impl Server {
    /// Starts this program as a server child process.
    fn start(mode: Mode, rate_limit: u32, join_events: usize) -> Result<Server> {
        let data = (mode == Mode::Icebreaker).then(|| {
            std::env::temp_dir().join(format!("icebreaker-load-join-{}.db", std::process::id()))
        });
        let mut args: Vec<OsString> = vec![
            "--rate-limit".into(),
            rate_limit.to_string().into(),
            "--join-events".into(),
            join_events.to_string().into(),
        ];
        let files = data.clone().map(DataFiles::fresh);
        if let Some(data) = &data {
            args.extend(["--serve-data".into(), data.into()]);
        }
        let child = ChildServer::start(mode, args)?;
        let mut events = BTreeMap::new();
        for line in &child.said {
            let words: Vec<&str> = line.split(' ').collect();
            match words.as_slice() {
                ["event", purpose, code, key] => {
                    events.insert(
                        (*purpose).to_string(),
                        EventRef {
                            code: (*code).to_string(),
                            host_key: (*key).to_string(),
                        },
                    );
                }
                _ => return Err(format!("unexpected line from the server: {line}").into()),
            }
        }
        let addr = SocketAddr::from(([127, 0, 0, 1], child.port));
        Ok(Server {
            addr,
            host: addr.to_string(),
            pid: Some(child.pid()),
            data,
            events,
            _child: Some(child),
            _data_files: files,
        })
    }

    /// A server started by hand, at `url`, with one event for every phase.
    async fn at_url(args: &Args, url: &str) -> Result<Server> {
        let host = url
            .strip_prefix("http://")
            .ok_or("--url must start with http:// (no TLS here)")?
            .trim_end_matches('/');
        if host.contains('/') {
            return Err("--url must be just http://host:port".into());
        }
        let addr = tokio::net::lookup_host(host)
            .await?
            .next()
            .ok_or_else(|| format!("{host} has no address"))?;
        let event = EventRef {
            code: args.code.clone().ok_or("--url needs --code")?,
            host_key: args.host_key.clone().ok_or("--url needs --host-key")?,
        };
        let events = ["board", "round", "joins"]
            .into_iter()
            .map(|p| (p.to_string(), event.clone()))
            .collect();
        Ok(Server {
            addr,
            host: host.to_string(),
            pid: args.server_pid,
            data: args.data.clone(),
            events,
            _child: None,
            _data_files: None,
        })
    }

    fn event(&self, purpose: &str) -> Result<&EventRef> {
        self.events
            .get(purpose)
            .ok_or_else(|| format!("the server has no {purpose} event").into())
    }

    fn get(&self, path: &str) -> Vec<u8> {
        format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host).into_bytes()
    }

    /// The server's CPU time so far (ms), if its process is known.
    fn cpu_ms(&self) -> Option<f64> {
        common::process_cpu_ms(self.pid?)
    }

    /// CPU time (ms) of the store's writer thread, if there is one.
    fn writer_cpu_ms(&self) -> Option<f64> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.pid?)).ok()?;
        tasks.flatten().find_map(|task| {
            let comm = std::fs::read_to_string(task.path().join("comm")).ok()?;
            comm.starts_with("icebreaker-stor")
                .then(|| common::cpu_ms(task.path().join("stat")))
                .flatten()
        })
    }

    /// VmRSS and VmHWM (peak), in MB.
    fn memory(&self) -> Option<Memory> {
        common::memory(self.pid?).ok()
    }

    /// Sizes of the data file and its write-ahead log, in MB.
    fn data_size(&self) -> Option<(f64, f64)> {
        let data = self.data.as_ref()?;
        let size = |path: &Path| std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6);
        let files = data_files(data);
        Some((size(&files[0]), size(&files[1])))
    }
}

/// The data file, its write-ahead log and its shared-memory index.
fn data_files(data: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = data.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [data.to_path_buf(), with("-wal"), with("-shm")]
}

// ---------------------------------------------------------------------------
// A minimal HTTP/1.1 client: one keep-alive connection.

/// What came back for one request.
struct Answer {
    status: u16,
    /// The server closes the connection after this answer.
    close: bool,
    /// Body bytes (the body itself only if asked for).
    body_len: usize,
    body: Vec<u8>,
}

struct Conn {
    socket: TcpStream,
    /// Bytes read and not yet used.
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Conn> {
        let socket = TcpStream::connect(addr).await?;
        socket.set_nodelay(true)?;
        Ok(Conn {
            socket,
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    async fn fill(&mut self) -> Result<()> {
        if self.buf.capacity() - self.buf.len() < 4096 {
            self.buf.reserve(16 * 1024);
        }
        if self.socket.read_buf(&mut self.buf).await? == 0 {
            return Err("the server closed the connection".into());
        }
        Ok(())
    }

    /// Sends one request and reads its whole answer.
    async fn send(&mut self, request: &[u8], keep_body: bool) -> Result<Answer> {
        self.socket.write_all(request).await?;
        let mut scanned = 0;
        let head_end = loop {
            if let Some(at) = find(&self.buf[scanned..], b"\r\n\r\n") {
                break scanned + at;
            }
            scanned = self.buf.len().saturating_sub(3);
            if self.buf.len() > 64 * 1024 {
                return Err("answer headers too long".into());
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end])?;
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .ok_or("an answer without status line")?
            .parse()?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let (name, value) = (name.trim(), value.trim());
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>()?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        if status == 204 || status == 304 {
            length = Some(0);
        }
        let start = head_end + 4;
        let answer = if chunked {
            self.read_chunked(start, keep_body).await?
        } else {
            let length = length.ok_or("an answer without length")?;
            while self.buf.len() < start + length {
                self.fill().await?;
            }
            let body = if keep_body {
                self.buf[start..start + length].to_vec()
            } else {
                Vec::new()
            };
            self.buf.drain(..start + length);
            Answer {
                status,
                close,
                body_len: length,
                body,
            }
        };
        Ok(Answer {
            status,
            close,
            ..answer
        })
    }

    /// A chunked body starting at `at` in the buffer.
    async fn read_chunked(&mut self, mut at: usize, keep_body: bool) -> Result<Answer> {
        let mut body = Vec::new();
        let mut body_len = 0;
        loop {
            let line_end = loop {
                if let Some(end) = find(&self.buf[at..], b"\r\n") {
                    break at + end;
                }
                self.fill().await?;
            };
            let size = common::chunk_size(&self.buf[at..line_end])?;
            at = line_end + 2;
            while self.buf.len() < at + size + 2 {
                self.fill().await?;
            }
            if keep_body {
                body.extend_from_slice(&self.buf[at..at + size]);
            }
            body_len += size;
            at += size + 2;
            if size == 0 {
                break;
            }
        }
        self.buf.drain(..at);
        Ok(Answer {
            status: 0,
            close: false,
            body_len,
            body,
        })
    }
}

// ---------------------------------------------------------------------------
// Load.

/// Builds the request numbered `i`.
type MakeRequest = Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>;

/// What one closed-loop worker saw in the measured window.
#[derive(Default)]
struct Seen {
    /// Latencies of the expected answers, in µs.
    latencies: Vec<u32>,
    errors: BTreeMap<String, usize>,
    /// Body size of the last expected answer.
    body_len: usize,
    /// Expected answers in each second of the measured window.
    per_second: Vec<usize>,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.latencies.extend(other.latencies);
        for (e, n) in other.errors {
            *self.errors.entry(e).or_default() += n;
        }
        self.body_len = self.body_len.max(other.body_len);
        if self.per_second.len() < other.per_second.len() {
            self.per_second.resize(other.per_second.len(), 0);
        }
        for (mine, theirs) in self.per_second.iter_mut().zip(other.per_second) {
            *mine += theirs;
        }
    }
}

/// Closed loop over `connections` connections: requests numbered from
/// `first` on, until `count` were sent or `until` is reached. Answers that
/// come in from `from` until (not including) `until` and have status
/// `expect` are counted.
struct Load {
    connections: usize,
    first: u64,
    count: u64,
    from: Instant,
    until: Instant,
    expect: u16,
}

async fn closed_loop(server: &Server, load: Load, make: MakeRequest) -> Result<Seen> {
    let next = Arc::new(AtomicU64::new(load.first));
    let last = load.first.saturating_add(load.count);
    let mut conns = Vec::with_capacity(load.connections);
    for _ in 0..load.connections {
        conns.push(Conn::open(server.addr).await?);
    }
    let mut workers = JoinSet::new();
    for mut conn in conns {
        let (next, make, addr) = (Arc::clone(&next), Arc::clone(&make), server.addr);
        let Load {
            from,
            until,
            expect,
            ..
        } = load;
        workers.spawn(async move {
            let mut seen = Seen::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= last || Instant::now() >= until {
                    return seen;
                }
                let request = make(i);
                let sent = Instant::now();
                let answer = conn.send(&request, false).await;
                let done = Instant::now();
                let counted = done >= from && done < until;
                if answer.as_ref().is_ok_and(|a| a.close) {
                    match Conn::open(addr).await {
                        Ok(fresh) => conn = fresh,
                        Err(e) => {
                            *seen.errors.entry(format!("reconnect: {e}")).or_default() += 1;
                            return seen;
                        }
                    }
                }
                match answer {
                    Ok(a) if a.status == expect => {
                        if counted {
                            seen.latencies.push(micros(done - sent));
                            seen.body_len = a.body_len;
                            let second = (done - from).as_secs() as usize;
                            if seen.per_second.len() <= second {
                                seen.per_second.resize(second + 1, 0);
                            }
                            seen.per_second[second] += 1;
                        }
                    }
                    Ok(a) => *seen.errors.entry(format!("{}", a.status)).or_default() += 1,
                    Err(e) => {
                        *seen.errors.entry(e.to_string()).or_default() += 1;
                        match Conn::open(addr).await {
                            Ok(fresh) => conn = fresh,
                            Err(e) => {
                                *seen.errors.entry(format!("reconnect: {e}")).or_default() += 1;
                                return seen;
                            }
                        }
                    }
                }
            }
        });
    }
    let mut seen = Seen::default();
    while let Some(worker) = workers.join_next().await {
        seen.merge(worker?);
    }
    Ok(seen)
}

/// Joins `n` people to `event` (50 connections), failing on any refusal.
async fn join_many(server: &Server, event: &EventRef, first: u64, n: usize) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    let far = Instant::now() + Duration::from_secs(3600);
    let load = Load {
        connections: 50.min(n),
        first,
        count: n as u64,
        from: Instant::now(),
        until: far,
        expect: 201,
    };
    let make = join_maker(server, event);
    let seen = closed_loop(server, load, make).await?;
    if !seen.errors.is_empty() {
        return Err(format!(
            "setting up: {} of {n} joins failed: {:?} (429: the rate limit is on; see --rate-limit)",
            seen.errors.values().sum::<usize>(),
            seen.errors
        )
        .into());
    }
    Ok(())
}

/// Joins to `event`, numbered.
fn join_maker(server: &Server, event: &EventRef) -> MakeRequest {
    join_maker_over(server, std::slice::from_ref(event))
}

/// Joins to `events` in turn, numbered.
fn join_maker_over(server: &Server, events: &[EventRef]) -> MakeRequest {
    let host = server.host.clone();
    let paths: Vec<String> = events
        .iter()
        .map(|e| format!("/api/events/{}/attendees", e.code))
        .collect();
    Arc::new(move |i| join_request(&host, &paths[(i % paths.len() as u64) as usize], i))
}

/// The name of the `k`-th event of the sustained joins.
fn join_purpose(k: usize) -> String {
    if k == 0 {
        "joins".to_string()
    } else {
        format!("joins-{k}")
    }
}

/// A join of attendee number `i`: a distinct name, three interests.
fn join_request(host: &str, path: &str, i: u64) -> Vec<u8> {
    let [first, second, third] = common::interests(i);
    let body = format!(r#"{{"name":"Guest {i}","interests":["{first}","{second}","{third}"]}}"#);
    post_request(host, path, None, &body)
}

fn post_request(host: &str, path: &str, bearer: Option<&str>, body: &str) -> Vec<u8> {
    let auth = bearer
        .map(|b| format!("Authorization: Bearer {b}\r\n"))
        .unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The board's JSON of `event`.
async fn board_json(server: &Server, event: &EventRef) -> Result<Value> {
    board_on(&mut Conn::open(server.addr).await?, server, event).await
}

/// The board's JSON of `event`, over `conn`.
async fn board_on(conn: &mut Conn, server: &Server, event: &EventRef) -> Result<Value> {
    let request = server.get(&format!("/api/events/{}/board", event.code));
    let answer = conn.send(&request, true).await?;
    if answer.status != 200 {
        return Err(format!("reading the board: {}", answer.status).into());
    }
    Ok(serde_json::from_slice(&answer.body)?)
}

/// Starts a round of `event`: the answer's JSON.
async fn start_round(conn: &mut Conn, server: &Server, event: &EventRef) -> Result<Value> {
    let request = post_request(
        &server.host,
        &format!("/api/events/{}/rounds", event.code),
        Some(&event.host_key),
        "",
    );
    let answer = conn.send(&request, true).await?;
    if answer.status != 201 {
        return Err(format!(
            "starting a round: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        )
        .into());
    }
    Ok(serde_json::from_slice(&answer.body)?)
}

// ---------------------------------------------------------------------------
// Phases.

/// What a phase is held to.
#[derive(Debug, Clone, Copy)]
enum Target {
    None,
    /// At least this many requests a second, and optionally a p99 under
    /// this many ms.
    Rate(f64, Option<f64>),
    /// A p99 under this many ms.
    P99(f64),
}

/// One row of the report.
struct Row {
    name: String,
    /// Requests counted, and over how many seconds.
    count: usize,
    secs: f64,
    /// Latencies in µs.
    latencies: Vec<u32>,
    errors: BTreeMap<String, usize>,
    target: Target,
    usage: Usage,
    /// Answers in each second (closed-loop phases).
    per_second: Vec<usize>,
}

impl Row {
    fn rate(&self) -> f64 {
        self.count as f64 / self.secs.max(1e-9)
    }

    fn percentiles(&self) -> Option<[f64; 3]> {
        let ms = self.latencies.iter().map(|&us| f64::from(us) / 1000.0);
        common::percentiles(ms.collect())
    }

    fn met(&self) -> Option<bool> {
        let p99 = self.percentiles().map_or(f64::INFINITY, |[_, p99, _]| p99);
        match self.target {
            Target::None => None,
            Target::Rate(rate, p99_max) => {
                Some(self.rate() >= rate && p99_max.is_none_or(|max| p99 < max))
            }
            Target::P99(max) => Some(p99 < max),
        }
    }
}

/// CPU time used during a phase (ms), and how busy other processes kept
/// the machine (% of all its CPUs).
#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    server: Option<f64>,
    writer: Option<f64>,
    client: Option<f64>,
    others_busy: Option<f64>,
}

/// CPU counters at one moment.
struct CpuMark {
    at: Instant,
    server: Option<f64>,
    writer: Option<f64>,
    client: Option<f64>,
    machine: Option<(u64, u64)>,
}

impl CpuMark {
    fn now(server: &Server) -> CpuMark {
        CpuMark {
            at: Instant::now(),
            server: server.cpu_ms(),
            writer: server.writer_cpu_ms(),
            client: common::cpu_ms("/proc/self/stat"),
            machine: common::machine_ticks(),
        }
    }

    fn usage_since(&self, before: &CpuMark) -> Usage {
        let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
        let server = diff(self.server, before.server);
        let client = diff(self.client, before.client);
        let others_busy = self.machine.zip(before.machine).and_then(|(a, b)| {
            let total = a.1.checked_sub(b.1).filter(|&t| t > 0)?;
            let busy = a.0.saturating_sub(b.0) as f64;
            // Ticks are 10 ms; ours are in ms.
            let ours = (server.unwrap_or(0.0) + client.unwrap_or(0.0)) / 10.0;
            Some(((busy - ours).max(0.0) * 100.0 / total as f64).min(100.0))
        });
        Usage {
            server,
            writer: diff(self.writer, before.writer),
            client,
            others_busy,
        }
    }
}

/// A closed-loop phase: warm-up, then `secs` measured.
async fn measure_closed(
    server: &Server,
    name: &str,
    args: &Args,
    expect: u16,
    target: Target,
    first: u64,
    make: MakeRequest,
) -> Result<(Row, usize)> {
    let warmup = Duration::from_secs_f64((args.seconds / 5.0).clamp(0.2, 1.0));
    let secs = Duration::from_secs_f64(args.seconds);
    // Connections open before the clock starts; 50 take a few ms.
    let from = Instant::now() + Duration::from_millis(100) + warmup;
    let until = from + secs;
    let load = Load {
        connections: args.connections.max(1),
        first,
        count: u64::MAX,
        from,
        until,
        expect,
    };
    let measured = async {
        tokio::time::sleep_until(from.into()).await;
        let before = CpuMark::now(server);
        let wall_from = common::wall_secs();
        tokio::time::sleep_until(until.into()).await;
        eprintln!(
            "[{name}] measured from {wall_from:.3} to {:.3} (wall clock)",
            common::wall_secs()
        );
        CpuMark::now(server).usage_since(&before)
    };
    let (seen, usage) = tokio::join!(closed_loop(server, load, make), measured);
    let seen = seen?;
    eprintln!(
        "[{name}] {} answers in {:.1} s, {} errors; per second: {:?}",
        seen.latencies.len(),
        secs.as_secs_f64(),
        seen.errors.values().sum::<usize>(),
        seen.per_second,
    );
    Ok((
        Row {
            name: name.to_string(),
            count: seen.latencies.len(),
            secs: secs.as_secs_f64(),
            latencies: seen.latencies,
            errors: seen.errors,
            target,
            usage,
            per_second: seen.per_second,
        },
        seen.body_len,
    ))
}

/// The big round, seen from the joins meanwhile.
struct RoundOutcome {
    before: Row,
    during: Row,
    /// Seconds the round request took.
    secs: f64,
    groups: usize,
    waiting: usize,
    /// People present just before the round request.
    planned: u64,
    /// People at its tables or waiting when it was answered.
    seated: u64,
    joins_due: usize,
}

/// Joins at a fixed rate (open loop) while a round is planned.
async fn measure_round(
    server: &Server,
    event: &EventRef,
    args: &Args,
    first: u64,
) -> Result<RoundOutcome> {
    let connections = args.round_connections.max(1);
    let rate = args.round_join_rate.max(1.0);
    let lead = ROUND_LEAD;
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::open(server.addr).await?);
    }
    let mut round_conn = Conn::open(server.addr).await?;
    let make = join_maker(server, event);
    let start = Instant::now() + Duration::from_millis(100);
    // When the workers stop (ns after `start`): set once the round is in.
    let stop_ns = Arc::new(AtomicU64::new(u64::MAX));
    let next = Arc::new(AtomicU64::new(first));
    let mut workers = JoinSet::new();
    for (w, mut conn) in conns.into_iter().enumerate() {
        let (stop_ns, next, make) = (Arc::clone(&stop_ns), Arc::clone(&next), Arc::clone(&make));
        let addr = server.addr;
        workers.spawn(async move {
            // (due, latency µs from due, status or 0 for an error)
            let mut seen: Vec<(Duration, u32, u16)> = Vec::new();
            for k in 0u64.. {
                let due_ns = ((k * connections as u64 + w as u64) as f64 * 1e9 / rate) as u64;
                if due_ns >= stop_ns.load(Ordering::Relaxed) {
                    break;
                }
                let due = start + Duration::from_nanos(due_ns);
                tokio::time::sleep_until(due.into()).await;
                let request = make(next.fetch_add(1, Ordering::Relaxed));
                let status = match conn.send(&request, false).await {
                    Ok(a) if !a.close => a.status,
                    answer => {
                        if let Ok(fresh) = Conn::open(addr).await {
                            conn = fresh;
                        }
                        answer.map_or(0, |a| a.status)
                    }
                };
                seen.push((due - start, micros(Instant::now() - due), status));
            }
            seen
        });
    }
    tokio::time::sleep_until(start.into()).await;
    let start_mark = CpuMark::now(server);
    tokio::time::sleep_until((start + lead).into()).await;
    let planned = board_on(&mut round_conn, server, event).await?["present_count"]
        .as_u64()
        .unwrap_or(0);
    let before_mark = CpuMark::now(server);
    let wall_from = common::wall_secs();
    let round = start_round(&mut round_conn, server, event).await;
    let after_mark = CpuMark::now(server);
    eprintln!(
        "[round] request in flight from {wall_from:.3} to {:.3} (wall clock)",
        common::wall_secs()
    );
    let (sent, answered) = (before_mark.at, after_mark.at);
    stop_ns.store(
        (answered + lead - start).as_nanos() as u64,
        Ordering::Relaxed,
    );
    let mut seen = Vec::new();
    while let Some(worker) = workers.join_next().await {
        seen.extend(worker?);
    }
    let round = round?;
    let (sent, answered) = (sent - start, answered - start);
    let row = |name: String, from: Duration, to: Duration, target, usage| {
        let mut row = Row {
            name,
            count: 0,
            secs: (to - from).as_secs_f64(),
            latencies: Vec::new(),
            errors: BTreeMap::new(),
            target,
            usage,
            per_second: Vec::new(),
        };
        for &(due, latency, status) in &seen {
            if due < from || due >= to {
                continue;
            }
            if status == 201 {
                row.latencies.push(latency);
            } else {
                let what = if status == 0 {
                    "connection error".to_string()
                } else {
                    status.to_string()
                };
                *row.errors.entry(what).or_default() += 1;
            }
        }
        row.count = row.latencies.len();
        row
    };
    let seated = round["groups"]
        .as_array()
        .map_or(0, |g| {
            g.iter()
                .map(|t| t["members"].as_array().map_or(0, Vec::len))
                .sum::<usize>()
        })
        .saturating_add(round["waiting"].as_array().map_or(0, Vec::len));
    let during = row(
        format!("joins at {rate:.0}/s while a {planned}-person round is planned"),
        sent,
        answered,
        Target::P99(50.0),
        after_mark.usage_since(&before_mark),
    );
    Ok(RoundOutcome {
        before: row(
            format!("joins at {rate:.0}/s, the second before that round"),
            sent.saturating_sub(lead),
            sent,
            Target::None,
            before_mark.usage_since(&start_mark),
        ),
        joins_due: during.count + during.errors.values().sum::<usize>(),
        during,
        secs: (answered - sent).as_secs_f64(),
        groups: round["groups"].as_array().map_or(0, Vec::len),
        waiting: round["waiting"].as_array().map_or(0, Vec::len),
        planned,
        seated: seated as u64,
    })
}

// ---------------------------------------------------------------------------
// The run.

#[derive(Default)]
struct Report {
    load_before: String,
    hello: Option<Row>,
    board: Option<Row>,
    round: Option<RoundOutcome>,
    joins: Option<Row>,
    board_bytes: usize,
    board_groups: usize,
    memory: Option<Memory>,
    data_size: Option<(f64, f64)>,
    attendees: Vec<(String, u64)>,
    /// Whether an icebreaker server was measured.
    icebreaker: bool,
}

async fn run(args: &Args) -> Result<Report> {
    let load_before = std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string();
    eprintln!("load average before the run: {load_before}");
    let wants = |phase: Phase| args.phases.contains(&phase);
    let mut report = Report {
        load_before,
        ..Report::default()
    };
    if wants(Phase::Hello) {
        let bare = Server::start(Mode::Bare, 0, 1)?;
        let hello = Arc::new(bare.get("/"));
        let make: MakeRequest = Arc::new(move |_| hello.as_ref().clone());
        let (row, _) = measure_closed(
            &bare,
            "bare actix-web hello",
            args,
            200,
            Target::None,
            0,
            make,
        )
        .await?;
        report.hello = Some(row);
    }
    if !(wants(Phase::Board) || wants(Phase::Round) || wants(Phase::Joins)) {
        return Ok(report);
    }

    let server = match &args.url {
        Some(url) => Server::at_url(args, url).await?,
        None => Server::start(Mode::Icebreaker, args.rate_limit, args.join_events)?,
    };
    // Names are distinct across the whole run.
    let mut next_guest = 0u64;

    // The board: people present, a round started, then GETs.
    if wants(Phase::Board) {
        let event = server.event("board")?.clone();
        let present = board_json(&server, &event).await?["present_count"]
            .as_u64()
            .unwrap_or(0);
        let missing = args.board_people.saturating_sub(present as usize);
        join_many(&server, &event, next_guest, missing).await?;
        next_guest += missing as u64;
        start_round(&mut Conn::open(server.addr).await?, &server, &event).await?;
        let board = board_json(&server, &event).await?;
        report.board_groups = board["round"]["groups"].as_array().map_or(0, Vec::len);
        let request = Arc::new(server.get(&format!("/api/events/{}/board", event.code)));
        let make: MakeRequest = Arc::new(move |_| request.as_ref().clone());
        let (row, board_bytes) = measure_closed(
            &server,
            &format!(
                "GET board JSON ({} present, {} groups)",
                board["present_count"], report.board_groups
            ),
            args,
            200,
            Target::Rate(30_000.0, None),
            0,
            make,
        )
        .await?;
        report.board = Some(row);
        report.board_bytes = board_bytes;
    }

    // The big round.
    if wants(Phase::Round) {
        let event = server.event("round")?.clone();
        let present = board_json(&server, &event).await?["present_count"]
            .as_u64()
            .unwrap_or(0);
        // The joins of the second before the round bring it to
        // `round_people`.
        let lead_joins =
            (args.round_join_rate.max(1.0) * ROUND_LEAD.as_secs_f64()).round() as usize;
        let missing = args
            .round_people
            .saturating_sub(present as usize)
            .saturating_sub(lead_joins);
        let t = Instant::now();
        join_many(&server, &event, next_guest, missing).await?;
        next_guest += missing as u64;
        eprintln!(
            "[round] {missing} joined in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        let round = measure_round(&server, &event, args, next_guest).await?;
        next_guest += 1_000_000;
        eprintln!(
            "[round] planned in {:.2} s; {} joins were due meanwhile",
            round.secs, round.joins_due
        );
        report.round = Some(round);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // Sustained joins.
    if wants(Phase::Joins) {
        let events = (0..args.join_events.max(1))
            .map(|k| server.event(&join_purpose(k)).cloned())
            .collect::<Result<Vec<_>>>()?;
        let name = match events.len() {
            1 => "durable joins (POST attendees)".to_string(),
            n => format!("durable joins (POST attendees), over {n} events"),
        };
        let (row, _) = measure_closed(
            &server,
            &name,
            args,
            201,
            Target::Rate(5_000.0, Some(20.0)),
            next_guest,
            join_maker_over(&server, &events),
        )
        .await?;
        report.joins = Some(row);
    }

    // What the server holds at the end.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut by_code: Vec<(&EventRef, Vec<&str>)> = Vec::new();
    for (purpose, event) in &server.events {
        let purpose = purpose.as_str();
        match by_code.iter_mut().find(|(e, _)| e.code == event.code) {
            Some((_, purposes)) => purposes.push(purpose),
            None => by_code.push((event, vec![purpose])),
        }
    }
    for (event, purposes) in by_code {
        let count = board_json(&server, event).await?["attendee_count"]
            .as_u64()
            .unwrap_or(0);
        report
            .attendees
            .push((format!("{} ({})", purposes.join(", "), event.code), count));
    }
    report.memory = server.memory();
    report.data_size = server.data_size();
    report.icebreaker = true;
    Ok(report)
}

impl Report {
    fn print(&self, args: &Args) {
        let bare_rate = self.hello.as_ref().map(Row::rate);
        let mut rows: Vec<&Row> = Vec::new();
        // The issue's order: hello, joins, board, round.
        rows.extend(&self.hello);
        rows.extend(&self.joins);
        rows.extend(&self.board);
        if let Some(round) = &self.round {
            rows.push(&round.before);
            rows.push(&round.during);
        }
        println!(
            "| measurement | requests/s | p50 ms | p99 ms | max ms | ratio to bare hello | target | met? |"
        );
        println!("|---|---:|---:|---:|---:|---:|---|---|");
        for row in &rows {
            let [p50, p99, max] = row.percentiles().map_or(
                ["–".to_string(), "–".to_string(), "–".to_string()],
                |p| p.map(|v| format!("{v:.2}")),
            );
            let ratio = bare_rate
                .filter(|&r| r > 0.0)
                .map_or("–".to_string(), |bare| {
                    format!("{:.3}", row.rate() / bare)
                });
            let target = match row.target {
                Target::None => "–".to_string(),
                Target::Rate(rate, None) => format!("≥ {}/s", thousands(rate)),
                Target::Rate(rate, Some(p99)) => {
                    format!("≥ {}/s, p99 < {p99:.0} ms", thousands(rate))
                }
                Target::P99(p99) => format!("p99 < {p99:.0} ms"),
            };
            let met = match row.met() {
                None => "–",
                Some(true) => "yes",
                Some(false) => "**no**",
            };
            println!(
                "| {} | {} | {p50} | {p99} | {max} | {ratio} | {target} | {met} |",
                row.name,
                thousands(row.rate()),
            );
        }
        println!();
        let ms = |v: Option<f64>| v.map_or("?".to_string(), |v| format!("{v:.0}"));
        println!(
            "| measurement | answers counted | seconds | answers per second, second by second | errors | server CPU ms | of it store writer ms | client CPU ms | others busy % |"
        );
        println!("|---|---:|---:|---|---|---:|---:|---:|---:|");
        for row in &rows {
            let errors = if row.errors.is_empty() {
                "0".to_string()
            } else {
                row.errors
                    .iter()
                    .map(|(e, n)| format!("{n} × {e}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let per_second = if row.per_second.is_empty() {
                "–".to_string()
            } else {
                row.per_second
                    .iter()
                    .map(|&n| thousands(n as f64))
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            println!(
                "| {} | {} | {:.2} | {per_second} | {errors} | {} | {} | {} | {} |",
                row.name,
                row.count,
                row.secs,
                ms(row.usage.server),
                ms(row.usage.writer),
                ms(row.usage.client),
                row.usage
                    .others_busy
                    .map_or("?".to_string(), |b| format!("{b:.0}")),
            );
        }
        println!();
        println!(
            "Load average before the run: {}. Client: {} connections (closed loop), {} runtime thread(s); the machine's {} CPUs are shared by client and server.",
            self.load_before,
            args.connections,
            args.client_threads.max(1),
            std::thread::available_parallelism().map_or(0, usize::from),
        );
        if self.board.is_some() {
            println!(
                "Board JSON: {} bytes uncompressed, {} groups.",
                self.board_bytes, self.board_groups
            );
        }
        if let Some(round) = &self.round {
            println!(
                "Big round: planned for the {} people present when it was asked for; when it was answered {} were at its {} tables ({} waiting; people who joined during the planning are seated as late arrivals); the request took {:.2} s; {} joins were due meanwhile ({:.0}/s over {} connections, latency from when each was due).",
                round.planned,
                round.seated,
                round.groups,
                round.waiting,
                round.secs,
                round.joins_due,
                args.round_join_rate,
                args.round_connections,
            );
        }
        if !self.icebreaker {
            return;
        }
        let attendees = self
            .attendees
            .iter()
            .map(|(e, n)| format!("{e}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!("Attendees at the end, by event: {attendees}.");
        match self.memory {
            Some(Memory { rss, peak }) => {
                println!("Server memory at the end: RSS {rss:.1} MB, peak {peak:.1} MB.")
            }
            None => println!("Server memory: unknown (give --server-pid)."),
        }
        match self.data_size {
            Some((db, wal)) => {
                println!("Data file at the end: {db:.1} MB, write-ahead log {wal:.1} MB.")
            }
            None => println!("Data file: unknown (give --data)."),
        }
        match &args.url {
            Some(url) => println!(
                "Server: started by hand ({url}); every phase used event {}.",
                args.code.as_deref().unwrap_or_default()
            ),
            None => println!(
                "Server: started by this program, durable store in a fresh file, rate limit {}.",
                if args.rate_limit == 0 {
                    "off".to_string()
                } else {
                    format!("{} per minute per address", args.rate_limit)
                }
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Figures.

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

/// 12345.6 as "12,346".
fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
