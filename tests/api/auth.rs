//! Who may do what: the admin token, host keys and attendee tokens.

use reqwest::StatusCode;
use serde_json::{Value, json};

use icebreaker::matching::group_sizes;

use crate::helpers::*;

async fn create_event(app: &TestApp, token: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/events")).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn only_the_admin_token_creates_events() {
    let app = spawn_app().await;
    let body = json!({"name": "Thursday Gathering", "group_size": 3, "round_minutes": 8});
    assert_eq!(
        create_event(&app, None, &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let wrong = create_event(&app, Some("not-the-admin-token-at-all"), &body).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.headers()["www-authenticate"], "Bearer");
    let host_key = create_event(&app, Some(&app.host_key), &body).await;
    assert_eq!(host_key.status(), StatusCode::UNAUTHORIZED);

    let response = create_event(&app, Some(ADMIN_TOKEN), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let code = created["code"].as_str().unwrap();
    let key = created["host_key"].as_str().unwrap();
    assert_eq!(code.len(), 5);
    assert_ne!(code, app.code);
    assert_eq!(created["urls"]["join"], app.url(&format!("/e/{code}")));
    assert_eq!(
        created["urls"]["board"],
        app.url(&format!("/e/{code}/board"))
    );
    assert_eq!(
        created["urls"]["host"],
        app.url(&format!("/e/{code}/host?key={key}"))
    );
    let board = app.get(&format!("/api/events/{code}/board")).await;
    let board: Value = board.json().await.unwrap();
    assert_eq!(board["event"]["name"], "Thursday Gathering");

    let bad = create_event(
        &app,
        Some(ADMIN_TOKEN),
        &json!({"name": " ", "group_size": 1}),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Value = bad.json().await.unwrap();
    assert!(fields["fields"]["name"].is_string());
    assert!(fields["fields"]["group_size"].is_string());
}

#[tokio::test]
async fn host_routes_tell_a_wrong_key_from_an_attendee_token() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    app.join("Grace", &["m"]).await;
    let forged = "0".repeat(32);
    let cases = [
        ("", StatusCode::UNAUTHORIZED),
        ("garbage", StatusCode::UNAUTHORIZED),
        (forged.as_str(), StatusCode::UNAUTHORIZED),
        (&app.host_key[..31], StatusCode::UNAUTHORIZED),
        (ada.token.as_str(), StatusCode::FORBIDDEN),
    ];
    for (key, status) in cases {
        assert_eq!(
            app.start_round_as(key).await.status(),
            status,
            "rounds with {key:?}"
        );
        let patch = app.patch_event_as(key, &json!({"group_size": 3})).await;
        assert_eq!(patch.status(), status, "settings with {key:?}");
        assert_eq!(
            app.remove_as(key, "1").await.status(),
            status,
            "remove with {key:?}"
        );
    }
    let board = app.board().await;
    assert_eq!(board["round"], Value::Null, "nothing happened");
    assert_eq!(board["present_count"], 2);
    let no_header = app
        .client
        .post(app.url(&format!("/api/events/{}/rounds", app.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(no_header.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn attendee_routes_need_a_valid_token_for_this_event() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    let url = app.url(&format!("/api/events/{}/attendees/me", app.code));
    let none = app.client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let host = app
        .client
        .get(&url)
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(host.status(), StatusCode::UNAUTHORIZED);
    let other_event = app
        .client
        .get(app.url("/api/events/ZZZZZ/attendees/me"))
        .bearer_auth(&ada.token)
        .send()
        .await
        .unwrap();
    assert_eq!(other_event.status(), StatusCode::NOT_FOUND);
    let body: Value = other_event.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("no event"));
}

#[tokio::test]
async fn the_host_page_needs_the_key_and_keeps_it_in_a_cookie() {
    let app = spawn_app().await;
    let path = format!("/e/{}/host", app.code);
    let bare = app.get(&path).await;
    assert_eq!(bare.status(), StatusCode::FORBIDDEN);
    let page = bare.text().await.unwrap();
    assert!(!page.contains("Start round"), "no controls without the key");
    let wrong = app.get(&format!("{path}?key={}", "0".repeat(32))).await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert!(wrong.headers().get("set-cookie").is_none());

    let signed_in = app.get(&format!("{path}?key={}", app.host_key)).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), path, "the key leaves the address bar");
    let set_cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let cookie = cookie_pair(&signed_in);
    let page = app.get_with_cookie(&path, &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Start round 1"));
    assert!(page.contains("Registration open"));

    // An attendee's cookie is not a host cookie.
    let joined = app.join_form(&[("name", "Ada"), ("interests", "m")]).await;
    let attendee_cookie = cookie_pair(&joined);
    let as_attendee = app.get_with_cookie(&path, &attendee_cookie).await;
    assert_eq!(as_attendee.status(), StatusCode::FORBIDDEN);
    let post = app
        .post_form(
            &format!("{path}/rounds"),
            &[("after", "0")],
            Some(&attendee_cookie),
        )
        .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn host_actions_from_the_page_work_and_a_double_click_starts_one_round() {
    let app = spawn_app().await;
    let cookie = app.host_cookie().await;
    let path = format!("/e/{}/host", app.code);
    let early = app
        .post_form(&format!("{path}/rounds"), &[("after", "0")], Some(&cookie))
        .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
    assert!(early.text().await.unwrap().contains("at least 2 people"));
    for name in ["Ada", "Grace", "Linus", "Barbara", "Ken"] {
        app.join(name, &["m"]).await;
    }
    for _ in 0..2 {
        let response = app
            .post_form(&format!("{path}/rounds"), &[("after", "0")], Some(&cookie))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        app.board().await["round"]["number"],
        1,
        "one round for two clicks"
    );
    let page = app
        .get_with_cookie(&format!("{path}?done=round"), &cookie)
        .await;
    assert!(page.text().await.unwrap().contains("Start round 2"));

    let settings = [("group_size", "3"), ("round_minutes", "7")];
    let saved = app
        .post_form(&format!("{path}/settings"), &settings, Some(&cookie))
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let closed = app.join_form(&[("name", "Late"), ("interests", "m")]).await;
    assert_eq!(
        closed.status(),
        StatusCode::FORBIDDEN,
        "unticked box closes registration"
    );
    let bad = [
        ("group_size", "1"),
        ("round_minutes", "7"),
        ("registration_open", "true"),
    ];
    let refused = app
        .post_form(&format!("{path}/settings"), &bad, Some(&cookie))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("group size must be between 2 and 12")
    );

    let removed = app
        .post_form(&format!("{path}/remove/0"), &[], Some(&cookie))
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let again = app
        .post_form(&format!("{path}/remove/0"), &[], Some(&cookie))
        .await;
    assert_eq!(
        again.status(),
        StatusCode::SEE_OTHER,
        "removing twice is fine"
    );
    let unknown = app
        .post_form(&format!("{path}/remove/99"), &[], Some(&cookie))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // Round 1 is still running: the console asks before cutting it short,
    // and starts round 2 once confirmed.
    let asked = app
        .post_form(&format!("{path}/rounds"), &[("after", "1")], Some(&cookie))
        .await;
    assert_eq!(asked.status(), StatusCode::OK, "a confirmation page");
    assert_eq!(app.board().await["round"]["number"], 1);
    let round2 = app
        .post_form(
            &format!("{path}/rounds"),
            &[("after", "1"), ("confirm", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(round2.status(), StatusCode::SEE_OTHER);
    let board = app.board().await;
    let round = &board["round"];
    assert_eq!(round["number"], 2);
    let mut sizes: Vec<usize> = tables(round).iter().map(Vec::len).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        sizes,
        group_sizes(4, 3),
        "4 left after the removal, in groups of 3"
    );
    let (started, ends) = (
        round["started_at"].as_str().unwrap(),
        round["ends_at"].as_str().unwrap(),
    );
    assert_eq!(
        (started, ends),
        ("2026-11-26T19:00:00Z", "2026-11-26T19:07:00Z"),
        "7-minute rounds"
    );
}
