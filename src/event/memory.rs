//! What one event tells later ones about the people who came: who met whom
//! (so a later event avoids seating them together again) and their answers
//! (so a returning attendee does not type them twice). People are matched
//! across events by their [`PersonKey`], never by name.

use rustc_hash::FxHashMap;

use super::{AttendeeId, Event, Millis};
use crate::domain::{PersonKey, Profile};
use crate::matching::PastMeeting;

/// An attendee of this event, as a later event sees them when they return.
#[derive(Debug, Clone)]
pub struct Returning {
    pub person: PersonKey,
    /// Their own answers here (not the public view: it is their own form).
    pub profile: Profile,
    /// Where they gave them, to say so on the form.
    pub event_name: String,
    pub joined_at: Millis,
}

impl Event {
    /// How often people of `persons` (person key → their number in a
    /// round being planned elsewhere) sat together at this event. Two
    /// attendances here of one person (joined twice) never count as
    /// meeting themselves.
    pub fn meetings_among(&self, persons: &FxHashMap<PersonKey, usize>) -> Vec<PastMeeting> {
        let here: FxHashMap<AttendeeId, usize> = self
            .attendees
            .iter()
            .filter_map(|a| Some((a.id, *persons.get(&a.person?)?)))
            .collect();
        if here.len() < 2 {
            return Vec::new();
        }
        let mut meetings = Vec::new();
        if here.len() * here.len() < self.met.len() {
            // Few returning people at a big event: look their pairs up.
            let ids: Vec<(AttendeeId, usize)> = here.iter().map(|(&id, &i)| (id, i)).collect();
            for (k, &(a, i)) in ids.iter().enumerate() {
                for &(b, j) in &ids[k + 1..] {
                    let times = self.times_met(a, b);
                    if times > 0 && i != j {
                        meetings.push(PastMeeting { a: i, b: j, times });
                    }
                }
            }
        } else {
            for (&(a, b), &times) in &self.met {
                if let (Some(&i), Some(&j)) = (here.get(&a), here.get(&b))
                    && i != j
                {
                    meetings.push(PastMeeting { a: i, b: j, times });
                }
            }
        }
        meetings
    }

    /// The attendee signed in with `token`'s hash here, as a later event
    /// sees them (`None` if unknown or erased).
    pub fn returning(&self, token: &crate::domain::Secret) -> Option<Returning> {
        let a = self.attendee_by_token(token)?;
        Some(Returning {
            person: a.person?,
            profile: a.profile.as_ref().clone(),
            event_name: self.name.clone(),
            joined_at: a.joined_at,
        })
    }
}
