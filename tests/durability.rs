//! Nothing lost: the data file keeps every acknowledged change across a
//! restart, a `kill -9` in the middle of a burst of joins, and a schema
//! migration; SIGTERM shuts down gracefully.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "api/helpers.rs"]
#[allow(dead_code)] // this binary uses only some of the API tests' helpers
mod helpers;
#[path = "common/process.rs"]
#[allow(dead_code)] // this binary uses only some of the shared process helpers
mod process;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use helpers::{ADMIN_TOKEN, spawn_app_on_file};
use icebreaker::clock::ManualClock;
use icebreaker::domain::{AdminToken, EventCode, Secret};
use icebreaker::event::Settings;
use icebreaker::state::{AppState, ServerConfig};
use icebreaker::store::{self, Store};
use process::{DataFile, Links, banner};
use serde_json::{Value, json};

fn config(port: u16) -> ServerConfig {
    ServerConfig {
        public_url: format!("http://127.0.0.1:{port}"),
        admin_token: AdminToken::parse("durability-admin-token").unwrap(),
        defaults: Settings::default(),
        round_budget: Duration::from_millis(150),
        seed: 7,
        limits: icebreaker::limits::Limits::default(),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn join(base: &str, code: &str, name: &str) -> (u64, String) {
    let response = client()
        .post(format!("{base}/api/events/{code}/attendees"))
        .json(&json!({"name": name, "interests": ["chess"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    (
        body["id"].as_u64().unwrap(),
        body["token"].as_str().unwrap().to_string(),
    )
}

async fn me(base: &str, code: &str, token: &str) -> reqwest::Response {
    client()
        .get(format!("{base}/api/events/{code}/attendees/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn pairs(round: &Value) -> Vec<(u64, u64)> {
    let mut pairs = Vec::new();
    for group in round["groups"].as_array().unwrap() {
        let ids: Vec<u64> = group["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_u64().unwrap())
            .collect();
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
    pairs
}

#[tokio::test]
async fn a_restart_keeps_codes_keys_tokens_rounds_and_history() {
    let file = DataFile::new("restart");
    let app = spawn_app_on_file(&file.0, None).await;
    let mut people = Vec::new();
    for i in 0..16 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    let first = app.start_round().await;
    let settings = app
        .patch_event_as(
            &app.host_key,
            &json!({"round_minutes": 7, "table_names": ["Window"]}),
        )
        .await;
    assert_eq!(settings.status(), 200);
    let on_break = app
        .patch_me(
            &people[3].token,
            &json!({"present": false, "work": "Pilot"}),
        )
        .await;
    assert_eq!(on_break.status(), 200);
    let before = app.board().await;
    app.state.store().close();

    // The server comes back on the same file.
    let app = spawn_app_on_file(&file.0, Some(&app.code)).await;
    assert_eq!(
        app.board().await,
        before,
        "same event, attendees and current round"
    );
    // Tokens still work.
    let phone = app.me(&people[3].token).await;
    assert_eq!(phone["name"], "P3");
    assert_eq!(phone["work"], "Pilot");
    assert_eq!(phone["status"], "on_break");
    // The host key works, the settings stayed, and the history is kept:
    // 15 present in groups of 4 meet no one twice in round 2.
    let second = app.start_round().await;
    assert_eq!(second["number"], 2);
    let met: Vec<(u64, u64)> = pairs(&first);
    let repeats = pairs(&second).iter().filter(|p| met.contains(p)).count();
    assert_eq!(repeats, 0, "no repeated pairs after the restart");
    let started = second["started_at"].as_str().unwrap();
    assert_eq!(second["ends_at"].as_str().unwrap().len(), started.len());
    let export = app
        .get_json_as(
            &app.url(&format!("/api/events/{}/export?format=json", app.code)),
            &app.host_key,
        )
        .await;
    assert_eq!(export["rounds"][0]["tables"][0]["name"], "Window");
}

#[tokio::test]
async fn deleting_an_event_removes_its_data_from_the_file() {
    let file = DataFile::new("delete");
    let app = spawn_app_on_file(&file.0, None).await;
    let code = EventCode::parse(&app.code).unwrap();
    app.join("Ada", &["chess"]).await;
    let store = app.state.store();
    store.flushed(store.submitted()).await.unwrap();
    assert!(store::file_has_event(&file.0, &code).unwrap());
    let deleted = app
        .client
        .delete(app.url(&format!("/api/events/{code}")))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(!store::file_has_event(&file.0, &code).unwrap());
}

#[tokio::test]
async fn a_file_from_the_first_schema_is_migrated_and_loaded() {
    let file = DataFile::new("migrate");
    store::create_at_version(&file.0, 1).unwrap();
    let token = Secret::parse(&"ab".repeat(16)).unwrap();
    {
        let conn = rusqlite::Connection::open(&file.0).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO events (code, name, host_key, settings, created_at, serial, ended_at)
             VALUES ('K7F3Q', 'Old Thursday', '{}', '{{\"group_size\":3,\"round_minutes\":8}}', 0, 0, NULL);
             INSERT INTO rounds (event, number, started_at, ends_at, paused_left, waiting)
             VALUES ('K7F3Q', 1, 0, 480000, NULL, '[]');
             INSERT INTO round_tables (event, round, table_no, members) VALUES ('K7F3Q', 1, 1, '[0]');",
            "cd".repeat(16)
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO attendees (event, id, token_hash, profile, review, presence, joined_at)
             VALUES ('K7F3Q', 0, ?1, '{\"name\":\"Ada\",\"work\":\"\",\"interests\":[\"maths\"],\"ask_me_about\":\"\",\"weird_fact\":\"\",\"spot_me\":\"\"}',
                     '{\"pending\":[],\"hidden\":[]}', 'present', 0)",
            [&token.hash().0[..]],
        )
        .unwrap();
    }
    let (store, loaded) = Store::open(&file.0).unwrap();
    let version: i64 = rusqlite::Connection::open(&file.0)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, store::SCHEMA_VERSION);
    let state = AppState::with_store(config(1), Arc::new(ManualClock::default()), store, loaded);
    let slot = state.event(&EventCode::parse("K7F3Q").unwrap()).unwrap();
    let event = slot.lock();
    assert_eq!(event.name, "Old Thursday");
    assert_eq!(
        event.settings.group_size, 3,
        "missing settings take their defaults"
    );
    assert_eq!(event.settings.changeover_seconds, 60);
    assert_eq!(event.attendee_by_token(&token).unwrap().profile.name, "Ada");
    assert_eq!(event.host_key.reveal(), "cd".repeat(16));
    assert_eq!(event.rounds().len(), 1);
}

#[test]
fn a_file_from_a_newer_version_is_refused() {
    let file = DataFile::new("newer");
    store::create_at_version(&file.0, store::SCHEMA_VERSION).unwrap();
    rusqlite::Connection::open(&file.0)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let error = Store::open(&file.0).err().unwrap();
    assert!(error.to_string().contains("newer version"), "{error}");
}

/// The real binary on a data file; killed when dropped.
struct Binary {
    child: Child,
    base: String,
    code: String,
    key: String,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_binary(path: &Path) -> Binary {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icebreaker"))
        .args(["--bind", "127.0.0.1", "--port", "0", "--data"])
        .arg(path)
        .env_remove("ICEBREAKER_ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let Links { base, code, key } = Links::from_banner(&banner(&mut child));
    Binary {
        child,
        base,
        code,
        key,
    }
}

#[tokio::test]
async fn every_acknowledged_join_survives_kill_9_mid_burst() {
    let file = DataFile::new("kill9");
    let server = start_binary(&file.0);
    let (base, code) = (server.base.clone(), server.code.clone());
    // Eight phones join as fast as they can; the server is killed while
    // they are at it.
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let (base, code) = (base.clone(), code.clone());
        tasks.push(tokio::spawn(async move {
            let client = client();
            let mut acknowledged = Vec::new();
            for i in 0.. {
                let sent = client
                    .post(format!("{base}/api/events/{code}/attendees"))
                    .json(&json!({"name": format!("W{worker} #{i}"), "interests": ["chess"]}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 201 => {
                        let body: Value = r.json().await.unwrap();
                        acknowledged.push(body["token"].as_str().unwrap().to_string());
                    }
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL: no chance to flush anything
    server.child.wait().unwrap();
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.unwrap());
    }
    assert!(
        acknowledged.len() > 20,
        "the burst got going: {}",
        acknowledged.len()
    );

    let again = start_binary(&file.0);
    assert_eq!(again.code, code, "the same event is back");
    assert_eq!(again.key, server.key, "with the same host key");
    for token in &acknowledged {
        let response = me(&again.base, &code, token).await;
        assert_eq!(response.status(), 200, "an acknowledged join was lost");
    }
    let board: Value = client()
        .get(format!("{}/api/events/{code}/board", again.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(board["attendee_count"].as_u64().unwrap() >= acknowledged.len() as u64);
}

#[tokio::test]
async fn sigterm_tells_live_pages_and_exits_cleanly() {
    let file = DataFile::new("sigterm");
    let mut server = start_binary(&file.0);
    let (base, code) = (server.base.clone(), server.code.clone());
    let (_, token) = join(&base, &code, "Ada").await;
    let mut stream = client()
        .get(format!("{base}/e/{code}/me/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut seen = String::new();
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("event: restarting") {
                break;
            }
        }
    });
    read.await.unwrap();
    assert!(seen.contains("event: restarting"), "{seen}");
    let exit = tokio::task::spawn_blocking(move || {
        let status = server.child.wait().unwrap();
        (status, server)
    });
    let (status, _server) = tokio::time::timeout(Duration::from_secs(10), exit)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0), "a clean exit");
    // And the join made before it is still there.
    let again = start_binary(&file.0);
    assert_eq!(me(&again.base, &code, &token).await.status(), 200);
}

#[tokio::test]
async fn a_change_to_a_deleted_event_does_not_stop_the_writer() {
    let file = DataFile::new("stale");
    let state = spawn_app_on_file(&file.0, None).await.state;
    let slot = state.create_event("Deleted".into(), Settings::default());
    assert!(state.delete_event(&slot.code));
    // A request that still held the event changes it after the delete.
    let profile = icebreaker::domain::Profile::try_from(icebreaker::domain::ProfileInput {
        name: "Late".into(),
        interests: vec!["chess".into()],
        ..Default::default()
    })
    .unwrap();
    slot.lock().join(profile, Secret::generate(), 0).unwrap();
    let store = state.store();
    store.flushed(store.submitted()).await.unwrap();
    assert!(!store::file_has_event(&file.0, &slot.code).unwrap());
    // The writer carries on for everyone else.
    let other = state.create_event("Still here".into(), Settings::default());
    store.flushed(store.submitted()).await.unwrap();
    assert!(store::file_has_event(&file.0, &other.code).unwrap());
}

#[tokio::test]
async fn contacts_ticks_rules_and_erasure_survive_a_restart() {
    use icebreaker::domain::{Contact, ContactInput};
    use icebreaker::event::ERASED_NAME;
    let file = DataFile::new("after");
    let app = spawn_app_on_file(&file.0, None).await;
    let slot = app
        .state
        .event(&EventCode::parse(&app.code).unwrap())
        .unwrap();
    let mut people = Vec::new();
    for i in 0..4 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    app.start_round().await;
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| people[i].id as u32);
    let contact = Contact::try_from(ContactInput {
        email: "p0@example.org".into(),
        ..ContactInput::default()
    })
    .unwrap();
    {
        let mut event = slot.lock();
        assert!(event.set_contact(a, contact.clone()));
        // Everyone sat together in round 1 (4 people, groups of 4).
        event.set_keep_in_touch(a, b, true).unwrap();
        event.set_keep_in_touch(b, a, true).unwrap();
        event.set_rather_not(c, a, true).unwrap();
        event.set_never_together(b, d, true).unwrap();
        assert!(event.erase_attendee(d, 1));
    }
    assert!(slot.lock().mutual(a, b));
    app.state.store().close();

    let app = spawn_app_on_file(&file.0, Some(&app.code)).await;
    let slot = app
        .state
        .event(&EventCode::parse(&app.code).unwrap())
        .unwrap();
    let event = slot.lock();
    assert_eq!(event.attendee(a).unwrap().contact, contact);
    assert!(event.mutual(a, b), "both ticks kept");
    assert!(event.rather_not(c, a) && event.kept_apart(a, c));
    // Erasing d dropped the rule naming them; nothing of d came back.
    assert!(!event.kept_apart(b, d));
    let erased = event.attendee(d).unwrap();
    assert!(erased.erased_at.is_some());
    assert_eq!(erased.public.name, ERASED_NAME);
    assert!(erased.profile.name.is_empty());
    assert!(
        event
            .attendee_by_token(&Secret::parse(&people[3].token).unwrap())
            .is_none()
    );
}

#[tokio::test]
async fn what_to_call_someone_survives_a_restart_and_old_holds_are_screened_again() {
    let file = DataFile::new("call-me");
    let app = spawn_app_on_file(&file.0, None).await;
    let mut body = helpers::person("Alexandra Konstantinopoulou", &["chess"]);
    body["call_me"] = json!("Sasha");
    let response = app.api_join_raw(&body).await;
    assert_eq!(response.status(), 201);
    let sasha: Value = response.json().await.unwrap();
    let hiroshi = app.join("Hiroshi Tanaka", &["chess"]).await;
    let rude = app.join("Shithead Jones", &["chess"]).await;
    app.state.store().close();
    // As an older, substring-matching filter left them: both names held.
    {
        let conn = rusqlite::Connection::open(&file.0).unwrap();
        let held = conn
            .execute(
                "UPDATE attendees SET review = '{\"pending\":[\"name\"],\"hidden\":[]}' WHERE id IN (?1, ?2)",
                [hiroshi.id as i64, rude.id as i64],
            )
            .unwrap();
        assert_eq!(held, 2);
    }

    let app = spawn_app_on_file(&file.0, Some(&app.code)).await;
    let me = app.me(sasha["token"].as_str().unwrap()).await;
    assert_eq!(me["call_me"], "Sasha");
    assert_eq!(me["shown_name"], "Sasha");
    let page = app.text(&format!("/e/{}/board", app.code)).await;
    // The lobby's names (the facts beside them are the helper's "<name>
    // knows a weird fact", which this test does not hold).
    let start = page
        .find(r#"<div class="lobby-names">"#)
        .expect("lobby names");
    let board = &page[start..start + page[start..].find("</div>").unwrap()];
    assert!(
        board.contains("<span>Sasha</span>") && !board.contains("Konstantinopoulou"),
        "{board}"
    );
    assert_eq!(app.me(&hiroshi.token).await["review"]["pending"], json!([]));
    assert!(
        board.contains("<span>Hiroshi</span>"),
        "the real name is let through"
    );
    assert_eq!(
        app.me(&rude.token).await["review"]["pending"],
        json!(["name"])
    );
    assert!(!board.contains("Shithead"), "the obscenity stays held");
}
