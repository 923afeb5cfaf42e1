//! `icebreaker plan`: rotating groups planned ahead of time, from a CSV or
//! JSON attendee list (or `--people N` anonymous attendees).

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use super::input::{InputAttendee, MAX_ATTENDEES, PlanInput, read_input};
use super::output;
use crate::deadline::Deadline;
use crate::matching::{PastMeeting, PlanRequest, plan};

/// Most bytes read from the input file: ample for 100,000 attendees.
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: per round, `Table 1: Ada, Bob, Cy, Dee`.
    Table,
    /// `round,table,id,name`, one row per seat.
    Csv,
    /// One JSON object with the rounds and the plan's figures.
    Json,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Target group size [default: 4, or the JSON file's `group_size`].
    #[arg(long, value_name = "N")]
    pub group_size: Option<usize>,
    /// Rounds to plan [default: 6, or the JSON file's `rounds`].
    #[arg(long, value_name = "N")]
    pub rounds: Option<usize>,
    /// Seed of the search: the same input and seed give the same plan when
    /// the search finishes within the time limit.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Longest the search may take, in seconds; the best plan found by then
    /// is printed.
    #[arg(long, value_name = "SECS", default_value_t = 3.0, value_parser = parse_time_limit)]
    pub time_limit: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Plan for N anonymous attendees `Person 1`..`Person N` instead of a file.
    #[arg(long, value_name = "N", conflicts_with = "file")]
    pub people: Option<usize>,
    /// CSV (columns `name`, optional `interests` separated by `;`, optional
    /// `id`) or JSON; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,
}

fn parse_time_limit(s: &str) -> Result<f64, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if secs.is_finite() && secs > 0.0 && secs <= 3600.0 {
        Ok(secs)
    } else {
        Err("the time limit must be more than 0 and at most 3600 seconds".to_string())
    }
}

/// Prints `error: …` on stderr and returns exit code 2 (bad input).
fn bad_input(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn load(args: &PlanArgs) -> Result<PlanInput, String> {
    if let Some(n) = args.people {
        if n == 0 || n > MAX_ATTENDEES {
            return Err(format!("--people must be between 1 and {MAX_ATTENDEES}"));
        }
        let attendees = (1..=n)
            .map(|i| InputAttendee {
                id: i.to_string(),
                name: format!("Person {i}"),
                interests: Vec::new(),
            })
            .collect();
        return Ok(PlanInput {
            attendees,
            ..PlanInput::default()
        });
    }
    let mut bytes = Vec::new();
    let (source, result) = match args.file.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(path) => (
            path.display().to_string(),
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)),
        ),
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!("Reading attendees from stdin (CSV or JSON; Ctrl-D to finish)…");
            }
            let result = stdin
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes);
            ("stdin".to_string(), result)
        }
    };
    result.map_err(|e| format!("cannot read {source}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "{source} is larger than {} MB",
            MAX_INPUT_BYTES >> 20
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{source} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    read_input(&text).map_err(|e| format!("{source}: {e}"))
}

pub fn run(args: PlanArgs) -> ExitCode {
    let input = match load(&args) {
        Ok(input) => input,
        Err(message) => return bad_input(message),
    };
    let group_size = args.group_size.or(input.group_size).unwrap_or(4);
    let rounds = args.rounds.or(input.rounds).unwrap_or(6);
    let index: std::collections::HashMap<&str, usize> = input
        .attendees
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    // Ids in the history and apart lists were checked when reading; a
    // miss cannot happen.
    let numbered =
        |(a, b): &(String, String)| Some((*index.get(a.as_str())?, *index.get(b.as_str())?));
    let history = input
        .history
        .iter()
        .filter_map(numbered)
        .map(|(a, b)| PastMeeting { a, b, times: 1 })
        .collect();
    let apart = input.apart.iter().filter_map(numbered).collect();
    let request = PlanRequest {
        interests: input
            .attendees
            .iter()
            .map(|a| a.interests.clone())
            .collect(),
        group_size,
        rounds,
        history,
        earlier: Vec::new(),
        apart,
        seed: args.seed,
    };
    let started = Instant::now();
    let limit = Duration::from_secs_f64(args.time_limit);
    let what = format!("{rounds} rounds for {} people", request.interests.len());
    let result = super::progress::with_progress(&what, limit, Deadline::after(limit), |budget| {
        plan(&request, budget)
    });
    let elapsed_ms = started.elapsed().as_millis();
    let plan = match result {
        Ok(plan) => plan,
        Err(e) => return bad_input(e),
    };
    let printed = match args.format {
        Format::Table => output::table(&input.attendees, &plan, group_size, elapsed_ms),
        Format::Csv => output::csv(&input.attendees, &plan),
        Format::Json => output::json(&input.attendees, &plan, elapsed_ms),
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the plan: {e}");
            ExitCode::FAILURE
        }
    }
}
