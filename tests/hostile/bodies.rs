//! Hostile input: bodies.

use super::*;

/// The JSON routes, each with a credential that passes.
fn json_routes(app: &TestApp, token: &str) -> Vec<(&'static str, String, String)> {
    let code = &app.code;
    vec![
        ("POST", "/api/events".to_string(), ADMIN_TOKEN.to_string()),
        ("PATCH", format!("/api/events/{code}"), app.host_key.clone()),
        (
            "POST",
            format!("/api/events/{code}/attendees"),
            String::new(),
        ),
        (
            "PATCH",
            format!("/api/events/{code}/attendees/me"),
            token.to_string(),
        ),
    ]
}

async fn send_json_body(
    app: &TestApp,
    method: &str,
    path: &str,
    bearer: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = request(app, method, path)
        .header("Content-Type", "application/json")
        .body(body);
    if !bearer.is_empty() {
        request = request.bearer_auth(bearer);
    }
    request.send().await.unwrap()
}

/// Everything the hostile tests could have changed, to compare before and
/// after.
pub(crate) async fn stored(app: &TestApp, token: &str) -> (Value, Value, Value, usize) {
    (
        app.board().await,
        app.me(token).await,
        settings(app).await,
        event_count(app).await,
    )
}

#[tokio::test]
async fn bodies_over_16_kb_get_413_json_on_the_api_and_a_page_on_forms() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let host = app.host_cookie().await;
    let admin = admin_cookie(&app).await;
    let before = stored(&app, &ada.token).await;
    let over = format!("{{\"name\":\"{}\"}}", "x".repeat(17 * 1024)).into_bytes();
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(2 << 20)).into_bytes();
    for (method, path, bearer) in json_routes(&app, &ada.token) {
        let what = format!("{method} {path}");
        let response = send_json_body(&app, method, &path, &bearer, over.clone()).await;
        let body = api_error(response, StatusCode::PAYLOAD_TOO_LARGE, &what).await;
        assert!(body["error"].as_str().unwrap().contains("16384"), "{body}");
        // JSON nested 10,000 deep is over the limit before it is parsed.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
        let response = send_json_body(&app, method, &path, &bearer, deep).await;
        api_error(response, StatusCode::PAYLOAD_TOO_LARGE, &what).await;
        // 2 MB: a 413, or the connection closed early; never a hang.
        let mut headers = vec![("Content-Type", "application/json")];
        let auth = format!("Bearer {bearer}");
        if !bearer.is_empty() {
            headers.push(("Authorization", &auth));
        }
        let answer = raw(&app, http(method, &path, &headers, &huge)).await;
        answer.assert_refused(&what);
        // A Content-Length that promises too much is refused up front.
        let liar = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Length: 100000000\r\n\r\n{{}}"
        );
        let answer = raw(&app, liar.into_bytes()).await;
        answer.assert_refused(&format!("{what} lying length"));
        // Chunked, with no length up front.
        let mut chunked = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .into_bytes();
        for piece in over.chunks(4096) {
            chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            chunked.extend_from_slice(piece);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let answer = raw(&app, chunked).await;
        assert_eq!(answer.status, Some(413), "{what} chunked: {answer:?}");
        let body: Value = serde_json::from_str(&answer.body).unwrap();
        assert!(body["error"].is_string());
    }
    let big = "z".repeat(20 * 1024);
    let code = &app.code;
    for (path, cookie) in [
        (format!("/e/{code}"), None),
        (format!("/e/{code}/me/edit"), Some(&cookie)),
        (format!("/e/{code}/host/settings"), Some(&host)),
        (format!("/e/{code}/host/attendees/0"), Some(&host)),
        (format!("/e/{code}/host/rounds"), Some(&host)),
        (format!("/e/{code}/host/end-event"), Some(&host)),
        ("/admin/events".to_string(), Some(&admin)),
        (format!("/admin/events/{code}/delete"), Some(&admin)),
    ] {
        let response = app
            .post_form(
                &path,
                &[("name", big.as_str()), ("confirm", "yes")],
                cookie.map(String::as_str),
            )
            .await;
        let page = page_error(response, StatusCode::BAD_REQUEST, &path).await;
        assert!(page.contains("too long"), "{path}");
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn large_bodies_on_routes_that_take_none_are_ignored_safely() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let code = &app.code;
    let before = stored(&app, &ada.token).await;
    let junk = vec![b'{'; 1 << 20];
    let forged = format!("Bearer {}", "0".repeat(32));
    for (method, path) in [
        ("POST", format!("/api/events/{code}/rounds")),
        ("POST", format!("/api/events/{code}/end")),
        ("POST", format!("/api/events/{code}/round/pause")),
        ("POST", format!("/api/events/{code}/attendees/0/hide")),
        ("DELETE", format!("/api/events/{code}/attendees/0")),
        ("DELETE", format!("/api/events/{code}")),
        ("GET", format!("/api/events/{code}/board")),
        ("GET", "/healthz".to_string()),
        ("POST", format!("/e/{code}/host/remove/0")),
        ("POST", format!("/e/{code}/host/round/end")),
        ("POST", format!("/e/{code}/me/leave")),
    ] {
        let answer = raw(
            &app,
            http(method, &path, &[("Authorization", &forged)], &junk),
        )
        .await;
        assert!(!answer.hung, "{method} {path}");
        if let Some(status) = answer.status {
            assert!(status < 500, "{method} {path}: {status}");
        }
        assert_alive(&app).await;
    }
    // A forged cookie on the phone's buttons changes nothing either.
    let forged_cookie = format!("ib_a_{code}={}", "0".repeat(32));
    let response = app
        .post_form(&format!("/e/{code}/me/leave"), &[], Some(&forged_cookie))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/e/{code}"));
    assert_eq!(app.me(&token_of(&cookie)).await["status"], "present");
    assert_eq!(stored(&app, &ada.token).await, before);
}

/// Bodies no JSON route can read: 400.
fn unreadable_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let deep_array = format!("{}{}", "[".repeat(3000), "]".repeat(3000));
    let deep_object = format!("{}1{}", "{\"name\":".repeat(1000), "}".repeat(1000));
    let deep_field = format!("{{\"name\":{}{}}}", "[".repeat(3000), "]".repeat(3000));
    let mut utf16 = vec![0xff, 0xfe];
    for unit in "{\"name\":\"Ada\"}".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    vec![
        ("invalid UTF-8", b"{\"name\":\"\xff\xfe\"}".to_vec()),
        ("overlong UTF-8", b"{\"name\":\"\xc0\xaf\"}".to_vec()),
        ("UTF-8 surrogate", b"{\"name\":\"\xed\xa0\x80\"}".to_vec()),
        ("lone surrogate escape", b"{\"name\":\"\\ud800\"}".to_vec()),
        ("UTF-16", utf16),
        ("byte order mark", b"\xef\xbb\xbf{}".to_vec()),
        ("NUL", b"\x00".to_vec()),
        ("array", b"[]".to_vec()),
        ("string", b"\"Ada\"".to_vec()),
        ("number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("unclosed", b"{".to_vec()),
        ("trailing comma", b"{\"name\":\"Ada\",}".to_vec()),
        ("single quotes", b"{'name':'Ada'}".to_vec()),
        ("two objects", b"{} {}".to_vec()),
        ("comment", b"{/* hi */}".to_vec()),
        ("NaN", b"{\"group_size\": NaN}".to_vec()),
        ("Infinity", b"{\"group_size\": Infinity}".to_vec()),
        ("huge exponent", b"{\"group_size\": 1e999}".to_vec()),
        ("nested arrays", deep_array.into_bytes()),
        ("nested objects", deep_object.into_bytes()),
        ("nested field", deep_field.into_bytes()),
        ("form", b"name=Ada&interests=maths".to_vec()),
        ("bad escape", b"{\"name\":\"\\x41\"}".to_vec()),
        ("raw newline in string", b"{\"name\":\"A\nB\"}".to_vec()),
    ]
}

#[tokio::test]
async fn unreadable_json_gets_400_json_on_every_json_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    for (method, path, bearer) in json_routes(&app, &ada.token) {
        for (label, body) in unreadable_bodies() {
            let what = format!("{method} {path} with {label}");
            let response = send_json_body(&app, method, &path, &bearer, body).await;
            api_error(response, StatusCode::BAD_REQUEST, &what).await;
        }
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn wrong_types_get_422_naming_the_field_on_every_json_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let code = app.code.clone();
    let wrong_profile = || {
        vec![
            ("name", json!(5)),
            ("name", json!(true)),
            ("name", json!([])),
            ("name", json!({"first": "Ada"})),
            ("name", json!(["Ada"])),
            ("work", json!(1.5)),
            ("work", json!(-0)),
            ("interests", json!(5)),
            ("interests", json!([1])),
            ("interests", json!([null])),
            ("interests", json!([["maths"]])),
            ("interests", json!({"0": "maths"})),
            ("interests", json!(true)),
            ("ask_me_about", json!(false)),
            ("weird_fact", json!(["x"])),
            ("spot_me", json!({"x": 1})),
        ]
    };
    let mut cases: Vec<(&str, String, String, Value, &str)> = Vec::new();
    for (key, value) in wrong_profile() {
        cases.push((
            "POST",
            format!("/api/events/{code}/attendees"),
            String::new(),
            profile_with(key, value.clone()),
            key,
        ));
        cases.push((
            "PATCH",
            format!("/api/events/{code}/attendees/me"),
            ada.token.clone(),
            json!({ key: value }),
            key,
        ));
    }
    for value in [json!("yes"), json!(1), json!([]), json!({})] {
        cases.push((
            "PATCH",
            format!("/api/events/{code}/attendees/me"),
            ada.token.clone(),
            json!({ "present": value }),
            "present",
        ));
    }
    for (key, value) in [
        ("group_size", json!("4")),
        ("group_size", json!(4.5)),
        ("group_size", json!(4.0)),
        ("group_size", json!(-1)),
        ("group_size", json!(1)),
        ("group_size", json!(13)),
        ("group_size", json!(u64::MAX)),
        ("group_size", json!(i64::MIN)),
        ("group_size", json!(1e300)),
        ("round_minutes", json!(0)),
        ("round_minutes", json!(181)),
        ("round_minutes", json!(4_294_967_306_u64)),
        ("changeover_seconds", json!(9)),
        ("changeover_seconds", json!(901)),
        ("registration_open", json!("true")),
        ("registration_open", json!(1)),
        ("auto_rotate", json!("false")),
        ("facts_need_approval", json!([true])),
        ("table_names", json!(5)),
        ("table_names", json!([1])),
        ("table_names", json!({"1": "Window"})),
    ] {
        cases.push((
            "PATCH",
            format!("/api/events/{code}"),
            app.host_key.clone(),
            json!({ key: value }),
            key,
        ));
    }
    // Values of the right type the settings refuse.
    let many_names: Vec<String> = (0..501).map(|i| format!("T{i}")).collect();
    for value in [
        json!([""]),
        json!(["   "]),
        json!(["x".repeat(25)]),
        json!(many_names),
    ] {
        cases.push((
            "PATCH",
            format!("/api/events/{code}"),
            app.host_key.clone(),
            json!({ "table_names": value }),
            "settings",
        ));
    }
    for (key, value) in [
        ("name", json!(5)),
        ("name", json!("")),
        ("name", json!("   ")),
        ("name", json!(["Night"])),
        ("group_size", json!("4")),
        ("group_size", json!(1)),
        ("group_size", json!(1e3)),
        ("round_minutes", json!(0)),
        ("round_minutes", json!(-10)),
    ] {
        let mut body = json!({"name": "Night"});
        body[key] = value;
        cases.push(("POST", "/api/events".into(), ADMIN_TOKEN.into(), body, key));
    }
    for (method, path, bearer, body, key) in cases {
        let what = format!("{method} {path} {body}");
        let response = send_json_body(
            &app,
            method,
            &path,
            &bearer,
            serde_json::to_vec(&body).unwrap(),
        )
        .await;
        let answer = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        assert!(
            answer["fields"][key]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}: {answer}"
        );
    }
    // Numbers too big for any integer type arrive as text.
    for body in [
        "{\"group_size\": 18446744073709551616}",
        "{\"group_size\": 99999999999999999999999999999999}",
        "{\"round_minutes\": -99999999999999999999999999999999}",
        "{\"changeover_seconds\": 1e308}",
    ] {
        let response = send_json_body(
            &app,
            "PATCH",
            &format!("/api/events/{code}"),
            &app.host_key,
            body.into(),
        )
        .await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, body).await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn missing_extra_and_null_fields_are_reported_and_change_nothing() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let code = app.code.clone();
    let join = format!("/api/events/{code}/attendees");
    let me = format!("/api/events/{code}/attendees/me");
    let event = format!("/api/events/{code}");
    let long_key = "k".repeat(10_000);
    let cases: Vec<(&str, &str, &str, Value, Vec<&str>)> = vec![
        ("POST", &join, "", json!({}), vec!["name", "interests"]),
        ("POST", &join, "", json!({"name": "Ada"}), vec!["interests"]),
        (
            "POST",
            &join,
            "",
            json!({"interests": ["maths"]}),
            vec!["name"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": null, "work": null, "interests": null, "ask_me_about": null, "weird_fact": null, "spot_me": null}),
            vec!["name", "interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": []}),
            vec!["interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["", " ", ",,"]}),
            vec!["interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": "  ,  , "}),
            vec!["interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "id": 0}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "token": ada.token}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "status": "removed"}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "present": false}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "__proto__": {"admin": true}}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "Name": "Eve"}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], long_key.as_str(): 1}),
            vec!["unknown"],
        ),
        ("PATCH", &me, &ada.token, json!({"id": 7}), vec!["unknown"]),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"token": "0".repeat(32)}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"status": "removed"}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"review": {"pending": []}}),
            vec!["unknown"],
        ),
        ("PATCH", &me, &ada.token, json!({"name": ""}), vec!["name"]),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"interests": []}),
            vec!["interests"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"max_attendees": 1}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"host_key": "0".repeat(32)}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"code": "ZZZZZ"}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"name": "Renamed"}),
            vec!["unknown"],
        ),
        ("POST", "/api/events", ADMIN_TOKEN, json!({}), vec!["name"]),
        (
            "POST",
            "/api/events",
            ADMIN_TOKEN,
            json!({"name": "N", "host_key": "0".repeat(32)}),
            vec!["unknown"],
        ),
        (
            "POST",
            "/api/events",
            ADMIN_TOKEN,
            json!({"name": "N", "max_attendees": 1_000_000_000}),
            vec!["unknown"],
        ),
        (
            "POST",
            "/api/events",
            ADMIN_TOKEN,
            json!({"name": "N", "code": "AAAAA"}),
            vec!["unknown"],
        ),
    ];
    for (method, path, bearer, body, keys) in cases {
        let what = format!(
            "{method} {path} {}",
            body.to_string().chars().take(200).collect::<String>()
        );
        let response = send_json_body(
            &app,
            method,
            path,
            bearer,
            serde_json::to_vec(&body).unwrap(),
        )
        .await;
        let answer = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        for key in keys {
            assert!(answer["fields"][key].is_string(), "{what}: {answer}");
        }
        assert!(
            answer.to_string().len() < 1000,
            "{what}: the answer does not echo the whole body"
        );
    }
    // Nulls and an empty body change nothing and are fine.
    for body in [json!({}), json!({"name": null, "present": null})] {
        let response = app.patch_me(&ada.token, &body).await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
    }
    let empty = send_json_body(&app, "PATCH", &me, &ada.token, b"  \n ".to_vec()).await;
    assert_eq!(empty.status(), StatusCode::OK);
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}
