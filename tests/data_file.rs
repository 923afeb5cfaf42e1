//! The data file as an organizer's machine treats it: one server per file,
//! damaged and unwritable files refused at start, owner-only permissions,
//! `icebreaker backup` while the server runs, and erased details gone from
//! every file SQLite keeps.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "api/helpers.rs"]
#[allow(dead_code)] // this binary uses only some of the API tests' helpers
mod helpers;
#[path = "common/process.rs"]
#[allow(dead_code)] // this binary uses only some of the shared process helpers
mod process;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use helpers::spawn_app_on_file;
use process::{DataFile, Links, banner};
use serde_json::{Value, json};

/// The real binary serving `path`; killed when dropped.
struct Server {
    child: Child,
    base: String,
    code: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_icebreaker"));
    command
        .args(args)
        .env_remove("ICEBREAKER_ADMIN_TOKEN")
        .env_remove("ICEBREAKER_DATA");
    command
}

fn serve(path: &Path) -> Server {
    let mut child = command(&["--bind", "127.0.0.1", "--port", "0", "--data"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let Links { base, code, .. } = Links::from_banner(&banner(&mut child));
    Server { child, base, code }
}

/// Runs the binary to its end (a server that wrongly starts is killed
/// after 20 s, and the test fails on its exit code).
fn run_to_end(mut command: Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

fn serve_to_end(path: &Path) -> Output {
    let mut c = command(&["--bind", "127.0.0.1", "--port", "0", "--data"]);
    c.arg(path);
    run_to_end(c)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Joins `name` (interested in chess) through the API; 201 expected.
async fn join(base: &str, code: &str, name: &str) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/events/{code}/attendees"))
        .json(&json!({"name": name, "interests": ["chess"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_second_server_on_the_same_file_exits_1_naming_the_file_and_the_first() {
    let file = DataFile::new("two");
    let first = serve(&file.0);
    let output = serve_to_end(&file.0);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains(&file.0.display().to_string()), "{message}");
    assert!(
        message.contains(&format!("process {}", first.child.id())),
        "{message}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("Icebreaker is running"),
        "the second server must not start"
    );
    // The first carries on, alone on its file.
    join(&first.base, &first.code, "Ada").await;
}

#[test]
fn a_port_in_use_does_not_suggest_a_second_server() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = run_to_end(command(&[
        "--bind",
        "127.0.0.1",
        "--port",
        &port,
        "--ephemeral",
    ]));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("--port"), "{message}");
    assert!(!message.contains("another server"), "{message}");
}

/// A data file with one event and `n` attendees, closed cleanly.
async fn file_with_attendees(file: &DataFile, n: usize) {
    let app = spawn_app_on_file(&file.0, None).await;
    for i in 0..n {
        app.join(&format!("Person {i}"), &["chess"]).await;
    }
    app.state.store().close();
}

fn assert_refused_as_damaged(file: &DataFile) {
    let output = serve_to_end(&file.0);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("damaged"), "{message}");
    assert!(message.contains("backup"), "says how to recover: {message}");
    assert!(
        message.contains(".recover"),
        "says how to recover: {message}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("Icebreaker is running"),
        "a damaged file must not be served"
    );
}

#[tokio::test]
async fn a_file_whose_index_disagrees_with_its_table_is_refused() {
    let file = DataFile::new("index");
    file_with_attendees(&file, 30).await;
    // The token index now describes another column: every row is missing
    // from it, as after damage to the index's pages.
    let conn = rusqlite::Connection::open(&file.0).unwrap();
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE UNIQUE INDEX attendees_token ON attendees (event, profile)'
         WHERE name = 'attendees_token';
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(conn);
    assert_refused_as_damaged(&file);
}

#[tokio::test]
async fn a_file_with_overwritten_pages_is_refused() {
    let file = DataFile::new("pages");
    file_with_attendees(&file, 60).await;
    let mut bytes = std::fs::read(&file.0).unwrap();
    assert!(bytes.len() > 3 * 4096, "{} bytes", bytes.len());
    // Page 3 onwards, 16 bytes every 97: damage all over a btree page.
    for at in (2 * 4096..3 * 4096).step_by(97) {
        bytes[at..at + 16].fill(0xA5);
    }
    std::fs::write(&file.0, bytes).unwrap();
    assert_refused_as_damaged(&file);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_file_and_its_companions_are_readable_by_the_owner_only() {
    let file = DataFile::new("modes");
    let app = spawn_app_on_file(&file.0, None).await;
    app.join("Ada", &["chess"]).await;
    for suffix in ["", "-wal", "-shm", "-lock"] {
        assert_eq!(mode(&file.with(suffix)), 0o600, "{suffix}");
    }
    app.state.store().close();
    // A file left world-readable by an older version is tightened.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file.0, std::fs::Permissions::from_mode(0o644)).unwrap();
    let app = spawn_app_on_file(&file.0, None).await;
    assert_eq!(mode(&file.0), 0o600);
    app.state.store().close();
}

#[cfg(unix)]
#[test]
fn a_data_file_the_server_cannot_write_exits_1() {
    use std::os::unix::fs::PermissionsExt;
    let file = DataFile::new("readonly");
    rusqlite::Connection::open(&file.0)
        .unwrap()
        .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);")
        .unwrap();
    std::fs::set_permissions(&file.0, std::fs::Permissions::from_mode(0o400)).unwrap();
    if std::fs::OpenOptions::new()
        .write(true)
        .open(&file.0)
        .is_ok()
    {
        eprintln!(
            "skipped: this user (root?) can write a 0400 file, so it cannot be made unwritable"
        );
        return;
    }
    let output = serve_to_end(&file.0);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("cannot be written"), "{message}");
}

#[tokio::test]
async fn a_backup_of_the_running_server_has_every_acknowledged_join() {
    let file = DataFile::new("live");
    let copy = DataFile::new("copy");
    let server = serve(&file.0);
    for i in 0..5 {
        join(&server.base, &server.code, &format!("P{i}")).await;
    }
    let mut backup = command(&["backup"]);
    backup.arg(&copy.0).arg("--data").arg(&file.0);
    let output = run_to_end(backup);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(stdout.contains("5 attendees"), "{stdout}");
    let conn = rusqlite::Connection::open(&copy.0).unwrap();
    let attendees: i64 = conn
        .query_row("SELECT count(*) FROM attendees", [], |r| r.get(0))
        .unwrap();
    assert_eq!(attendees, 5);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    #[cfg(unix)]
    assert_eq!(mode(&copy.0), 0o600);
    // The server kept serving, and goes on writing.
    join(&server.base, &server.code, "After").await;
    // An existing copy is never overwritten; a wrong data path is no new file.
    let mut again = command(&["backup"]);
    again.arg(&copy.0).arg("--data").arg(&file.0);
    assert_eq!(run_to_end(again).status.code(), Some(2));
    let missing = DataFile::new("missing");
    let elsewhere = DataFile::new("elsewhere");
    let mut wrong = command(&["backup"]);
    wrong.arg(&elsewhere.0).arg("--data").arg(&missing.0);
    assert_eq!(run_to_end(wrong).status.code(), Some(2));
    assert!(!missing.0.exists() && !elsewhere.0.exists());
}

/// Whether `needle` occurs in the bytes of `path` (a missing file has none).
fn file_contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

const SECRETS: [&str; 5] = [
    "Zebediah Quackenbush",
    "Unobtainium Works",
    "quackenbush@example.org",
    "+44 7700 900123",
    "xylophone restoration",
];

async fn join_with_secrets(app: &helpers::TestApp) -> helpers::Joined {
    let response = app
        .api_join_raw(&json!({
            "name": SECRETS[0],
            "work": SECRETS[1],
            "interests": [SECRETS[4]],
        }))
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let who = helpers::Joined {
        id: body["id"].as_u64().unwrap(),
        token: body["token"].as_str().unwrap().to_string(),
    };
    let saved = app
        .client
        .put(app.url(&format!("/api/events/{}/attendees/me/contact", app.code)))
        .bearer_auth(&who.token)
        .json(&json!({"email": SECRETS[2], "phone": SECRETS[3]}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    who
}

fn assert_gone_from_every_file(file: &DataFile) {
    for suffix in ["", "-wal", "-shm"] {
        for secret in SECRETS {
            assert!(
                !file_contains(&file.with(suffix), secret),
                "{secret:?} is still in the {suffix:?} file"
            );
        }
    }
}

#[tokio::test]
async fn erased_details_leave_the_data_file_the_wal_and_the_shm() {
    let file = DataFile::new("erase");
    let app = spawn_app_on_file(&file.0, None).await;
    let who = join_with_secrets(&app).await;
    for i in 0..3 {
        app.join(&format!("Other {i}"), &["chess"]).await;
    }
    assert!(
        SECRETS
            .iter()
            .any(|s| file_contains(&file.with("-wal"), s) || file_contains(&file.0, s)),
        "the details were written before the erase"
    );
    let erased = app
        .client
        .post(app.url(&format!("/api/events/{}/attendees/me/erase", app.code)))
        .bearer_auth(&who.token)
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), 204);
    // While the server runs (as after a kill -9 now).
    assert_gone_from_every_file(&file);
}

#[tokio::test]
async fn details_purged_at_the_end_of_retention_leave_every_file() {
    let file = DataFile::new("purge");
    let app = spawn_app_on_file(&file.0, None).await;
    join_with_secrets(&app).await;
    app.clock.advance(31 * 24 * 60 * helpers::MINUTE);
    app.state.tick().await;
    let store = app.state.store();
    store.flushed(store.submitted()).await.unwrap();
    assert_gone_from_every_file(&file);
}

#[tokio::test]
async fn a_failed_write_is_undone_and_saving_resumes_when_the_disk_does() {
    let file = DataFile::new("recover");
    let app = spawn_app_on_file(&file.0, None).await;
    let mut people = Vec::new();
    for i in 0..4 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    let store = app.state.store().clone();

    // The disk fails, and stays failed: every change is answered 503, and
    // nothing of it stays in memory.
    store.fail_writes(true);
    let refused = app.api_join_raw(&helpers::person("Lost", &["chess"])).await;
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().get("retry-after").is_some());
    let body: Value = refused.json().await.unwrap();
    assert!(body.get("token").is_none(), "no token was handed out");
    let round = app.start_round_as(&app.host_key).await;
    assert_eq!(round.status(), 503);
    let board = app.board().await;
    assert_eq!(board["attendee_count"], 4, "the refused join left no seat");
    assert!(board["round"].is_null(), "the refused round is not shown");
    let page = app
        .post_form(
            &format!("/e/{}", app.code),
            &[("name", "Form"), ("interests", "chess")],
            None,
        )
        .await;
    assert_eq!(page.status(), 503);
    assert!(page.headers().get("set-cookie").is_none());
    assert_eq!(app.board().await["attendee_count"], 4);

    // A failure shorter than the retries costs nobody anything.
    let late = {
        let (base, code) = (app.address.clone(), app.code.clone());
        tokio::spawn(async move { join(&base, &code, "Patient").await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    store.fail_writes(false);
    let patient = late.await.unwrap();
    assert_eq!(patient["name"], "Patient");

    // Saving goes on by itself.
    let after = app.join("After", &["chess"]).await;
    assert_eq!(app.start_round().await["number"], 1);
    store.close();
    let app = spawn_app_on_file(&file.0, Some(&app.code)).await;
    let board = app.board().await;
    assert_eq!(board["attendee_count"], 6, "4 + Patient + After: {board}");
    assert_eq!(board["round"]["number"], 1);
    assert_eq!(app.me(&after.token).await["name"], "After");
    for p in &people {
        assert_eq!(app.me(&p.token).await["status"], "present");
    }
}
