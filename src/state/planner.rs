//! The next round, planned before the click.
//!
//! Planning a round takes up to the matcher's budget (2 s by default), and
//! a room of 300 should not stand in silence for it after every "Start
//! round". So each event has one background planner: while a round runs
//! (and in the lobby), the next round is planned on a blocking thread,
//! again whenever the roster changes — debounced: once it has been quiet
//! for [`DEBOUNCE_MS`], or at the latest [`MAX_WAIT_MS`] after the first
//! change the plan does not know, so a steady trickle of arrivals still
//! gets a fresh plan. Only one planning job per event runs at a time.
//!
//! The click ("Start round": console, JSON API or auto-rotate) then:
//! 1. tells a job still running to stop and hands back its best plan so
//!    far (see [`Hurry`]; the search stops at its next step);
//! 2. commits the ready plan, repaired for whatever changed since it was
//!    made (see `event/repair.rs`), if it still fits the room;
//! 3. otherwise (no plan yet, e.g. the last join was a moment ago, or the
//!    room changed too much) plans at the click, within [`CLICK_BUDGET`]
//!    (or the configured budget if shorter).
//!
//! Time here is the injected clock's (the debounce is tested by moving a
//! clock and calling [`AppState::tick`]); only the matcher's own budget is
//! wall-clock time, like [`crate::deadline::Deadline`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;

use super::{AppState, EventSlot, StartRoundError};
use crate::deadline::Deadline;
use crate::event::{AttendeeId, Millis, RoundDraft, RoundError};
use crate::matching::{self, Budget, Plan};

/// How long the roster must stay unchanged before it is planned again.
pub const DEBOUNCE_MS: Millis = 1_000;
/// The longest a roster change waits to be planned while changes keep
/// coming.
pub const MAX_WAIT_MS: Millis = 5_000;
/// The longest the matcher searches at the click when no plan is ready.
pub const CLICK_BUDGET: Duration = Duration::from_millis(200);

/// Where the next round's plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextRound {
    /// A plan for the room exactly as it is: the click commits it as made.
    Ready,
    /// A plan made before the latest changes: the click repairs it (or,
    /// soon, the planner replaces it).
    Stale,
    /// A planning job is running.
    Planning,
    /// Nothing planned (fewer than two present, the event ended, or the
    /// first change has not settled yet).
    Unplanned,
}

/// A request to stop planning now and hand back the best plan so far;
/// shared between the click and the job's [`Budget`].
#[derive(Debug, Clone, Default)]
pub struct Hurry(Arc<AtomicBool>);

impl Hurry {
    /// Whether the click asked the job to stop.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A job's budget: its own limit, or as soon as the click hurries it.
struct JobBudget {
    hurry: Hurry,
    limit: Box<dyn Budget + Send>,
}

impl Budget for JobBudget {
    fn exhausted(&mut self) -> bool {
        self.hurry.is_set() || self.limit.exhausted()
    }
}

/// A plan made ahead, and what it was made from.
pub(super) struct ReadyPlan {
    /// The roster version the draft was taken at (see [`Planner::note_change`]).
    epoch: u64,
    draft: RoundDraft,
    plan: Plan,
}

/// Why the last job made no plan, to answer a click that needed it.
#[derive(Debug, Clone)]
enum Refusal {
    Round(RoundError),
    Engine(matching::PlanError),
    Crashed,
}

impl From<Refusal> for StartRoundError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Round(e) => StartRoundError::Round(e),
            Refusal::Engine(e) => StartRoundError::Engine(e),
            Refusal::Crashed => StartRoundError::Crashed,
        }
    }
}

/// What a job ended with.
enum Outcome {
    Planned(Box<ReadyPlan>),
    /// `epoch` is the roster version refused, `None` for "as it is now"
    /// (a job that crashed before saying).
    Refused {
        epoch: Option<u64>,
        why: Refusal,
    },
}

#[derive(Default)]
struct PlannerState {
    /// Counts the roster changes that matter to a plan (who is present,
    /// answers, meetings, pairs kept apart, settings).
    epoch: u64,
    /// When the latest such change happened (injected clock).
    changed_at: Millis,
    /// When the first change not known to the ready plan (or to the job
    /// running) happened.
    stale_since: Option<Millis>,
    /// The job running, if any.
    job: Option<Hurry>,
    ready: Option<ReadyPlan>,
    /// The roster version the last job could not plan (fewer than two
    /// present, the event ended, the engine refused): not tried again
    /// until the roster changes.
    refused: Option<(u64, Refusal)>,
}

/// One event's background planner.
pub(super) struct Planner {
    state: Mutex<PlannerState>,
    /// Bumped each time a job ends, for whoever waits for it.
    finished: watch::Sender<u64>,
}

impl Default for Planner {
    fn default() -> Self {
        Planner {
            state: Mutex::default(),
            finished: watch::channel(0).0,
        }
    }
}

impl Planner {
    fn lock(&self) -> MutexGuard<'_, PlannerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The roster changed at `now`. Called while the event is still
    /// locked, so a draft taken under the lock knows which version it saw.
    pub(super) fn note_change(&self, now: Millis) {
        let mut state = self.lock();
        state.epoch += 1;
        state.changed_at = now;
        state.stale_since.get_or_insert(now);
    }

    /// A job took its draft (under the event's lock): the roster version it
    /// plans.
    fn took_draft(&self) -> u64 {
        let mut state = self.lock();
        state.stale_since = None;
        state.epoch
    }

    /// Where the plan for the round after `played` stands.
    fn status(&self, played: usize) -> NextRound {
        let state = self.lock();
        match &state.ready {
            _ if state.job.is_some() => NextRound::Planning,
            Some(ready) if ready.draft.played == played && ready.epoch == state.epoch => {
                NextRound::Ready
            }
            Some(ready) if ready.draft.played == played => NextRound::Stale,
            _ => NextRound::Unplanned,
        }
    }

    /// Whether a job should start at `now`: none running, the roster
    /// changed since the ready plan, it was not refused as it is, and the
    /// changes have settled (or waited long enough).
    fn due(&self, now: Millis) -> bool {
        let state = self.lock();
        let planned = state.ready.as_ref().is_some_and(|r| r.epoch == state.epoch);
        let refused = state.refused.as_ref().is_some_and(|r| r.0 == state.epoch);
        let settled = now - state.changed_at >= DEBOUNCE_MS
            || state.stale_since.is_some_and(|at| now - at >= MAX_WAIT_MS);
        state.job.is_none() && !planned && !refused && settled
    }

    /// Claims the event's one job slot; `None` if a job runs already.
    fn claim(&self) -> Option<Hurry> {
        let mut state = self.lock();
        if state.job.is_some() {
            return None;
        }
        let hurry = Hurry::default();
        state.job = Some(hurry.clone());
        Some(hurry)
    }

    /// Asks a running job to stop now with its best plan so far.
    fn hurry(&self) {
        if let Some(hurry) = &self.lock().job {
            hurry.set();
        }
    }

    fn finish(&self, outcome: Outcome) {
        {
            let mut state = self.lock();
            state.job = None;
            match outcome {
                Outcome::Planned(ready) => {
                    state.refused = None;
                    state.ready = Some(*ready);
                }
                Outcome::Refused { epoch, why } => {
                    state.ready = None;
                    state.refused = Some((epoch.unwrap_or(state.epoch), why));
                }
            }
        }
        self.finished.send_modify(|n| *n += 1);
    }

    /// Waits until no job runs.
    async fn idle(&self) {
        let mut finished = self.finished.subscribe();
        while self.lock().job.is_some() {
            if finished.changed().await.is_err() {
                return;
            }
        }
    }

    /// The ready plan, if it is for the round after `played`.
    fn take_ready(&self, played: usize) -> Option<ReadyPlan> {
        let mut state = self.lock();
        match state.ready.take() {
            Some(ready) if ready.draft.played == played => Some(ready),
            _ => None,
        }
    }

    /// The ready plan's first round, attendee ids by table.
    fn tables(&self) -> Option<Vec<Vec<AttendeeId>>> {
        let state = self.lock();
        let ready = state.ready.as_ref()?;
        let round = ready.plan.rounds.first()?;
        let people = &ready.draft.people;
        let table = |g: &Vec<usize>| g.iter().filter_map(|&i| people.get(i).copied()).collect();
        Some(round.groups.iter().map(table).collect())
    }

    /// Why the last job made no plan, if it made none.
    fn refusal(&self) -> Option<Refusal> {
        self.lock().refused.as_ref().map(|r| r.1.clone())
    }
}

impl AppState {
    /// Where the plan of `slot`'s next round stands.
    pub fn next_round(&self, slot: &EventSlot) -> NextRound {
        let played = slot.read().current_round().map_or(0, |r| r.number);
        slot.planner.status(played)
    }

    /// The next round as planned ahead (attendee ids by table, before the
    /// repair at the click), if a plan is ready or stale: what the click
    /// would start from.
    pub fn planned_tables(&self, slot: &EventSlot) -> Option<Vec<Vec<AttendeeId>>> {
        slot.planner.tables()
    }

    /// Starts planning `slot`'s next round now, within the configured
    /// budget, unless a job runs already (false then).
    pub fn plan_ahead(&self, slot: &Arc<EventSlot>) -> bool {
        let limit = self.config().round_budget;
        self.plan_ahead_with(slot, move |_| Box::new(Deadline::after(limit)))
    }

    /// Like [`AppState::plan_ahead`], with the job's budget made by
    /// `budget` (given the job's [`Hurry`], which stops it whatever the
    /// budget says): a test keeps the planner busy until a click this way.
    pub fn plan_ahead_with(
        &self,
        slot: &Arc<EventSlot>,
        budget: impl FnOnce(&Hurry) -> Box<dyn Budget + Send> + Send + 'static,
    ) -> bool {
        let Some(hurry) = slot.planner.claim() else {
            return false;
        };
        let (state, job_slot) = (self.clone(), Arc::clone(slot));
        let slot = Arc::clone(slot);
        tokio::spawn(async move {
            let job = tokio::task::spawn_blocking(move || {
                let limit = budget(&hurry);
                state.plan_job(&job_slot, JobBudget { hurry, limit })
            });
            let outcome = job.await.unwrap_or(Outcome::Refused {
                epoch: None,
                why: Refusal::Crashed,
            });
            slot.planner.finish(outcome);
        });
        true
    }

    /// Waits until `slot`'s planner has no job running (at once if none).
    pub async fn settle_planning(&self, slot: &EventSlot) {
        slot.planner.idle().await;
    }

    /// One job, on a blocking thread: takes the draft under the event's
    /// lock, reads the meetings at earlier events, plans.
    fn plan_job(&self, slot: &EventSlot, mut budget: JobBudget) -> Outcome {
        let (epoch, draft) = {
            let event = slot.lock();
            let played = event.rounds().len();
            let draft = event.prepare_round(self.round_seed(&event.code, played));
            (slot.planner.took_draft(), draft)
        };
        let mut draft = match draft {
            Ok(draft) => draft,
            Err(e) => {
                let why = Refusal::Round(e);
                let epoch = Some(epoch);
                return Outcome::Refused { epoch, why };
            }
        };
        // Other events are read after this one's lock is released.
        draft.request.earlier = self.earlier_meetings(slot, &draft);
        match matching::plan(&draft.request, &mut budget) {
            Ok(plan) => Outcome::Planned(Box::new(ReadyPlan { epoch, draft, plan })),
            Err(e) => Outcome::Refused {
                epoch: Some(epoch),
                why: Refusal::Engine(e),
            },
        }
    }

    /// Starts planning every event whose roster changed and settled by
    /// `now` (see the module doc). Part of [`AppState::tick`].
    pub(super) fn plan_settled(&self, slots: &[Arc<EventSlot>], now: Millis) {
        for slot in slots {
            // A click in progress plans (or commits) by itself.
            let Ok(_click) = slot.planning.try_lock() else {
                continue;
            };
            if slot.read().ended_at.is_none() && slot.planner.due(now) {
                self.plan_ahead(slot);
            }
        }
    }

    /// Starts the next round from the plan made ahead (see the module doc)
    /// and returns its number, once the planning lock is held and the
    /// event checked.
    pub(super) async fn commit_next_round(
        &self,
        slot: &Arc<EventSlot>,
        played: usize,
    ) -> Result<usize, StartRoundError> {
        let clicked = std::time::Instant::now();
        slot.planner.hurry();
        slot.planner.idle().await;
        let ready = slot
            .planner
            .take_ready(played)
            .filter(|ready| slot.lock().plan_fits(&ready.draft));
        let ready = match ready {
            Some(ready) => ready,
            None => {
                let limit = self.config().round_budget.min(CLICK_BUDGET);
                self.plan_ahead_with(slot, move |_| Box::new(Deadline::after(limit)));
                slot.planner.idle().await;
                match slot.planner.take_ready(played) {
                    Some(ready) => ready,
                    None => {
                        let why = slot.planner.refusal().unwrap_or(Refusal::Crashed);
                        return Err(why.into());
                    }
                }
            }
        };
        let now = self.now();
        let number = slot.lock().commit_round(&ready.draft, &ready.plan, now);
        tracing::info!(
            event = %slot.code,
            round = number,
            people = ready.draft.request.interests.len(),
            tables = ready.plan.rounds.first().map_or(0, |r| r.groups.len()),
            planning_ms = clicked.elapsed().as_millis() as u64,
            "round started"
        );
        Ok(number)
    }
}
