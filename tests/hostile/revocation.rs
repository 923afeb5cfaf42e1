//! Removal is revocation: an attendee the organizer removed, or one who
//! erased their details, is refused on every route that acts as an
//! attendee, pages and API alike. The routes are read from the route table
//! itself, so a route added later is walked too.

use super::*;

/// Every `(method, path)` in the route table, read from its source.
fn route_table() -> Vec<(String, String)> {
    let sources = [
        include_str!("../../src/routes/mod.rs"),
        include_str!("../../src/routes/api/mod.rs"),
    ];
    let mut routes = Vec::new();
    for source in sources {
        // Each route's path is a string literal starting with "/"; its
        // methods are the `web::get()`-like calls up to the next path.
        let pieces: Vec<&str> = source.split("\"/").skip(1).collect();
        for piece in pieces {
            let Some((path, rest)) = piece.split_once('"') else {
                continue;
            };
            for method in ["get", "post", "put", "patch", "delete"] {
                if rest.contains(&format!("web::{method}()")) {
                    routes.push((method.to_uppercase(), format!("/{path}")));
                }
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

/// Routes anyone may use, whoever they are: the same for a removed
/// attendee as for a stranger.
const PUBLIC: [(&str, &str); 8] = [
    ("GET", "/e/{code}/board"),
    ("GET", "/e/{code}/board/events"),
    ("GET", "/e/{code}/qr.svg"),
    ("GET", "/e/{code}/met-qr.svg"),
    ("GET", "/e/{code}/poster"),
    ("GET", "/e/{code}/signs"),
    ("GET", "/api/events/{code}/board"),
    ("POST", "/api/events/{code}/attendees"),
];

/// A body for any form or JSON route: every field a route might want,
/// filled with something valid, so only the credential decides.
fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    other: u64,
) -> reqwest::RequestBuilder {
    let concrete = path
        .replace("{code}", &app.code)
        .replace("{id}", &other.to_string())
        .replace("{a}", &other.to_string())
        .replace("{b}", "0")
        .replace("{action}", "pause");
    let request = request(app, method, &concrete)
        .header("Cookie", attendee_cookie(app, token))
        .bearer_auth(token);
    if method == "GET" {
        request
    } else if path.starts_with("/api/") {
        request.json(&json!({}))
    } else {
        request.form(&[
            ("name", "Renamed"),
            ("interests", "chess"),
            ("email", "renamed@example.org"),
            ("confirm", "yes"),
            ("keep", "yes"),
            ("t", token),
        ])
    }
}

/// Whether an answer refuses the credential: 401 or 403, or (pages) the
/// redirect to the join form that a browser without a valid sign-in gets.
fn refused(app: &TestApp, response: &reqwest::Response) -> bool {
    let status = response.status();
    status == StatusCode::UNAUTHORIZED
        || status == StatusCode::FORBIDDEN
        || (status == StatusCode::SEE_OTHER && location(response) == format!("/e/{}", app.code))
}

async fn walk(app: &TestApp, token: &str, other: u64, may_join_again: bool) -> usize {
    let routes = route_table();
    assert!(routes.len() > 40, "the route table was read: {routes:?}");
    let mut walked = 0;
    for (method, path) in &routes {
        if !(path.starts_with("/e/{code}") || path.starts_with("/api/events/{code}")) {
            continue;
        }
        if PUBLIC.contains(&(method.as_str(), path.as_str())) {
            continue;
        }
        // Someone who erased their details is a stranger now, and may
        // join afresh like one.
        if may_join_again && path == "/e/{code}" {
            continue;
        }
        let response = send(app, method, path, token, other).send().await.unwrap();
        // An attendee's own routes must refuse the credential itself; the
        // organizer's may also stop earlier, at a form only they would send.
        let attendee_route = path == "/e/{code}" || path.contains("/me") || path.contains("/met");
        let stopped =
            refused(app, &response) || (!attendee_route && response.status().is_client_error());
        assert!(
            stopped,
            "{method} {path} answered {} to a revoked credential",
            response.status()
        );
        walked += 1;
    }
    walked
}

#[tokio::test]
async fn a_removed_attendee_is_refused_on_every_route() {
    let app = spawn_unlimited().await;
    let removed = app.join("Rita", &["chess"]).await;
    let other = app.join("Olga", &["chess"]).await;
    for i in 0..2 {
        app.join(&format!("P{i}"), &["chess"]).await;
    }
    app.start_round().await;
    // Both would like to stay in touch; then Rita is removed.
    for (who, whom) in [(&removed, &other), (&other, &removed)] {
        let ticked = app
            .client
            .put(app.me_path(&format!("met/{}", whom.id)))
            .bearer_auth(&who.token)
            .json(&json!({"stay_in_touch": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(ticked.status(), StatusCode::OK);
    }
    let gone = app.remove_as(&app.host_key, &removed.id.to_string()).await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let walked = walk(&app, &removed.token, other.id, false).await;
    assert!(walked > 30, "{walked} routes walked");
    // Nothing changed through any of them.
    assert_eq!(app.me(&other.token).await["name"], "Olga");
    let met = app.met(&other).await;
    let rita = met["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == removed.id)
        .unwrap();
    assert_eq!(rita["name"], "Rita", "not renamed");
    assert!(
        rita["contact"].is_null(),
        "no details go to a removed attendee's match"
    );
    // The removed person's own page says so, and offers nothing else.
    let page = app
        .get_with_cookie(
            &format!("/e/{}/me", app.code),
            &attendee_cookie(&app, &removed.token),
        )
        .await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let text = page.text().await.unwrap();
    assert!(text.contains("removed"), "{text}");
    assert!(!text.contains("<form"), "nothing else to do there: {text}");
}

#[tokio::test]
async fn an_erased_attendee_is_refused_on_every_route() {
    let app = spawn_unlimited().await;
    let erased = app.join("Eve", &["chess"]).await;
    let other = app.join("Olga", &["chess"]).await;
    let done = app
        .client
        .post(app.me_path("erase"))
        .bearer_auth(&erased.token)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let walked = walk(&app, &erased.token, other.id, true).await;
    assert!(walked > 30, "{walked} routes walked");
}
