//! The server's shared state: every event by code, the configuration and
//! the clock, behind one cheap-to-clone handle given to every handler.
//!
//! Each event has its own `std::sync::Mutex`: requests for different events
//! never wait on each other, and a std mutex is right because the lock is
//! only held for short, synchronous updates and never across an `.await`
//! (the matcher runs between two short critical sections, see
//! [`AppState::start_round`]).

mod memory;
mod reach;

pub use reach::{CHECKLIST_AFTER, Reach, ReachStatus, from_a_phone};
mod planner;
mod recovery;

pub use planner::{CLICK_BUDGET, DEBOUNCE_MS, Hurry, MAX_WAIT_MS, NextRound};

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

use crate::clock::Clock;
use crate::domain::{AdminToken, EventCode, Secret};
use tokio::sync::watch;

use crate::event::{Event, Millis, RoundError, Settings, Snapshot};
use crate::limits::{Limits, StreamCounter, StreamPermit};
use crate::matching::PlanError;
use crate::store::{Loaded, Op, Store, ops_for, put_event};

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Base of every link handed out (QR code, personal links), without a
    /// trailing slash, e.g. `http://192.168.1.20:8080`.
    pub public_url: String,
    /// Bearer token for creating events over the API.
    pub admin_token: AdminToken,
    /// Settings of events created without explicit ones.
    pub defaults: Settings,
    /// The longest the matcher may search when a round starts.
    pub round_budget: Duration,
    /// Seed of the matcher's randomness: a fixed seed gives reproducible
    /// rounds (simulations, tests).
    pub seed: u64,
    /// Abuse limits per client address.
    pub limits: Limits,
}

/// One event and what goes with it.
pub struct EventSlot {
    /// The live state; see the module doc for why a std mutex.
    event: Mutex<Event>,
    /// Plans the next round ahead of the click (see `planner.rs`).
    planner: planner::Planner,
    /// The server's clock, to note when the roster changed.
    clock: Arc<dyn Clock>,
    /// The latest snapshot of the event, replaced after every change. A
    /// `watch` channel keeps only the newest value: a slow reader skips
    /// to the latest state instead of queueing old ones, and readers never
    /// touch the lock.
    published: watch::Sender<Arc<Snapshot>>,
    /// The event's code (it never changes), readable without the lock.
    pub code: EventCode,
    /// When the event was created (server clock), to list events.
    pub created_at: Millis,
    /// Creation order, to list events created in the same millisecond.
    serial: u64,
    /// Where changes are written through (a no-op when ephemeral).
    store: Store,
    /// The board's JSON for one snapshot version: a snapshot never
    /// changes, so every request between two changes gets the same text.
    board_json: Mutex<Option<(u64, Arc<str>)>>,
    /// Held while a round is started, so two "start round" clicks start
    /// one after the other instead of racing, and the background planner
    /// starts no job meanwhile. An async mutex: it is held across the
    /// wait for the plan, and only round starts wait on it.
    planning: tokio::sync::Mutex<()>,
    /// The join URL, what the QR code encodes.
    pub join_url: String,
    /// The QR code as inline SVG, drawn once at creation (`None` if the
    /// public URL is too long to encode).
    pub qr_svg: Option<String>,
    /// The finale's QR code of `{join_url}/met` (the way back to "people I
    /// met"), drawn once at creation and served by URL: the finale is
    /// rendered again for every board load and update, and inlined it
    /// would be 9 KB each time.
    pub met_qr_svg: Option<String>,
    /// Whether phones are getting through (see [`Reach`]); shared with the
    /// live streams, which must not hold the slot itself.
    pub reach: Arc<Reach>,
}

impl EventSlot {
    fn new(
        event: Event,
        join_url: String,
        created_at: Millis,
        serial: u64,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> EventSlot {
        let (published, _) = watch::channel(Arc::new(event.snapshot(0)));
        EventSlot {
            code: event.code.clone(),
            created_at,
            serial,
            store,
            board_json: Mutex::new(None),
            qr_svg: crate::qr::svg(&join_url),
            met_qr_svg: crate::qr::svg(&format!("{join_url}/met")),
            join_url,
            event: Mutex::new(event),
            published,
            planning: tokio::sync::Mutex::new(()),
            reach: Arc::default(),
            planner: planner::Planner::default(),
            clock,
        }
    }

    /// The event's state, locked. Never hold the guard across an `.await`.
    /// Changes made through the guard are published when it is dropped.
    pub fn lock(&self) -> EventGuard<'_> {
        EventGuard {
            slot: self,
            // A panic while holding the lock leaves consistent data (every
            // update is a few assignments), so a poisoned lock is still
            // usable.
            event: self.event.lock().unwrap_or_else(PoisonError::into_inner),
            changed: false,
        }
    }

    /// The latest published state, without locking.
    pub fn read(&self) -> Arc<Snapshot> {
        self.published.borrow().clone()
    }

    /// The board's JSON for snapshot `version`, made by `make` only the
    /// first time it is asked for.
    pub fn board_json(&self, version: u64, make: impl FnOnce() -> String) -> Arc<str> {
        let mut cache = self
            .board_json
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &*cache {
            Some((cached, text)) if *cached == version => Arc::clone(text),
            _ => {
                let text: Arc<str> = make().into();
                *cache = Some((version, Arc::clone(&text)));
                text
            }
        }
    }

    /// A receiver that sees every new snapshot (or the latest, if it
    /// falls behind), for live streams.
    pub fn subscribe(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.published.subscribe()
    }

    /// Publishes the event again, unchanged, so live pages render what
    /// lies beside it (such as [`Reach`]) anew.
    pub fn republish(&self) {
        let event = self.lock();
        self.publish(&event);
    }

    fn publish(&self, event: &Event) {
        let version = self.published.borrow().version + 1;
        self.published
            .send_replace(Arc::new(event.snapshot(version)));
    }
}

/// The locked event. Reading goes through `Deref`; the first mutable
/// access marks it changed, and a changed event is published as a new
/// snapshot when the guard is dropped, while the lock is still held, so
/// snapshots come out in the order of the changes.
pub struct EventGuard<'a> {
    slot: &'a EventSlot,
    event: MutexGuard<'a, Event>,
    changed: bool,
}

impl Deref for EventGuard<'_> {
    type Target = Event;

    fn deref(&self) -> &Event {
        &self.event
    }
}

impl DerefMut for EventGuard<'_> {
    fn deref_mut(&mut self) -> &mut Event {
        self.changed = true;
        &mut self.event
    }
}

impl Drop for EventGuard<'_> {
    fn drop(&mut self) {
        if self.changed {
            self.slot.publish(&self.event);
            let changes = self.event.take_changes();
            // What a plan is made from: who is present and their answers,
            // meetings, pairs kept apart, settings (not pauses, contact
            // ticks).
            if changes.event
                || !changes.attendees.is_empty()
                || !changes.pairs.is_empty()
                || !changes.apart.is_empty()
            {
                self.slot.planner.note_change(self.slot.clock.now());
            }
            if !changes.is_empty() {
                let ops = ops_for(
                    &self.event,
                    &changes,
                    self.slot.created_at,
                    self.slot.serial,
                );
                self.slot.store.submit(ops);
            }
        }
    }
}

/// Why a round could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartRoundError {
    #[error(transparent)]
    Round(#[from] RoundError),
    #[error("the matcher refused the round: {0}")]
    Engine(#[from] PlanError),
    #[error("the matcher stopped unexpectedly")]
    Crashed,
}

struct Inner {
    /// Live streams open per client address.
    streams: StreamCounter,
    /// Connections open per client address (see `budget`).
    connections: StreamCounter,
    /// Set when the server begins to stop: live streams say so.
    shutdown: watch::Sender<bool>,
    config: ServerConfig,
    /// Where every change is written through.
    store: Store,
    /// Events created so far (for their creation order).
    created: AtomicU64,
    clock: Arc<dyn Clock>,
    events: RwLock<HashMap<EventCode, Arc<EventSlot>>>,
    /// This computer's own addresses, whose visits do not count as phones
    /// (see [`reach`]); unset: every visit counts.
    this_computer: std::sync::OnceLock<Vec<std::net::IpAddr>>,
}

/// The handle given to every request handler: an `Arc`, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// A server whose state lives in memory only.
    pub fn new(config: ServerConfig, clock: Arc<dyn Clock>) -> AppState {
        AppState::with_store(config, clock, Store::ephemeral(), Vec::new())
    }

    /// A server that writes through to `store`, starting from the events
    /// loaded from it.
    pub fn with_store(
        config: ServerConfig,
        clock: Arc<dyn Clock>,
        store: Store,
        loaded: Vec<Loaded>,
    ) -> AppState {
        let serial = loaded.iter().map(|l| l.serial + 1).max().unwrap_or(0);
        let state = AppState(Arc::new(Inner {
            shutdown: watch::channel(false).0,
            streams: StreamCounter::default(),
            connections: StreamCounter::default(),
            store: store.clone(),
            created: AtomicU64::new(serial),
            config,
            clock,
            events: RwLock::new(HashMap::new()),
            this_computer: std::sync::OnceLock::new(),
        }));
        {
            let mut events = state
                .0
                .events
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            for l in loaded {
                let join_url = state.join_url(&l.event.code);
                let event = Event::restore(l.event);
                let code = event.code.clone();
                let clock = Arc::clone(&state.0.clock);
                let slot = EventSlot::new(
                    event,
                    join_url,
                    l.created_at,
                    l.serial,
                    store.clone(),
                    clock,
                );
                events.insert(code, Arc::new(slot));
            }
        }
        state
    }

    /// A place for one more live stream from `ip`, unless it already holds
    /// as many as the limits allow.
    pub fn open_stream(&self, ip: std::net::IpAddr) -> Option<StreamPermit> {
        let limits = &self.0.config.limits;
        self.0
            .streams
            .open_within(ip, limits.streams_per_client, limits.streams_total)
    }

    /// A place for one more connection from `ip`, unless it (or everyone)
    /// already holds as many as the budget allows.
    pub fn open_connection(&self, ip: std::net::IpAddr) -> Option<StreamPermit> {
        let limits = &self.0.config.limits;
        self.0
            .connections
            .open_within(ip, limits.connections_per_client, limits.connections_total)
    }

    /// Tells every live stream the server is stopping.
    pub fn begin_shutdown(&self) {
        self.0.shutdown.send_replace(true);
    }

    /// Becomes `true` when the server begins to stop.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.0.shutdown.subscribe()
    }

    /// The store changes are written to.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    pub fn now(&self) -> Millis {
        self.0.clock.now()
    }

    /// Creates an event with a fresh code and host key.
    pub fn create_event(&self, name: String, settings: Settings) -> Arc<EventSlot> {
        let mut events = self
            .0
            .events
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let mut rng = rand::rng();
        let code = loop {
            let code = EventCode::generate(&mut rng);
            if !events.contains_key(&code) {
                break code;
            }
        };
        let join_url = self.join_url(&code);
        let event = Event::new(code.clone(), name, Secret::generate(), settings);
        let serial = self.0.created.fetch_add(1, Ordering::Relaxed);
        let now = self.now();
        self.0.store.submit(vec![put_event(&event, now, serial)]);
        let slot = Arc::new(EventSlot::new(
            event,
            join_url,
            now,
            serial,
            self.0.store.clone(),
            Arc::clone(&self.0.clock),
        ));
        events.insert(code, Arc::clone(&slot));
        tracing::info!(event = %slot.code, "event created");
        slot
    }

    /// The event with this code, if any.
    pub fn event(&self, code: &EventCode) -> Option<Arc<EventSlot>> {
        let events = self.0.events.read().unwrap_or_else(PoisonError::into_inner);
        events.get(code).cloned()
    }

    /// Every event, newest first.
    pub fn events(&self) -> Vec<Arc<EventSlot>> {
        let events = self.0.events.read().unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<Arc<EventSlot>> = events.values().cloned().collect();
        all.sort_by_key(|slot| std::cmp::Reverse((slot.created_at, slot.serial)));
        all
    }

    /// Removes an event and everything in it. Its live streams end once
    /// the last request still holding it finishes. False if there was no
    /// such event.
    pub fn delete_event(&self, code: &EventCode) -> bool {
        let mut events = self
            .0
            .events
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let removed = events.remove(code).is_some();
        if removed {
            self.0.store.submit(vec![Op::DeleteEvent(code.clone())]);
        }
        removed
    }

    /// The link people join with (and the QR code encodes).
    pub fn join_url(&self, code: &EventCode) -> String {
        format!("{}/e/{code}", self.0.config.public_url)
    }

    /// The link that gets an attendee back to their page on any device.
    pub fn personal_link(&self, code: &EventCode, token: &Secret) -> String {
        format!(
            "{}/e/{code}/me?t={}",
            self.0.config.public_url,
            token.reveal()
        )
    }

    /// The organizer's link, with the event's host key.
    pub fn host_url(&self, code: &EventCode, key: &Secret) -> String {
        format!(
            "{}/e/{code}/host?key={}",
            self.0.config.public_url,
            key.reveal()
        )
    }

    /// The projected board's link.
    pub fn board_url(&self, code: &EventCode) -> String {
        format!("{}/e/{code}/board", self.0.config.public_url)
    }

    /// Starts the next round of `slot`'s event; returns its number. The
    /// round was usually planned ahead in the background and is only
    /// repaired now (see `planner.rs`); otherwise it is planned at the
    /// click, briefly. The event is locked only for short moments, so
    /// joins carry on meanwhile.
    pub async fn start_round(&self, slot: &Arc<EventSlot>) -> Result<usize, StartRoundError> {
        self.start_round_after(slot, None).await
    }

    /// Like [`AppState::start_round`], but only if the event has had
    /// exactly `after` rounds (checked under the planning lock): a double
    /// click, or the auto-rotate timer racing the organizer, starts one
    /// round, not two. Returns the current round's number either way.
    pub async fn start_round_after(
        &self,
        slot: &Arc<EventSlot>,
        after: Option<usize>,
    ) -> Result<usize, StartRoundError> {
        let _planning = slot.planning.lock().await;
        let played = {
            let event = slot.lock();
            let played = event.rounds().len();
            if after.is_some_and(|after| after != played) {
                return Ok(played);
            }
            if event.ended_at.is_some() {
                return Err(RoundError::EventEnded.into());
            }
            if event.present_count() < 2 {
                return Err(RoundError::NotEnoughPeople(event.present_count()).into());
            }
            played
        };
        self.commit_next_round(slot, played).await
    }

    /// Starts every round that auto-rotate has made due by now, and plans
    /// ahead for every event whose roster changed and settled (see
    /// `planner.rs`). Called every fraction of a second by
    /// [`AppState::run_timers`]; tests call it after moving their clock.
    pub async fn tick(&self) {
        let now = self.now();
        let all: Vec<Arc<EventSlot>> = {
            let events = self.0.events.read().unwrap_or_else(PoisonError::into_inner);
            events.values().cloned().collect()
        };
        let due = all
            .iter()
            .filter(|slot| slot.read().next_auto_round_at.is_some_and(|at| at <= now));
        self.announce_checklists(now);
        if !self.store().unsaved_events().is_empty() {
            let state = self.clone();
            let _ = tokio::task::spawn_blocking(move || state.roll_back_unsaved()).await;
        }
        for slot in due {
            let played = slot.read().current_round().map_or(0, |r| r.number);
            // Too few people present is not an error here: the timer tries
            // again on the next tick.
            let _ = self.start_round_after(slot, Some(played)).await;
        }
        self.expire_personal_data(now);
        self.plan_settled(&all, now);
    }

    /// Erases the personal data of every event whose retention period is
    /// over (see [`Event::expire_personal_data`]).
    fn expire_personal_data(&self, now: Millis) {
        let expired: Vec<Arc<EventSlot>> = {
            let events = self.0.events.read().unwrap_or_else(PoisonError::into_inner);
            events.values().cloned().collect()
        };
        for slot in expired {
            let mut event = slot.lock();
            // Checked through `Deref` first: only a due event is changed
            // (and so published and written).
            if event.personal_data_expires_at(slot.created_at) <= now && event.holds_personal_data()
            {
                event.expire_personal_data(slot.created_at, now);
            }
        }
    }

    /// Runs [`AppState::tick`] every `period`, for as long as the server runs.
    pub async fn run_timers(self, period: Duration) {
        let mut interval = tokio::time::interval(period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            self.tick().await;
        }
    }

    /// A different but reproducible seed for every round of every event.
    fn round_seed(&self, code: &EventCode, round: usize) -> u64 {
        let mut seed = self.0.config.seed ^ (round as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for b in code.as_str().bytes() {
            seed = seed.rotate_left(7) ^ u64::from(b);
        }
        seed
    }
}
