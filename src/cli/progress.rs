//! A progress bar on stderr while `icebreaker plan` searches, so a search
//! of tens of seconds does not look like a hang. Shown only when the
//! search has run for [`SHOW_AFTER`] and stderr is a terminal: pipes and
//! scripts get nothing but the plan.
//!
//! The engine stays pure: it runs on a thread of its own with a budget
//! that counts the search steps it asks about (the engine asks its budget
//! once a step), while this thread draws the time spent against the time
//! limit and the steps so far.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::matching::Budget;

/// How long a search runs before the bar appears: quicker ones finish
/// without flicker.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// A budget that counts how often the engine asks it, for the bar.
struct Counting<'a, B> {
    inner: B,
    steps: &'a AtomicU64,
}

impl<B: Budget> Budget for Counting<'_, B> {
    fn exhausted(&mut self) -> bool {
        self.steps.fetch_add(1, Ordering::Relaxed);
        self.inner.exhausted()
    }
}

/// Runs `work` with `budget` (which ends by `limit`) on another thread,
/// showing a bar on stderr if it takes longer than [`SHOW_AFTER`] and
/// stderr is a terminal. `what` names the work ("6 rounds for 120 people").
pub fn with_progress<B, T, F>(what: &str, limit: Duration, budget: B, work: F) -> T
where
    B: Budget + Send,
    T: Send,
    F: FnOnce(&mut dyn Budget) -> T + Send,
{
    let steps = AtomicU64::new(0);
    let started = Instant::now();
    let show = std::io::stderr().is_terminal();
    std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel::<()>();
        let steps = &steps;
        let worker = scope.spawn(move || {
            let mut counting = Counting {
                inner: budget,
                steps,
            };
            let result = work(&mut counting);
            let _ = done.send(());
            result
        });
        if show && finished.recv_timeout(SHOW_AFTER).is_err() {
            draw_until_done(what, limit, started, steps, &finished);
        }
        match worker.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Draws the bar until `finished` says so (or its sender is gone), then
/// clears it.
fn draw_until_done(
    what: &str,
    limit: Duration,
    started: Instant,
    steps: &AtomicU64,
    finished: &mpsc::Receiver<()>,
) {
    let total = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX).max(1);
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} Planning {prefix}: {wide_bar} {msg} (at most {len_secs} s)",
    ) {
        bar.set_style(style.with_key(
            "len_secs",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", state.len().unwrap_or(0) as f64 / 1000.0);
            },
        ));
    }
    bar.set_prefix(what.to_string());
    loop {
        let elapsed = started.elapsed();
        bar.set_position(
            u64::try_from(elapsed.as_millis())
                .unwrap_or(u64::MAX)
                .min(total),
        );
        bar.set_message(format!(
            "{:.1} s, {} search steps",
            elapsed.as_secs_f64(),
            steps.load(Ordering::Relaxed)
        ));
        match finished.recv_timeout(TICK) {
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    bar.finish_and_clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::IterationBudget;

    #[test]
    fn the_work_gets_its_budget_and_its_result_comes_back() {
        // No terminal under the test runner's capture: no bar, and the
        // work runs to its end with the budget given.
        let result = with_progress(
            "a test",
            Duration::from_secs(5),
            IterationBudget::new(10),
            |budget| {
                let mut asked = 0;
                while !budget.exhausted() {
                    asked += 1;
                }
                asked
            },
        );
        assert_eq!(result, 10);
    }
}
