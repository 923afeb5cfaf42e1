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

mod backup;
mod check;
mod files;
mod lock;
mod sql;
mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::watch;

pub use backup::{BackupError, BackupReport, backup};
pub use files::companions;
pub use lock::lock_path;
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
    /// Another process holds the data file's lock (see `lock`).
    #[error("another icebreaker server{} is using the data file {path}", pid.map(|p| format!(" (process {p})")).unwrap_or_default())]
    InUse { path: String, pid: Option<u32> },
    #[error("the data file {0} cannot be written")]
    ReadOnly(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Corrupt(e.to_string())
            }
            _ => StoreError::Sqlite(e.to_string()),
        }
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
    /// After the writes before it are committed, move everything into the
    /// data file and empty the write-ahead log (see [`sql::scrub`]): erased
    /// details must not linger in old log frames.
    Scrub,
}

impl Op {
    /// Whether committing this write removes personal data, so the log
    /// must be emptied afterwards.
    fn scrubs(&self) -> bool {
        matches!(self, Op::Scrub | Op::DeleteEvent(_))
    }
}

/// The row writes for what changed in `event`.
pub fn ops_for(event: &Event, changes: &Changes, created_at: Millis, serial: u64) -> Vec<Op> {
    let code = &event.code;
    let mut ops = Vec::new();
    let mut scrub_after = false;
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
    if changes.scrub {
        // Last: after the rows that no longer hold the details.
        scrub_after = true;
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
    if scrub_after {
        ops.push(Op::Scrub);
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

use writer::{Message, Progress, Shared};

tokio::task_local! {
    /// The last batch the current request submitted (see [`Store::track`]).
    static SUBMITTED_HERE: std::cell::Cell<u64>;
}

struct Writer {
    /// This process's claim on the data file, released by `close`.
    lock: Mutex<Option<lock::DataLock>>,
    queue: Mutex<Option<mpsc::Sender<Message>>>,
    submitted: AtomicU64,
    progress: watch::Receiver<Progress>,
    /// The failure switch and the events with unsaved changes.
    shared: Arc<Shared>,
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

    /// Opens the data file at `path` (creating it owner-only, checking it,
    /// migrating it), loads every event and starts the writer. Refused
    /// while another process uses the file, and for a damaged or
    /// read-only file: nothing is loaded then, not even in part.
    pub fn open(path: &Path) -> Result<(Store, Vec<Loaded>), StoreError> {
        let lock = lock::lock(path)?;
        files::make_private(path)?;
        let mut conn = sql::open(path)?;
        // One read transaction: the events are loaded from one state.
        let tx = conn.transaction()?;
        let loaded = sql::load(&tx)?;
        tx.commit()?;
        let loaded = loaded
            .into_iter()
            .map(|(event, created_at, serial)| Loaded {
                event,
                created_at,
                serial,
            })
            .collect();
        let (queue, messages) = mpsc::channel::<Message>();
        let (report, progress) = watch::channel(Progress::default());
        let shared = Arc::new(Shared::default());
        let for_writer = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("icebreaker-store".into())
            .spawn(move || writer::run(&mut conn, &messages, &report, &for_writer))
            .map_err(|e| StoreError::Sqlite(format!("cannot start the writer: {e}")))?;
        let writer = Writer {
            lock: Mutex::new(Some(lock)),
            queue: Mutex::new(Some(queue)),
            submitted: AtomicU64::new(0),
            progress,
            shared,
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
            let _ = queue.send(Message::Batch(seq, ops));
        }
        // Outside a tracked request (timers, start-up) there is none.
        let _ = SUBMITTED_HERE.try_with(|here| here.set(here.get().max(seq)));
        seq
    }

    /// Runs `work` (a request), and returns what it returned together with
    /// the last batch it submitted (0 if none), so the request can wait
    /// for its own writes and not for other requests'.
    pub async fn track<F: std::future::Future>(work: F) -> (F::Output, u64) {
        SUBMITTED_HERE
            .scope(std::cell::Cell::new(0), async move {
                let output = work.await;
                (output, SUBMITTED_HERE.with(std::cell::Cell::get))
            })
            .await
    }

    /// Makes every commit fail (`true`), as a full or broken disk would,
    /// or work again (`false`): for tests and fire drills of the recovery.
    pub fn fail_writes(&self, on: bool) {
        if let Some(writer) = &self.0 {
            writer.shared.fail.store(on, Ordering::SeqCst);
        }
    }

    /// Events whose state in memory holds changes that could not be
    /// saved, to be put back as the file has them ([`Store::reload`]).
    pub fn unsaved_events(&self) -> Vec<EventCode> {
        self.0.as_ref().map_or_else(Vec::new, |writer| {
            writer
                .shared
                .unsaved
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .cloned()
                .collect()
        })
    }

    /// The event `code` as the data file has it (`None`: not there), once
    /// every batch queued before is decided; it is no longer unsaved then.
    /// Blocks: call it off the async threads, while holding the event's
    /// lock (so no change of it slips in between).
    pub fn reload(&self, code: &EventCode) -> Result<Option<Loaded>, StoreError> {
        let Some(writer) = &self.0 else {
            return Ok(None);
        };
        let (reply, answer) = mpsc::channel();
        {
            let queue = writer.queue.lock().unwrap_or_else(PoisonError::into_inner);
            let queue = queue.as_ref().ok_or(StoreError::Stopped)?;
            queue
                .send(Message::Reload(code.clone(), reply))
                .map_err(|_| StoreError::Stopped)?;
        }
        answer
            .recv_timeout(std::time::Duration::from_secs(30))
            .map_err(|_| StoreError::Stopped)?
    }

    /// The number of the last batch queued so far.
    pub fn submitted(&self) -> u64 {
        self.0
            .as_ref()
            .map_or(0, |w| w.submitted.load(Ordering::SeqCst))
    }

    /// Waits until batch `seq` is decided: `Ok` once it is committed, the
    /// error if it was given up (see `writer`).
    pub async fn flushed(&self, seq: u64) -> Result<(), StoreError> {
        let Some(writer) = &self.0 else {
            return Ok(());
        };
        let mut progress = writer.progress.clone();
        let reached = progress
            .wait_for(|p| p.outcome(seq).is_some())
            .await
            .map_err(|_| StoreError::Stopped)?;
        reached.outcome(seq).unwrap_or(Err(StoreError::Stopped))
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
        // Only once the writer has finished may another server take over.
        drop(
            writer
                .lock
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
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
