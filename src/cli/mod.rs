//! The command line: flags, sub-commands and exit codes.
//!
//! Exit codes: 0 on success, 2 on bad input or usage (clap's own convention
//! for usage errors), 1 when something outside the user's control fails
//! (e.g. stdout closed).

mod input;
mod output;
mod plan;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use input::{InputError, PlanInput, read_input};
pub use plan::PlanArgs;

/// Icebreaker: rotating small-group matching for in-person events.
#[derive(Debug, Parser)]
#[command(name = "icebreaker", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan rotating groups ahead of time (classes, workshops, dinners).
    Plan(PlanArgs),
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Plan(args)) => plan::run(args),
        None => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            // Printing help can only fail if stdout is closed; nothing to do then.
            let _ = cmd.print_help();
            println!();
            ExitCode::SUCCESS
        }
    }
}
