//! The three output formats of `icebreaker plan`.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use super::input::InputAttendee;
use crate::export::spreadsheet_safe;
use crate::matching::Plan;

/// Interests at least two members of `group` share, most shared first.
pub fn shared_interests(attendees: &[InputAttendee], group: &[usize]) -> Vec<String> {
    crate::domain::shared_interests(group.iter().map(|&m| attendees[m].interests.as_slice()))
}

pub fn table(
    attendees: &[InputAttendee],
    plan: &Plan,
    group_size: usize,
    elapsed_ms: u128,
) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for (r, round) in plan.rounds.iter().enumerate() {
        writeln!(out, "Round {}", r + 1)?;
        for (t, group) in round.groups.iter().enumerate() {
            let names: Vec<&str> = group.iter().map(|&m| attendees[m].name.as_str()).collect();
            write!(out, "  Table {}: {}", t + 1, names.join(", "))?;
            let shared = shared_interests(attendees, group);
            if !shared.is_empty() {
                write!(out, "  (shared: {})", shared.join(", "))?;
            }
            writeln!(out)?;
        }
        if !round.waiting.is_empty() {
            let names: Vec<&str> = round
                .waiting
                .iter()
                .map(|&m| attendees[m].name.as_str())
                .collect();
            writeln!(out, "  Waiting: {}", names.join(", "))?;
        }
        writeln!(out)?;
    }
    let s = &plan.stats;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut summary = format!(
        "{}, groups of {group_size}, {}: {} before the first repeat, {}",
        plural(attendees.len(), "person", "people"),
        plural(plan.rounds.len(), "round", "rounds"),
        plural(s.rounds_before_first_repeat, "round", "rounds"),
        plural(s.repeat_pairs, "repeat pair", "repeat pairs"),
    );
    if attendees.iter().any(|a| !a.interests.is_empty()) {
        summary += &format!(
            ", {} without a shared interest",
            plural(s.groups_without_shared_interest, "group", "groups")
        );
    }
    writeln!(out, "{summary} ({elapsed_ms} ms).")?;
    out.flush()
}

pub fn csv(attendees: &[InputAttendee], plan: &Plan) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(BufWriter::new(io::stdout().lock()));
    out.write_record(["round", "table", "id", "name"])?;
    for (r, round) in plan.rounds.iter().enumerate() {
        for (t, group) in round.groups.iter().enumerate() {
            for &m in group {
                out.write_record([
                    (r + 1).to_string(),
                    (t + 1).to_string(),
                    spreadsheet_safe(&attendees[m].id),
                    spreadsheet_safe(&attendees[m].name),
                ])?;
            }
        }
        for &m in &round.waiting {
            out.write_record([
                (r + 1).to_string(),
                String::new(),
                spreadsheet_safe(&attendees[m].id),
                spreadsheet_safe(&attendees[m].name),
            ])?;
        }
    }
    out.flush()
}

#[derive(Serialize)]
struct JsonRound<'a> {
    round: usize,
    groups: Vec<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    waiting: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonStats<'a> {
    #[serde(flatten)]
    stats: &'a crate::matching::PlanStats,
    elapsed_ms: u128,
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    rounds: Vec<JsonRound<'a>>,
    stats: JsonStats<'a>,
}

pub fn json(attendees: &[InputAttendee], plan: &Plan, elapsed_ms: u128) -> io::Result<()> {
    let id = |m: &usize| attendees[*m].id.as_str();
    let doc = JsonPlan {
        rounds: plan
            .rounds
            .iter()
            .enumerate()
            .map(|(r, round)| JsonRound {
                round: r + 1,
                groups: round
                    .groups
                    .iter()
                    .map(|g| g.iter().map(id).collect())
                    .collect(),
                waiting: round.waiting.iter().map(id).collect(),
            })
            .collect(),
        stats: JsonStats {
            stats: &plan.stats,
            elapsed_ms,
        },
    };
    let mut out = BufWriter::new(io::stdout().lock());
    serde_json::to_writer(&mut out, &doc)?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, interests: &[&str]) -> InputAttendee {
        InputAttendee {
            id: name.to_string(),
            name: name.to_string(),
            interests: interests.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn shared_interests_match_after_normalisation() {
        let people = [
            person("a", &["Hiking", "chess"]),
            person("b", &["hikings ", "jazz"]),
            person("c", &["Jazz", "HIKING"]),
        ];
        assert_eq!(
            shared_interests(&people, &[0, 1, 2]),
            vec!["Hiking", "jazz"]
        );
        assert!(shared_interests(&people, &[0]).is_empty());
    }
}
