//! Durable state in SQLite. The live state stays in memory (the matcher
//! and the pages work on it); every change is also written through to an
//! SQLite file by one writer thread, and loaded back on start.
//!
//! **Acknowledged means stored.** Each change becomes a batch of row
//! writes, queued under the event's lock (so batches keep the order of
//! the changes). The writer takes everything queued, writes it in one
//! transaction (group commit: one disk sync for many changes) and reports
//! how far it got; a request that changed something is answered only once
//! its writes are committed (see [`Store::flushed`]).

mod sql;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::watch;

pub use sql::SCHEMA_VERSION;

use crate::domain::{EventCode, Secret};
use crate::event::{
    ApartRule, AttendeeId, Changes, Event, Millis, Round, Settings, StoredAttendee, StoredEvent,
};

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(String),
    #[error("the data file is damaged: {0}")]
    Corrupt(String),
    #[error("the data file was written by a newer version (schema {0}); upgrade icebreaker")]
    TooNew(usize),
    #[error("the store has stopped")]
    Stopped,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e.to_string())
    }
}

/// One row write.
#[derive(Debug, Clone)]
pub enum Op {
    PutEvent {
        code: EventCode,
        name: String,
        host_key: Secret,
        settings: Settings,
        created_at: Millis,
        serial: u64,
        ended_at: Option<Millis>,
    },
    PutAttendee {
        event: EventCode,
        /// Boxed: an attendee row is far larger than the other writes.
        attendee: Box<StoredAttendee>,
    },
    PutRound {
        event: EventCode,
        round: Round,
    },
    PutTable {
        event: EventCode,
        round: usize,
        table: usize,
        members: Vec<AttendeeId>,
    },
    PutMeeting {
        event: EventCode,
        a: AttendeeId,
        b: AttendeeId,
        times: u32,
    },
    /// A "stay in touch" tick set (`keep`) or taken back.
    PutKeep {
        event: EventCode,
        from: AttendeeId,
        to: AttendeeId,
        keep: bool,
    },
    /// A rule to keep a pair apart, set (`on`) or cleared.
    PutApart {
        event: EventCode,
        rule: ApartRule,
        on: bool,
    },
    DeleteEvent(EventCode),
}

/// The row writes for what changed in `event`.
pub fn ops_for(event: &Event, changes: &Changes, created_at: Millis, serial: u64) -> Vec<Op> {
    let code = &event.code;
    let mut ops = Vec::new();
    if changes.event {
        ops.push(put_event(event, created_at, serial));
    }
    for &id in &changes.attendees {
        if let Some(a) = event.attendee(id) {
            ops.push(Op::PutAttendee {
                event: code.clone(),
                attendee: Box::new(StoredAttendee {
                    id: a.id,
                    profile: a.profile.as_ref().clone(),
                    review: a.review.clone(),
                    token_hash: a.token_hash,
                    presence: a.presence,
                    joined_at: a.joined_at,
                    contact: a.contact.clone(),
                    erased_at: a.erased_at,
                    person: a.person,
                }),
            });
        }
    }
    let rounds = event.rounds();
    for &number in &changes.rounds {
        if let Some(round) = number.checked_sub(1).and_then(|i| rounds.get(i)) {
            // The tables are rows of their own (below).
            ops.push(Op::PutRound {
                event: code.clone(),
                round: Round {
                    number: round.number,
                    started_at: round.started_at,
                    ends_at: round.ends_at,
                    tables: Vec::new(),
                    waiting: round.waiting.clone(),
                    paused_left: round.paused_left,
                },
            });
        }
    }
    for &(number, table) in &changes.tables {
        let members = number
            .checked_sub(1)
            .and_then(|i| rounds.get(i))
            .and_then(|r| r.table(table));
        if let Some(t) = members {
            ops.push(Op::PutTable {
                event: code.clone(),
                round: number,
                table,
                members: t.members.clone(),
            });
        }
    }
    for &(from, to) in &changes.keep {
        ops.push(Op::PutKeep {
            event: code.clone(),
            from,
            to,
            keep: event.keeps_in_touch(from, to),
        });
    }
    for &rule in &changes.apart {
        ops.push(Op::PutApart {
            event: code.clone(),
            rule,
            on: event.has_apart_rule(rule),
        });
    }
    for &(a, b) in &changes.pairs {
        ops.push(Op::PutMeeting {
            event: code.clone(),
            a,
            b,
            times: event.times_met(a, b),
        });
    }
    ops
}

/// The event's own row.
pub fn put_event(event: &Event, created_at: Millis, serial: u64) -> Op {
    Op::PutEvent {
        code: event.code.clone(),
        name: event.name.clone(),
        host_key: event.host_key.clone(),
        settings: event.settings.clone(),
        created_at,
        serial,
        ended_at: event.ended_at,
    }
}

/// A numbered batch of row writes: one change of one event.
type Batch = (u64, Vec<Op>);

/// How far the writer got: the last committed batch, or why it stopped.
type Progress = Result<u64, StoreError>;

struct Writer {
    queue: Mutex<Option<mpsc::Sender<Batch>>>,
    submitted: AtomicU64,
    progress: watch::Receiver<Progress>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// The handle to the store, cheap to clone. An ephemeral store (no data
/// file) accepts everything and writes nothing.
#[derive(Clone, Default)]
pub struct Store(Option<Arc<Writer>>);

/// An event loaded from the data file, with its creation time and order.
pub struct Loaded {
    pub event: StoredEvent,
    pub created_at: Millis,
    pub serial: u64,
}

impl Store {
    /// Keeps nothing: everything is lost when the server stops.
    pub fn ephemeral() -> Store {
        Store(None)
    }

    /// Opens the data file at `path` (creating it, migrating it), loads
    /// every event and starts the writer.
    pub fn open(path: &Path) -> Result<(Store, Vec<Loaded>), StoreError> {
        let mut conn = sql::open(path)?;
        let loaded = sql::load(&conn)?
            .into_iter()
            .map(|(event, created_at, serial)| Loaded {
                event,
                created_at,
                serial,
            })
            .collect();
        let (queue, batches) = mpsc::channel::<Batch>();
        let (report, progress) = watch::channel(Ok(0));
        let thread = std::thread::Builder::new()
            .name("icebreaker-store".into())
            .spawn(move || write_loop(&mut conn, &batches, &report))
            .map_err(|e| StoreError::Sqlite(format!("cannot start the writer: {e}")))?;
        let writer = Writer {
            queue: Mutex::new(Some(queue)),
            submitted: AtomicU64::new(0),
            progress,
            thread: Mutex::new(Some(thread)),
        };
        Ok((Store(Some(Arc::new(writer))), loaded))
    }

    /// Queues row writes; returns their batch number. Call while holding
    /// the lock of the event they come from, so batches keep its order.
    pub fn submit(&self, ops: Vec<Op>) -> u64 {
        let Some(writer) = &self.0 else {
            return 0;
        };
        if ops.is_empty() {
            return writer.submitted.load(Ordering::SeqCst);
        }
        let queue = writer.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let seq = writer.submitted.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(queue) = queue.as_ref() {
            // A send fails only once the writer has stopped; `flushed`
            // reports that.
            let _ = queue.send((seq, ops));
        }
        seq
    }

    /// The number of the last batch queued so far.
    pub fn submitted(&self) -> u64 {
        self.0
            .as_ref()
            .map_or(0, |w| w.submitted.load(Ordering::SeqCst))
    }

    /// Waits until batch `seq` (and every batch before it) is committed.
    pub async fn flushed(&self, seq: u64) -> Result<(), StoreError> {
        let Some(writer) = &self.0 else {
            return Ok(());
        };
        let mut progress = writer.progress.clone();
        let reached = progress
            .wait_for(|p| !matches!(p, Ok(done) if *done < seq))
            .await
            .map_err(|_| StoreError::Stopped)?;
        match &*reached {
            Ok(_) => Ok(()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Stops taking writes, commits what is queued and waits for the
    /// writer to finish (at shutdown).
    pub fn close(&self) {
        let Some(writer) = &self.0 else {
            return;
        };
        drop(
            writer
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let thread = writer
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// The writer: takes every batch queued, commits them together, reports.
fn write_loop(
    conn: &mut rusqlite::Connection,
    batches: &mpsc::Receiver<Batch>,
    report: &watch::Sender<Progress>,
) {
    /// Batches per transaction at most, so one commit never grows huge.
    const GROUP: usize = 4096;
    while let Ok(first) = batches.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match batches.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let last = group.last().map_or(0, |(seq, _)| *seq);
        let result = (|| -> Result<(), StoreError> {
            let tx = conn.transaction()?;
            for (_, ops) in &group {
                for op in ops {
                    sql::apply(&tx, op)?;
                }
            }
            tx.commit()?;
            Ok(())
        })();
        match result {
            Ok(()) => {
                let _previous = report.send_replace(Ok(last));
            }
            Err(e) => {
                // Nothing after a failed write can be promised: every
                // later request is told the data could not be saved.
                let _previous = report.send_replace(Err(e));
                return;
            }
        }
    }
}

/// For tests: a data file at schema version `version` (to test
/// migrations from it).
pub fn create_at_version(path: &Path, version: usize) -> Result<(), StoreError> {
    let mut conn = rusqlite::Connection::open(path)?;
    sql::migrate(&mut conn, version)
}

/// For tests: whether the data file still has an event.
pub fn file_has_event(path: &Path, code: &EventCode) -> Result<bool, StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    sql::has_event(&conn, code)
}
