//! The server's log: what happened during an evening (start-up, events
//! created and ended, rounds started, late arrivals seated, storage
//! trouble, shutdown), so that an organizer or whoever runs the server can
//! tell afterwards.
//!
//! Written with `tracing` macros where things happen and printed by one
//! `tracing-subscriber` set up here, on stderr (stdout carries the links
//! printed at start). `RUST_LOG` chooses what is shown (default: this
//! program's `info` and other crates' warnings); `--log-format json` gives
//! one JSON object a line for log collectors.
//!
//! **Never logged:** tokens, host keys, the admin token, contact details
//! or answer text. Log lines name events by their public code and
//! attendees by their number within the event; tests search the output
//! for every secret they create.

use std::io::IsTerminal;

use clap::ValueEnum;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LogFormat {
    /// For people: time, level, message and fields on one line.
    #[default]
    Text,
    /// One JSON object per line, for log collectors (journald, Loki, …).
    Json,
}

/// What is logged when `RUST_LOG` is not set: this program's milestones,
/// and only warnings from the libraries it uses (their `info` lines are
/// about their own machinery).
pub const DEFAULT_FILTER: &str = "icebreaker=info,warn";

/// Installs the log subscriber for the whole process, writing to stderr.
/// A `RUST_LOG` that cannot be read falls back to the default filter, with
/// a warning saying so. Calling it twice keeps the first subscriber.
pub fn init(format: LogFormat) {
    let (filter, bad_filter) = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => match EnvFilter::try_new(&spec) {
            Ok(filter) => (filter, None),
            Err(e) => (
                EnvFilter::new(DEFAULT_FILTER),
                Some(format!("{spec:?}: {e}")),
            ),
        },
        _ => (EnvFilter::new(DEFAULT_FILTER), None),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let installed = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    if installed.is_ok()
        && let Some(problem) = bad_filter
    {
        tracing::warn!("RUST_LOG is not a valid filter ({problem}); using {DEFAULT_FILTER:?}");
    }
}
