//! `icebreaker backup PATH`: a consistent copy of the server's data file,
//! safe to run while the server runs (see `store::backup` for how).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::store::{BackupError, backup};

/// Flags of `icebreaker backup`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new file; never overwritten).
    pub path: PathBuf,
    /// The data file to copy: the running server's --data.
    #[arg(long, env = "ICEBREAKER_DATA", default_value = "icebreaker.db")]
    pub data: PathBuf,
}

/// Makes the copy; 0 on success, 2 for a wrong path, 1 when reading or
/// writing fails.
pub fn run(args: BackupArgs) -> ExitCode {
    match backup(&args.data, &args.path) {
        Ok(report) => {
            println!(
                "Backed up {} ({} events, {} attendees, {} KB) to {}.",
                args.data.display(),
                report.events,
                report.attendees,
                report.bytes.div_ceil(1024),
                args.path.display()
            );
            println!(
                "To use it: icebreaker --data {} (stop the server first).",
                args.path.display()
            );
            ExitCode::SUCCESS
        }
        Err(BackupError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(BackupError::Store(e)) => {
            eprintln!("error: the backup failed: {e}");
            ExitCode::FAILURE
        }
    }
}
