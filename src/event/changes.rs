//! Which rows of an event changed, so the store writes only those. Every
//! mutating method notes what it touched; the store takes the notes after
//! each change (while the event is still locked, so writes keep the order
//! of the changes).

use std::collections::BTreeSet;

use super::{ApartRule, AttendeeId, Event};

/// What changed since the notes were last taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The event's own row: name, settings, end.
    pub event: bool,
    pub attendees: BTreeSet<AttendeeId>,
    /// Rounds whose own row changed (times, pause, waiting list).
    pub rounds: BTreeSet<usize>,
    /// `(round, table)` whose members changed.
    pub tables: BTreeSet<(usize, usize)>,
    /// Pairs whose meeting count changed.
    pub pairs: BTreeSet<(AttendeeId, AttendeeId)>,
    /// "Stay in touch" ticks `(from, to)` set or taken back.
    pub keep: BTreeSet<(AttendeeId, AttendeeId)>,
    /// Rules to keep a pair apart, set or cleared.
    pub apart: BTreeSet<ApartRule>,
    /// Personal details were erased: once written, the store also wipes
    /// the old versions of those rows out of its write-ahead log.
    pub scrub: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

impl Event {
    /// Takes the notes of what changed, leaving none.
    pub fn take_changes(&mut self) -> Changes {
        std::mem::take(&mut self.changes)
    }
}
