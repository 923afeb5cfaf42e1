//! What one attendee sees of the current round: their table, who is there,
//! what they share and how to start talking. Pure: built from the event's
//! state on demand for the attendee page and the JSON API.

use super::{AttendeeId, Event, Presence, Round};
use crate::domain::shared_interests;

/// Where an attendee is in the current round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seat<'a> {
    /// No round has started yet.
    Lobby,
    /// At a table with others.
    Table {
        round: &'a Round,
        table: usize,
        members: &'a [AttendeeId],
    },
    /// Arrived during a round; a table opens when enough others arrive.
    Waiting { round: &'a Round },
    /// On a break, left or removed: not part of the round.
    Away,
}

/// An attendee's group, with what it has in common and conversation prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView<'a> {
    pub round: &'a Round,
    pub table: usize,
    /// Everyone at the table, the attendee included, in seating order.
    pub members: &'a [AttendeeId],
    pub shared_interests: Vec<String>,
    pub prompts: Vec<String>,
}

/// Said when a group has nothing more specific to start from.
const FALLBACK_PROMPTS: [&str; 3] = [
    "What are you working on that you're excited about?",
    "What brought you here tonight?",
    "What's something you learned recently that surprised you?",
];

impl Event {
    /// Where `id` sits in the current round.
    pub fn seat_of(&self, id: AttendeeId) -> Seat<'_> {
        let Some(attendee) = self.attendee(id) else {
            return Seat::Away;
        };
        if attendee.presence != Presence::Present {
            return Seat::Away;
        }
        let Some(round) = self.current_round() else {
            return Seat::Lobby;
        };
        match round.tables.iter().find(|t| t.members.contains(&id)) {
            Some(table) => Seat::Table {
                round,
                table: table.number,
                members: &table.members,
            },
            None => Seat::Waiting { round },
        }
    }

    /// Interests at least two members of a table share.
    pub fn table_shared_interests(&self, members: &[AttendeeId]) -> Vec<String> {
        shared_interests(
            members
                .iter()
                .filter_map(|&m| self.attendee(m))
                .map(|a| a.profile.interests.as_slice()),
        )
    }

    /// The group `id` sits with now, if seated at a table.
    pub fn group_of(&self, id: AttendeeId) -> Option<GroupView<'_>> {
        let Seat::Table {
            round,
            table,
            members,
        } = self.seat_of(id)
        else {
            return None;
        };
        let shared = self.table_shared_interests(members);
        let prompts = self.prompts_for(id, members, &shared);
        Some(GroupView {
            round,
            table,
            members,
            shared_interests: shared,
            prompts,
        })
    }

    /// Conversation starters for `id` at a table: the others' "ask me
    /// about", the shared interests, and the others' weirdest facts as a
    /// guessing game (unattributed, so the group has to find out who).
    fn prompts_for(
        &self,
        id: AttendeeId,
        members: &[AttendeeId],
        shared: &[String],
    ) -> Vec<String> {
        let others: Vec<_> = members
            .iter()
            .filter(|&&m| m != id)
            .filter_map(|&m| self.attendee(m))
            .collect();
        let mut prompts: Vec<String> = others
            .iter()
            .filter(|a| !a.profile.ask_me_about.is_empty())
            .map(|a| format!("Ask {} about {}", a.profile.name, a.profile.ask_me_about))
            .collect();
        prompts.extend(
            shared
                .iter()
                .map(|i| format!("You share {i}: how did each of you get into it?")),
        );
        prompts.extend(
            others
                .iter()
                .filter(|a| !a.profile.weird_fact.is_empty())
                .map(|a| format!("Someone here knows that {} — who?", a.profile.weird_fact)),
        );
        if prompts.is_empty() {
            prompts.extend(FALLBACK_PROMPTS.iter().map(|p| p.to_string()));
        }
        prompts
    }
}

impl Event {
    /// The interests most people here gave (as first typed), most common
    /// first: suggestions for the join form.
    pub fn popular_interests(&self, limit: usize) -> Vec<String> {
        let mut counts: rustc_hash::FxHashMap<crate::domain::InterestKey, (usize, usize, &String)> =
            rustc_hash::FxHashMap::default();
        for (order, interest) in self
            .attendees
            .iter()
            .filter(|a| a.presence == Presence::Present)
            .flat_map(|a| a.profile.interests.iter())
            .enumerate()
        {
            if let Some(key) = crate::domain::normalize_interest(interest) {
                counts.entry(key).or_insert((0, order, interest)).0 += 1;
            }
        }
        let mut ranked: Vec<_> = counts.into_values().collect();
        ranked.sort_by_key(|&(count, order, _)| (std::cmp::Reverse(count), order));
        ranked
            .into_iter()
            .take(limit)
            .map(|(_, _, s)| s.clone())
            .collect()
    }
}
