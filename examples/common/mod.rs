//! Plumbing shared by the load tests `load_join` and `load_sse`: the
//! server each runs in a child process (this same program re-executed with
//! the hidden `--serve <mode>` flag), what the parent reads of that child
//! from `/proc`, and small helpers both clients need.
//!
//! The child and its parent talk over the child's stdout: `port N` first,
//! then whatever the example's server has to tell (its events, say), then
//! `ready`. The child exits by itself when its stdin closes, that is when
//! the parent goes away.

use std::error::Error;
use std::ffi::OsStr;
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use actix_web::{App, HttpServer, web};
use clap::ValueEnum;
use icebreaker::domain::AdminToken;
use icebreaker::event::Settings;
use icebreaker::state::ServerConfig;

/// Both examples' result type: errors from the client's tasks and from
/// the child's server thread alike have to cross threads.
pub type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// The admin token of the servers the examples start: the config needs
/// one, and nothing here uses the admin pages.
const ADMIN_TOKEN: &str = "load-test-admin-token-0123456789";

/// Interests the attendees pick from: few enough that tables share some.
const INTERESTS: [&str; 16] = [
    "rust",
    "climbing",
    "jazz",
    "sourdough",
    "chess",
    "gardening",
    "cycling",
    "photography",
    "board games",
    "running",
    "sci-fi",
    "coffee",
    "hiking",
    "design",
    "poetry",
    "startups",
];

/// The server a child process runs (`--serve <mode>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// The real server.
    Icebreaker,
    /// A minimal actix-web server, the yardstick: what it serves is the
    /// example's own (`serve_bare` there).
    Bare,
}

/// The three interests of attendee number `i`, so that every run joins
/// the same people.
pub fn interests(i: u64) -> [&'static str; 3] {
    let pick = |k: u64| INTERESTS[(k % INTERESTS.len() as u64) as usize];
    [pick(i), pick(i / 3 + 5), pick(i * 7 + 11)]
}

// ---------------------------------------------------------------------------
// The child process.

/// Runs a server in this child process: exits when the parent goes away,
/// listens on a free port of 127.0.0.1 and runs `serve(listener, port)`
/// on a multi-threaded runtime until it returns.
pub fn serve_child<F, Fut>(serve: F) -> Result<()>
where
    F: FnOnce(TcpListener, u16) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    // The parent holds our stdin open: when it goes away, so do we.
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(0);
    });
    // Both servers get the deep accept queue the real binary uses.
    let listener = icebreaker::startup::listen(([127, 0, 0, 1], 0).into())?;
    let port = listener.local_addr()?.port();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(listener, port))
}

/// The real server's configuration for a load test on `port`: `defaults`
/// as every event's settings, the matcher's 2 s budget and a fixed seed.
/// Everything comes from one address here: no stream limit, and
/// `writes_per_minute` changes per address and minute (0: no limit).
pub fn server_config(
    port: u16,
    defaults: Settings,
    writes_per_minute: u32,
) -> Result<ServerConfig> {
    Ok(ServerConfig {
        public_url: format!("http://127.0.0.1:{port}"),
        admin_token: AdminToken::parse(ADMIN_TOKEN)?,
        defaults,
        round_budget: Duration::from_secs(2),
        seed: 1,
        limits: icebreaker::limits::Limits {
            writes_per_minute,
            streams_per_client: 0,
            ..Default::default()
        },
    })
}

/// Runs the yardstick: a minimal actix-web server with the `routes` the
/// example gives it (as many workers as icebreaker: one per core); says
/// its port and `ready` once it listens.
pub async fn serve_bare<F>(listener: TcpListener, port: u16, routes: F) -> Result<()>
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    let server = HttpServer::new(move || App::new().configure(routes.clone()))
        .listen(listener)?
        .shutdown_timeout(1)
        .run();
    println!("port {port}");
    println!("ready");
    server.await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// The child process, seen from the parent.

/// A server child process; killed (and waited for) when dropped.
pub struct ChildServer {
    /// The process, to kill and to read from `/proc`.
    child: Child,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    /// The lines it said before `ready` other than its port (what the
    /// example's server tells its parent, e.g. its events), for the
    /// example to read.
    pub said: Vec<String>,
}

impl ChildServer {
    /// Starts this program with `--serve <mode>` and `args`, and reads
    /// what it says until `ready`.
    pub fn start<I, S>(mode: Mode, args: I) -> Result<ChildServer>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mode_arg = match mode {
            Mode::Icebreaker => "icebreaker",
            Mode::Bare => "bare",
        };
        let mut child = Command::new(std::env::current_exe()?)
            .args(["--serve", mode_arg])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or("the server's stdout is missing")?;
        let mut server = ChildServer {
            child,
            port: 0,
            said: Vec::new(),
        };
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            match line.split_once(' ') {
                Some(("port", port)) => server.port = port.parse()?,
                _ if line == "ready" => break,
                _ => server.said.push(line),
            }
        }
        if server.port == 0 {
            return Err("the server stopped before telling its port".into());
        }
        Ok(server)
    }

    /// Its process id, for its CPU time and memory.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A process's memory, in MB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// Resident now (VmRSS).
    pub rss: f64,
    /// The peak of `rss` so far (VmHWM).
    pub peak: f64,
}

/// VmRSS and VmHWM (peak) of process `pid`, from `/proc/<pid>/status`.
#[cfg(target_os = "linux")]
pub fn memory(pid: u32) -> Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<f64> {
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .ok_or_else(|| format!("no {name} in /proc/<pid>/status"))?;
        let kb: f64 = line
            .trim_start_matches(name)
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?;
        Ok(kb / 1024.0)
    };
    Ok(Memory {
        rss: field("VmRSS:")?,
        peak: field("VmHWM:")?,
    })
}

/// Memory figures come from Linux's `/proc`; elsewhere there are none.
#[cfg(not(target_os = "linux"))]
pub fn memory(_pid: u32) -> Result<Memory> {
    Err("memory figures are read from /proc, which only Linux has".into())
}

/// CPU time (user + system) process `pid` has used, in ms (10 ms steps).
pub fn process_cpu_ms(pid: u32) -> Option<f64> {
    cpu_ms(format!("/proc/{pid}/stat"))
}

/// CPU time (user + system) of a process or thread, in ms (10 ms steps),
/// from its `stat` file (Linux's `/proc`; `None` elsewhere).
#[cfg(target_os = "linux")]
pub fn cpu_ms(stat_path: impl AsRef<Path>) -> Option<f64> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // Fields after the command name, which is in parentheses: state is
    // field 3, utime 14 and stime 15, in ticks of 1/100 s.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) * 10.0)
}

/// Busy and total CPU ticks of the whole machine, from `/proc/stat`, to
/// tell how busy other processes kept the CPUs.
#[cfg(target_os = "linux")]
pub fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    // Guest time (fields 9 and 10) is already counted in user and nice.
    let total: u64 = ticks.iter().take(8).sum();
    // Idle and waiting for I/O are not busy.
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((total - idle, total))
}

/// CPU figures come from Linux's `/proc`; elsewhere there are none.
#[cfg(not(target_os = "linux"))]
pub fn cpu_ms(_stat_path: impl AsRef<Path>) -> Option<f64> {
    None
}

/// CPU figures come from Linux's `/proc`; elsewhere there are none.
#[cfg(not(target_os = "linux"))]
pub fn machine_ticks() -> Option<(u64, u64)> {
    None
}

// ---------------------------------------------------------------------------
// The clients' helpers.

/// Where `needle` first starts in `haystack`: both clients look for the
/// end of headers and lines in what they read.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The size a chunked body's size line gives (hex; extensions after `;`
/// ignored): both clients undo chunked transfer encoding.
pub fn chunk_size(line: &[u8]) -> Result<usize> {
    let line = std::str::from_utf8(line)?;
    let hex = line.split(';').next().unwrap_or_default().trim();
    Ok(usize::from_str_radix(hex, 16)?)
}

/// Seconds since the Unix epoch: to line events up with the server's
/// clock and with `perf record -k CLOCK_REALTIME`.
pub fn wall_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// p50, p99 and max of `values` (nearest rank), or None if empty.
pub fn percentiles(mut values: Vec<f64>) -> Option<[f64; 3]> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = |q: f64| {
        let i = (q * values.len() as f64).ceil() as usize;
        values[i.clamp(1, values.len()) - 1]
    };
    Some([rank(0.50), rank(0.99), rank(1.0)])
}
