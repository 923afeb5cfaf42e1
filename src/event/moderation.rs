//! What others may see of an attendee. Answers the filter flags (and, when
//! the organizer asks for it, every weirdest fact) wait in a review queue
//! until the organizer approves them; the organizer can also hide or edit
//! any field. Others (the board, their group, the API) only ever see the
//! attendee's *public* profile, with held-back fields left out.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{AttendeeId, Event};
use crate::domain::content::{Field, flagged_fields};
use crate::domain::{FieldErrors, Profile, ProfileInput};

/// The organizer's view of one attendee's answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Review {
    /// Waiting for the organizer's approval.
    pub pending: BTreeSet<Field>,
    /// Hidden by the organizer.
    pub hidden: BTreeSet<Field>,
}

impl Review {
    /// Whether others see `field`.
    pub fn held(&self, field: Field) -> bool {
        self.pending.contains(&field) || self.hidden.contains(&field)
    }
}

/// The profile others see: held-back fields empty, a held-back name
/// replaced by "Guest N" (which is also what they are called, so what they
/// asked to be called stays out with it and the room sees the stand-in
/// until the organizer approves).
pub fn public_profile(id: AttendeeId, profile: &Profile, review: &Review) -> Profile {
    let stand_in = || format!("Guest {}", id + 1);
    let text = |field: Field, value: &String| {
        if review.held(field) {
            String::new()
        } else {
            value.clone()
        }
    };
    Profile {
        name: if review.held(Field::Name) {
            stand_in()
        } else {
            profile.name.clone()
        },
        call_me: if review.held(Field::Name) {
            stand_in()
        } else {
            text(Field::CallMe, &profile.call_me)
        },
        work: text(Field::Work, &profile.work),
        interests: if review.held(Field::Interests) {
            Vec::new()
        } else {
            profile.interests.clone()
        },
        ask_me_about: text(Field::AskMeAbout, &profile.ask_me_about),
        weird_fact: text(Field::WeirdFact, &profile.weird_fact),
        spot_me: text(Field::SpotMe, &profile.spot_me),
    }
}

/// The fields that differ between two profiles.
fn changed_fields(before: &Profile, after: &Profile) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|&f| f.text(before) != f.text(after))
        .collect()
}

/// A review-queue decision the organizer can make by name.
pub type ReviewAction = fn(&mut Event, AttendeeId) -> bool;

impl Event {
    /// The review action called `name` (`approve` or `hide`).
    pub fn review_action(name: &str) -> Option<ReviewAction> {
        match name {
            "approve" => Some(Event::approve),
            "hide" => Some(Event::hide_pending),
            _ => None,
        }
    }

    /// The fields of a new or changed profile that must wait for review.
    pub(super) fn screen(&self, profile: &Profile, changed: &[Field]) -> BTreeSet<Field> {
        let mut pending: BTreeSet<Field> = flagged_fields(profile)
            .into_iter()
            .filter(|f| changed.contains(f))
            .collect();
        if self.settings.facts_need_approval
            && changed.contains(&Field::WeirdFact)
            && !profile.weird_fact.is_empty()
        {
            pending.insert(Field::WeirdFact);
        }
        pending
    }

    /// An attendee whose answers may change: not one who erased their
    /// details (nothing of theirs may come back).
    fn editable(&mut self, id: AttendeeId) -> Option<&mut super::Attendee> {
        self.attendee_mut(id).filter(|a| a.erased_at.is_none())
    }

    /// Recomputes what others see of `id` after a change.
    pub(super) fn republish(&mut self, id: AttendeeId) {
        self.changes.attendees.insert(id);
        if let Some(a) = self.attendee_mut(id) {
            a.public = Arc::new(public_profile(id, &a.profile, &a.review));
        }
    }

    /// Replaces an attendee's answers (their seat does not change). Changed
    /// fields are screened again; a field the organizer hid and the
    /// attendee rewrote goes back to review rather than straight to the
    /// screen. Returns false for an unknown id or someone erased.
    pub fn update_profile(&mut self, id: AttendeeId, profile: Profile) -> bool {
        let Some(before) = self
            .attendee(id)
            .filter(|a| a.erased_at.is_none())
            .map(|a| Arc::clone(&a.profile))
        else {
            return false;
        };
        let changed = changed_fields(&before, &profile);
        let mut pending = self.screen(&profile, &changed);
        if let Some(a) = self.attendee_mut(id) {
            for field in &changed {
                if a.review.hidden.remove(field) {
                    pending.insert(*field);
                }
                a.review.pending.remove(field);
            }
            a.review.pending.extend(pending);
            a.set_profile(profile);
        }
        self.republish(id);
        true
    }

    /// Lets everything of `id` that waits for review be seen. Approving
    /// twice is fine. Returns false for an unknown id.
    pub fn approve(&mut self, id: AttendeeId) -> bool {
        let Some(a) = self.editable(id) else {
            return false;
        };
        a.review.pending.clear();
        self.republish(id);
        true
    }

    /// Hides `field` of `id` from everyone but the attendee and the
    /// organizer (`hidden = true`), or shows it (approving it if it was
    /// waiting for review).
    pub fn set_hidden(&mut self, id: AttendeeId, field: Field, hidden: bool) -> bool {
        let Some(a) = self.editable(id) else {
            return false;
        };
        if hidden {
            a.review.pending.remove(&field);
            a.review.hidden.insert(field);
        } else {
            a.review.hidden.remove(&field);
            a.review.pending.remove(&field);
        }
        self.republish(id);
        true
    }

    /// Hides everything of `id` that waits for review.
    pub fn hide_pending(&mut self, id: AttendeeId) -> bool {
        let Some(a) = self.editable(id) else {
            return false;
        };
        let pending = std::mem::take(&mut a.review.pending);
        a.review.hidden.extend(pending);
        self.republish(id);
        true
    }

    /// The organizer rewrites a field (e.g. shortens a name): checked like
    /// the attendee's own answers, and shown without further review.
    pub fn host_edit(
        &mut self,
        id: AttendeeId,
        field: Field,
        text: &str,
    ) -> Result<(), FieldErrors> {
        let Some(a) = self.attendee(id) else {
            return Err(FieldErrors(
                [("id", "no attendee with that number".to_string())].into(),
            ));
        };
        if a.erased_at.is_some() {
            return Err(FieldErrors(
                [("id", "this person deleted their details".to_string())].into(),
            ));
        }
        let mut input = ProfileInput::from(a.profile.as_ref());
        match field {
            Field::Name => input.name = text.to_string(),
            Field::CallMe => input.call_me = text.to_string(),
            Field::Work => input.work = text.to_string(),
            Field::Interests => input.interests = crate::domain::split_interest_list(text),
            Field::AskMeAbout => input.ask_me_about = text.to_string(),
            Field::WeirdFact => input.weird_fact = text.to_string(),
            Field::SpotMe => input.spot_me = text.to_string(),
        }
        let profile = Profile::try_from(input)?;
        if let Some(a) = self.attendee_mut(id) {
            a.set_profile(profile);
            a.review.pending.remove(&field);
            a.review.hidden.remove(&field);
        }
        self.republish(id);
        Ok(())
    }
}
