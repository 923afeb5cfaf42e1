//! Reading the attendee list for `icebreaker plan`: CSV or JSON, from a file
//! or stdin. Every problem becomes one [`InputError`] naming the line or
//! field, so the command can print a single clear line and exit with 2.

use std::collections::HashMap;

use serde::Deserialize;

/// Most attendees one plan accepts; far above any room, low enough that a
/// runaway file cannot exhaust memory.
pub const MAX_ATTENDEES: usize = 100_000;
/// Longest name and interest accepted, in characters.
const MAX_NAME_CHARS: usize = 200;
const MAX_INTEREST_CHARS: usize = 100;

/// One attendee as read from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputAttendee {
    pub id: String,
    pub name: String,
    pub interests: Vec<String>,
}

/// Everything the input file may say. Flags override `group_size` and
/// `rounds`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanInput {
    pub attendees: Vec<InputAttendee>,
    pub group_size: Option<usize>,
    pub rounds: Option<usize>,
    /// Pairs of ids who already met (once per entry).
    pub history: Vec<(String, String)>,
    /// Pairs of ids never to put in one group.
    pub apart: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("the input is empty: give a CSV with a header row, or JSON")]
    Empty,
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("the CSV header has no `name` column (found: {found})")]
    MissingNameColumn { found: String },
    #[error("{at}: the name is empty")]
    EmptyName { at: String },
    #[error("{at}: the name is longer than {MAX_NAME_CHARS} characters")]
    NameTooLong { at: String },
    #[error("{at}: the interest {interest:?} is longer than {MAX_INTEREST_CHARS} characters")]
    InterestTooLong { at: String, interest: String },
    #[error("{at}: the id is empty")]
    EmptyId { at: String },
    #[error("{at}: the id {id:?} is used twice (first at {first})")]
    DuplicateId {
        at: String,
        id: String,
        first: String,
    },
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("{list}[{index}]: unknown attendee id {id:?}")]
    UnknownPairId {
        list: &'static str,
        index: usize,
        id: String,
    },
    #[error("{list}[{index}]: the same attendee twice ({id:?})")]
    SamePerson {
        list: &'static str,
        index: usize,
        id: String,
    },
    #[error("too many attendees: at most {MAX_ATTENDEES}")]
    TooMany,
}

/// Parses `text` as JSON when it starts with `{`, as CSV otherwise.
pub fn read_input(text: &str) -> Result<PlanInput, InputError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    let input = if trimmed.starts_with('{') {
        read_json(trimmed)?
    } else {
        read_csv(trimmed)?
    };
    if input.attendees.len() > MAX_ATTENDEES {
        return Err(InputError::TooMany);
    }
    Ok(input)
}

/// Splits a CSV interests cell on `;` (commas would clash with CSV itself).
fn split_interests(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn read_csv(text: &str) -> Result<PlanInput, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line());
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("expected {expected_len} fields like the header, found {len}"),
            csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".to_string(),
            _ => e.to_string(),
        };
        InputError::Csv { line, message }
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let name_col = column("name").ok_or_else(|| InputError::MissingNameColumn {
        found: headers.iter().collect::<Vec<_>>().join(", "),
    })?;
    let interests_col = column("interests");
    let id_col = column("id");
    let mut input = PlanInput::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(i as u64 + 2, |p| p.line());
        let at = format!("line {line}");
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let id = match id_col {
            Some(_) => cell(id_col).to_string(),
            None => (input.attendees.len() + 1).to_string(),
        };
        let attendee = InputAttendee {
            id,
            name: cell(Some(name_col)).to_string(),
            interests: split_interests(cell(interests_col)),
        };
        check_attendee(&attendee, &at, &mut seen)?;
        input.attendees.push(attendee);
        if input.attendees.len() > MAX_ATTENDEES {
            return Err(InputError::TooMany);
        }
    }
    Ok(input)
}

/// An id in JSON may be a string or a number.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum JsonId {
    Text(String),
    Number(u64),
}

impl JsonId {
    fn into_string(self) -> String {
        match self {
            JsonId::Text(s) => s,
            JsonId::Number(n) => n.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonAttendee {
    id: Option<JsonId>,
    name: String,
    #[serde(default)]
    interests: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonInput {
    group_size: Option<usize>,
    rounds: Option<usize>,
    attendees: Vec<JsonAttendee>,
    #[serde(default)]
    history: Vec<(JsonId, JsonId)>,
    #[serde(default)]
    apart: Vec<(JsonId, JsonId)>,
}

fn read_json(text: &str) -> Result<PlanInput, InputError> {
    let parsed: JsonInput =
        serde_json::from_str(text).map_err(|e| InputError::Json(e.to_string()))?;
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut input = PlanInput {
        group_size: parsed.group_size,
        rounds: parsed.rounds,
        ..PlanInput::default()
    };
    for (i, a) in parsed.attendees.into_iter().enumerate() {
        let attendee = InputAttendee {
            id: a
                .id
                .map_or_else(|| (i + 1).to_string(), JsonId::into_string),
            name: a.name.trim().to_string(),
            interests: a
                .interests
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        check_attendee(&attendee, &format!("attendees[{i}]"), &mut seen)?;
        input.attendees.push(attendee);
    }
    input.history = id_pairs("history", parsed.history, &seen)?;
    input.apart = id_pairs("apart", parsed.apart, &seen)?;
    Ok(input)
}

/// Checks a list of id pairs (`history`, `apart`): both ids known, and
/// two different people.
fn id_pairs(
    list: &'static str,
    pairs: Vec<(JsonId, JsonId)>,
    seen: &HashMap<String, String>,
) -> Result<Vec<(String, String)>, InputError> {
    pairs
        .into_iter()
        .enumerate()
        .map(|(index, (a, b))| {
            let (a, b) = (a.into_string(), b.into_string());
            for id in [&a, &b] {
                if !seen.contains_key(id) {
                    let id = id.clone();
                    return Err(InputError::UnknownPairId { list, index, id });
                }
            }
            if a == b {
                return Err(InputError::SamePerson { list, index, id: a });
            }
            Ok((a, b))
        })
        .collect()
}

/// Checks one attendee; `seen` maps ids to where they first appeared.
fn check_attendee(
    a: &InputAttendee,
    at: &str,
    seen: &mut HashMap<String, String>,
) -> Result<(), InputError> {
    let at = at.to_string();
    if a.name.trim().is_empty() {
        return Err(InputError::EmptyName { at });
    }
    if a.name.chars().count() > MAX_NAME_CHARS {
        return Err(InputError::NameTooLong { at });
    }
    if let Some(long) = a
        .interests
        .iter()
        .find(|i| i.chars().count() > MAX_INTEREST_CHARS)
    {
        return Err(InputError::InterestTooLong {
            at,
            interest: long.chars().take(20).collect::<String>() + "…",
        });
    }
    if a.id.trim().is_empty() {
        return Err(InputError::EmptyId { at });
    }
    if let Some(first) = seen.get(&a.id) {
        return Err(InputError::DuplicateId {
            at,
            id: a.id.clone(),
            first: first.clone(),
        });
    }
    seen.insert(a.id.clone(), at);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_ids_and_interests() {
        let input = read_input("id,name,interests\na1,Ada, chess; AI \nb2,Bob,\n").unwrap();
        assert_eq!(input.attendees.len(), 2);
        assert_eq!(input.attendees[0].id, "a1");
        assert_eq!(input.attendees[0].interests, vec!["chess", "AI"]);
        assert!(input.attendees[1].interests.is_empty());
    }

    #[test]
    fn csv_without_id_numbers_people_from_one() {
        let input = read_input("name\nAda\nBob\n").unwrap();
        let ids: Vec<_> = input.attendees.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
    }

    #[test]
    fn csv_quoted_fields_keep_commas() {
        let input =
            read_input("name,interests\n\"Lovelace, Ada\",\"math; looms, mostly\"\n").unwrap();
        assert_eq!(input.attendees[0].name, "Lovelace, Ada");
        assert_eq!(input.attendees[0].interests, vec!["math", "looms, mostly"]);
    }

    #[test]
    fn csv_errors_name_the_line() {
        assert_eq!(
            read_input("name,interests\nAda,x\n,y\n").unwrap_err(),
            InputError::EmptyName {
                at: "line 3".into()
            }
        );
        let err = read_input("id,name\n1,Ada\n1,Bob\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: the id \"1\" is used twice (first at line 2)"
        );
        let err = read_input("name,interests\nAda,x,extra\n").unwrap_err();
        assert!(err.to_string().starts_with("line 2:"), "{err}");
        assert!(matches!(
            read_input("who,interests\nAda,x\n"),
            Err(InputError::MissingNameColumn { .. })
        ));
    }

    #[test]
    fn json_input_with_history() {
        let input = read_input(
            r#"{"group_size":3,"rounds":2,"attendees":[{"id":"a1","name":"Ada","interests":["chess"]},{"id":7,"name":"Bob"}],"history":[["a1",7]]}"#,
        )
        .unwrap();
        assert_eq!(input.group_size, Some(3));
        assert_eq!(input.rounds, Some(2));
        assert_eq!(input.attendees[1].id, "7");
        assert_eq!(input.history, vec![("a1".to_string(), "7".to_string())]);
    }

    #[test]
    fn json_input_with_pairs_kept_apart() {
        let text = r#"{"attendees":[{"id":"a","name":"Ada"},{"id":"b","name":"Bob"}],"apart":[["a","b"]]}"#;
        let input = read_input(text).unwrap();
        assert_eq!(input.apart, vec![("a".to_string(), "b".to_string())]);
        let err = read_input(&text.replace(r#"["a","b"]"#, r#"["a","a"]"#)).unwrap_err();
        assert_eq!(err.to_string(), "apart[0]: the same attendee twice (\"a\")");
        let err = read_input(&text.replace(r#"["a","b"]"#, r#"["a","z"]"#)).unwrap_err();
        assert_eq!(err.to_string(), "apart[0]: unknown attendee id \"z\"");
    }

    #[test]
    fn json_errors_name_the_field() {
        let err =
            read_input(r#"{"attendees":[{"name":"Ada"}],"history":[["1","9"]]}"#).unwrap_err();
        assert_eq!(err.to_string(), "history[0]: unknown attendee id \"9\"");
        let err = read_input(r#"{"attendees":[{"name":"  "}]}"#).unwrap_err();
        assert_eq!(err.to_string(), "attendees[0]: the name is empty");
        let err = read_input(r#"{"attendees":[{"name":"Ada","interest":["x"]}]}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `interest`"),
            "{err}"
        );
        let err = read_input(r#"{"attendees":[{"name":5}]}"#).unwrap_err();
        assert!(err.to_string().starts_with("invalid JSON:"), "{err}");
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(read_input("  \n").unwrap_err(), InputError::Empty);
    }
}
