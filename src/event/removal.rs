//! The organizer taking someone off the event, and undoing it.
//!
//! A removal is a presence ([`Presence::Removed`]) like a break or leaving,
//! so it is stored like one and survives a restart. It is one click on a
//! busy console, so it can be undone: the attendee gets back the presence
//! they had (here, on a break, left), is seated again if here, and their
//! phone and token work again. What they had is remembered in memory only
//! (the stored presence is just "removed"): after a restart an undone
//! removal brings them back as here, which is what an organizer restoring
//! someone in the room means.

use super::{AttendeeId, Event, Presence};

impl Event {
    /// Takes `id` off the event: off their table, out of new rounds, off
    /// the board; their phone says so. Again is fine. False for an unknown
    /// id.
    pub fn remove(&mut self, id: AttendeeId) -> bool {
        let Some(was) = self.attendee(id).map(|a| a.presence) else {
            return false;
        };
        if was != Presence::Removed {
            self.removed_from.insert(id, was);
        }
        self.set_presence(id, Presence::Removed)
    }

    /// Undoes a removal: `id` gets back the presence they had when removed
    /// (present if that is not known, as after a restart; left if they
    /// deleted their details since), and a seat if present. Someone not
    /// removed is left as they are. Returns their presence now, `None`
    /// for an unknown id.
    pub fn reinstate(&mut self, id: AttendeeId) -> Option<Presence> {
        let attendee = self.attendee(id)?;
        if attendee.presence != Presence::Removed {
            return Some(attendee.presence);
        }
        let erased = attendee.erased_at.is_some();
        let remembered = self.removed_from.remove(&id);
        let back = if erased {
            Presence::Left
        } else {
            remembered.unwrap_or(Presence::Present)
        };
        // Not through `set_presence`, which keeps removed people removed.
        if let Some(a) = self.attendee_mut(id) {
            a.presence = back;
        }
        self.changes.attendees.insert(id);
        if back == Presence::Present {
            self.present += 1;
            self.seat_late(id);
        }
        Some(back)
    }
}
