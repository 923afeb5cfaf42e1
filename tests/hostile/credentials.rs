//! Hostile input: paths, credentials.

use super::*;

#[tokio::test]
async fn path_traversal_never_serves_a_file() {
    let app = spawn_app().await;
    let code = &app.code;
    let attempts = [
        "/static/../Cargo.toml".to_string(),
        "/static/../../../../../../etc/passwd".to_string(),
        "/static/..%2fCargo.toml".to_string(),
        "/static/..%2FCargo.toml".to_string(),
        "/static/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        "/static/%252e%252e/%252e%252e/etc/passwd".to_string(),
        "/static/style.css/../../Cargo.toml".to_string(),
        "/static/style.css/..%2f..%2fCargo.toml".to_string(),
        "/static/app.js%00.css".to_string(),
        "/static/..\\..\\Cargo.toml".to_string(),
        "/static/..%5c..%5cCargo.toml".to_string(),
        "/static/....//....//etc/passwd".to_string(),
        "/static/%c0%ae%c0%ae/etc/passwd".to_string(),
        "/static//etc/passwd".to_string(),
        "/static/src/main.rs".to_string(),
        "/static/".to_string(),
        "/static".to_string(),
        "/../../../../etc/passwd".to_string(),
        "//etc/passwd".to_string(),
        "/Cargo.toml".to_string(),
        "/src/main.rs".to_string(),
        "/.git/config".to_string(),
        "/.env".to_string(),
        format!("/e/{code}/../../Cargo.toml"),
        "/e/..%2f..%2fetc%2fpasswd/qr.svg".to_string(),
        "/e/%2e%2e/board".to_string(),
        "/api/events/..%2f..%2fCargo.toml/board".to_string(),
    ];
    for path in &attempts {
        let answer = raw(&app, http("GET", path, &[], b"")).await;
        assert!(!answer.hung, "{path}");
        let status = answer.status.unwrap_or_else(|| panic!("{path}: no answer"));
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        for secret in ["[package]", "[dependencies]", "root:", "fn main", "[core]"] {
            assert!(!answer.body.contains(secret), "{path}: {secret} leaked");
        }
        assert!(!answer.body.is_empty(), "{path}: a message");
        if path.starts_with("/api/") {
            let body: Value = serde_json::from_str(&answer.body).unwrap();
            assert!(body["error"].is_string(), "{path}");
        }
    }
    // The real files are still served, and only those.
    let css = raw(&app, http("GET", "/static/style.css", &[], b"")).await;
    assert_eq!(css.status, Some(200));
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert_alive(&app).await;
}

// Credentials

/// Every API route that needs a credential: method, path, body, and
/// whose credential it needs.
fn credential_routes(
    app: &TestApp,
    other_code: &str,
) -> Vec<(&'static str, String, &'static str, &'static str)> {
    let c = &app.code;
    vec![
        (
            "PATCH",
            format!("/api/events/{c}"),
            "{\"group_size\":3}",
            "host",
        ),
        ("POST", format!("/api/events/{c}/rounds"), "", "host"),
        ("POST", format!("/api/events/{c}/round/pause"), "", "host"),
        ("POST", format!("/api/events/{c}/round/end"), "", "host"),
        ("DELETE", format!("/api/events/{c}/attendees/0"), "", "host"),
        (
            "POST",
            format!("/api/events/{c}/attendees/0/hide"),
            "",
            "host",
        ),
        (
            "POST",
            format!("/api/events/{c}/attendees/0/approve"),
            "",
            "host",
        ),
        (
            "POST",
            format!("/api/events/{c}/attendees/0/restore"),
            "",
            "host",
        ),
        (
            "GET",
            format!("/api/events/{c}/export?format=json"),
            "",
            "host",
        ),
        (
            "GET",
            format!("/api/events/{c}/export?format=csv"),
            "",
            "host",
        ),
        ("POST", format!("/api/events/{c}/end"), "", "host"),
        (
            "GET",
            format!("/api/events/{c}/attendees/me"),
            "",
            "attendee",
        ),
        (
            "PATCH",
            format!("/api/events/{c}/attendees/me"),
            "{\"present\":false}",
            "attendee",
        ),
        (
            "DELETE",
            format!("/api/events/{c}/attendees/me"),
            "",
            "attendee",
        ),
        ("GET", "/api/events".to_string(), "", "admin"),
        (
            "POST",
            "/api/events".to_string(),
            "{\"name\":\"Forged\"}",
            "admin",
        ),
        ("DELETE", format!("/api/events/{other_code}"), "", "admin"),
    ]
}

#[tokio::test]
async fn forged_truncated_and_overlong_bearers_are_refused_on_every_api_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    let other = new_event(&app, "Other").await;
    let stranger = other.join("Eve", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let key = app.host_key.clone();
    let mut flipped = key.clone().into_bytes();
    flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
    let flipped = String::from_utf8(flipped).unwrap();
    let forged: Vec<(&str, String)> = vec![
        ("truncated key", key[..31].to_string()),
        ("key and one more", format!("{key}0")),
        ("key twice", format!("{key}{key}")),
        ("one digit changed", flipped),
        ("zeros", "0".repeat(32)),
        ("not hex", "z".repeat(32)),
        ("non-ASCII", "\u{e9}".repeat(16)),
        ("10 KB", "a".repeat(10 * 1024)),
        ("empty", String::new()),
        ("other event's key", other.host_key.clone()),
        ("other event's attendee", stranger.token.clone()),
        ("admin token", ADMIN_TOKEN.to_string()),
        ("ADMIN TOKEN", ADMIN_TOKEN.to_uppercase()),
        ("admin token, cut", ADMIN_TOKEN[..20].to_string()),
        ("admin token and more", format!("{ADMIN_TOKEN}x")),
    ];
    for (method, path, body, role) in credential_routes(&app, &other.code) {
        for (label, secret) in &forged {
            let right = match role {
                "admin" => secret == ADMIN_TOKEN,
                _ => false,
            };
            if right {
                continue;
            }
            let what = format!("{method} {path} with {label}");
            let response = request(&app, method, &path)
                .header("Authorization", format!("Bearer {secret}"))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let www = header(&response, "www-authenticate");
            api_error(response, StatusCode::UNAUTHORIZED, &what).await;
            assert_eq!(www, "Bearer", "{what}: {status}");
        }
        // The wrong kind of good credential.
        let wrong_kind: &[(&str, &str, StatusCode)] = match role {
            "host" => &[
                ("attendee token", ada.token.as_str(), StatusCode::FORBIDDEN),
                ("admin token", ADMIN_TOKEN, StatusCode::UNAUTHORIZED),
            ],
            "attendee" => &[
                ("host key", key.as_str(), StatusCode::UNAUTHORIZED),
                ("admin token", ADMIN_TOKEN, StatusCode::UNAUTHORIZED),
            ],
            _ => &[
                ("host key", key.as_str(), StatusCode::UNAUTHORIZED),
                (
                    "attendee token",
                    ada.token.as_str(),
                    StatusCode::UNAUTHORIZED,
                ),
            ],
        };
        for (label, secret, status) in wrong_kind {
            let response = request(&app, method, &path)
                .bearer_auth(secret)
                .body(body)
                .send()
                .await
                .unwrap();
            api_error(response, *status, &format!("{method} {path} with {label}")).await;
        }
    }
    assert_eq!(stored(&app, &ada.token).await, before, "nothing happened");
    assert_eq!(other.me(&stranger.token).await["status"], "present");
    assert_alive(&app).await;
}

#[tokio::test]
async fn malformed_authorization_headers_get_401_json() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let key = app.host_key.clone();
    let export = format!("/api/events/{}/export?format=json", app.code);
    let me = format!("/api/events/{}/attendees/me", app.code);
    let junk = "x".repeat(10 * 1024);
    let values: Vec<(String, Vec<u8>)> = vec![
        ("no scheme".into(), key.clone().into_bytes()),
        ("Basic".into(), format!("Basic {key}").into_bytes()),
        ("Token".into(), format!("Token {key}").into_bytes()),
        ("Bearer alone".into(), b"Bearer".to_vec()),
        ("Bearer and space".into(), b"Bearer ".to_vec()),
        ("Bearer, tab".into(), format!("Bearer\t{key}").into_bytes()),
        (
            "Bearer, two keys".into(),
            format!("Bearer {key} {key}").into_bytes(),
        ),
        (
            "Bearer, comma".into(),
            format!("Bearer {key},{key}").into_bytes(),
        ),
        (
            "10 KB of junk".into(),
            format!("Bearer {junk}").into_bytes(),
        ),
        ("10 KB no scheme".into(), junk.clone().into_bytes()),
        ("obs-text".into(), b"Bearer \xff\xfe\x80\x81".to_vec()),
        (
            "obs-text key".into(),
            [b"Bearer ".as_slice(), &[0xe9; 32]].concat(),
        ),
        (
            "Bearer Bearer".into(),
            format!("Bearer Bearer {key}").into_bytes(),
        ),
    ];
    for path in [&export, &me] {
        for (label, value) in &values {
            let what = format!("{path} with {label}");
            let response = app
                .client
                .get(app.url(path))
                .header("Authorization", HeaderValue::from_bytes(value).unwrap())
                .send()
                .await
                .unwrap();
            api_error(response, StatusCode::UNAUTHORIZED, &what).await;
        }
        // The scheme in other cases: accepted (RFC 9110: case-insensitive)
        // or a clear 401, never anything else.
        for scheme in ["bearer", "BEARER", "bEaReR"] {
            let secret = if path == &export { &key } else { &ada.token };
            let response = app
                .client
                .get(app.url(path))
                .header("Authorization", format!("{scheme} {secret}"))
                .send()
                .await
                .unwrap();
            if response.status() != StatusCode::OK {
                api_error(response, StatusCode::UNAUTHORIZED, scheme).await;
            }
        }
    }
    // Two Authorization headers, a forged one first.
    let response = app
        .client
        .get(app.url(&export))
        .header("Authorization", format!("Bearer {}", "0".repeat(32)))
        .header("Authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(response.status().as_u16(), 200 | 400 | 401),
        "{}",
        response.status()
    );
    // The live phone stream takes a bearer too.
    for (label, value) in &values {
        let response = app
            .client
            .get(app.url(&format!("/e/{}/me/events", app.code)))
            .header("Authorization", HeaderValue::from_bytes(value).unwrap())
            .send()
            .await
            .unwrap();
        api_error(
            response,
            StatusCode::UNAUTHORIZED,
            &format!("me/events {label}"),
        )
        .await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn forged_cookies_and_link_secrets_are_refused_on_pages() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    let other = new_event(&app, "Other").await;
    let stranger = other.join("Eve", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let code = app.code.clone();
    let key = app.host_key.clone();
    let secrets: Vec<(&str, String)> = vec![
        ("truncated", key[..31].to_string()),
        ("overlong", format!("{key}0")),
        ("zeros", "0".repeat(32)),
        ("not hex", "g".repeat(32)),
        ("10 KB", "a".repeat(10 * 1024)),
        ("empty", String::new()),
        ("other event's key", other.host_key.clone()),
        ("other event's attendee", stranger.token.clone()),
        ("percent junk", "%00%ff%0d%0a".to_string()),
    ];
    for (label, secret) in &secrets {
        // Organizer's link and cookie.
        let response = app
            .client
            .get(app.url(&format!("/e/{code}/host")))
            .query(&[("key", secret)])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none(), "{label}");
        page_error(response, StatusCode::FORBIDDEN, &format!("?key= {label}")).await;
        let cookie = format!("ib_h_{code}={secret}");
        let response = app
            .get_with_cookie(&format!("/e/{code}/host"), &cookie)
            .await;
        page_error(
            response,
            StatusCode::FORBIDDEN,
            &format!("host cookie {label}"),
        )
        .await;
        for (path, form) in [
            ("host/rounds", vec![("after", "0")]),
            ("host/settings", vec![("group_size", "2")]),
            ("host/end-event", vec![("confirm", "yes")]),
            ("host/remove/0", vec![]),
            ("host/restore/0", vec![]),
            ("host/review/0/hide", vec![]),
            ("host/round/pause", vec![]),
            ("host/attendees/0", vec![("name", "Mallory")]),
        ] {
            let response = app
                .post_form(&format!("/e/{code}/{path}"), &form, Some(&cookie))
                .await;
            page_error(response, StatusCode::FORBIDDEN, &format!("{path} {label}")).await;
        }
        for stream in ["host/events", "host/people/events"] {
            let response = app
                .client
                .get(app.url(&format!("/e/{code}/{stream}")))
                .header("Cookie", &cookie)
                .send()
                .await
                .unwrap();
            api_error(
                response,
                StatusCode::FORBIDDEN,
                &format!("{stream} {label}"),
            )
            .await;
        }
        // The personal link.
        let response = app
            .client
            .get(app.url(&format!("/e/{code}/me")))
            .query(&[("t", secret)])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none(), "{label}");
        page_error(response, StatusCode::NOT_FOUND, &format!("?t= {label}")).await;
        // A forged attendee cookie is not signed in: back to the form.
        let cookie = format!("ib_a_{code}={secret}");
        for path in ["me", "me/edit"] {
            let response = app
                .get_with_cookie(&format!("/e/{code}/{path}"), &cookie)
                .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} {label}");
            assert_eq!(location(&response), format!("/e/{code}"));
        }
        for path in ["me/break", "me/leave", "me/back", "me/edit"] {
            let response = app
                .post_form(
                    &format!("/e/{code}/{path}"),
                    &[("name", "Mallory"), ("interests", "x")],
                    Some(&cookie),
                )
                .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} {label}");
        }
        // The admin's token and cookie.
        let response = app
            .client
            .get(app.url("/admin"))
            .query(&[("token", secret)])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none(), "{label}");
        page_error(response, StatusCode::FORBIDDEN, &format!("?token= {label}")).await;
    }
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    for value in [
        hex("not-the-admin-token"),
        hex(&ADMIN_TOKEN[..20]),
        hex(&format!("{ADMIN_TOKEN}x")),
        ADMIN_TOKEN.to_string(),
        "abc".to_string(),
        "zz".repeat(20),
        hex(ADMIN_TOKEN).to_uppercase().replace('7', "G"),
        "ff".repeat(30),
        "0".repeat(10 * 1024),
        String::new(),
    ] {
        let cookie = format!("ib_admin={value}");
        let response = app.get_with_cookie("/admin", &cookie).await;
        page_error(
            response,
            StatusCode::FORBIDDEN,
            &format!("admin cookie {value:.20}"),
        )
        .await;
        let response = app
            .post_form("/admin/events", &[("name", "Forged")], Some(&cookie))
            .await;
        page_error(response, StatusCode::FORBIDDEN, "admin create").await;
        let response = app
            .post_form(
                &format!("/admin/events/{}/delete", other.code),
                &[("confirm", "yes")],
                Some(&cookie),
            )
            .await;
        page_error(response, StatusCode::FORBIDDEN, "admin delete").await;
    }
    // Another event's real secrets do not open this one.
    let response = app
        .get_with_cookie(
            &format!("/e/{code}/me"),
            &format!("ib_a_{}={}", other.code, stranger.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app
        .get_with_cookie(
            &format!("/e/{code}/host"),
            &format!("ib_h_{}={}", other.code, other.host_key),
        )
        .await;
    page_error(
        response,
        StatusCode::FORBIDDEN,
        "the other event's host cookie",
    )
    .await;
    assert_eq!(stored(&app, &ada.token).await, before, "nothing happened");
    assert_eq!(other.me(&stranger.token).await["status"], "present");
    assert_alive(&app).await;
}
