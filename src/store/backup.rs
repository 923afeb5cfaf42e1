//! `icebreaker backup`: a consistent copy of a data file, even while a
//! server is running on it.
//!
//! The copy goes through SQLite's online backup API on a connection of its
//! own. The server holds only its own lock file (see `lock`), never an
//! exclusive SQLite lock, so this connection reads the data file and its
//! write-ahead log under SQLite's ordinary shared locks: every change the
//! server has acknowledged is in the copy, nothing half-written is, and
//! the server keeps serving meanwhile (a WAL reader does not block the
//! writer). The copy is taken in one step (one read transaction), then
//! checked with `integrity_check` and made a single self-contained file.

use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{StoreError, check};

/// What went into a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub events: u64,
    pub attendees: u64,
    /// Size of the copy, in bytes.
    pub bytes: u64,
}

/// Why a backup could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The user named something that cannot work (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing failed (exit code 1).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Copies the data file `data` to the new file `dest` (which must not
/// exist), owner-readable only.
pub fn backup(data: &Path, dest: &Path) -> Result<BackupReport, BackupError> {
    if !data.is_file() {
        return Err(BackupError::Usage(format!(
            "there is no data file at {} (give the server's with --data)",
            data.display()
        )));
    }
    if dest.exists() {
        return Err(BackupError::Usage(format!(
            "{} already exists; choose a new name (backups are never overwritten)",
            dest.display()
        )));
    }
    // Opened without CREATE and read only through `query_only`: a wrong
    // path is never turned into a new empty database.
    let source = Connection::open_with_flags(
        data,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(StoreError::from)?;
    source
        .pragma_update(None, "query_only", true)
        .map_err(StoreError::from)?;
    source
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(StoreError::from)?;
    super::files::create_private(dest)?;
    let result = copy(&source, dest);
    if result.is_err() {
        for path in super::files::companions(dest) {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

fn copy(source: &Connection, dest: &Path) -> Result<BackupReport, BackupError> {
    let mut target = Connection::open(dest).map_err(StoreError::from)?;
    {
        let backup = Backup::new(source, &mut target).map_err(StoreError::from)?;
        // All pages in one step: one read transaction, so a write by the
        // running server cannot make the copy start over (or mix states).
        let mut tries = 0;
        loop {
            match backup.step(-1).map_err(StoreError::from)? {
                StepResult::Done => break,
                StepResult::More => continue,
                _ if tries < 50 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                _ => {
                    return Err(StoreError::Sqlite(
                        "the data file stayed locked; try again".into(),
                    )
                    .into());
                }
            }
        }
    }
    // One file, no -wal beside it: easy to copy elsewhere.
    target
        .pragma_update(None, "journal_mode", "DELETE")
        .map_err(StoreError::from)?;
    check::integrity(&target)?;
    let count = |table: &str| -> Result<u64, StoreError> {
        let sql = format!("SELECT count(*) FROM {table}");
        let n: i64 = target.query_row(&sql, [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    };
    let (events, attendees) = (count("events")?, count("attendees")?);
    drop(target);
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport {
        events,
        attendees,
        bytes,
    })
}
