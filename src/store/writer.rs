//! The writer thread: takes every batch queued, commits them together
//! (group commit), and reports how far it got.
//!
//! **A failed commit is retried, then given up, never fatal.** A full or
//! failing disk makes a commit fail; the writer tries the same group again
//! with growing pauses ([`BACKOFF`], about 1.5 s in all, while the
//! requests wait), so a hiccup costs nobody anything. If it still fails,
//! those batches are given up: their requests are answered 503, and their
//! events are marked *unsaved*. The state in memory holds changes the file
//! does not, so the state layer puts those events back as the file has
//! them ([`super::Store::reload`]): a request answered 503 leaves nothing
//! behind (no seat without a token). Until then, later batches of those
//! events are given up without a try (they build on the undone changes).
//! The writer never stops: the next batch tries the disk again, so saving
//! resumes by itself once the disk is back. Every failure, retry and
//! recovery is logged (never a token or key: SQLite's errors hold no
//! values).

use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::watch;

use super::{Loaded, Op, StoreError, sql};
use crate::domain::EventCode;

/// Pauses between tries of a failing commit.
const BACKOFF: [Duration; 5] = [
    Duration::from_millis(50),
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
];

/// Batches per transaction at most, so one commit never grows huge.
const GROUP: usize = 4096;

/// Numbers of given-up batches remembered for the requests waiting on
/// them; far more than can be waiting at once.
const FAILED_KEPT: usize = 100_000;

/// What the writer is sent, in order.
pub(super) enum Message {
    /// A numbered batch of row writes: one change of one event.
    Batch(u64, Vec<Op>),
    /// Read one event back as the file has it (see `Store::reload`); taken
    /// in queue order, so every batch sent before it is decided first.
    Reload(EventCode, mpsc::Sender<Result<Option<Loaded>, StoreError>>),
}

/// How far the writer got.
#[derive(Debug, Clone, Default)]
pub(super) struct Progress {
    /// Every batch up to this one is decided: committed or given up.
    pub done: u64,
    /// Batches given up (not stored), the latest [`FAILED_KEPT`].
    pub failed: BTreeSet<u64>,
    /// Why the latest was given up.
    pub error: Option<StoreError>,
}

impl Progress {
    /// What became of batch `seq`, once decided.
    pub fn outcome(&self, seq: u64) -> Option<Result<(), StoreError>> {
        if self.done < seq {
            return None;
        }
        if self.failed.contains(&seq) {
            return Some(Err(self.error.clone().unwrap_or(StoreError::Stopped)));
        }
        Some(Ok(()))
    }
}

/// Shared between the writer and the store's handles.
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// Set by `Store::fail_writes`: every commit fails, as on a full disk.
    pub fail: AtomicBool,
    /// Events whose in-memory state holds changes the file does not have.
    pub unsaved: Mutex<BTreeSet<EventCode>>,
}

impl Shared {
    fn unsaved(&self) -> std::sync::MutexGuard<'_, BTreeSet<EventCode>> {
        self.unsaved.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The event a row write belongs to.
fn event_of(op: &Op) -> Option<&EventCode> {
    match op {
        Op::PutEvent { code, .. } | Op::DeleteEvent(code) => Some(code),
        Op::PutAttendee { event, .. }
        | Op::PutRound { event, .. }
        | Op::PutTable { event, .. }
        | Op::PutMeeting { event, .. }
        | Op::PutKeep { event, .. }
        | Op::PutApart { event, .. } => Some(event),
        Op::Scrub => None,
    }
}

/// Runs until every sender is gone (the store is closed).
pub(super) fn run(
    conn: &mut Connection,
    messages: &mpsc::Receiver<Message>,
    report: &watch::Sender<Progress>,
    shared: &Shared,
) {
    let mut writer = State {
        conn,
        report,
        shared,
        scrub_pending: false,
        failing: false,
    };
    let mut carried = None;
    loop {
        let message = match carried.take() {
            Some(message) => message,
            None => match messages.recv() {
                Ok(message) => message,
                Err(_) => return,
            },
        };
        match message {
            Message::Reload(code, reply) => {
                let _ = reply.send(writer.reload(&code));
            }
            Message::Batch(seq, ops) => {
                let mut group = vec![(seq, ops)];
                while group.len() < GROUP {
                    match messages.try_recv() {
                        Ok(Message::Batch(seq, ops)) => group.push((seq, ops)),
                        Ok(other) => {
                            carried = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                writer.commit(group);
            }
        }
    }
}

struct State<'a> {
    conn: &'a mut Connection,
    report: &'a watch::Sender<Progress>,
    shared: &'a Shared,
    /// An erasure's log could not be emptied yet: try after the next commit.
    scrub_pending: bool,
    /// The last commit failed: the next one that works is logged.
    failing: bool,
}

impl State<'_> {
    fn reload(&mut self, code: &EventCode) -> Result<Option<Loaded>, StoreError> {
        let loaded = sql::load_event(self.conn, code)?;
        self.shared.unsaved().remove(code);
        Ok(loaded.map(|(event, created_at, serial)| Loaded {
            event,
            created_at,
            serial,
        }))
    }

    fn commit(&mut self, group: Vec<(u64, Vec<Op>)>) {
        let last = group.last().map_or(0, |(seq, _)| *seq);
        // Batches of unsaved events build on changes being undone.
        let (doomed, group): (Vec<_>, Vec<_>) = {
            let unsaved = self.shared.unsaved();
            group.into_iter().partition(|(_, ops)| {
                ops.iter()
                    .filter_map(event_of)
                    .any(|code| unsaved.contains(code))
            })
        };
        let mut failed: Vec<u64> = doomed.iter().map(|(seq, _)| *seq).collect();
        let mut error = None;
        if !group.is_empty() {
            match self.try_with_backoff(&group) {
                Ok(()) => {
                    if self.failing {
                        tracing::info!("the data file takes writes again: saving resumed");
                        self.failing = false;
                    }
                    if self.scrub_pending || group.iter().flat_map(|(_, ops)| ops).any(Op::scrubs) {
                        self.scrub();
                    }
                }
                Err(e) => {
                    let events: HashSet<&EventCode> = group
                        .iter()
                        .flat_map(|(_, ops)| ops)
                        .filter_map(event_of)
                        .collect();
                    tracing::error!(
                        error = %e,
                        changes = group.len(),
                        events = events.len(),
                        "could not save changes after {} tries; they are answered 503 and undone",
                        BACKOFF.len() + 1
                    );
                    self.failing = true;
                    self.shared.unsaved().extend(events.into_iter().cloned());
                    failed.extend(group.iter().map(|(seq, _)| *seq));
                    error = Some(e);
                }
            }
        }
        if !failed.is_empty() && error.is_none() {
            error = Some(StoreError::Sqlite(
                "an earlier change to this event could not be saved".into(),
            ));
        }
        self.report.send_modify(|progress| {
            progress.done = progress.done.max(last);
            progress.failed.extend(failed);
            while progress.failed.len() > FAILED_KEPT {
                progress.failed.pop_first();
            }
            if error.is_some() {
                progress.error = error;
            }
        });
    }

    fn try_with_backoff(&mut self, group: &[(u64, Vec<Op>)]) -> Result<(), StoreError> {
        let mut pauses = BACKOFF.iter();
        loop {
            match self.try_once(group) {
                Ok(()) => return Ok(()),
                Err(e) => match pauses.next() {
                    Some(pause) => {
                        tracing::warn!(error = %e, "saving failed; trying again in {pause:?}");
                        std::thread::sleep(*pause);
                    }
                    None => return Err(e),
                },
            }
        }
    }

    fn try_once(&mut self, group: &[(u64, Vec<Op>)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (_, ops) in group {
            for op in ops {
                sql::apply(&tx, op)?;
            }
        }
        if self.shared.fail.load(Ordering::SeqCst) {
            // Dropping the transaction rolls it back, as a failed commit.
            return Err(StoreError::Sqlite(
                "writes are failing on purpose (Store::fail_writes)".into(),
            ));
        }
        tx.commit()?;
        Ok(())
    }

    /// Empties the write-ahead log after an erasure; if a reader holds it
    /// up, after the next commit.
    fn scrub(&mut self) {
        self.scrub_pending = match sql::scrub(self.conn) {
            Ok(()) => false,
            Err(e) => {
                tracing::error!(error = %e, "erased details may stay in the write-ahead log until the next change");
                true
            }
        };
    }
}
