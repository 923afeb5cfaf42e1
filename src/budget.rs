//! The open-files budget. Every connection and live stream holds a file
//! handle, and so do the data file and its companions. Many systems start a
//! process with a soft limit of 1,024 open files (256 on macOS) although
//! the hard limit allows far more; once they are used up, the server can
//! accept nobody, and `/healthz` and joins time out for everyone. So at
//! start the soft limit is raised to the hard limit, and the connection and
//! stream caps are derived from what it allows: in all, a reserve is kept
//! for the server's own files; per address, a quarter is always left for
//! everyone else, so one address can never starve the others.

use crate::limits::Limits;

/// Handles kept for the server itself: standard streams, the data file,
/// its `-wal`, `-shm` and lock, the event loop, threads, a backup.
const RESERVE: u64 = 64;

/// What the server may keep open, and the caps that follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The open-files limit the server runs with.
    pub open_files: u64,
    /// The limit it had at start, if it was raised.
    pub raised_from: Option<u64>,
    /// Connections open at once, in all.
    pub connections: u32,
    /// Connections one address may hold.
    pub connections_per_client: u32,
    /// Live streams open at once, in all.
    pub streams: u32,
    /// Live streams one address may hold.
    pub streams_per_client: u32,
}

impl Budget {
    /// Raises the open-files soft limit as far as the hard limit allows
    /// (where there is such a limit) and derives the caps from it.
    /// `streams_per_client` is the configured cap (0: as many as the
    /// budget allows).
    pub fn at_start(streams_per_client: u32) -> Budget {
        let (before, after) = raise_open_files_limit();
        let mut budget = Budget::for_open_files(after, streams_per_client);
        budget.raised_from = (after > before).then_some(before);
        budget
    }

    /// The caps for `open_files` handles.
    pub fn for_open_files(open_files: u64, streams_per_client: u32) -> Budget {
        let usable = open_files
            .saturating_sub(RESERVE)
            .clamp(16, u64::from(u32::MAX)) as u32;
        let three_quarters = |n: u32| (u64::from(n) * 3 / 4).max(1) as u32;
        // Streams are connections that stay open: a quarter is kept for
        // ordinary requests.
        let streams = three_quarters(usable);
        let per_client_streams = match streams_per_client {
            0 => three_quarters(streams),
            n => n.min(three_quarters(streams)),
        };
        Budget {
            open_files,
            raised_from: None,
            connections: usable,
            connections_per_client: three_quarters(usable),
            streams,
            streams_per_client: per_client_streams,
        }
    }

    /// Puts the caps into the server's limits.
    pub fn apply(&self, limits: &mut Limits) {
        limits.connections_total = self.connections;
        limits.connections_per_client = self.connections_per_client;
        limits.streams_total = self.streams;
        limits.streams_per_client = self.streams_per_client;
    }

    /// One line for the start-up message.
    pub fn describe(&self) -> String {
        let raised = self
            .raised_from
            .map(|before| format!(", raised from {before}"))
            .unwrap_or_default();
        format!(
            "{} connections ({} per address), {} live streams ({} per address); {} open files{raised}",
            self.connections,
            self.connections_per_client,
            self.streams,
            self.streams_per_client,
            self.open_files
        )
    }
}

/// The open-files soft limit before and after raising it to the hard
/// limit.
#[cfg(unix)]
fn raise_open_files_limit() -> (u64, u64) {
    let before = rlimit::Resource::NOFILE
        .get()
        .map_or(1024, |(soft, _hard)| soft);
    let after = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(before);
    (before, after)
}

/// Without Unix limits: the C runtime's usual default.
#[cfg(not(unix))]
fn raise_open_files_limit() -> (u64, u64) {
    (8192, 8192)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_never_gets_everything() {
        for files in [256, 1024, 10_240, 1_048_576] {
            let b = Budget::for_open_files(files, 2000);
            assert!(u64::from(b.connections) < files, "a reserve is kept");
            assert!(b.connections_per_client < b.connections, "{b:?}");
            assert!(b.streams < b.connections, "{b:?}");
            assert!(b.streams_per_client < b.streams, "{b:?}");
        }
        let small = Budget::for_open_files(1024, 2000);
        assert!(
            small.streams_per_client < 2000,
            "the flag is capped by the budget"
        );
        let large = Budget::for_open_files(1_048_576, 2000);
        assert_eq!(
            large.streams_per_client, 2000,
            "the flag stands when it fits"
        );
    }

    #[test]
    fn the_limits_take_the_caps() {
        let mut limits = Limits::default();
        Budget::for_open_files(1024, 0).apply(&mut limits);
        assert!(limits.connections_per_client > 0 && limits.streams_total > 0);
    }
}
