//! The round clock: a round runs until its end time; the organizer can
//! pause it, resume it or end it early; with auto-rotate on, the next round
//! is due a change-over after the end. Time is always passed in.

use std::sync::Arc;

use super::{Event, Millis};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimerError {
    #[error("no round has started yet")]
    NoRound,
    #[error("the round is already over")]
    Over,
}

/// A change to the round clock the organizer can ask for by name.
pub type ClockAction = fn(&mut Event, Millis) -> Result<(), TimerError>;

impl Event {
    /// The clock action called `name` (`pause`, `resume` or `end`), as the
    /// console and the API name them.
    pub fn clock_action(name: &str) -> Option<ClockAction> {
        match name {
            "pause" => Some(Event::pause_round),
            "resume" => Some(Event::resume_round),
            "end" => Some(Event::end_round),
            _ => None,
        }
    }

    /// Freezes the current round's countdown. Pausing a paused round is
    /// fine (a second click does nothing).
    pub fn pause_round(&mut self, now: Millis) -> Result<(), TimerError> {
        let round = self
            .rounds
            .last_mut()
            .map(Arc::make_mut)
            .ok_or(TimerError::NoRound)?;
        self.changes.rounds.insert(round.number);
        if round.paused_left.is_some() {
            return Ok(());
        }
        if now >= round.ends_at {
            return Err(TimerError::Over);
        }
        round.paused_left = Some(round.ends_at - now);
        Ok(())
    }

    /// Restarts a paused countdown where it stopped. Resuming a running
    /// round does nothing.
    pub fn resume_round(&mut self, now: Millis) -> Result<(), TimerError> {
        let round = self
            .rounds
            .last_mut()
            .map(Arc::make_mut)
            .ok_or(TimerError::NoRound)?;
        self.changes.rounds.insert(round.number);
        if let Some(left) = round.paused_left.take() {
            round.ends_at = now + left;
        }
        Ok(())
    }

    /// Ends the current round now ("time's up"). Ending an ended round
    /// does nothing.
    pub fn end_round(&mut self, now: Millis) -> Result<(), TimerError> {
        let round = self
            .rounds
            .last_mut()
            .map(Arc::make_mut)
            .ok_or(TimerError::NoRound)?;
        self.changes.rounds.insert(round.number);
        round.paused_left = None;
        round.ends_at = round.ends_at.min(now);
        Ok(())
    }

    /// When auto-rotate will start the next round: a change-over after the
    /// current round ends (never while paused, never before round 1).
    pub fn next_auto_round_at(&self) -> Option<Millis> {
        if !self.settings.auto_rotate {
            return None;
        }
        let round = self.rounds.last()?;
        if round.paused_left.is_some() {
            return None;
        }
        Some(round.ends_at + i64::from(self.settings.changeover_seconds) * 1000)
    }
}
