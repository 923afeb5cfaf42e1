//! The `icebreaker` binary: parses the command line and hands over to the
//! library, where everything else lives.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    icebreaker::cli::run(icebreaker::cli::Cli::parse())
}
