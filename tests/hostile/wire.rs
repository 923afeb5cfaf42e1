//! Hostile input: malformed HTTP, headers and cookies.

use super::*;

#[tokio::test]
async fn malformed_http_does_not_stop_the_server() {
    let app = spawn_app().await;
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Junk: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let many_headers = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{}\r\n",
        (0..500)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect::<String>()
    );
    let huge_url = format!(
        "GET /e/{}/board?page=1&x={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        app.code,
        "a".repeat(100 * 1024)
    );
    let many_cookies = format!(
        "GET /e/{}/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {}\r\n\r\n",
        app.code,
        (0..1000).map(|i| format!("c{i}=v; ")).collect::<String>()
    );
    let requests: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"HELLO\r\n\r\n".to_vec()),
        ("binary", vec![0, 1, 2, 3, 255, 254, b'\r', b'\n', b'\r', b'\n']),
        ("HTTP/9.9", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n".to_vec()),
        ("no version", b"GET /\r\n\r\n".to_vec()),
        ("space in path", b"GET /e/a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("NUL in path", b"GET /e/\x00/board HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("bad length", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}".to_vec()),
        ("negative length", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}".to_vec()),
        ("two lengths", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}".to_vec()),
        ("length and chunked", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".to_vec()),
        ("bad chunk", b"POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec()),
        ("header without colon", b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n".to_vec()),
        ("header with NUL", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n".to_vec()),
        ("bare LF in header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\nb\r\n\r\n".to_vec()),
        ("huge header", huge_header.into_bytes()),
        ("many headers", many_headers.into_bytes()),
        ("huge URL", huge_url.into_bytes()),
        ("half a request", b"GET /healthz HT".to_vec()),
        ("absolute-form elsewhere", b"GET http://evil.example/etc/passwd HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".to_vec()),
        ("CONNECT", b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n".to_vec()),
        ("asterisk", b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
    ];
    for (label, bytes) in requests {
        if label == "half a request" {
            abandon(&app, &bytes).await;
            assert_alive(&app).await;
            continue;
        }
        let answer = raw(&app, bytes).await;
        assert!(!answer.hung, "{label}: the server hung");
        if label.starts_with("huge") || label == "many headers" {
            // Accepted or refused, as long as it is not a 5xx.
            assert!(answer.status.is_none_or(|s| s < 500), "{label}: {answer:?}");
        } else if label == "HTTP/9.9" {
            assert!(
                matches!(answer.status, None | Some(400 | 505)),
                "{answer:?}"
            );
        } else {
            answer.assert_refused(label);
        }
        assert_alive(&app).await;
    }
    let answer = raw(&app, many_cookies.into_bytes()).await;
    assert!(matches!(answer.status, Some(303 | 400 | 431)), "{answer:?}");
    // HTTP/1.0 still works.
    let answer = raw(&app, b"GET /healthz HTTP/1.0\r\n\r\n".to_vec()).await;
    assert_eq!(answer.status, Some(200));
    assert_eq!(answer.body, "ok");
    assert_alive(&app).await;
}

// Headers and cookies

/// The security headers every answer carries.
fn assert_security_headers(headers: &reqwest::header::HeaderMap, what: &str) {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{what}: no {name}"))
    };
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    let csp = get("content-security-policy");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for required in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(directives.contains(&required), "{what}: {csp}");
    }
    for loose in [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "*",
        "data:",
        "http:",
        "https:",
    ] {
        assert!(
            !csp.split_whitespace().any(|w| w == loose),
            "{what}: {loose} in {csp}"
        );
    }
}

/// A request: method, path, cookie, bearer token and JSON body.
type Probe<'a> = (&'a str, String, Option<&'a str>, Option<&'a str>, &'a str);

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    app.join("Grace", &["maths"]).await;
    let host = app.host_cookie().await;
    let admin = admin_cookie(&app).await;
    let code = &app.code;
    let key = &app.host_key;
    // (method, path, cookie, bearer, body)
    let requests: Vec<Probe<'_>> = vec![
        ("GET", "/".into(), None, None, ""),
        ("GET", "/?code=ZZZZZ".into(), None, None, ""),
        ("GET", "/healthz".into(), None, None, ""),
        ("GET", "/static/style.css".into(), None, None, ""),
        ("GET", "/static/app.js".into(), None, None, ""),
        ("GET", "/nothing".into(), None, None, ""),
        ("GET", format!("/e/{code}"), None, None, ""),
        ("POST", format!("/e/{code}"), None, None, ""),
        ("GET", format!("/e/{code}/qr.svg"), None, None, ""),
        ("GET", format!("/e/{code}/me"), Some(&cookie), None, ""),
        ("GET", format!("/e/{code}/me"), None, None, ""),
        (
            "GET",
            format!("/e/{code}/me?t={}", ada.token),
            None,
            None,
            "",
        ),
        ("GET", format!("/e/{code}/me?t=junk"), None, None, ""),
        ("GET", format!("/e/{code}/me/edit"), Some(&cookie), None, ""),
        ("GET", format!("/e/{code}/board"), None, None, ""),
        ("GET", format!("/e/{code}/board?page=x"), None, None, ""),
        ("GET", format!("/e/{code}/poster"), None, None, ""),
        ("GET", format!("/e/{code}/signs"), None, None, ""),
        ("GET", format!("/e/{code}/host"), Some(&host), None, ""),
        ("GET", format!("/e/{code}/host"), None, None, ""),
        ("GET", format!("/e/{code}/host?key={key}"), None, None, ""),
        (
            "GET",
            format!("/e/{code}/host/attendees/0"),
            Some(&host),
            None,
            "",
        ),
        ("GET", "/admin".into(), Some(&admin), None, ""),
        ("GET", "/admin".into(), None, None, ""),
        ("GET", format!("/admin?token={ADMIN_TOKEN}"), None, None, ""),
        ("PUT", format!("/e/{code}"), None, None, ""),
        ("GET", format!("/api/events/{code}/board"), None, None, ""),
        (
            "GET",
            format!("/api/events/{code}/attendees/me"),
            None,
            Some(&ada.token),
            "",
        ),
        (
            "GET",
            format!("/api/events/{code}/attendees/me"),
            None,
            None,
            "",
        ),
        (
            "GET",
            format!("/api/events/{code}/export"),
            None,
            Some(key),
            "",
        ),
        (
            "GET",
            format!("/api/events/{code}/export?format=json"),
            None,
            Some(key),
            "",
        ),
        (
            "POST",
            format!("/api/events/{code}/attendees"),
            None,
            None,
            "[1]",
        ),
        (
            "POST",
            format!("/api/events/{code}/attendees"),
            None,
            None,
            "{}",
        ),
        ("GET", "/api/events".into(), None, Some(ADMIN_TOKEN), ""),
        ("GET", "/api/nothing".into(), None, None, ""),
        ("GET", "/api/events/ZZZZZ/board".into(), None, None, ""),
        ("PUT", format!("/api/events/{code}/board"), None, None, ""),
    ];
    for (method, path, cookie, bearer, body) in requests {
        let what = format!("{method} {path}");
        let mut request = request(&app, method, &path).body(body.to_string());
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        if !body.is_empty() {
            request = request.header("Content-Type", "application/json");
        }
        let response = request.send().await.unwrap();
        assert!(response.status().as_u16() < 500, "{what}");
        assert_security_headers(response.headers(), &what);
        let content_type = header(&response, "content-type");
        if content_type.starts_with("text/html") {
            assert!(content_type.contains("charset=utf-8"), "{what}");
            let page = response.text().await.unwrap();
            assert_harmless(&page, &what);
        } else if path.starts_with("/api/") && response.status() != StatusCode::METHOD_NOT_ALLOWED {
            assert!(
                content_type.starts_with("application/json")
                    || content_type.starts_with("text/csv"),
                "{what}: {content_type}"
            );
        }
    }
    // The live streams too.
    for (path, cookie) in [
        (format!("/e/{code}/board/events"), None),
        (format!("/e/{code}/me/events"), Some(&cookie)),
        (format!("/e/{code}/host/events"), Some(&host)),
    ] {
        let mut request = app.client.get(app.url(&path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie.as_str());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_security_headers(response.headers(), &path);
    }
    assert_alive(&app).await;
}

#[tokio::test]
async fn a_flood_of_hostile_writes_gets_429_json_and_reading_goes_on() {
    let app = spawn_app_with(|c| {
        c.limits.writes_per_minute = 1;
        c.limits.write_burst = 3;
    })
    .await;
    let mut limited = 0;
    for _ in 0..6 {
        let response = app.api_join_raw(&profile_a()).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
            assert!(!header(&response, "retry-after").is_empty());
            api_error(response, StatusCode::TOO_MANY_REQUESTS, "429").await;
        } else {
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let form = app.join_form(&form_with("name", SCRIPT)).await;
        assert!(form.status().as_u16() < 500, "{}", form.status());
    }
    assert!(limited >= 3, "the flood was limited");
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert_harmless(&board, "board after the flood");
    assert_alive(&app).await;
}

#[tokio::test]
async fn answers_over_the_write_limit_carry_the_security_headers() {
    let app = spawn_app_with(|c| {
        c.limits.writes_per_minute = 1;
        c.limits.write_burst = 1;
    })
    .await;
    app.api_join_raw(&profile_a()).await;
    for path in [
        format!("/api/events/{}/attendees", app.code),
        format!("/e/{}", app.code),
    ] {
        let response = app
            .client
            .post(app.url(&path))
            .form(&[("name", "Ada"), ("interests", "maths")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert_security_headers(response.headers(), &path);
    }
}

/// The attributes of a Set-Cookie header, lower-cased.
fn cookie_attributes(response: &reqwest::Response) -> Vec<String> {
    let header = header(response, "set-cookie");
    assert!(!header.is_empty(), "a Set-Cookie header");
    header
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

/// Every way the server hands out a secret cookie.
async fn secret_cookie_answers(app: &TestApp) -> Vec<(&'static str, reqwest::Response)> {
    let token = app.join("Ada", &["maths"]).await.token;
    vec![
        (
            "joined",
            app.join_form(&[("name", "Grace"), ("interests", "maths")])
                .await,
        ),
        (
            "personal link",
            app.get(&format!("/e/{}/me?t={token}", app.code)).await,
        ),
        (
            "organizer's link",
            app.get(&format!("/e/{}/host?key={}", app.code, app.host_key))
                .await,
        ),
        (
            "admin",
            app.get(&format!("/admin?token={ADMIN_TOKEN}")).await,
        ),
    ]
}

#[tokio::test]
async fn secret_cookies_are_httponly_samesite_lax_and_scoped() {
    let app = spawn_app().await;
    for (label, response) in secret_cookie_answers(&app).await {
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label}");
        let attributes = cookie_attributes(&response);
        for required in ["httponly", "samesite=lax", "path=/"] {
            assert!(
                attributes.iter().any(|a| a == required),
                "{label}: {attributes:?}"
            );
        }
        assert!(
            attributes.iter().any(|a| a.starts_with("max-age=")),
            "{label}: {attributes:?}"
        );
        assert!(
            !attributes.iter().any(|a| a == "secure"),
            "{label}: Secure over plain http would drop the cookie"
        );
        assert!(
            !attributes.iter().any(|a| a.starts_with("domain=")),
            "{label}: host-only"
        );
        assert_security_headers(response.headers(), label);
        let location = location(&response);
        assert!(
            !location.contains("key=") && !location.contains("t=") && !location.contains("token="),
            "{label}: the secret leaves the address bar: {location}"
        );
    }
}

#[tokio::test]
async fn over_https_every_secret_cookie_is_secure() {
    let app = spawn_app_with(|c| c.public_url = "https://icebreaker.example".into()).await;
    for (label, response) in secret_cookie_answers(&app).await {
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label}");
        let attributes = cookie_attributes(&response);
        for required in ["secure", "httponly", "samesite=lax"] {
            assert!(
                attributes.iter().any(|a| a == required),
                "{label}: {attributes:?}"
            );
        }
    }
}
