//! The attendee list, shared in chunks between the event and the snapshots
//! published after every change.
//!
//! A snapshot after every join used to copy a pointer per attendee, so a
//! join into an event of 20,000 cost 20,000 reference-count updates (and
//! as many again when the old snapshot was dropped): joins slowed down as
//! the event grew. Here the list is cut into chunks of [`CHUNK`] behind
//! `Arc`s: a copy copies one pointer per chunk, and a change copies only
//! the chunk it touches (and only if a snapshot still shares it).

use std::sync::Arc;

use super::{Attendee, AttendeeId};

/// Attendees per chunk: a copy of the list costs `len / CHUNK` pointer
/// copies and a change at most `CHUNK`; 128 keeps both small up to the
/// largest events we measure (tens of thousands).
const CHUNK: usize = 128;

/// Attendees in joining order, `id` = position.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    chunks: Vec<Arc<Vec<Arc<Attendee>>>>,
    len: usize,
}

impl Roster {
    pub fn len(&self) -> usize {
        self.len
    }

    /// How many came for the first time, and how many came to an earlier
    /// event on this server (see [`Attendee::is_regular`]). People who
    /// erased their details are in neither.
    pub fn newcomers_and_regulars(&self) -> (usize, usize) {
        let (mut newcomers, mut regulars) = (0, 0);
        for a in self.iter().filter(|a| a.erased_at.is_none()) {
            if a.is_regular() {
                regulars += 1;
            } else {
                newcomers += 1;
            }
        }
        (newcomers, regulars)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, id: AttendeeId) -> Option<&Arc<Attendee>> {
        let i = id as usize;
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// The attendee to change, copied first (with its chunk) if a snapshot
    /// still shares it.
    pub fn get_mut(&mut self, id: AttendeeId) -> Option<&mut Attendee> {
        let i = id as usize;
        let chunk = Arc::make_mut(self.chunks.get_mut(i / CHUNK)?);
        chunk.get_mut(i % CHUNK).map(Arc::make_mut)
    }

    pub fn push(&mut self, attendee: Arc<Attendee>) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(attendee),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(attendee);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// Everyone, in joining order (or reversed with `.rev()`).
    pub fn iter(&self) -> Iter<'_> {
        fn chunk_iter(chunk: &Arc<Vec<Arc<Attendee>>>) -> std::slice::Iter<'_, Arc<Attendee>> {
            chunk.iter()
        }
        self.chunks.iter().flat_map(chunk_iter)
    }
}

/// The attendees of a [`Roster`], chunk after chunk.
pub type Iter<'a> = std::iter::FlatMap<
    std::slice::Iter<'a, Arc<Vec<Arc<Attendee>>>>,
    std::slice::Iter<'a, Arc<Attendee>>,
    fn(&'a Arc<Vec<Arc<Attendee>>>) -> std::slice::Iter<'a, Arc<Attendee>>,
>;

impl<'a> IntoIterator for &'a Roster {
    type Item = &'a Arc<Attendee>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<Arc<Attendee>> for Roster {
    fn from_iter<T: IntoIterator<Item = Arc<Attendee>>>(iter: T) -> Self {
        let mut roster = Roster::default();
        for attendee in iter {
            roster.push(attendee);
        }
        roster
    }
}
