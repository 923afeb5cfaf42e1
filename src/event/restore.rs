//! Rebuilding an event from what the store kept.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{
    Attendee, AttendeeId, Changes, Event, Millis, Presence, Round, Settings, public_profile,
};
use crate::domain::{Contact, EventCode, PersonKey, Profile, Secret, TokenHash};

/// How often two attendees (`a < b`) met.
pub type Meeting = ((AttendeeId, AttendeeId), u32);

/// One attendee as stored.
#[derive(Debug, Clone)]
pub struct StoredAttendee {
    pub id: AttendeeId,
    pub profile: Profile,
    pub review: super::Review,
    pub token_hash: TokenHash,
    pub presence: super::Presence,
    pub joined_at: Millis,
    pub contact: Contact,
    pub erased_at: Option<Millis>,
    /// `None` when erased, or in a file from before schema 4 (then the
    /// attendee counts as their own person, see `Event::restore`).
    pub person: Option<PersonKey>,
}

/// An event as stored: everything needed to carry on where it stopped.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub code: EventCode,
    pub name: String,
    pub host_key: Secret,
    pub settings: Settings,
    pub ended_at: Option<Millis>,
    /// In id order, ids 0..n.
    pub attendees: Vec<StoredAttendee>,
    /// In round order.
    pub rounds: Vec<Round>,
    /// "Stay in touch" ticks, `(from, to)`.
    pub keep_in_touch: Vec<(AttendeeId, AttendeeId)>,
    /// "Rather not" marks and never-together pairs.
    pub apart: Vec<super::ApartRule>,
    pub meetings: Vec<Meeting>,
}

impl Event {
    /// The event as it was stored: same attendees, tokens, rounds, history
    /// and settings; nothing marked as changed. Held answers the current
    /// filter passes are no longer held.
    pub fn restore(stored: StoredEvent) -> Event {
        let mut event = Event::new(stored.code, stored.name, stored.host_key, stored.settings);
        event.ended_at = stored.ended_at;
        for mut a in stored.attendees {
            // Answers waiting for review are screened again: what an older
            // filter held (real names it matched pieces of) is let through
            // when the current one passes it.
            if !a.review.pending.is_empty() {
                let waiting: Vec<_> = a.review.pending.iter().copied().collect();
                a.review.pending = event.screen(&a.profile, &waiting);
            }
            // An erased attendee's token no longer signs anyone in.
            if a.erased_at.is_none() {
                event.by_token.insert(a.token_hash, a.id);
            } else {
                event.erased += 1;
            }
            let public = if a.erased_at.is_some() {
                super::contacts::erased_public_profile()
            } else {
                public_profile(a.id, &a.profile, &a.review)
            };
            event.attendees.push(Arc::new(Attendee {
                id: a.id,
                public: Arc::new(public),
                interest_keys: super::interest_keys(&a.profile),
                profile: Arc::new(a.profile),
                review: a.review,
                token_hash: a.token_hash,
                presence: a.presence,
                joined_at: a.joined_at,
                contact: a.contact,
                erased_at: a.erased_at,
                person: a
                    .erased_at
                    .is_none()
                    .then(|| a.person.unwrap_or(PersonKey::from(a.token_hash))),
            }));
            if a.presence == Presence::Present {
                event.present += 1;
            }
        }
        event.keep_in_touch = stored.keep_in_touch.into_iter().collect();
        for rule in stored.apart {
            event.set_apart_rule(rule, true);
        }
        event.rounds = stored.rounds.into_iter().map(Arc::new).collect();
        event.met = stored.meetings.into_iter().collect::<FxHashMap<_, _>>();
        let pairs: Vec<_> = event
            .met
            .iter()
            .map(|(&pair, &times)| (pair, times))
            .collect();
        for ((a, b), times) in pairs {
            event.count_acquaintance(a, times);
            event.count_acquaintance(b, times);
        }
        event.changes = Changes::default();
        event
    }
}
