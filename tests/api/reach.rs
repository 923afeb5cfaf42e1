//! "Is anyone getting through?": the board's lobby and the console show
//! the first phone's arrival live, and the console a checklist when no
//! phone has come three minutes after the board opened (manual clock).

use icebreaker::state::CHECKLIST_AFTER;

use crate::helpers::*;

const WAITING_BOARD: &str = "Waiting for the first phone…";
const ARRIVED: &str = "✓ The first phone has loaded the join page";
const CHECKLIST: &str = "No phone has loaded the join page yet";

#[tokio::test]
async fn the_first_phone_shows_on_the_board_and_the_console_live() {
    let app = spawn_app().await;
    let host = app.host_cookie().await;
    let board_path = format!("/e/{}/board", app.code);
    assert!(app.text(&board_path).await.contains(WAITING_BOARD));
    let console = app
        .text_with_cookie(&format!("/e/{}/host", app.code), &host)
        .await;
    assert!(console.contains("Waiting for the first phone to load the join page"));
    assert!(!console.contains(ARRIVED));

    let mut board = EventStream::open(&app, &format!("{board_path}/events"), None, None).await;
    let mut console_stream = EventStream::open(
        &app,
        &format!("/e/{}/host/events", app.code),
        None,
        Some(&host),
    )
    .await;
    assert!(board.next_html().await.contains(WAITING_BOARD));
    assert!(!console_stream.next_html().await.contains(ARRIVED));

    // A phone opens the join page (the QR code's link).
    let form = app.get(&format!("/e/{}", app.code)).await;
    assert_eq!(form.status(), 200);
    let html = board.next_html().await;
    assert!(html.contains(ARRIVED), "{html}");
    assert!(!html.contains(WAITING_BOARD));
    assert!(console_stream.next_html().await.contains(ARRIVED));
    assert!(
        app.text_with_cookie(&format!("/e/{}/host", app.code), &host)
            .await
            .contains(ARRIVED)
    );

    // Once someone has joined, their name (the given name the board
    // shows) is the proof: the line goes.
    app.join("Ada Lovelace", &["maths"]).await;
    let html = board.next_html().await;
    assert!(
        html.contains("<span>Ada</span>") && !html.contains(ARRIVED),
        "{html}"
    );
}

#[tokio::test]
async fn visits_from_this_computer_are_not_counted_as_phones() {
    let app = spawn_app().await;
    // The tests' client is on 127.0.0.1, which the command line counts as
    // this computer.
    app.state
        .set_this_computer(vec!["127.0.0.1".parse().unwrap()]);
    app.text(&format!("/e/{}/board", app.code)).await;
    assert_eq!(app.get(&format!("/e/{}", app.code)).await.status(), 200);
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(board.contains(WAITING_BOARD) && !board.contains(ARRIVED));
}

#[tokio::test]
async fn the_checklist_comes_three_minutes_after_the_board_opened_without_a_phone() {
    let app = spawn_app().await;
    let host = app.host_cookie().await;
    let console_path = format!("/e/{}/host", app.code);

    // Before the board is open, no amount of time brings the checklist:
    // the organizer is still setting up.
    app.clock.advance(30 * MINUTE);
    app.state.tick().await;
    assert!(
        !app.text_with_cookie(&console_path, &host)
            .await
            .contains(CHECKLIST)
    );

    app.text(&format!("/e/{}/board", app.code)).await;
    let opened = START + 30 * MINUTE;
    let mut console =
        EventStream::open(&app, &format!("{console_path}/events"), None, Some(&host)).await;
    assert!(!console.next_html().await.contains(CHECKLIST));

    app.clock.set(opened + CHECKLIST_AFTER - 1);
    app.state.tick().await;
    assert!(
        !app.text_with_cookie(&console_path, &host)
            .await
            .contains(CHECKLIST),
        "not a millisecond early"
    );

    app.clock.set(opened + CHECKLIST_AFTER);
    app.state.tick().await;
    let html = console.next_html().await;
    assert!(html.contains(CHECKLIST), "the open console shows it live");
    for item in [
        "Same Wi-Fi?",
        "Client isolation.",
        "phone hotspot",
        "--public-url",
        "Firewall.",
        "The address in use: ",
    ] {
        assert!(html.contains(item), "{item} in {html}");
    }
    let join_url = format!("{}/e/{}", app.address, app.code);
    assert!(html.contains(&format!(r#"href="{join_url}""#)));
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(
        !board.contains(CHECKLIST),
        "the checklist is for the organizer, not the room"
    );

    // A phone gets through after all: the checklist gives way.
    app.get(&format!("/e/{}", app.code)).await;
    let html = console.next_html().await;
    assert!(
        html.contains(ARRIVED) && !html.contains(CHECKLIST),
        "{html}"
    );
}

#[tokio::test]
async fn an_event_people_already_joined_gets_no_checklist() {
    let app = spawn_app().await;
    let host = app.host_cookie().await;
    app.join("Ada Lovelace", &["maths"]).await;
    app.text(&format!("/e/{}/board", app.code)).await;
    app.clock.advance(CHECKLIST_AFTER + MINUTE);
    app.state.tick().await;
    let console = app
        .text_with_cookie(&format!("/e/{}/host", app.code), &host)
        .await;
    assert!(!console.contains(CHECKLIST) && !console.contains("first phone"));
}
