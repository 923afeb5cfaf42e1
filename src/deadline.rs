//! A wall-clock [`Budget`] for the matching engine.
//!
//! The engine itself never reads a clock (so it stays pure and testable);
//! callers that want "at most N seconds" hand it one of these.

use std::time::{Duration, Instant};

use crate::matching::Budget;

/// Stops the search once `limit` has passed since [`Deadline::after`].
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    end: Instant,
}

impl Deadline {
    /// A deadline `limit` from now.
    pub fn after(limit: Duration) -> Self {
        Deadline {
            end: Instant::now() + limit,
        }
    }
}

impl Budget for Deadline {
    fn exhausted(&mut self) -> bool {
        Instant::now() >= self.end
    }
}
