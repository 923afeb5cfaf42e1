//! Running the event server: what `icebreaker` does with no sub-command.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::clock::SystemClock;
use crate::domain::AdminToken;
use crate::event::Settings;
use crate::limits::Limits;
use crate::startup::Application;
use crate::state::{AppState, ServerConfig};
use crate::store::Store;

/// Flags of the server; each has an `ICEBREAKER_…` environment fallback.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (0.0.0.0: every network of this machine).
    #[arg(long, env = "ICEBREAKER_BIND", default_value = "0.0.0.0")]
    pub bind: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, env = "ICEBREAKER_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Address people reach the server at, e.g. behind a proxy or tunnel
    /// (https://meet.example.org). The QR code and every link use it.
    /// Default: http://<this machine's LAN address>:<port>.
    #[arg(long, env = "ICEBREAKER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Name of the event created at start-up.
    #[arg(
        long,
        env = "ICEBREAKER_EVENT_NAME",
        default_value = "Networking Night"
    )]
    pub event_name: String,
    /// People per group.
    #[arg(long, env = "ICEBREAKER_GROUP_SIZE", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(2..=12))]
    pub group_size: u16,
    /// Length of a round, in minutes.
    #[arg(long, env = "ICEBREAKER_ROUND_MINUTES", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=180))]
    pub round_minutes: u32,
    /// Most attendees per event.
    #[arg(long, env = "ICEBREAKER_MAX_ATTENDEES", default_value_t = 5000,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_attendees: u32,
    /// Longest the matcher searches when a round starts, in milliseconds.
    #[arg(long, env = "ICEBREAKER_MATCH_MS", default_value_t = 2000,
          value_parser = clap::value_parser!(u64).range(10..=30_000))]
    pub match_ms: u64,
    /// Seed of the matcher (default: random). Fix it to replay an evening.
    #[arg(long, env = "ICEBREAKER_SEED")]
    pub seed: Option<u64>,
    /// Changes (joins, edits) one client address may make per minute, after
    /// a burst of --rate-burst; 0 turns the limit off (load tests).
    #[arg(long, env = "ICEBREAKER_RATE_LIMIT", default_value_t = Limits::default().writes_per_minute)]
    pub rate_limit: u32,
    /// Changes one address may make at once (a venue behind one NAT).
    #[arg(long, env = "ICEBREAKER_RATE_BURST", default_value_t = Limits::default().write_burst,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_burst: u32,
    /// Live streams one address may hold open (0: no limit).
    #[arg(long, env = "ICEBREAKER_MAX_STREAMS", default_value_t = Limits::default().streams_per_client)]
    pub max_streams_per_client: u32,
    /// SQLite data file: every change is written through and loaded back on
    /// start (same events, keys, attendees, rounds).
    #[arg(long, env = "ICEBREAKER_DATA", default_value = "icebreaker.db")]
    pub data: PathBuf,
    /// Keep everything in memory only: stopping the server loses it.
    #[arg(long, env = "ICEBREAKER_EPHEMERAL", conflicts_with = "data")]
    pub ephemeral: bool,
}

/// A public URL as given: http(s), a host, no spaces; the trailing slash
/// is dropped.
pub fn parse_public_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| format!("--public-url must start with http:// or https:// (got {raw:?})"))?;
    if rest.is_empty() || url.len() > 200 || !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "--public-url must be a web address of at most 200 characters without spaces (got {raw:?})"
        ));
    }
    Ok(url.to_string())
}

/// This machine's address on the local network: the source address the
/// system would use to reach the internet (no packet is sent). Falls back
/// to loopback when there is no network.
fn lan_address() -> IpAddr {
    UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|socket| {
            socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
            socket.local_addr()
        })
        .map(|addr| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// What to tell the organizer when the data file cannot be used: what is
/// wrong and what to do about it.
fn store_refusal(data: &std::path::Path, e: &crate::store::StoreError) -> String {
    use crate::store::StoreError;
    let file = data.display();
    match e {
        StoreError::InUse { .. } => format!(
            "{e}. One data file serves one server: stop the other one first, or give this one its own file with --data."
        ),
        StoreError::Corrupt(what) => format!(
            "the data file {file} is damaged ({what}). Nothing was loaded and the server did not start. \
             To recover, keep the damaged file and either start from your latest backup \
             (made with `icebreaker backup`): --data BACKUP.db, or salvage what SQLite can still read: \
             `sqlite3 {file} .recover | sqlite3 recovered.db`, then --data recovered.db (see the README, \"Backups and recovery\")."
        ),
        StoreError::ReadOnly(_) => format!(
            "the data file {file} cannot be written (check its owner and permissions, and its folder's); the server did not start."
        ),
        _ => format!("cannot use the data file {file}: {e}"),
    }
}

/// Starts the server with a default event and prints the links to open.
pub fn run(args: ServeArgs) -> ExitCode {
    let admin_from_env = std::env::var("ICEBREAKER_ADMIN_TOKEN").ok();
    let admin_token = match admin_from_env.as_deref().map(AdminToken::parse) {
        None => AdminToken::generate(),
        Some(Ok(token)) => token,
        Some(Err(e)) => {
            eprintln!("error: ICEBREAKER_ADMIN_TOKEN: {e}");
            return ExitCode::from(2);
        }
    };
    let given_url = match args.public_url.as_deref().map(parse_public_url).transpose() {
        Ok(url) => url,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (store, loaded) = if args.ephemeral {
        (Store::ephemeral(), Vec::new())
    } else {
        match Store::open(&args.data) {
            Ok(opened) => opened,
            Err(e) => {
                eprintln!("error: {}", store_refusal(&args.data, &e));
                return ExitCode::FAILURE;
            }
        }
    };
    let loaded_events = loaded.len();
    let budget = crate::budget::Budget::at_start(args.max_streams_per_client);
    let listener = match crate::startup::listen(SocketAddr::new(args.bind, args.port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}:{}: {e} (another program uses this port: stop it, or choose a free port with --port)",
                args.bind, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let host = if args.bind.is_unspecified() {
        lan_address()
    } else {
        args.bind
    };
    let public_url = given_url.unwrap_or_else(|| match host {
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("http://{v4}:{port}"),
    });
    let defaults = Settings {
        group_size: usize::from(args.group_size),
        round_minutes: args.round_minutes,
        registration_open: true,
        max_attendees: args.max_attendees as usize,
        ..Settings::default()
    };
    let config = ServerConfig {
        public_url,
        admin_token: admin_token.clone(),
        defaults: defaults.clone(),
        round_budget: Duration::from_millis(args.match_ms),
        seed: args.seed.unwrap_or_else(rand::random),
        limits: Limits {
            writes_per_minute: args.rate_limit,
            write_burst: args.rate_burst,
            streams_per_client: args.max_streams_per_client,
            ..Limits::default()
        },
    };
    let mut config = config;
    budget.apply(&mut config.limits);
    let state = AppState::with_store(config, Arc::new(SystemClock), store, loaded);
    // After a restart the evening goes on: the newest event still running
    // is the one to show; a new one only when there is none.
    let running = state
        .events()
        .into_iter()
        .find(|slot| slot.read().ended_at.is_none());
    let slot =
        running.unwrap_or_else(|| state.create_event(args.event_name.trim().to_string(), defaults));
    {
        let event = slot.lock();
        println!(
            "Icebreaker is running: {} (event code {})\n",
            event.name, event.code
        );
        println!(
            "  Board, to project:        {}",
            state.board_url(&event.code)
        );
        println!("  Join link (the QR code):  {}", slot.join_url);
        println!(
            "  Organizer, keep secret:   {}",
            state.host_url(&event.code, &event.host_key)
        );
        if admin_from_env.is_none() {
            println!("  Admin token (API):        {}", admin_token.reveal());
        }
        if args.ephemeral {
            println!("  Data:                     in memory only (--ephemeral)");
        } else {
            println!(
                "  Data:                     {} ({loaded_events} events loaded)",
                args.data.display()
            );
        }
        println!("  Connections:              {}", budget.describe());
        println!("\nPhones must be on the same network as this machine. Ctrl-C stops the server.");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        tokio::spawn(state.clone().run_timers(Duration::from_millis(250)));
        Application::build(state, listener, 0)?
            .run_until_signal()
            .await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_checked_and_trimmed() {
        assert_eq!(
            parse_public_url("https://meet.example.org/").unwrap(),
            "https://meet.example.org"
        );
        assert_eq!(
            parse_public_url("http://10.0.0.5:8080").unwrap(),
            "http://10.0.0.5:8080"
        );
        assert!(parse_public_url("meet.example.org").is_err());
        assert!(parse_public_url("http://").is_err());
        assert!(parse_public_url("http://a b").is_err());
    }
}
