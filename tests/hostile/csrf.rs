//! Cross-site request forgery: a page on another site (another port of the
//! same host counts) cannot make a visitor's browser change anything with
//! the cookies it holds; the JSON API never takes a cookie for a change;
//! a personal link or a join form sent from elsewhere cannot silently sign
//! a visitor in as someone else.

use super::*;

/// Another origin on the same host: "same site" for SameSite cookies.
const OTHER_PORT: &str = "http://127.0.0.1:9";

async fn round_count(app: &TestApp) -> usize {
    let board = app.board().await;
    board["round"]["number"].as_u64().unwrap_or(0) as usize
}

/// Four people, so a round can start.
async fn four(app: &TestApp) {
    for i in 0..4 {
        app.join(&format!("P{i}"), &["chess"]).await;
    }
}

async fn post_with(
    app: &TestApp,
    path: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    body: &'static str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn cross_site_form_posts_are_refused_and_same_origin_ones_work() {
    let app = spawn_app().await;
    four(&app).await;
    let host = app.host_cookie().await;
    let path = format!("/e/{}/host/rounds", app.code);
    let forged: [&[(&str, &str)]; 5] = [
        &[("Origin", OTHER_PORT)],
        &[("Origin", "https://evil.example.org")],
        &[("Origin", "null"), ("Sec-Fetch-Site", "same-site")],
        &[("Sec-Fetch-Site", "cross-site")],
        &[("Referer", "http://127.0.0.1:9/attack.html")],
    ];
    for headers in forged {
        let response = post_with(&app, &path, &host, headers, "after=0").await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("another site"), "{page}");
    }
    assert_eq!(round_count(&app).await, 0, "no forged round started");
    // Our own page: the browser sends our origin, or `null` (we send no
    // referrer) with Sec-Fetch-Site. (The second starts round 2 while
    // round 1 runs, so it carries the console's confirmation.)
    let ours: [&[(&str, &str)]; 2] = [
        &[("Origin", app.address.as_str())],
        &[("Origin", "null"), ("Sec-Fetch-Site", "same-origin")],
    ];
    for (headers, body) in ours.into_iter().zip(["after=0", "after=1&confirm=yes"]) {
        let response = post_with(&app, &path, &host, headers, body).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{headers:?}");
    }
    assert_eq!(round_count(&app).await, 2);
}

#[tokio::test]
async fn no_cors_requests_from_another_origin_are_refused() {
    let app = spawn_app().await;
    four(&app).await;
    let host = app.host_cookie().await;
    // What `fetch(url, {mode: "no-cors", credentials: "include"})` sends.
    let ended = app
        .client
        .post(app.url(&format!("/api/events/{}/end", app.code)))
        .header("Cookie", &host)
        .header("Content-Type", "text/plain")
        .header("Origin", OTHER_PORT)
        .header("Sec-Fetch-Site", "same-site")
        .header("Sec-Fetch-Mode", "no-cors")
        .body("{}")
        .send()
        .await
        .unwrap();
    api_error(ended, StatusCode::FORBIDDEN, "a no-cors end").await;
    let pair = app
        .client
        .post(app.url(&format!("/api/events/{}/never-together", app.code)))
        .header("Cookie", &host)
        .header("Content-Type", "text/plain")
        .header("Origin", OTHER_PORT)
        .body(r#"{"a": 0, "b": 1}"#)
        .send()
        .await
        .unwrap();
    api_error(pair, StatusCode::FORBIDDEN, "a no-cors never-together").await;
    let board = app.board().await;
    assert!(board["finale"].is_null(), "the event did not end");
}

#[tokio::test]
async fn the_json_api_takes_no_cookie_for_a_change() {
    let app = spawn_app().await;
    four(&app).await;
    let host = app.host_cookie().await;
    // No Origin at all (as a script would): the cookie is still not a
    // credential for the API.
    let ended = app
        .client
        .post(app.url(&format!("/api/events/{}/end", app.code)))
        .header("Cookie", &host)
        .send()
        .await
        .unwrap();
    api_error(ended, StatusCode::UNAUTHORIZED, "a cookie-only end").await;
    let ada = app.join("Ada", &["chess"]).await;
    let renamed = app
        .client
        .patch(app.me_path("").trim_end_matches('/').to_string())
        .header("Cookie", attendee_cookie(&app, &ada.token))
        .json(&json!({"name": "Mallory"}))
        .send()
        .await
        .unwrap();
    api_error(renamed, StatusCode::UNAUTHORIZED, "a cookie-only rename").await;
    assert!(app.board().await["finale"].is_null());
    assert_eq!(app.me(&ada.token).await["name"], "Ada");
    // Reading a download with the console's cookie still works.
    let export = app.export_as("format=csv", None, Some(&host)).await;
    assert_eq!(export.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_personal_link_asks_before_switching_to_someone_else() {
    let app = spawn_app().await;
    let victim = app.join("Vera", &["chess"]).await;
    let attacker = app.join("Mallory", &["chess"]).await;
    let cookie = attendee_cookie(&app, &victim.token);
    let link = format!("/e/{}/me?t={}", app.code, attacker.token);
    let asked = app.get_with_cookie(&link, &cookie).await;
    assert_eq!(asked.status(), StatusCode::OK, "a question, not a redirect");
    assert!(
        asked.headers().get("set-cookie").is_none(),
        "nobody was switched"
    );
    let page = asked.text().await.unwrap();
    assert!(page.contains("Vera") && page.contains("Mallory"), "{page}");
    assert!(page.contains(&format!("action=\"/e/{}/me/switch\"", app.code)));
    // Confirming from our own page switches.
    let switched = app
        .client
        .post(app.url(&format!("/e/{}/me/switch", app.code)))
        .header("Cookie", &cookie)
        .header("Origin", app.address.as_str())
        .form(&[("t", attacker.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(token_of(&cookie_pair(&switched)), attacker.token);
    // A confirmation posted from another site is refused.
    let forged = app
        .client
        .post(app.url(&format!("/e/{}/me/switch", app.code)))
        .header("Cookie", &cookie)
        .header("Origin", OTHER_PORT)
        .form(&[("t", attacker.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Not signed in, or the same person: straight in, as before.
    let fresh = app.get(&link).await;
    assert_eq!(fresh.status(), StatusCode::SEE_OTHER);
    let own = format!("/e/{}/me?t={}", app.code, victim.token);
    assert_eq!(
        app.get_with_cookie(&own, &cookie).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_join_form_asks_before_replacing_a_sign_in() {
    let app = spawn_app().await;
    let cookie = form_join(&app, &[("name", "Vera"), ("interests", "chess")]).await;
    let form = [("name", "Mallory"), ("interests", "chess")];
    let asked = app
        .post_form(&format!("/e/{}", app.code), &form, Some(&cookie))
        .await;
    assert_eq!(asked.status(), StatusCode::CONFLICT);
    assert!(asked.headers().get("set-cookie").is_none());
    let page = asked.text().await.unwrap();
    assert!(page.contains("Vera"), "{page}");
    assert!(page.contains("?switch=yes"), "{page}");
    assert_eq!(app.board().await["attendee_count"], 1, "nobody joined");
    let confirmed = app
        .post_form(&format!("/e/{}?switch=yes", app.code), &form, Some(&cookie))
        .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_ne!(cookie_pair(&confirmed), cookie);
    assert_eq!(app.board().await["attendee_count"], 2);
}
