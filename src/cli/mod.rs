//! The command line: flags, sub-commands and exit codes.
//!
//! Exit codes: 0 on success, 2 on bad input or usage (clap's own convention
//! for usage errors), 1 when something outside the user's control fails
//! (e.g. stdout closed).

mod addresses;
mod backup;
mod input;
mod output;
mod plan;
mod progress;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use backup::BackupArgs;
pub use input::{InputError, PlanInput, read_input};
pub use plan::PlanArgs;
pub use serve::{ServeArgs, parse_public_url};

/// Icebreaker: rotating small-group matching for in-person events.
///
/// With no sub-command it runs the event server: a default event is
/// created and the links to open are printed.
#[derive(Debug, Parser)]
#[command(
    name = "icebreaker",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan rotating groups ahead of time (classes, workshops, dinners).
    Plan(PlanArgs),
    /// Copy the data file, consistently, even while the server runs.
    Backup(BackupArgs),
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Plan(args)) => plan::run(args),
        Some(Command::Backup(args)) => backup::run(args),
        None => serve::run(cli.serve),
    }
}
