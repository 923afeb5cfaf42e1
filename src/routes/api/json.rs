//! The shapes the API answers with, built from the event's state.

use serde::Serialize;

use crate::clock::rfc3339;
use crate::event::{Attendee, AttendeeId, Finale, Presence, Round, Seat, Settings, Snapshot};
use crate::views;
use crate::views::BoardNames;

/// The settings an organizer can change, as the API shows them.
pub fn settings(s: &Settings) -> serde_json::Value {
    serde_json::json!({
        "group_size": s.group_size,
        "round_minutes": s.round_minutes,
        "registration_open": s.registration_open,
        "max_attendees": s.max_attendees,
        "auto_rotate": s.auto_rotate,
        "changeover_seconds": s.changeover_seconds,
        "facts_need_approval": s.facts_need_approval,
        "table_names": s.table_names,
        "retention_days": s.retention_days,
    })
}

#[derive(Serialize)]
pub struct EventRef<'a> {
    pub name: &'a str,
    pub code: &'a str,
}

/// Someone on the board: the name exactly as the board shows it (told
/// apart from others', never the full name).
#[derive(Serialize)]
pub struct MemberName {
    pub id: AttendeeId,
    pub name: String,
}

#[derive(Serialize)]
pub struct BoardGroup {
    pub table: usize,
    pub members: Vec<MemberName>,
    pub shared_interests: Vec<String>,
}

#[derive(Serialize)]
pub struct BoardRound {
    pub number: usize,
    pub started_at: String,
    pub ends_at: String,
    /// Paused by the organizer: `ends_at` moves when the round resumes.
    pub paused: bool,
    pub groups: Vec<BoardGroup>,
    /// Late arrivals waiting for enough others to open a table.
    pub waiting: Vec<MemberName>,
}

#[derive(Serialize)]
pub struct Board<'a> {
    pub event: EventRef<'a>,
    pub attendee_count: usize,
    pub present_count: usize,
    pub round: Option<BoardRound>,
    /// The closing figures, once the event has ended (`null` before).
    pub finale: Option<FinaleJson<'a>>,
}

/// An interest and how many people came with it.
#[derive(Serialize)]
pub struct HeldInterest<'a> {
    /// As most of them spelled it.
    pub interest: &'a str,
    /// How many people hold it.
    pub people: usize,
}

/// How many attendees met exactly `met` distinct people.
#[derive(Serialize)]
pub struct MetCount {
    /// A number of distinct people met.
    pub met: usize,
    /// How many attendees met exactly that many.
    pub attendees: usize,
}

/// The finale as the API shows it: counts and interests only, never a
/// name or a contact detail (see [`Finale`] for the definitions).
#[derive(Serialize)]
pub struct FinaleJson<'a> {
    /// Attendees who came (joined and not removed).
    pub people: usize,
    /// Rounds played.
    pub rounds: usize,
    /// Distinct pairs who shared a table.
    pub new_pairs: usize,
    /// Pairs who both ticked "I'd like to stay in touch".
    pub mutual_pairs: usize,
    /// Distinct people met per person, to two decimals.
    pub average_met: f64,
    /// The most distinct people anyone met.
    pub max_met: usize,
    /// Up to five interests held by two people or more, most held first.
    pub top_interests: Vec<HeldInterest<'a>>,
    /// Only the numbers someone actually met (no zero entries).
    pub met_histogram: Vec<MetCount>,
    /// People who came to an earlier event on this server.
    pub regulars: usize,
}

/// The finale's figures for the board JSON.
fn finale(f: &Finale) -> FinaleJson<'_> {
    FinaleJson {
        people: f.people(),
        rounds: f.rounds,
        new_pairs: f.new_pairs,
        mutual_pairs: f.mutual_pairs,
        regulars: f.regulars,
        average_met: (f.average_met() * 100.0).round() / 100.0,
        max_met: f.max_met(),
        top_interests: f
            .top_interests
            .iter()
            .map(|(interest, people)| HeldInterest {
                interest,
                people: *people,
            })
            .collect(),
        met_histogram: f
            .met_histogram
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(met, &attendees)| MetCount { met, attendees })
            .collect(),
    }
}

fn names(event: &Snapshot, shown: &BoardNames, ids: &[AttendeeId]) -> Vec<MemberName> {
    ids.iter()
        .filter_map(|&id| event.attendee(id))
        .map(|a| MemberName {
            id: a.id,
            name: shown.get(a).to_string(),
        })
        .collect()
}

pub fn board_round(event: &Snapshot, round: &Round) -> BoardRound {
    let shown = BoardNames::of(event);
    BoardRound {
        number: round.number,
        started_at: rfc3339(round.started_at),
        ends_at: rfc3339(round.ends_at),
        paused: round.paused_left.is_some(),
        groups: round
            .tables
            .iter()
            .filter(|t| !t.members.is_empty())
            .map(|t| BoardGroup {
                table: t.number,
                members: names(event, &shown, &t.members),
                shared_interests: event.table_shared_interests(&t.members),
            })
            .collect(),
        waiting: names(event, &shown, &round.waiting),
    }
}

pub fn board(event: &Snapshot) -> Board<'_> {
    Board {
        event: EventRef {
            name: &event.name,
            code: event.code.as_str(),
        },
        attendee_count: event.attendees().len(),
        present_count: event.present_count(),
        round: event.current_round().map(|r| board_round(event, r)),
        finale: event.finale.as_deref().map(finale),
    }
}

/// A fellow group member, as another attendee sees them (no weirdest fact:
/// that is the group's guessing game).
#[derive(Serialize)]
pub struct Member<'a> {
    pub id: AttendeeId,
    pub name: &'a str,
    /// What they asked to be called (empty when they did not say).
    pub call_me: &'a str,
    /// The name every screen shows for them.
    pub shown_name: std::borrow::Cow<'a, str>,
    pub work: &'a str,
    pub interests: &'a [String],
    pub ask_me_about: &'a str,
    pub spot_me: &'a str,
    /// The interests the viewer gave that this person gave too.
    pub in_common: Vec<String>,
}

#[derive(Serialize)]
pub struct Group<'a> {
    pub round: usize,
    pub table: usize,
    pub ends_at: String,
    pub members: Vec<Member<'a>>,
    pub shared_interests: Vec<String>,
    pub prompts: Vec<String>,
}

#[derive(Serialize)]
pub struct ReviewState {
    pub pending: Vec<&'static str>,
    pub hidden: Vec<&'static str>,
}

/// An attendee's own view: their profile, status and group.
#[derive(Serialize)]
pub struct Me<'a> {
    pub id: AttendeeId,
    /// Only in the answer to joining: the secret for later requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub event: EventRef<'a>,
    pub name: &'a str,
    /// What they asked to be called (empty when they did not say).
    pub call_me: &'a str,
    /// The name others see for them: the stand-in while it is held.
    pub shown_name: std::borrow::Cow<'a, str>,
    pub work: &'a str,
    pub interests: &'a [String],
    pub ask_me_about: &'a str,
    pub weird_fact: &'a str,
    pub spot_me: &'a str,
    pub present: bool,
    /// `present`, `on_break`, `left` or `removed`.
    pub status: &'static str,
    /// `lobby` (no round yet), `table`, `waiting` (arrived during a full
    /// round) or `away`.
    pub seat: &'static str,
    /// Own fields waiting for the organizer's approval, and those hidden.
    pub review: ReviewState,
    pub group: Option<Group<'a>>,
    pub personal_link: String,
    /// Came to an earlier event on this server (linked when joining).
    pub regular: bool,
}

pub fn me<'a>(event: &'a Snapshot, me: &'a Attendee, personal_link: String) -> Me<'a> {
    let seat = match event.seat_of(me.id) {
        Seat::Lobby => "lobby",
        Seat::Table { .. } => "table",
        Seat::Waiting { .. } => "waiting",
        Seat::Away => "away",
    };
    let group = event.group_of(me.id).map(|g| Group {
        round: g.round.number,
        table: g.table,
        ends_at: rfc3339(g.round.ends_at),
        members: g
            .in_common
            .iter()
            .filter_map(|c| Some((event.attendee(c.with)?, c)))
            .map(|(a, c)| Member {
                id: a.id,
                name: &a.public.name,
                call_me: &a.public.call_me,
                shown_name: a.public.shown_name(),
                work: &a.public.work,
                interests: &a.public.interests,
                ask_me_about: &a.public.ask_me_about,
                spot_me: &a.public.spot_me,
                in_common: c.interests.clone(),
            })
            .collect(),
        shared_interests: g.shared_interests,
        prompts: g
            .prompts
            .iter()
            .map(|p| views::prompt_text(event, p))
            .collect(),
    });
    let p = &me.profile;
    Me {
        id: me.id,
        token: None,
        event: EventRef {
            name: &event.name,
            code: event.code.as_str(),
        },
        name: &p.name,
        call_me: &p.call_me,
        shown_name: me.public.shown_name(),
        work: &p.work,
        interests: &p.interests,
        ask_me_about: &p.ask_me_about,
        weird_fact: &p.weird_fact,
        spot_me: &p.spot_me,
        present: me.presence == Presence::Present,
        status: me.presence.key(),
        seat,
        review: ReviewState {
            pending: me.review.pending.iter().map(|f| f.key()).collect(),
            hidden: me.review.hidden.iter().map(|f| f.key()).collect(),
        },
        group,
        regular: me.is_regular(),
        personal_link,
    }
}
