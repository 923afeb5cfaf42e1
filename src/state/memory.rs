//! Weekly memory without accounts: the server's events remember, per
//! person (see [`PersonKey`]), who met whom and what they answered. A
//! round at a later event avoids last week's tables (weighted less than
//! tonight's, see `PlanRequest::earlier`), and a returning attendee finds
//! their answers filled in.

use rustc_hash::FxHashMap;

use super::{AppState, EventSlot};
use crate::domain::{EventCode, PersonKey, Secret};
use crate::event::{Returning, RoundDraft};
use crate::matching::PastMeeting;

impl AppState {
    /// Meetings at events created before `slot`'s among the people of
    /// `draft`, in the draft's numbering. Each older event is locked in
    /// turn, briefly; never two at once.
    pub fn earlier_meetings(&self, slot: &EventSlot, draft: &RoundDraft) -> Vec<PastMeeting> {
        let persons: FxHashMap<PersonKey, usize> = draft
            .persons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some(((*p)?, i)))
            .collect();
        let mut meetings = Vec::new();
        for other in self.events() {
            if other.serial < slot.serial {
                meetings.extend(other.lock().meetings_among(&persons));
            }
        }
        meetings
    }

    /// The latest attendance, at another event than `here`, of whoever
    /// holds these `(event, token)` pairs (a browser's attendee cookies).
    pub fn returning(
        &self,
        here: &EventCode,
        tokens: impl IntoIterator<Item = (EventCode, Secret)>,
    ) -> Option<Returning> {
        tokens
            .into_iter()
            .filter(|(code, _)| code != here)
            .filter_map(|(code, token)| self.event(&code)?.lock().returning(&token))
            .max_by_key(|r| r.joined_at)
    }
}
