//! The live streams over real HTTP: the board's and each phone's.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_board_stream_starts_with_the_current_state_and_follows_rounds() {
    let app = spawn_app().await;
    app.join("Ada Lovelace", &["maths"]).await;
    let mut board =
        EventStream::open(&app, &format!("/e/{}/board/events", app.code), None, None).await;
    let first = board.next_state().await;
    assert!(
        first["now"].as_i64().unwrap() == START,
        "the server's clock for skew correction"
    );
    let lobby = first["html"].as_str().unwrap();
    assert!(lobby.contains("Groups start soon") && lobby.contains("<span>Ada</span>"));
    app.join("Grace Hopper", &["maths"]).await;
    let html = board.next_html().await;
    assert!(
        html.contains("<span>Grace</span>"),
        "a join shows up on the board"
    );
    app.start_round().await;
    let html = board.next_html().await;
    assert!(html.contains("Round 1"));
    assert!(html.contains(r#"<div class="no fit">1</div>"#));
    assert!(html.contains(&format!(r#"data-ends-at="{}""#, START + 10 * MINUTE)));
}

#[tokio::test]
async fn each_phone_gets_its_own_table_when_a_round_starts() {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for i in 0..9 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    let mut streams = Vec::new();
    for p in &people {
        let path = format!("/e/{}/me/events", app.code);
        let mut stream = EventStream::open(&app, &path, Some(&p.token), None).await;
        let lobby = stream.next_html().await;
        assert!(lobby.contains("groups start soon"));
        assert_eq!(table_in(&lobby), None);
        streams.push(stream);
    }
    app.start_round().await;
    for (p, stream) in people.iter().zip(&mut streams) {
        let html = stream.next_html().await;
        let expected = app.me(&p.token).await["group"]["table"].as_u64();
        assert!(expected.is_some());
        assert_eq!(table_in(&html), expected, "{html}");
        assert!(html.contains("Your group"));
    }
}

#[tokio::test]
async fn a_late_arrival_sees_their_seat_and_their_table_sees_them() {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for i in 0..4 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    app.start_round().await;
    let path = format!("/e/{}/me/events", app.code);
    let mut first = EventStream::open(&app, &path, Some(&people[0].token), None).await;
    let before = first.next_html().await;
    assert!(!before.contains("Late"));
    let late = app.join("Late Larry", &["chess"]).await;
    let mut stream = EventStream::open(&app, &path, Some(&late.token), None).await;
    let html = stream.next_html().await;
    assert_eq!(table_in(&html), Some(1), "seated at once: {html}");
    let after = first.next_html().await;
    assert!(
        after.contains("Late Larry"),
        "the table's phones show the newcomer"
    );
}

#[tokio::test]
async fn a_reconnect_resyncs_to_the_current_round() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    app.join("Grace", &["m"]).await;
    let path = format!("/e/{}/me/events", app.code);
    let mut stream = EventStream::open(&app, &path, Some(&ada.token), None).await;
    stream.next_html().await;
    drop(stream); // the Wi-Fi drops
    app.start_round().await;
    app.clock.advance(10 * MINUTE);
    app.start_round().await;
    let mut again = EventStream::open(&app, &path, Some(&ada.token), None).await;
    let html = again.next_html().await;
    assert!(html.contains("Round 2"), "no missed round: {html}");
    assert_eq!(table_in(&html), Some(1));
}

#[tokio::test]
async fn the_phone_stream_takes_the_cookie_and_refuses_strangers() {
    let app = spawn_app().await;
    let joined = app.join_form(&[("name", "Ada"), ("interests", "m")]).await;
    let cookie = cookie_pair(&joined);
    let path = format!("/e/{}/me/events", app.code);
    let mut stream = EventStream::open(&app, &path, None, Some(&cookie)).await;
    assert!(stream.next_html().await.contains("groups start soon"));
    assert_eq!(app.get(&path).await.status(), StatusCode::UNAUTHORIZED);
    let forged = app
        .client
        .get(app.url(&path))
        .bearer_auth("0".repeat(32))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let unknown = app.get("/e/ZZZZZ/board/events").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn breaks_and_removals_reach_the_phone() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    let grace = app.join("Grace", &["m"]).await;
    app.join("Linus", &["m"]).await;
    app.start_round().await;
    let path = format!("/e/{}/me/events", app.code);
    let mut stream = EventStream::open(&app, &path, Some(&ada.token), None).await;
    assert!(table_in(&stream.next_html().await).is_some());
    app.patch_me(&ada.token, &serde_json::json!({"present": false}))
        .await;
    assert!(stream.next_html().await.contains("on a break"));
    let mut grace_stream = EventStream::open(&app, &path, Some(&grace.token), None).await;
    grace_stream.next_html().await;
    app.remove_as(&app.host_key, &grace.id.to_string()).await;
    assert!(grace_stream.next_html().await.contains("You were removed"));
}
