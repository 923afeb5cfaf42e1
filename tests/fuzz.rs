//! Property tests (proptest as the fuzzer) of the parsers that take input
//! from strangers:
//!
//! - `POST /api/events/{code}/attendees` with arbitrary JSON values,
//!   arbitrary bytes and mutations of a valid body, against one server: never
//!   a 5xx, always JSON, and 201 exactly when the body is a valid profile
//!   (judged by an oracle built on `Profile::try_from`, the same checks the
//!   form uses); the join form likewise.
//! - `icebreaker::cli::read_input` (the `plan` CSV/JSON reader) on arbitrary
//!   text, CSV-like and JSON-like text and mutations of valid files: never a
//!   panic; `Ok` only with an attendee list that keeps its promises, `Err`
//!   always with a message.
//!
//! The servers run without the per-address write limit, since every case
//! comes from one address. Failure persistence is off so nothing is written
//! next to the tests; a case proptest finds is kept below as an ordinary
//! test instead.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "api/helpers.rs"]
#[allow(dead_code)] // this binary uses only some of the API tests' helpers
mod helpers;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use helpers::*;
use icebreaker::cli::read_input;
use icebreaker::domain::{Profile, ProfileInput, split_interest_list};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

/// The request body limit of the server.
const BODY_LIMIT: usize = 16 * 1024;

const PROFILE_KEYS: [&str; 7] = [
    "name",
    "call_me",
    "work",
    "interests",
    "ask_me_about",
    "weird_fact",
    "spot_me",
];

/// `cases` per property, or `PROPTEST_CASES` for a longer hunt.
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------
// Generators

/// Text that exercises the checks: clean words, markup, separators,
/// control, bidi and zero-width characters, emoji, formulas, and anything.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z][A-Za-z ]{0,20}",
        2 => "(<script>|\"|'|,|;|\n|\r|\t|\u{0}|\u{7}|\u{1b}|\u{85}|\u{202e}|\u{200b}|\u{feff}|😀|=|@|[a-z]{1,8}| ){0,24}",
        1 => any::<String>(),
        1 => (0usize..400).prop_map(|n| "é".repeat(n)),
        1 => Just(String::new()),
    ]
}

/// Mostly answers that pass, sometimes hostile text.
fn answer() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z][A-Za-z ]{0,20}",
        1 => text(),
    ]
}

/// An object key: mostly a profile field, sometimes anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(PROFILE_KEYS.to_vec()).prop_map(String::from),
        1 => prop::sample::select(vec!["id", "token", "present", "status", "Name", ""]).prop_map(String::from),
        1 => any::<String>(),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies shaped like a profile: the known fields, each present or not,
/// mostly with the right type, sometimes with any value, sometimes with
/// an extra field.
fn profile_body() -> impl Strategy<Value = Value> {
    let field = prop_oneof![
        12 => answer().prop_map(Value::String),
        1 => Just(Value::Null),
        1 => json_value(),
    ];
    let interests = prop_oneof![
        8 => prop::collection::vec(answer(), 1..4).prop_map(|v| json!(v)),
        1 => prop::collection::vec(text(), 0..12).prop_map(|v| json!(v)),
        1 => answer().prop_map(Value::String),
        1 => json_value(),
    ];
    (
        prop::collection::vec(prop::option::weighted(0.8, field), 6),
        prop::option::weighted(0.9, interests),
        prop::option::weighted(0.1, (key(), json_value())),
    )
        .prop_map(|(fields, interests, extra)| {
            let mut body = Map::new();
            let text_keys = [
                "name",
                "call_me",
                "work",
                "ask_me_about",
                "weird_fact",
                "spot_me",
            ];
            for (k, v) in text_keys.iter().zip(fields) {
                if let Some(v) = v {
                    body.insert((*k).to_string(), v);
                }
            }
            if let Some(v) = interests {
                body.insert("interests".into(), v);
            }
            if let Some((k, v)) = extra {
                body.insert(k, v);
            }
            Value::Object(body)
        })
}

/// A byte-level edit of a body.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}[]\",:\\ 0-e.nul\xff\xc3".to_vec())
        )
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
    ];
    prop::collection::vec(edit, 1..6)
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *edit {
            Edit::Flip(i, b) if !bytes.is_empty() => {
                let i = at(i, bytes.len());
                bytes[i] = b;
            }
            Edit::Insert(i, b) => {
                let i = at(i, bytes.len() + 1);
                bytes.insert(i, b);
            }
            Edit::Delete(i) if !bytes.is_empty() => {
                let i = at(i, bytes.len());
                bytes.remove(i);
            }
            Edit::Truncate(i) => bytes.truncate(at(i, bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

/// Raw bodies: arbitrary bytes, mutated valid profiles, deep nesting and
/// bodies around the size limit.
fn raw_body() -> impl Strategy<Value = Vec<u8>> {
    let valid = profile_body().prop_map(|v| serde_json::to_vec(&v).unwrap());
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..512),
        4 => (valid, edits()).prop_map(|(body, e)| apply(body, &e)),
        1 => (1usize..6000, prop::sample::select(vec!["[", "{\"a\":", "[{\"name\":"]))
            .prop_map(|(n, open)| open.repeat(n).into_bytes()),
        1 => (BODY_LIMIT - 64..BODY_LIMIT + 64).prop_map(|n| {
            let pad = n.saturating_sub(40);
            format!("{{\"name\":\"Ada\",\"interests\":\"x\",\"work\":\"{}\"}}", "w".repeat(pad))
                .into_bytes()
        }),
    ]
}

// ---------------------------------------------------------------------------
// The JSON join endpoint

/// A server taking every case from one address: no write limit, no
/// attendee cap within reach.
async fn spawn_fuzz_target() -> TestApp {
    spawn_app_with(|c| {
        c.limits.writes_per_minute = 0;
        c.defaults.max_attendees = 10_000_000;
    })
    .await
}

/// The profile a JSON object describes, or `None` when a field is unknown or
/// of the wrong type (as the server reads bodies: `null` is absent, a
/// string of interests is split at commas).
fn profile_input(fields: &Map<String, Value>) -> Option<ProfileInput> {
    let mut input = ProfileInput::default();
    for (key, value) in fields {
        if key == "interests" {
            match value {
                Value::Null => {}
                Value::String(s) => input.interests = split_interest_list(s),
                Value::Array(items) => {
                    input.interests = items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<_>>()?;
                }
                _ => return None,
            }
            continue;
        }
        let text = match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            _ => return None,
        };
        match key.as_str() {
            "name" => input.name = text,
            "call_me" => input.call_me = text,
            "work" => input.work = text,
            "ask_me_about" => input.ask_me_about = text,
            "weird_fact" => input.weird_fact = text,
            "spot_me" => input.spot_me = text,
            _ => return None,
        }
    }
    Some(input)
}

/// The status the server must answer to `body`.
fn expected_status(body: &[u8]) -> u16 {
    if body.len() > BODY_LIMIT {
        return 413;
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return 422; // read as {}: no name, no interests
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return 400;
    };
    match profile_input(&fields).map(Profile::try_from) {
        Some(Ok(_)) => 201,
        _ => 422,
    }
}

/// Posts `body` and checks the answer against the oracle; returns whether
/// someone joined.
fn check_join(
    runtime: &tokio::runtime::Runtime,
    app: &TestApp,
    body: Vec<u8>,
) -> Result<bool, TestCaseError> {
    let expected = expected_status(&body);
    let shown = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    let url = app.url(&format!("/api/events/{}/attendees", app.code));
    let (status, content_type, text) = runtime.block_on(async {
        let response = app
            .client
            .post(url)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, content_type, response.text().await.unwrap())
    });
    prop_assert!(status < 500, "{status} for {shown:?}: {text}");
    prop_assert_eq!(status, expected, "for {:?}: {}", shown, text);
    prop_assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let answer: Value =
        serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    if status == 201 {
        prop_assert!(answer["token"].as_str().is_some_and(|t| t.len() == 32));
    } else {
        prop_assert!(
            answer["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{answer}"
        );
        prop_assert!(answer["fields"].is_object(), "{answer}");
    }
    Ok(status == 201)
}

/// Runs `strategy`'s cases against one server and checks that it still
/// serves and counts exactly the accepted joins.
fn fuzz_join<S: Strategy>(cases: u32, strategy: S, to_body: impl Fn(S::Value) -> Vec<u8>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn_fuzz_target());
    let joined = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config(cases));
    runner
        .run(&strategy, |value| {
            if check_join(&runtime, &app, to_body(value))? {
                joined.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    runtime.block_on(async {
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), 200);
        assert_eq!(
            app.board().await["attendee_count"],
            joined.load(Ordering::Relaxed)
        );
    });
}

#[test]
fn the_join_endpoint_answers_any_json_value_with_the_right_status() {
    fuzz_join(200, json_value(), |v| serde_json::to_vec(&v).unwrap());
}

#[test]
fn the_join_endpoint_answers_profile_shaped_bodies_with_the_right_status() {
    fuzz_join(300, profile_body(), |v| serde_json::to_vec(&v).unwrap());
}

#[test]
fn the_join_endpoint_answers_arbitrary_and_mutated_bytes_with_the_right_status() {
    fuzz_join(300, raw_body(), |b| b);
}

/// Form fields: mostly a name and interests, some of the other fields
/// and unknown ones, mostly passing answers, sometimes one field twice.
fn form_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    let other = prop_oneof![
        4 => prop::sample::select(PROFILE_KEYS[1..].to_vec()).prop_map(String::from),
        1 => any::<String>(),
    ];
    let any_name = prop_oneof![
        3 => prop::sample::select(PROFILE_KEYS.to_vec()).prop_map(String::from),
        1 => any::<String>(),
    ];
    (
        prop::option::weighted(0.9, answer()),
        prop::option::weighted(0.9, answer()),
        prop::collection::btree_map(other, answer(), 0..5),
        prop::option::weighted(0.15, (any_name, text())),
    )
        .prop_map(|(name, interests, fields, again)| {
            let mut all: Vec<(String, String)> = Vec::new();
            all.extend(name.map(|v| ("name".to_string(), v)));
            all.extend(
                fields
                    .into_iter()
                    .filter(|(k, _)| k != "name" && k != "interests"),
            );
            all.extend(interests.map(|v| ("interests".to_string(), v)));
            all.extend(again);
            all
        })
}

/// `application/x-www-form-urlencoded`, as a browser writes it.
fn form_encode(fields: &[(String, String)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    char::from(b).to_string()
                }
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The status the join form must answer to `fields`.
fn expected_form_status(fields: &[(String, String)]) -> u16 {
    if form_encode(fields).len() > BODY_LIMIT {
        return 400;
    }
    let mut seen = HashSet::new();
    let mut input = ProfileInput::default();
    let mut interests = String::new();
    for (k, v) in fields {
        if !PROFILE_KEYS.contains(&k.as_str()) {
            continue;
        }
        if !seen.insert(k.as_str()) {
            return 400; // a field given twice
        }
        match k.as_str() {
            "name" => input.name = v.clone(),
            "work" => input.work = v.clone(),
            "interests" => interests = v.clone(),
            "ask_me_about" => input.ask_me_about = v.clone(),
            "weird_fact" => input.weird_fact = v.clone(),
            "call_me" => input.call_me = v.clone(),
            "spot_me" => input.spot_me = v.clone(),
            other => unreachable!("{other} is not in PROFILE_KEYS"),
        }
    }
    input.interests = split_interest_list(&interests);
    if Profile::try_from(input).is_ok() {
        303
    } else {
        422
    }
}

#[test]
fn the_join_form_answers_any_fields_with_the_right_status() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn_fuzz_target());
    let joined = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config(200));
    runner
        .run(&form_fields(), |fields| {
            let expected = expected_form_status(&fields);
            let (status, cookie, page) = runtime.block_on(async {
                let response = app
                    .client
                    .post(app.url(&format!("/e/{}", app.code)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(form_encode(&fields))
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let cookie = response.headers().contains_key("set-cookie");
                (status, cookie, response.text().await.unwrap())
            });
            prop_assert!(status < 500, "{status} for {fields:?}");
            prop_assert_eq!(status, expected, "for {:?}", fields);
            prop_assert_eq!(cookie, status == 303);
            if status != 303 {
                prop_assert!(page.contains("<h1"), "a page with a message");
                prop_assert!(!page.contains("<script>"), "typed markup escaped");
            } else {
                joined.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    runtime.block_on(async {
        assert_eq!(app.get("/healthz").await.status(), 200);
        assert_eq!(
            app.board().await["attendee_count"],
            joined.load(Ordering::Relaxed)
        );
    });
}

// ---------------------------------------------------------------------------
// The `plan` reader

/// `read_input`'s answer keeps its promises: an attendee list with unique,
/// non-empty ids, non-empty names within 200 characters, interests within
/// 100, history between known, distinct ids; or an error with a message.
fn check_plan(text: &str) -> Result<(), TestCaseError> {
    match read_input(text) {
        Ok(input) => {
            let mut ids = HashSet::new();
            for a in &input.attendees {
                prop_assert!(!a.id.trim().is_empty(), "empty id in {text:?}");
                prop_assert!(ids.insert(a.id.clone()), "duplicate id {:?}", a.id);
                prop_assert!(!a.name.trim().is_empty(), "empty name in {text:?}");
                prop_assert!(a.name.chars().count() <= 200);
                for i in &a.interests {
                    prop_assert!(!i.trim().is_empty(), "empty interest in {text:?}");
                    prop_assert!(i.chars().count() <= 100);
                }
            }
            prop_assert!(input.attendees.len() <= 100_000);
            for (a, b) in &input.history {
                prop_assert!(ids.contains(a) && ids.contains(b) && a != b);
            }
        }
        Err(e) => {
            prop_assert!(
                !e.to_string().trim().is_empty(),
                "an error without a message"
            );
        }
    }
    Ok(())
}

/// CSV-ish text: a header from likely and unlikely columns, then rows of
/// cells with quotes, separators, line breaks and odd characters.
fn csv_text() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "id,name,interests",
        "name",
        "name,interests",
        "\u{feff}Name,ID",
        "id,id,name",
        "name,name",
        "interests",
        "",
        "\"name\",\"interests\"",
        "name;interests",
    ]);
    let cell = "(\"|,|;|\n|\r\n|\r| |a|Ada|é|😀|=|\u{0}|\u{feff}|[0-9]){0,12}";
    let row = prop::collection::vec(cell, 0..5).prop_map(|cells| cells.join(","));
    (header, prop::collection::vec(row, 0..12))
        .prop_map(|(header, rows)| format!("{header}\n{}", rows.join("\n")))
}

/// JSON-ish text: objects with the reader's keys and values of any type.
fn plan_json_text() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        text().prop_map(Value::String),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        json_value(),
    ];
    let attendee = (
        prop::option::of(id.clone()),
        prop::option::of(prop_oneof![3 => text().prop_map(Value::String), 1 => json_value()]),
        prop::option::of(prop_oneof![
            3 => prop::collection::vec(text(), 0..4).prop_map(|v| json!(v)),
            1 => json_value(),
        ]),
        prop::option::weighted(0.05, (key(), json_value())),
    )
        .prop_map(|(id, name, interests, extra)| {
            let mut a = Map::new();
            for (k, v) in [("id", id), ("name", name), ("interests", interests)] {
                if let Some(v) = v {
                    a.insert(k.into(), v);
                }
            }
            if let Some((k, v)) = extra {
                a.insert(k, v);
            }
            Value::Object(a)
        });
    let number = prop_oneof![
        (0u64..200).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        json_value(),
    ];
    (
        prop::collection::vec(attendee, 0..8),
        prop::option::of(number.clone()),
        prop::option::of(number),
        prop::option::of(prop::collection::vec((id.clone(), id), 0..4)),
    )
        .prop_map(|(attendees, group_size, rounds, history)| {
            let mut doc = Map::new();
            doc.insert("attendees".into(), Value::Array(attendees));
            if let Some(v) = group_size {
                doc.insert("group_size".into(), v);
            }
            if let Some(v) = rounds {
                doc.insert("rounds".into(), v);
            }
            if let Some(h) = history {
                let pairs = h.into_iter().map(|(a, b)| json!([a, b])).collect();
                doc.insert("history".into(), Value::Array(pairs));
            }
            Value::Object(doc).to_string()
        })
}

const VALID_CSV: &str = "id,name,interests\na1,Ada Lovelace,chess; AI; hiking\na2,\"Hopper, Grace\",ai; jazz\n3,Linus,\n";
const VALID_JSON: &str = r#"{"group_size":3,"rounds":2,"attendees":[{"id":"a","name":"Ada","interests":["chess"]},{"id":2,"name":"Bob"},{"name":"Cy","interests":[]}],"history":[["a",2]]}"#;

/// A character-level edit, so the text stays a string.
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let specials = [
        '"', ',', ';', '\n', '\r', '{', '}', '[', ']', ':', '\u{feff}', '\0', 'é',
    ];
    for edit in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *edit {
            Edit::Flip(i, b) if !chars.is_empty() => {
                let i = at(i, chars.len());
                chars[i] = specials[usize::from(b) % specials.len()];
            }
            Edit::Insert(i, b) => {
                let i = at(i, chars.len() + 1);
                chars.insert(i, specials[usize::from(b) % specials.len()]);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let i = at(i, chars.len());
                chars.remove(i);
            }
            Edit::Truncate(i) => chars.truncate(at(i, chars.len() + 1)),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn the_plan_reader_survives_any_text(text in any::<String>()) {
        check_plan(&text)?;
    }

    #[test]
    fn the_plan_reader_survives_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check_plan(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn the_plan_reader_survives_csv_like_text(text in csv_text()) {
        check_plan(&text)?;
    }

    #[test]
    fn the_plan_reader_survives_json_like_text(text in plan_json_text()) {
        check_plan(&text)?;
    }

    #[test]
    fn the_plan_reader_survives_mutated_valid_files(
        json in any::<bool>(),
        edits in prop::collection::vec(
            prop_oneof![
                (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
                (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
                any::<usize>().prop_map(Edit::Delete),
                any::<usize>().prop_map(Edit::Truncate),
            ],
            1..8,
        ),
    ) {
        let valid = if json { VALID_JSON } else { VALID_CSV };
        check_plan(&mutate(valid, &edits))?;
    }
}

// ---------------------------------------------------------------------------
// A fixed corpus for the `plan` reader, the edge cases kept as plain tests.

#[test]
fn the_plan_reader_corpus_is_answered_without_panics() {
    let deep = format!("{{\"attendees\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
    let many_columns = format!("name{}\nAda{}", ",x".repeat(5000), ",1".repeat(5000));
    let long_name = format!("name\n{}", "n".repeat(201));
    let long_interest = format!("name,interests\nAda,{}", "i".repeat(101));
    let corpus: Vec<(&str, &str, bool)> = vec![
        ("empty", "", false),
        ("BOM only", "\u{feff}", false),
        ("whitespace", " \n\t\r\n", false),
        ("header only", "name\n", true),
        ("no name column", "id,interests\n1,x\n", false),
        // The csv crate closes a quote left open at the end of the input.
        ("unbalanced quote", "name\n\"Ada\n", true),
        ("quote in the middle", "name\nA\"da\n", true),
        ("ragged rows", "name,interests\nAda\nBob,x,y\n", false),
        ("NUL", "name\nA\0da\n", true),
        ("CR only", "name\rAda\rBob\r", true),
        ("duplicate ids", "id,name\n1,Ada\n1,Bob\n", false),
        ("empty id", "id,name\n,Ada\n", false),
        ("empty name", "name\n\"  \"\n", false),
        ("name too long", &long_name, false),
        ("interest too long", &long_interest, false),
        ("many columns", &many_columns, true),
        ("brace only", "{", false),
        ("JSON deep", &deep, false),
        ("JSON empty object", "{}", false),
        ("JSON no attendees", "{\"attendees\":[]}", true),
        (
            "JSON id float",
            "{\"attendees\":[{\"id\":1.5,\"name\":\"A\"}]}",
            false,
        ),
        (
            "JSON id negative",
            "{\"attendees\":[{\"id\":-1,\"name\":\"A\"}]}",
            false,
        ),
        (
            "JSON id huge",
            "{\"attendees\":[{\"id\":184467440737095516160,\"name\":\"A\"}]}",
            false,
        ),
        ("JSON name null", "{\"attendees\":[{\"name\":null}]}", false),
        (
            "JSON unknown field",
            "{\"attendees\":[{\"name\":\"A\",\"age\":3}]}",
            false,
        ),
        (
            "JSON group size negative",
            "{\"group_size\":-4,\"attendees\":[]}",
            false,
        ),
        (
            "JSON group size huge",
            "{\"group_size\":1e30,\"attendees\":[]}",
            false,
        ),
        (
            "JSON self meeting",
            "{\"attendees\":[{\"id\":\"a\",\"name\":\"A\"}],\"history\":[[\"a\",\"a\"]]}",
            false,
        ),
        (
            "JSON unknown in history",
            "{\"attendees\":[{\"name\":\"A\"}],\"history\":[[\"1\",\"9\"]]}",
            false,
        ),
        (
            "JSON history triple",
            "{\"attendees\":[{\"name\":\"A\"},{\"name\":\"B\"}],\"history\":[[1,2,3]]}",
            false,
        ),
        (
            "JSON number id equals text id",
            "{\"attendees\":[{\"id\":1,\"name\":\"A\"},{\"id\":\"1\",\"name\":\"B\"}]}",
            false,
        ),
        ("JSON trailing garbage", "{\"attendees\":[]} x", false),
        (
            "JSON lone surrogate",
            "{\"attendees\":[{\"name\":\"\\ud800\"}]}",
            false,
        ),
    ];
    for (label, text, ok) in corpus {
        let result = read_input(text);
        assert_eq!(result.is_ok(), ok, "{label}: {result:?}");
        check_plan(text).unwrap_or_else(|e| panic!("{label}: {e}"));
    }
}
