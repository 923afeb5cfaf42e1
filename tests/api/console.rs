//! The organizer's console: moderation, review queue, ending the event,
//! table names — each action twice and with a wrong key.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A flagged answer, by the maintained filter's judgement.
const RUDE: &str = "what the f u c k";

#[tokio::test]
async fn flagged_text_waits_for_review_and_never_reaches_the_board() {
    let app = spawn_app().await;
    let mut body = person("Shithead McGee", &["chess"]);
    body["weird_fact"] = json!(RUDE);
    let response = app.api_join_raw(&body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let joined: Value = response.json().await.unwrap();
    let (id, token) = (
        joined["id"].as_u64().unwrap(),
        joined["token"].as_str().unwrap().to_string(),
    );
    // The helper puts the name into "what I do" and "ask me about" too.
    assert_eq!(
        joined["review"]["pending"],
        json!(["name", "work", "ask_me_about", "weird_fact"])
    );
    let other = app.join("Ada", &["chess"]).await;

    let board_json = app.board().await.to_string();
    let board_html = app.text(&format!("/e/{}/board", app.code)).await;
    for page in [&board_json, &board_html] {
        assert!(
            !page.contains("Shithead") && !page.contains("f u c k"),
            "held text leaked"
        );
    }
    assert!(
        board_html.contains("Guest 1"),
        "a held name shows as a guest"
    );
    app.start_round().await;
    let ada = app.me(&other.token).await;
    assert_eq!(ada["group"]["members"][0]["name"], "Guest 1");
    assert!(
        !ada.to_string().contains("f u c k"),
        "not in the group's prompts either"
    );
    let own = app.me(&token).await;
    assert_eq!(
        own["name"], "Shithead McGee",
        "the attendee sees their own answers"
    );
    let phone = format!("/e/{}/me", app.code);
    let page = app
        .text_with_cookie(&phone, &format!("ib_a_{}={token}", app.code))
        .await;
    assert!(page.contains("will show to others once the organizer has had a look"));

    // The console shows the queue; approving lets it through.
    let cookie = app.host_cookie().await;
    let console = app
        .text_with_cookie(&format!("/e/{}/host", app.code), &cookie)
        .await;
    assert!(console.contains("Waiting for review (1)"));
    assert!(console.contains("f u c k"), "the organizer sees what waits");
    let approve = format!("/e/{}/host/review/{id}/approve", app.code);
    for _ in 0..2 {
        let response = app.post_form(&approve, &[], Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert!(
        app.text(&format!("/e/{}/board", app.code))
            .await
            .contains("Shithead")
    );
    assert!(
        app.text_with_cookie(&format!("/e/{}/host", app.code), &cookie)
            .await
            .contains("Waiting for review (0)")
    );
}

#[tokio::test]
async fn hiding_keeps_held_text_away_and_every_fact_can_wait_for_approval() {
    let app = spawn_app().await;
    let settings = app
        .patch_event_as(&app.host_key, &json!({"facts_need_approval": true}))
        .await;
    assert_eq!(settings.status(), StatusCode::OK);
    let joined = app.join("Ada", &["chess"]).await;
    let fact = "Ada knows a weird fact";
    assert!(
        !app.text(&format!("/e/{}/board", app.code))
            .await
            .contains(fact)
    );
    let hide = |key: &str| {
        app.client
            .post(app.url(&format!(
                "/api/events/{}/attendees/{}/hide",
                app.code, joined.id
            )))
            .bearer_auth(key.to_string())
            .send()
    };
    assert_eq!(
        hide(&joined.token).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hide(&"0".repeat(32)).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        hide(&app.host_key).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        hide(&app.host_key).await.unwrap().status(),
        StatusCode::NO_CONTENT,
        "twice"
    );
    let me = app.me(&joined.token).await;
    assert_eq!(me["review"]["hidden"], json!(["weird_fact"]));
    let own = app
        .text_with_cookie(
            &format!("/e/{}/me", app.code),
            &format!("ib_a_{}={}", app.code, joined.token),
        )
        .await;
    assert!(own.contains("The organizer has hidden your weirdest fact from others."));
    assert!(
        !app.text(&format!("/e/{}/board", app.code))
            .await
            .contains(fact)
    );
    // Approving later does not unhide: hidden is the organizer's choice.
    let approve = app
        .client
        .post(app.url(&format!(
            "/api/events/{}/attendees/{}/approve",
            app.code, joined.id
        )))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(approve.status(), StatusCode::NO_CONTENT);
    assert!(
        !app.text(&format!("/e/{}/board", app.code))
            .await
            .contains(fact)
    );
    let unknown = app
        .client
        .post(app.url(&format!("/api/events/{}/attendees/99/approve", app.code)))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_organizer_edits_or_hides_a_name_work_or_fact() {
    let app = spawn_app().await;
    let joined = app.join("Bartholomew Longname", &["chess"]).await;
    let cookie = app.host_cookie().await;
    let path = format!("/e/{}/host/attendees/{}", app.code, joined.id);
    let form = app.text_with_cookie(&path, &cookie).await;
    assert!(form.contains(r#"value="Bartholomew Longname""#));
    assert_eq!(
        app.get(&path).await.status(),
        StatusCode::FORBIDDEN,
        "no key, no page"
    );
    let edit = [
        ("name", "Bart"),
        ("work", "Bart's work"),
        ("weird_fact", "Bart knows a weird fact"),
        ("hide_weird_fact", "true"),
    ];
    for _ in 0..2 {
        let response = app.post_form(&path, &edit, Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(board.contains("<span>Bart</span>"));
    assert!(
        !board.contains("weird fact"),
        "the hidden fact is off the board"
    );
    let too_long = "x".repeat(41);
    let bad = app
        .post_form(&path, &[("name", too_long.as_str())], Some(&cookie))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("41 characters"));
    let wrong = app.post_form(&path, &edit, Some("ib_h_XXXXX=00")).await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let missing = format!("/e/{}/host/attendees/77", app.code);
    assert!(
        app.text_with_cookie(&missing, &cookie)
            .await
            .contains("No attendee")
    );
}

#[tokio::test]
async fn ending_the_event_thanks_everyone_and_stops_joins_and_rounds() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    app.join("Grace", &["m"]).await;
    app.start_round().await;
    let cookie = app.host_cookie().await;
    let end = format!("/e/{}/host/end-event", app.code);
    let unconfirmed = app.post_form(&end, &[], Some(&cookie)).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.board().await["round"].is_object());
    for _ in 0..2 {
        let response = app
            .post_form(&end, &[("confirm", "yes")], Some(&cookie))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert!(
        app.text(&format!("/e/{}/board", app.code))
            .await
            .contains("Thank you for coming!")
    );
    let phone = app
        .text_with_cookie(
            &format!("/e/{}/me", app.code),
            &format!("ib_a_{}={}", app.code, ada.token),
        )
        .await;
    assert!(phone.contains("Thank you for coming, Ada!"));
    let joined = app.join_form(&[("name", "Late"), ("interests", "m")]).await;
    assert_eq!(joined.status(), StatusCode::FORBIDDEN);
    assert!(joined.text().await.unwrap().contains("ended"));
    assert_eq!(
        app.start_round_as(&app.host_key).await.status(),
        StatusCode::CONFLICT
    );
    app.end_event_as(&app.code, &app.host_key).await;
    let export = app
        .client
        .get(app.url(&format!("/api/events/{}/export?format=json", app.code)))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        export.status(),
        StatusCode::OK,
        "an ended event stays readable"
    );
}

#[tokio::test]
async fn table_names_replace_numbers_on_the_board_phones_and_signs() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    for name in ["Grace", "Linus", "Ken", "Barbara", "Dennis"] {
        app.join(name, &["m"]).await;
    }
    let cookie = app.host_cookie().await;
    let settings = [
        ("group_size", "3"),
        ("table_names", "Window\r\nCoffee bar\r\n"),
    ];
    let saved = app
        .post_form(
            &format!("/e/{}/host/settings", app.code),
            &settings,
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    app.start_round().await;
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    // The card's label, scaled down if too wide for the card.
    assert!(board.contains(r#"<div class="no fit">Window</div>"#));
    assert!(board.contains(">Coffee bar</div>") && board.contains(r#"<div class="no fit"#));
    let me = app.me(&ada.token).await;
    let table = me["group"]["table"].as_u64().unwrap();
    let phone = app
        .text_with_cookie(
            &format!("/e/{}/me", app.code),
            &format!("ib_a_{}={}", app.code, ada.token),
        )
        .await;
    let name = if table == 1 { "Window" } else { "Coffee bar" };
    assert!(
        phone.contains(&format!(r#"<span class="table-word">Go to </span>{name}"#)),
        "{phone}"
    );
    let signs = app.text(&format!("/e/{}/signs?n=3", app.code)).await;
    assert!(signs.contains("Window") && signs.contains("Coffee bar"));
    assert!(signs.contains(r#"<p class="sign-number">3</p>"#));
    let bad = app
        .patch_event_as(&app.host_key, &json!({"table_names": ["x".repeat(25)]}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_poster_and_signs_print_cleanly() {
    let app = spawn_app().await;
    let poster = app
        .get(&format!("/e/{}/poster", app.code.to_lowercase()))
        .await;
    assert_eq!(poster.status(), StatusCode::OK);
    let poster = poster.text().await.unwrap();
    assert!(poster.contains("Networking Night"));
    assert!(poster.contains("<svg"), "the QR code");
    assert!(poster.contains(&format!(
        "127.0.0.1:{}/e/{}",
        app.address.rsplit(':').next().unwrap(),
        app.code
    )));
    assert!(
        !poster.contains("<button") && !poster.contains("<form"),
        "nothing but the poster"
    );
    let signs = app.text(&format!("/e/{}/signs?n=12", app.code)).await;
    assert_eq!(signs.matches(r#"class="sheet sign""#).count(), 12);
    let clamped = app.text(&format!("/e/{}/signs?n=99999", app.code)).await;
    assert_eq!(clamped.matches(r#"class="sheet sign""#).count(), 500);
    let typo = app.get(&format!("/e/{}/signs?n=twelve", app.code)).await;
    assert_eq!(typo.status(), StatusCode::OK, "a typo gets the default");
    let css = app.text("/static/style.css?v=1").await;
    assert!(css.contains("@page{size:A4") && css.contains("@media print"));
    assert_eq!(
        app.get("/e/ZZZZZ/poster").await.status(),
        StatusCode::NOT_FOUND
    );
}
