//! One server per data file. Two servers writing the same SQLite file hand
//! out the same attendee ids and overwrite each other's rows, so the store
//! takes an exclusive lock before it opens the file, and a second server
//! is refused with the first one's process id.
//!
//! The lock is on a file of its own beside the data (`icebreaker.db-lock`),
//! not on the data file: SQLite's own (POSIX) locks on the data file stay
//! untouched, so `icebreaker backup` can still read the file through
//! SQLite's shared locks while the server runs. The operating system drops
//! the lock when the process ends, even after `kill -9`; the file itself
//! stays (deleting it could let a third server lock a fresh file while the
//! second still holds the old one).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::StoreError;

/// The lock file beside the data file `data`.
pub fn lock_path(data: &Path) -> PathBuf {
    let mut name = data.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

/// Held while the server uses the data file; dropping it releases the lock.
#[derive(Debug)]
pub struct DataLock {
    /// The open lock file: the lock lives as long as this handle.
    _file: File,
}

/// Takes the exclusive lock for `data`, or says who holds it.
pub fn lock(data: &Path) -> Result<DataLock, StoreError> {
    let path = lock_path(data);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(|e| {
        StoreError::Sqlite(format!("cannot open the lock file {}: {e}", path.display()))
    })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(StoreError::InUse {
                path: data.display().to_string(),
                pid: text.trim().parse().ok(),
            });
        }
        Err(TryLockError::Error(e)) => {
            return Err(StoreError::Sqlite(format!(
                "cannot lock {}: {e}",
                path.display()
            )));
        }
    }
    // Ours now: say which process holds it, for the next one refused.
    let written = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| write!(file, "{}", std::process::id()))
        .and_then(|()| file.flush());
    if let Err(e) = written {
        return Err(StoreError::Sqlite(format!(
            "cannot write the lock file {}: {e}",
            path.display()
        )));
    }
    Ok(DataLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_file_is_refused_and_names_the_holder() {
        let data = std::env::temp_dir().join(format!("icebreaker-lock-{}.db", std::process::id()));
        let first = lock(&data).unwrap();
        let Err(StoreError::InUse { path, pid }) = lock(&data) else {
            panic!("a second lock was granted");
        };
        assert_eq!(path, data.display().to_string());
        assert_eq!(pid, Some(std::process::id()));
        drop(first);
        let again = lock(&data);
        assert!(again.is_ok(), "a released lock can be taken again");
        drop(again);
        let _ = std::fs::remove_file(lock_path(&data));
    }
}
