//! Hostile input: methods, queries, forms.

use super::*;

/// Every route (`{c}` the event code) and the methods it answers.
const ROUTES: [(&str, &[&str]); 58] = [
    ("/", &["GET"]),
    ("/healthz", &["GET"]),
    ("/admin", &["GET"]),
    ("/admin/events", &["POST"]),
    ("/admin/events/{c}/delete", &["POST"]),
    ("/static/style.css", &["GET"]),
    ("/static/app.js", &["GET"]),
    ("/static/favicon.svg", &["GET"]),
    ("/favicon.ico", &["GET"]),
    ("/e/{c}", &["GET", "POST"]),
    ("/e/{c}/qr.svg", &["GET"]),
    ("/e/{c}/met-qr.svg", &["GET"]),
    ("/e/{c}/me", &["GET"]),
    ("/e/{c}/me/edit", &["GET", "POST"]),
    ("/e/{c}/me/break", &["POST"]),
    ("/e/{c}/me/back", &["POST"]),
    ("/e/{c}/me/leave", &["POST"]),
    ("/e/{c}/me/contact", &["POST"]),
    ("/e/{c}/me/erase", &["POST"]),
    ("/e/{c}/met", &["GET"]),
    ("/e/{c}/met/contacts.vcf", &["GET"]),
    ("/e/{c}/met/0", &["POST"]),
    ("/e/{c}/board", &["GET"]),
    ("/e/{c}/board/events", &["GET"]),
    ("/e/{c}/poster", &["GET"]),
    ("/e/{c}/signs", &["GET"]),
    ("/e/{c}/me/events", &["GET"]),
    ("/e/{c}/host", &["GET"]),
    ("/e/{c}/host/rounds", &["POST"]),
    ("/e/{c}/host/events", &["GET"]),
    ("/e/{c}/host/end-event", &["POST"]),
    ("/e/{c}/host/review/0/approve", &["POST"]),
    ("/e/{c}/host/attendees/0", &["GET", "POST"]),
    ("/e/{c}/host/attendees/0/apart", &["POST"]),
    ("/e/{c}/host/round/pause", &["POST"]),
    ("/e/{c}/host/settings", &["POST"]),
    ("/e/{c}/host/remove/0", &["POST"]),
    ("/e/{c}/host/restore/0", &["POST"]),
    ("/e/{c}/host/people/events", &["GET"]),
    ("/api/events", &["GET", "POST"]),
    ("/api/events/{c}", &["PATCH", "DELETE"]),
    ("/api/events/{c}/board", &["GET"]),
    ("/api/events/{c}/round/pause", &["POST"]),
    ("/api/events/{c}/rounds", &["POST"]),
    ("/api/events/{c}/attendees", &["POST"]),
    ("/api/events/{c}/attendees/me", &["GET", "PATCH", "DELETE"]),
    ("/api/events/{c}/attendees/me/met", &["GET"]),
    ("/api/events/{c}/attendees/me/met/0", &["PUT"]),
    ("/api/events/{c}/attendees/me/contact", &["PUT"]),
    ("/api/events/{c}/attendees/me/contacts.vcf", &["GET"]),
    ("/api/events/{c}/attendees/me/erase", &["POST"]),
    ("/api/events/{c}/never-together", &["GET", "POST"]),
    ("/api/events/{c}/never-together/0/1", &["DELETE"]),
    ("/api/events/{c}/attendees/0", &["DELETE"]),
    ("/api/events/{c}/attendees/0/approve", &["POST"]),
    ("/api/events/{c}/attendees/0/restore", &["POST"]),
    ("/api/events/{c}/export", &["GET"]),
    ("/api/events/{c}/end", &["POST"]),
];

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW",
];

#[tokio::test]
async fn wrong_methods_get_405_on_every_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    for (template, allowed) in ROUTES {
        let path = template.replace("{c}", &app.code);
        for method in METHODS.iter().filter(|m| !allowed.contains(m)) {
            let response = request(&app, method, &path)
                .header("Cookie", &host)
                .bearer_auth(&app.host_key)
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            let allow = header(&response, "allow");
            for m in allowed {
                assert!(allow.contains(m), "{method} {path}: Allow {allow:?}");
            }
        }
        // HEAD: like GET without a body, or refused; never a 5xx.
        let response = request(&app, "HEAD", &path).send().await.unwrap();
        assert!(
            response.status().as_u16() < 500,
            "HEAD {path}: {}",
            response.status()
        );
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn wrong_methods_are_answered_with_a_message() {
    let app = spawn_app().await;
    for (template, allowed) in ROUTES {
        let path = template.replace("{c}", &app.code);
        let method = if allowed.contains(&"PUT") {
            "BREW"
        } else {
            "PUT"
        };
        let response = request(&app, method, &path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        let allow = header(&response, "allow");
        for m in allowed {
            assert!(allow.contains(m), "{method} {path}: Allow {allow:?}");
        }
        if path.starts_with("/api/") {
            api_error(response, StatusCode::METHOD_NOT_ALLOWED, &path).await;
        } else {
            let content_type = header(&response, "content-type");
            let body = response.text().await.unwrap();
            assert!(
                content_type.starts_with("text/") && !body.trim().is_empty(),
                "{method} {path}: {content_type:?} {body:?}"
            );
        }
    }
}

#[tokio::test]
async fn head_is_answered_like_get() {
    let app = spawn_app().await;
    for (template, allowed) in ROUTES {
        if !allowed.contains(&"GET")
            || (template.starts_with("/e/") && template.ends_with("/events"))
        {
            continue;
        }
        let path = template.replace("{c}", &app.code);
        let get = app.get(&path).await.status();
        let head = request(&app, "HEAD", &path).send().await.unwrap();
        assert_eq!(head.status(), get, "HEAD {path}");
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path}: no body"
        );
    }
}

// Queries

#[tokio::test]
async fn malformed_query_strings_get_a_page_or_a_4xx() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    app.start_round().await;
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    let code = &app.code;
    let long = "q".repeat(8 * 1024);
    let cases: Vec<(String, Option<&str>, Vec<u16>)> = vec![
        (format!("/e/{code}/board?page=abc"), None, vec![400]),
        (format!("/e/{code}/board?page=-1"), None, vec![400]),
        (format!("/e/{code}/board?page=0"), None, vec![200]),
        (
            format!("/e/{code}/board?page=18446744073709551615"),
            None,
            vec![200],
        ),
        (
            format!("/e/{code}/board?page=99999999999999999999999"),
            None,
            vec![400],
        ),
        (format!("/e/{code}/board?page="), None, vec![400]),
        (format!("/e/{code}/board?page=1&page=2"), None, vec![400]),
        (format!("/e/{code}/board?page=%FF"), None, vec![400]),
        (format!("/e/{code}/board?%00=%00&x"), None, vec![200]),
        (format!("/e/{code}/signs?n=abc"), None, vec![200]),
        (format!("/e/{code}/signs?n=-5"), None, vec![200]),
        (format!("/e/{code}/signs?n=0"), None, vec![200]),
        (format!("/e/{code}/signs?n=1000000"), None, vec![200]),
        (
            format!("/e/{code}/signs?n=99999999999999999999999"),
            None,
            vec![200],
        ),
        (format!("/e/{code}/signs?n=%F0%9F%98%80"), None, vec![200]),
        (
            format!("/e/{code}/host?q={long}"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?q=%FF%FE"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?q=%00"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?done=nonsense"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?q=a&q=b"),
            Some(host.as_str()),
            vec![400],
        ),
        ("/?code=%FF".to_string(), None, vec![404]),
        ("/?code=a&code=b".to_string(), None, vec![400]),
        (format!("/?code={long}"), None, vec![404]),
        ("/admin?token=a&token=b".to_string(), None, vec![400, 403]),
        (format!("/e/{code}/me?t=a&t=b"), None, vec![400, 404]),
        (format!("/e/{code}/me?t=%00"), None, vec![404]),
    ];
    for (path, cookie, statuses) in cases {
        let mut request = app.client.get(app.url(&path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let what = format!("{path:.80}");
        assert!(statuses.contains(&status), "{what}: {status}");
        let page = response.text().await.unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "{what}: a page");
        assert_harmless(&page, &what);
    }
    for query in [
        "format=xml",
        "format=csv&what=passwd",
        "format=csv&what=../../etc/passwd",
        "format=%00",
        "format=JSON",
        "what=rounds&format=",
    ] {
        let response = app
            .client
            .get(app.url(&format!("/api/events/{code}/export?{query}")))
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::BAD_REQUEST, query).await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn unreadable_api_queries_answer_json() {
    let app = spawn_app().await;
    for query in ["format=json&format=csv", "what=a&what=b"] {
        let response = app
            .client
            .get(app.url(&format!("/api/events/{}/export?{query}", app.code)))
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::BAD_REQUEST, query).await;
    }
}

// Forms

#[tokio::test]
async fn forms_in_the_wrong_shape_get_a_page() {
    let app = spawn_app().await;
    let host = app.host_cookie().await;
    let code = &app.code;
    let join = format!("/e/{code}");
    for (content_type, body) in [
        (
            "application/json",
            b"{\"name\":\"Ada\",\"interests\":\"m\"}".to_vec(),
        ),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n--x--\r\n"
                .to_vec(),
        ),
        ("text/plain", b"name=Ada&interests=m".to_vec()),
        (
            "application/x-www-form-urlencoded; charset=utf-16",
            b"name=Ada&interests=m".to_vec(),
        ),
        (
            "application/x-www-form-urlencoded",
            b"name=Ada&name=Eve&interests=m".to_vec(),
        ),
    ] {
        let response = app
            .client
            .post(app.url(&join))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let what = content_type.to_string();
        assert!(
            status.is_client_error() || status == StatusCode::SEE_OTHER,
            "{what}: {status}"
        );
        if status.is_client_error() {
            page_error(response, status, &what).await;
        }
    }
    // No content type at all.
    let response = app
        .client
        .post(app.url(&join))
        .body("name=Ada&interests=m")
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert!(status.is_client_error(), "{status}");
    page_error(response, status, "no content type").await;
    // Encodings a browser would never send: read leniently or refused.
    for body in [
        b"name=%ZZ&interests=m".to_vec(),
        b"name=%FF%FE&interests=m".to_vec(),
        b"name=\xff\xfe&interests=m".to_vec(),
        b"name=Ada&interests=m&".to_vec(),
        b"&&&=&==&name=Ada&interests=m".to_vec(),
        [b"name=Ada&interests=m&".as_slice(), &b"x=1&".repeat(3000)].concat(),
        b"name[]=Ada&interests[]=m".to_vec(),
    ] {
        let response = app
            .client
            .post(app.url(&join))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let what = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        assert!(
            status.is_client_error() || status == StatusCode::SEE_OTHER,
            "{what}: {status}"
        );
        if status.is_client_error() {
            page_error(response, status, &what).await;
        }
    }
    // The organizer's forms with numbers that are not numbers.
    for (path, form) in [
        ("host/rounds", vec![("after", "-1")]),
        ("host/rounds", vec![("after", "abc")]),
        ("host/rounds", vec![("after", "99999999999999999999999")]),
        ("host/rounds", vec![]),
    ] {
        let response = app
            .post_form(&format!("/e/{code}/{path}"), &form, Some(&host))
            .await;
        page_error(
            response,
            StatusCode::BAD_REQUEST,
            &format!("{path} {form:?}"),
        )
        .await;
    }
    let lines: String = (0..600).map(|i| format!("T{i}\n")).collect();
    for form in [
        vec![("group_size", "abc")],
        vec![("group_size", "99999999999999999999999")],
        vec![("group_size", "-4")],
        vec![("group_size", "1")],
        vec![("round_minutes", "0")],
        vec![("changeover_seconds", "1e3")],
        vec![("table_names", lines.as_str())],
        vec![("table_names", "an overly long table name for a card")],
    ] {
        let mut form = form.clone();
        form.push(("registration_open", "true"));
        let response = app
            .post_form(&format!("/e/{code}/host/settings"), &form, Some(&host))
            .await;
        let page = page_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("{form:.60?}"),
        )
        .await;
        assert!(page.contains("Settings not saved"));
    }
    assert_eq!(settings(&app).await["group_size"], 4);
    assert_alive(&app).await;
}
