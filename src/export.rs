//! What the organizer takes home: the attendees and the rounds, as CSV
//! (RFC 4180, safe to open in a spreadsheet) or JSON. No HTTP here.

use serde::Serialize;

use crate::clock::rfc3339;
use crate::domain::Contact;
use crate::event::{Attendee, Event};

/// A cell that a spreadsheet will not run as a formula: text starting with
/// `= + - @` (or a tab or carriage return, which some spreadsheets skip),
/// or their fullwidth and small forms (`＝＋－＠`, `﹦﹢﹣﹫`, which some
/// spreadsheets in East Asian locales read as the ASCII ones), gets a
/// leading apostrophe. Quoting of commas, quotes and newlines is the CSV
/// writer's job.
pub fn spreadsheet_safe(cell: &str) -> String {
    const STARTS: [char; 14] = [
        '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}', '\u{FE66}',
        '\u{FE62}', '\u{FE63}', '\u{FE6B}',
    ];
    if cell.starts_with(STARTS) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn keys(fields: &std::collections::BTreeSet<crate::domain::Field>) -> String {
    fields.iter().map(|f| f.key()).collect::<Vec<_>>().join(";")
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    // Every cell is a Rust string, so the output is UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One row per attendee: their answers as given, status and join time.
pub fn attendees_csv(event: &Event) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "id",
        "name",
        "work",
        "interests",
        "ask_me_about",
        "weird_fact",
        "spot_me",
        "status",
        "joined_at",
        "held_for_review",
        "hidden",
        "email",
        "phone",
        "link",
        "deleted_at",
        // Added after the first release: last, so columns keep their places.
        "call_me",
    ])?;
    for a in event.attendees() {
        let p = &a.profile;
        out.write_record([
            a.id.to_string(),
            spreadsheet_safe(&p.name),
            spreadsheet_safe(&p.work),
            spreadsheet_safe(&p.interests.join("; ")),
            spreadsheet_safe(&p.ask_me_about),
            spreadsheet_safe(&p.weird_fact),
            spreadsheet_safe(&p.spot_me),
            a.presence.key().to_string(),
            rfc3339(a.joined_at),
            keys(&a.review.pending),
            keys(&a.review.hidden),
            spreadsheet_safe(&shared(a).email),
            spreadsheet_safe(&shared(a).phone),
            spreadsheet_safe(&shared(a).link),
            a.erased_at.map(rfc3339).unwrap_or_default(),
            spreadsheet_safe(&p.call_me),
        ])?;
    }
    finish(out)
}

/// Contact details the organizer may have: only of people who ticked
/// "the organizer may have them too".
fn shared(a: &Attendee) -> Contact {
    if a.contact.share_with_organizer {
        a.contact.clone()
    } else {
        Contact::default()
    }
}

/// One row per seat per round: who sat at which table.
pub fn rounds_csv(event: &Event) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["round", "started_at", "table", "table_name", "id", "name"])?;
    for round in event.rounds() {
        for table in &round.tables {
            for &m in &table.members {
                let name = event.attendee(m).map_or("", |a| a.profile.name.as_str());
                out.write_record([
                    round.number.to_string(),
                    rfc3339(round.started_at),
                    table.number.to_string(),
                    spreadsheet_safe(&event.settings.table_label(table.number)),
                    m.to_string(),
                    spreadsheet_safe(name),
                ])?;
            }
        }
    }
    finish(out)
}

#[derive(Serialize)]
struct AttendeeRow<'a> {
    id: u32,
    name: &'a str,
    /// What they asked to be called (empty when they did not say).
    call_me: &'a str,
    work: &'a str,
    interests: &'a [String],
    ask_me_about: &'a str,
    weird_fact: &'a str,
    spot_me: &'a str,
    status: &'static str,
    joined_at: String,
    held_for_review: Vec<&'static str>,
    hidden: Vec<&'static str>,
    /// Came to an earlier event on this server (see `Attendee::is_regular`).
    regular: bool,
    /// Only with the attendee's consent (see [`shared`]).
    contact: Option<Contact>,
    deleted_at: Option<String>,
}

fn attendee_row(a: &Attendee) -> AttendeeRow<'_> {
    let p = &a.profile;
    AttendeeRow {
        id: a.id,
        name: &p.name,
        call_me: &p.call_me,
        work: &p.work,
        interests: &p.interests,
        ask_me_about: &p.ask_me_about,
        weird_fact: &p.weird_fact,
        spot_me: &p.spot_me,
        status: a.presence.key(),
        joined_at: rfc3339(a.joined_at),
        held_for_review: a.review.pending.iter().map(|f| f.key()).collect(),
        hidden: a.review.hidden.iter().map(|f| f.key()).collect(),
        regular: a.is_regular(),
        contact: a.contact.share_with_organizer.then(|| a.contact.clone()),
        deleted_at: a.erased_at.map(rfc3339),
    }
}

/// Everything in one document: the event, its attendees and its rounds
/// (attendee ids as in the attendee list and the API).
pub fn json(event: &Event) -> serde_json::Value {
    let rounds: Vec<serde_json::Value> = event
        .rounds()
        .iter()
        .map(|r| {
            serde_json::json!({
                "round": r.number,
                "started_at": rfc3339(r.started_at),
                "ends_at": rfc3339(r.ends_at),
                "tables": r.tables.iter().filter(|t| !t.members.is_empty()).map(|t| serde_json::json!({
                    "table": t.number,
                    "name": event.settings.table_label(t.number),
                    "members": &t.members,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let (newcomers, regulars) = event.attendees().newcomers_and_regulars();
    serde_json::json!({
        "event": {
            "name": event.name,
            "code": event.code.as_str(),
            "ended_at": event.ended_at.map(rfc3339),
            "newcomers": newcomers,
            "regulars": regulars,
        },
        "attendees": event.attendees().iter().map(|a| attendee_row(a)).collect::<Vec<_>>(),
        "rounds": rounds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(
            spreadsheet_safe("=cmd|' /C calc'!A0"),
            "'=cmd|' /C calc'!A0"
        );
        assert_eq!(spreadsheet_safe("@SUM(1)"), "'@SUM(1)");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("Ada"), "Ada");
        for formula in ["＝1+1", "＋1", "－1", "＠SUM(1)", "﹦1"] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
    }
}
