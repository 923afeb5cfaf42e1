//! The live state of one event: who joined, who is present, the rounds and
//! their tables, and who has met whom.
//!
//! Everything here is synchronous and clock-free: callers pass `now`, and
//! the matcher runs outside (see [`Event::prepare_round`] and
//! [`Event::commit_round`]) so that a lock on the event is never held while
//! a round for thousands of people is computed.

mod apart;
mod changes;
mod contacts;
mod finale;
mod memory;
mod moderation;
mod prompts;
mod removal;
mod repair;
mod restore;
mod roster;
mod rounds;
mod seating;
mod settings;
mod snapshot;
mod timer;

pub use apart::{ApartError, ApartKind, ApartRule};
pub use changes::Changes;
pub use contacts::{ERASED_NAME, KeepError, MetPerson};
pub use finale::{Finale, MetBar, TOP_INTERESTS, round_step};
pub use memory::Returning;
pub use moderation::{Review, ReviewAction, public_profile};
pub use prompts::{InCommon, MAX_PROMPTS, Prompt};
pub use restore::{Meeting, StoredAttendee, StoredEvent};
pub use roster::Roster;
pub use rounds::{RoundDraft, RoundError};
pub use settings::{
    CHANGEOVER_SECONDS, GROUP_SIZES, RETENTION_DAYS, ROUND_MINUTES, Settings, SettingsChange,
    SettingsError,
};
pub use snapshot::{GroupView, RoundPhase, Seat, Snapshot};
pub use timer::{ClockAction, TimerError};

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::domain::{
    Contact, EventCode, Field, InterestKey, PersonKey, Profile, Secret, TokenHash,
    normalize_interest,
};

/// The comparison keys of a profile's interests.
pub(crate) fn interest_keys(profile: &Profile) -> Arc<[InterestKey]> {
    profile
        .interests
        .iter()
        .filter_map(|i| normalize_interest(i))
        .collect()
}

/// An attendee's number within the event, stable for the whole event.
pub type AttendeeId = u32;

/// Milliseconds since the Unix epoch, as given by the caller's clock.
pub type Millis = i64;

impl Presence {
    /// The status named `key` (as [`Presence::key`] writes it).
    pub fn parse(key: &str) -> Option<Presence> {
        [
            Presence::Present,
            Presence::OnBreak,
            Presence::Left,
            Presence::Removed,
        ]
        .into_iter()
        .find(|p| p.key() == key)
    }

    /// The status's name in the JSON API and exports.
    pub fn key(self) -> &'static str {
        match self {
            Presence::Present => "present",
            Presence::OnBreak => "on_break",
            Presence::Left => "left",
            Presence::Removed => "removed",
        }
    }
}

/// Where an attendee is, as far as grouping goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    /// Taking a break: left out of new rounds until back.
    OnBreak,
    /// Left the event by themselves.
    Left,
    /// Removed by the organizer.
    Removed,
}

#[derive(Debug, Clone)]
pub struct Attendee {
    pub id: AttendeeId,
    /// Shared with the snapshots published to pages, so publishing after
    /// every change copies pointers, not profiles.
    pub profile: Arc<Profile>,
    /// What others see: `profile` without the fields held for review or
    /// hidden by the organizer. Kept up to date on every change so pages
    /// never show held-back text by mistake.
    pub public: Arc<Profile>,
    /// Which fields wait for review or are hidden.
    pub review: Review,
    /// The comparison keys of `profile`'s interests, worked out once:
    /// seating a late arrival compares them with everyone at every table.
    pub interest_keys: Arc<[InterestKey]>,
    /// The hash of their personal secret (cookie and personal link); the
    /// secret itself is only ever in the attendee's hands.
    pub token_hash: TokenHash,
    pub presence: Presence,
    pub joined_at: Millis,
    /// How to reach them: shown only to people who both chose to stay in
    /// touch with them, and to the organizer only with consent.
    pub contact: Contact,
    /// When they deleted their details (or the retention period did).
    pub erased_at: Option<Millis>,
    /// Who they are across this server's events (see [`PersonKey`]), so
    /// a later event can avoid seating them with people they met here.
    /// Gone when their details are erased.
    pub person: Option<PersonKey>,
}

impl Attendee {
    /// True when they came to an earlier event on this server: their
    /// person key was handed on rather than made from their own token.
    pub fn is_regular(&self) -> bool {
        self.person
            .is_some_and(|p| p != PersonKey::from(self.token_hash))
    }
}

impl Attendee {
    /// Replaces the answers, and the interest keys worked out from them.
    pub(super) fn set_profile(&mut self, profile: Profile) {
        self.interest_keys = interest_keys(&profile);
        self.profile = Arc::new(profile);
    }
}

/// A table in a round: a number people look for and who sits there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub number: usize,
    pub members: Vec<AttendeeId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub number: usize,
    pub started_at: Millis,
    pub ends_at: Millis,
    pub tables: Vec<Table>,
    /// Late arrivals for whom no table has room yet.
    pub waiting: Vec<AttendeeId>,
    /// Set while the organizer has paused the round: the time it had left.
    pub paused_left: Option<Millis>,
}

impl Round {
    /// The table numbered `number`.
    pub fn table(&self, number: usize) -> Option<&Table> {
        // Table n is at index n - 1 (numbers are given in order and an
        // emptied table keeps its place), but look further if not.
        let at = number.checked_sub(1).and_then(|i| self.tables.get(i));
        at.filter(|t| t.number == number)
            .or_else(|| self.tables.iter().find(|t| t.number == number))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("registration for this event is closed")]
    RegistrationClosed,
    #[error("this event is full ({0} attendees)")]
    Full(usize),
    #[error("this event has ended")]
    Ended,
}

/// One event's state.
#[derive(Debug, Clone)]
pub struct Event {
    pub code: EventCode,
    pub name: String,
    pub host_key: Secret,
    pub settings: Settings,
    /// Shared with the snapshots chunk by chunk (see [`Roster`]).
    attendees: Roster,
    /// How many attendees are present, kept with every presence change:
    /// pages show it after every join, so it is not counted each time.
    present: usize,
    /// Each round behind an `Arc`, shared with the snapshots: publishing
    /// does not copy a 1,000-table round; a change copies it once.
    rounds: Vec<Arc<Round>>,
    /// When the organizer ended the event: no more joins or rounds; pages
    /// say thank you. The data stays for exports until deleted.
    pub ended_at: Option<Millis>,
    /// What changed since the store last took note (see [`Changes`]).
    changes: Changes,
    /// Attendees by the hash of their token, for finding who a request
    /// comes from without scanning everyone.
    by_token: FxHashMap<TokenHash, AttendeeId>,
    /// Times each pair `(a, b)`, a < b, has shared a table.
    met: FxHashMap<(AttendeeId, AttendeeId), u32>,
    /// How many attendees' personal data is erased.
    erased: usize,
    /// What each removed attendee was doing when the organizer removed
    /// them, so undoing a removal puts them back as they were (see
    /// `removal.rs`). Kept in memory only: after a restart a restored
    /// attendee comes back as present.
    removed_from: FxHashMap<AttendeeId, Presence>,
    /// "I'd like to stay in touch" ticks, `(from, to)`.
    keep_in_touch: rustc_hash::FxHashSet<(AttendeeId, AttendeeId)>,
    /// Pairs never to seat together: attendees' private "rather not"
    /// marks and the organizer's never-together pairs (see `apart.rs`).
    apart: rustc_hash::FxHashSet<ApartRule>,
    /// The same rules by person (an entry per rule, both ways), so seating
    /// a late arrival asks one map whether they have any at all.
    avoid: FxHashMap<AttendeeId, Vec<AttendeeId>>,
    /// Per attendee id, how many times they have sat with someone: a
    /// newcomer (zero) needs no look at `met` when seated late.
    acquaintances: Vec<u32>,
}

impl Event {
    pub fn new(code: EventCode, name: String, host_key: Secret, settings: Settings) -> Self {
        Event {
            code,
            name,
            host_key,
            settings,
            attendees: Roster::default(),
            present: 0,
            rounds: Vec::new(),
            ended_at: None,
            by_token: FxHashMap::default(),
            changes: Changes::default(),
            met: FxHashMap::default(),
            acquaintances: Vec::new(),
            keep_in_touch: Default::default(),
            apart: Default::default(),
            avoid: FxHashMap::default(),
            erased: 0,
            removed_from: FxHashMap::default(),
        }
    }

    pub fn attendees(&self) -> &Roster {
        &self.attendees
    }

    pub fn attendee(&self, id: AttendeeId) -> Option<&Attendee> {
        self.attendees.get(id).map(Arc::as_ref)
    }

    /// An attendee to change (copied first if a snapshot still shares it).
    fn attendee_mut(&mut self, id: AttendeeId) -> Option<&mut Attendee> {
        self.attendees.get_mut(id)
    }

    /// Whether `id` is present (false for an unknown id).
    fn is_present(&self, id: AttendeeId) -> bool {
        self.attendee(id)
            .is_some_and(|a| a.presence == Presence::Present)
    }

    pub fn rounds(&self) -> &[Arc<Round>] {
        &self.rounds
    }

    /// The latest round, whether or not its time is up.
    pub fn current_round(&self) -> Option<&Round> {
        self.rounds.last().map(Arc::as_ref)
    }

    /// How often two attendees have shared a table.
    pub fn times_met(&self, a: AttendeeId, b: AttendeeId) -> u32 {
        self.met.get(&(a.min(b), a.max(b))).copied().unwrap_or(0)
    }

    /// Whether `id` has shared a table with anyone yet.
    fn has_met_anyone(&self, id: AttendeeId) -> bool {
        self.acquaintances.get(id as usize).is_some_and(|&n| n > 0)
    }

    pub fn present_count(&self) -> usize {
        self.present
    }

    /// Adds an attendee; during a round they are seated at once.
    pub fn join(
        &mut self,
        profile: Profile,
        token: Secret,
        now: Millis,
    ) -> Result<AttendeeId, JoinError> {
        self.join_as(profile, token, None, now)
    }

    /// Adds an attendee who is `returning` (the person key of their
    /// earlier attendance), or someone new (`None`).
    pub fn join_as(
        &mut self,
        profile: Profile,
        token: Secret,
        returning: Option<PersonKey>,
        now: Millis,
    ) -> Result<AttendeeId, JoinError> {
        if self.ended_at.is_some() {
            return Err(JoinError::Ended);
        }
        if !self.settings.registration_open {
            return Err(JoinError::RegistrationClosed);
        }
        if self.attendees.len() >= self.settings.max_attendees {
            return Err(JoinError::Full(self.settings.max_attendees));
        }
        let id = self.attendees.len() as AttendeeId;
        let token_hash = token.hash();
        self.by_token.insert(token_hash, id);
        self.changes.attendees.insert(id);
        let review = Review {
            pending: self.screen(&profile, &Field::ALL),
            hidden: Default::default(),
        };
        self.attendees.push(Arc::new(Attendee {
            id,
            public: Arc::new(public_profile(id, &profile, &review)),
            interest_keys: interest_keys(&profile),
            profile: Arc::new(profile),
            review,
            token_hash,
            presence: Presence::Present,
            joined_at: now,
            contact: Contact::default(),
            erased_at: None,
            person: Some(returning.unwrap_or(PersonKey::from(token_hash))),
        }));
        self.present += 1;
        self.seat_late(id);
        Ok(id)
    }

    /// The attendee whose token this is, if any.
    pub fn attendee_by_token(&self, token: &Secret) -> Option<&Attendee> {
        let id = *self.by_token.get(&token.hash())?;
        self.attendee(id)
    }

    /// Changes someone's presence: a break or leaving takes them off their
    /// table; coming back seats them again. Returns false for an unknown id.
    pub fn set_presence(&mut self, id: AttendeeId, presence: Presence) -> bool {
        let Some(attendee) = self.attendee_mut(id) else {
            return false;
        };
        let was = attendee.presence;
        if was == Presence::Removed {
            // Someone the organizer removed stays removed.
            return true;
        }
        attendee.presence = presence;
        self.changes.attendees.insert(id);
        match (was == Presence::Present, presence == Presence::Present) {
            (true, false) => self.present -= 1,
            (false, true) => self.present += 1,
            _ => {}
        }
        if presence != Presence::Present {
            self.unseat(id);
        } else if was != Presence::Present {
            self.seat_late(id);
        }
        true
    }

    /// Ends the event: the current round's time is up, registration and
    /// auto-rotate stop, and the pages thank everyone. Ending twice keeps
    /// the first end time.
    pub fn end_event(&mut self, now: Millis) {
        if self.ended_at.is_some() {
            return;
        }
        self.ended_at = Some(now);
        tracing::info!(
            event = %self.code,
            attendees = self.attendees.len(),
            rounds = self.rounds.len(),
            "event ended"
        );
        self.settings.registration_open = false;
        self.settings.auto_rotate = false;
        self.changes.event = true;
        if let Some(round) = self.rounds.last_mut().map(Arc::make_mut) {
            round.paused_left = None;
            round.ends_at = round.ends_at.min(now);
            let number = round.number;
            self.changes.rounds.insert(number);
        }
    }

    /// Applies a settings change, all or nothing. A new group size and a
    /// new round length apply from the next round.
    pub fn change_settings(&mut self, change: &SettingsChange) -> Result<(), SettingsError> {
        self.settings = self.settings.changed(change)?;
        self.changes.event = true;
        Ok(())
    }
}
