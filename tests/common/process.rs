//! The real `icebreaker` binary as the tests that start it need it: a
//! fresh data file that cleans up after itself, the banner the server
//! prints before it serves, and the links in it. Shared by the test
//! binaries that run the program itself (`data_file`, `durability`,
//! `serve_cli`), each including this file.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Child;

/// A fresh data file path in the temp directory; it and the files SQLite
/// and the server keep beside it are removed at the end.
pub struct DataFile(pub PathBuf);

impl DataFile {
    pub fn new(name: &str) -> DataFile {
        use std::hash::{BuildHasher, RandomState};
        let salt = RandomState::new().hash_one(std::time::SystemTime::now());
        DataFile(std::env::temp_dir().join(format!(
            "icebreaker-{name}-{}-{salt}.db",
            std::process::id()
        )))
    }

    /// The path with `suffix` added ("-wal", "-shm", "-lock").
    pub fn with(&self, suffix: &str) -> PathBuf {
        PathBuf::from(format!("{}{suffix}", self.0.display()))
    }
}

impl Drop for DataFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-lock"] {
            let _ = std::fs::remove_file(self.with(suffix));
        }
    }
}

/// The lines a started server prints on stdout up to its last one ("…
/// Ctrl-C stops the server."), read from `child`'s piped stdout: once it
/// is printed the server is listening.
pub fn banner(child: &mut Child) -> Vec<String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("the banner is text");
        let done = line.contains("Ctrl-C");
        lines.push(line);
        if done {
            break;
        }
    }
    lines
}

/// Where the banner says the event is: the server's base URL, the event
/// code and the host key (from the organizer's link).
pub struct Links {
    pub base: String,
    pub code: String,
    pub key: String,
}

impl Links {
    pub fn from_banner(lines: &[String]) -> Links {
        let host = lines
            .iter()
            .find(|l| l.contains("Organizer"))
            .unwrap_or_else(|| panic!("no organizer link in {lines:?}"));
        let url = host.split_whitespace().last().expect("a link");
        let (base, rest) = url.split_once("/e/").expect("an event link");
        let (code, key) = rest.split_once("/host?key=").expect("a host link");
        Links {
            base: base.to_string(),
            code: code.to_string(),
            key: key.to_string(),
        }
    }
}
