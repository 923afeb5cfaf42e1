//! The data file and the files SQLite keeps beside it (`-wal`, `-shm`)
//! hold host keys, names and contact details: they are readable by their
//! owner only. SQLite gives `-wal` and `-shm` the mode of the data file, so
//! creating the data file `0600` is enough for new files; files left
//! readable by others by an older version are tightened at start.

use std::path::{Path, PathBuf};

use super::StoreError;

/// The data file and its companions.
pub fn companions(data: &Path) -> [PathBuf; 4] {
    ["", "-wal", "-shm", "-lock"].map(|suffix| {
        let mut name = data.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// Creates the new, empty file `path`, readable by its owner only; fails
/// if it exists.
pub fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|e| StoreError::Sqlite(format!("cannot create {}: {e}", path.display())))
}

/// Creates `data` empty and owner-only if it does not exist yet, and takes
/// group and other permissions off it and its companions.
pub fn make_private(data: &Path) -> Result<(), StoreError> {
    if !data.exists() {
        create_private(data)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for path in companions(data) {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o700))
                    .map_err(|e| {
                        StoreError::Sqlite(format!(
                            "cannot make {} private (chmod 600): {e}",
                            path.display()
                        ))
                    })?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = data;
    Ok(())
}
