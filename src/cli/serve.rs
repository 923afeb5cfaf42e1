//! Running the event server: what `icebreaker` does with no sub-command.

use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::clock::SystemClock;
use crate::domain::AdminToken;
use crate::event::Settings;
use crate::limits::Limits;
use crate::logging::LogFormat;
use crate::startup::Application;
use crate::state::{AppState, ServerConfig};
use crate::store::Store;

use super::addresses::{self, AddressList, NetInterface};

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
    /// Open the board in the default web browser once the server listens.
    #[arg(long, env = "ICEBREAKER_OPEN")]
    pub open: bool,
    /// How the log on stderr is written: text for people, JSON (one object
    /// a line) for log collectors. RUST_LOG chooses what is logged.
    #[arg(long, env = "ICEBREAKER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
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

/// The addresses phones might reach this server at: every usable one of
/// this computer when listening on all of them, else the one listened on
/// (none for loopback). Also returns every address of this computer, whose
/// own visits do not count as phones.
fn reachable(bind: IpAddr) -> (AddressList, Vec<IpAddr>) {
    let interfaces = addresses::local_interfaces();
    let mut own: Vec<IpAddr> = interfaces.iter().map(|i| i.ip).collect();
    own.extend([
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ]);
    if bind.is_unspecified() {
        return (
            addresses::candidates(&interfaces, addresses::routed_address()),
            own,
        );
    }
    let mut listened: Vec<NetInterface> = interfaces.into_iter().filter(|i| i.ip == bind).collect();
    if listened.is_empty() {
        listened.push(NetInterface {
            name: "--bind".to_string(),
            ip: bind,
        });
    }
    (addresses::candidates(&listened, Some(bind)), own)
}

/// Opens `url` in the default browser, on a thread of its own (a browser
/// started from here may take a while to hand back); says so if it cannot.
fn open_in_browser(url: String) {
    std::thread::spawn(move || match webbrowser::open(&url) {
        Ok(()) => tracing::info!("opened the board in the default browser"),
        Err(e) => {
            tracing::warn!("cannot open a browser ({e}); open {url} by hand");
        }
    });
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
    crate::logging::init(args.log_format);
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
    let (reach, this_computer) = reachable(args.bind);
    let host = match reach.chosen() {
        Some(chosen) => chosen.ip,
        None if args.bind.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        None => args.bind,
    };
    let reach_lines = if args.bind.is_loopback() {
        vec![format!(
            "Listening on {} only (--bind): phones cannot reach it; only this computer can.",
            args.bind
        )]
    } else {
        addresses::describe(&reach, port, given_url.as_deref())
    };
    let behind_proxy = given_url.is_some();
    let public_url = given_url.unwrap_or_else(|| addresses::base_url(host, port));
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
    let limits_text = format!(
        "{} changes a minute per client after a burst of {}, {} live streams per client; {}",
        args.rate_limit,
        args.rate_burst,
        config.limits.streams_per_client,
        budget.describe()
    );
    let state = AppState::with_store(config, Arc::new(SystemClock), store, loaded);
    if !behind_proxy {
        // Behind a proxy or tunnel every request arrives from it, often
        // from this computer: then every visit counts as a phone.
        state.set_this_computer(this_computer);
    }
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
        println!();
        for line in &reach_lines {
            println!("{line}");
        }
        if let Some(qr) = crate::qr::terminal(&slot.join_url, colors_on_stdout()) {
            println!(
                "\nScan it with your own phone, on the venue's Wi-Fi, before the doors open:\n"
            );
            print!("{qr}");
        }
        tracing::info!(
            listen = %SocketAddr::new(args.bind, port),
            public_url = %state.config().public_url,
            addresses = %reach
                .usable
                .iter()
                .map(|c| format!("{} ({})", c.ip, c.interface))
                .collect::<Vec<_>>()
                .join(", "),
            data = %if args.ephemeral { "in memory only".to_string() } else { args.data.display().to_string() },
            events_loaded = loaded_events,
            max_attendees = args.max_attendees,
            limits = %limits_text,
            "icebreaker started"
        );
        // Last, after the log line: whoever reads stdout up to "Ctrl-C"
        // (a script, the tests) has the log's "started" line too.
        println!(
            "\nPhones must be on the same network as this computer; if none gets through, see \
             Troubleshooting in the README.\nCtrl-C stops the server."
        );
        if args.open {
            open_in_browser(state.board_url(&event.code));
        }
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

/// Whether stdout takes ANSI colours: a terminal, and NO_COLOR unset.
fn colors_on_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
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
