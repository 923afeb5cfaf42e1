//! The round clock: pause, resume, end, countdown and auto-rotate, driven
//! by moving the server's manual clock and running its timers by hand.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// What the board and phones say at zero without auto-rotate.
const TIMES_UP: &str = "Time's up — the next round starts when the organizer starts it";

async fn round_action(app: &TestApp, action: &str, key: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/events/{}/round/{action}", app.code)))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

async fn three_people(app: &TestApp) {
    for name in ["Ada", "Grace", "Linus"] {
        app.join(name, &["m"]).await;
    }
}

#[tokio::test]
async fn pause_freezes_the_countdown_and_resume_restarts_it() {
    let app = spawn_app().await;
    assert_eq!(
        round_action(&app, "pause", &app.host_key).await.status(),
        StatusCode::CONFLICT
    );
    three_people(&app).await;
    app.start_round().await;
    app.clock.advance(3 * MINUTE);
    let paused = round_action(&app, "pause", &app.host_key).await;
    assert_eq!(paused.status(), StatusCode::OK);
    assert_eq!(paused.json::<Value>().await.unwrap()["paused"], true);
    assert_eq!(
        round_action(&app, "pause", &app.host_key).await.status(),
        StatusCode::OK,
        "twice is fine"
    );
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(board.contains("Paused · 7:00 left"));
    app.clock.advance(20 * MINUTE);
    let resumed: Value = round_action(&app, "resume", &app.host_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resumed["paused"], false);
    assert_eq!(
        resumed["ends_at"], "2026-11-26T19:30:00Z",
        "23 min + the 7 left"
    );
    let attendee = app.join("Ken", &["m"]).await;
    assert_eq!(
        round_action(&app, "pause", &attendee.token).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        round_action(&app, "stop", &app.host_key).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn ending_a_round_says_times_up_and_the_last_minute_stands_out() {
    let app = spawn_app().await;
    three_people(&app).await;
    app.start_round().await;
    let board_path = format!("/e/{}/board", app.code);
    let board = app.text(&board_path).await;
    assert!(board.contains(&format!(
        r#"<span class="countdown" data-ends-at="{}">10 min left</span>"#,
        START + 10 * MINUTE
    )));
    app.clock.advance(9 * MINUTE + 30_000);
    let board = app.text(&board_path).await;
    assert!(
        board.contains(r#"class="countdown last-minute""#),
        "the last minute stands out"
    );
    let ended: Value = round_action(&app, "end", &app.host_key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ended["ends_at"], "2026-11-26T19:09:30Z");
    assert_eq!(
        round_action(&app, "end", &app.host_key).await.status(),
        StatusCode::OK,
        "twice is fine"
    );
    let board = app.text(&board_path).await;
    assert!(board.contains(TIMES_UP));
    assert!(
        !board.contains("find your next table"),
        "no next table exists"
    );
    assert_eq!(
        round_action(&app, "pause", &app.host_key).await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn auto_rotate_starts_the_next_round_after_the_change_over() {
    let app = spawn_app().await;
    for i in 0..8 {
        app.join(&format!("P{i}"), &["m"]).await;
    }
    let settings = app
        .patch_event_as(
            &app.host_key,
            &json!({"auto_rotate": true, "changeover_seconds": 90}),
        )
        .await;
    assert_eq!(settings.status(), StatusCode::OK);
    let settings: Value = settings.json().await.unwrap();
    assert_eq!(settings["auto_rotate"], true);
    assert_eq!(settings["changeover_seconds"], 90);
    app.state.tick().await;
    assert_eq!(
        app.board().await["round"],
        Value::Null,
        "round 1 is started by hand"
    );
    app.start_round().await;
    app.clock.advance(10 * MINUTE);
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(board.contains(&format!(
        r#"data-next-at="{}""#,
        START + 10 * MINUTE + 90_000
    )));
    assert!(board.contains("Next round in 1:30"));
    app.clock.advance(89_000);
    app.state.tick().await;
    assert_eq!(
        app.board().await["round"]["number"],
        1,
        "not before the change-over ends"
    );
    app.clock.advance(1_000);
    app.state.tick().await;
    app.state.tick().await;
    let board = app.board().await;
    assert_eq!(board["round"]["number"], 2, "exactly one new round");
    assert_eq!(board["round"]["started_at"], "2026-11-26T19:11:30Z");
}

#[tokio::test]
async fn a_paused_round_is_not_rotated_away() {
    let app = spawn_app().await;
    three_people(&app).await;
    app.patch_event_as(&app.host_key, &json!({"auto_rotate": true}))
        .await;
    app.start_round().await;
    round_action(&app, "pause", &app.host_key).await;
    app.clock.advance(60 * MINUTE);
    app.state.tick().await;
    assert_eq!(app.board().await["round"]["number"], 1);
    let bad = app
        .patch_event_as(&app.host_key, &json!({"changeover_seconds": 5}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_host_page_pauses_resumes_and_ends_rounds() {
    let app = spawn_app().await;
    three_people(&app).await;
    let cookie = app.host_cookie().await;
    let host = format!("/e/{}/host", app.code);
    let early = app
        .post_form(&format!("{host}/round/pause"), &[], Some(&cookie))
        .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
    app.start_round().await;
    let page = app.text_with_cookie(&host, &cookie).await;
    assert!(page.contains("Start round 2 now") && page.contains("Pause"));
    for (action, done) in [
        ("pause", "paused"),
        ("pause", "paused"),
        ("resume", "resumed"),
        ("end", "ended"),
    ] {
        let response = app
            .post_form(&format!("{host}/round/{action}"), &[], Some(&cookie))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{action}");
        assert_eq!(location(&response), format!("{host}?done={done}"));
    }
    let page = app.text_with_cookie(&host, &cookie).await;
    assert!(page.contains("Time's up"));
    let settings = [("auto_rotate", "true"), ("changeover_seconds", "45")];
    app.post_form(&format!("{host}/settings"), &settings, Some(&cookie))
        .await;
    let board = app.board().await;
    assert_eq!(board["round"]["number"], 1);
    let page = app.text_with_cookie(&host, &cookie).await;
    assert!(page.contains(r#"name="changeover_seconds" value="45""#));
    assert!(page.contains("Next round in 0:45"));
}

/// The phone page of `who` (signed in through their personal link).
async fn phone_page(app: &TestApp, who: &Joined) -> String {
    let response = app
        .get(&format!("/e/{}/me?t={}", app.code, who.token))
        .await;
    let cookie = cookie_pair(&response);
    app.text_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await
}

/// At zero without auto-rotate the board, the phones and the console say
/// the organizer starts the next round; with auto-rotate they count the
/// change-over down; the page script is told which (`data-then-at`).
#[tokio::test]
async fn times_up_says_what_happens_next_with_and_without_auto_rotate() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    for name in ["Grace", "Linus"] {
        app.join(name, &["m"]).await;
    }
    app.start_round().await;
    let board_path = format!("/e/{}/board", app.code);
    let board = app.text(&board_path).await;
    assert!(
        !board.contains("data-then-at"),
        "without auto-rotate the script has no next round to count to"
    );
    app.clock.advance(10 * MINUTE);
    let cookie = app.host_cookie().await;
    let console = app
        .text_with_cookie(&format!("/e/{}/host", app.code), &cookie)
        .await;
    for (what, page) in [
        ("board", app.text(&board_path).await),
        ("phone", phone_page(&app, &ada).await),
        ("console", console),
    ] {
        assert!(page.contains(TIMES_UP), "{what}: {page}");
        assert!(!page.contains("find your next table"), "{what}");
        assert!(!page.contains("Next round in"), "{what}");
    }

    // With auto-rotate: the change-over counts down to the next round.
    app.patch_event_as(
        &app.host_key,
        &json!({"auto_rotate": true, "changeover_seconds": 45}),
    )
    .await;
    for (what, page) in [
        ("board", app.text(&board_path).await),
        ("phone", phone_page(&app, &ada).await),
    ] {
        assert!(page.contains("Next round in 0:45"), "{what}: {page}");
        assert!(!page.contains(TIMES_UP), "{what}");
    }
    app.clock.advance(15_000);
    assert!(app.text(&board_path).await.contains("Next round in 0:30"));

    // A running round tells the script when the next one starts.
    app.clock.advance(30_000);
    app.state.tick().await;
    assert_eq!(app.board().await["round"]["number"], 2);
    let board = app.text(&board_path).await;
    let ends = START + 20 * MINUTE + 45_000;
    assert!(
        board.contains(&format!(
            r#"data-ends-at="{ends}" data-then-at="{}""#,
            ends + 45_000
        )),
        "{board}"
    );
}

/// Once the event has ended nothing speaks of rounds: not the board (the
/// finale), not the phones, not the console, even with time run out.
#[tokio::test]
async fn after_the_end_nothing_speaks_of_a_next_round() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    for name in ["Grace", "Linus"] {
        app.join(name, &["m"]).await;
    }
    app.start_round().await;
    app.clock.advance(3 * MINUTE);
    app.end_event_as(&app.code, &app.host_key).await;
    app.clock.advance(10 * MINUTE);
    let cookie = app.host_cookie().await;
    let console = app
        .text_with_cookie(&format!("/e/{}/host", app.code), &cookie)
        .await;
    assert!(console.contains("the event has ended"), "{console}");
    for (what, page) in [
        ("board", app.text(&format!("/e/{}/board", app.code)).await),
        ("phone", phone_page(&app, &ada).await),
        ("console", console),
    ] {
        for words in ["Time's up", "Next round", "min left", "data-ends-at"] {
            assert!(!page.contains(words), "{what} says {words:?}");
        }
    }
}
