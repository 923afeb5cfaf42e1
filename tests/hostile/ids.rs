//! Hostile input: event codes, ids and actions.

use super::*;

/// Codes that name no event, as they would appear in a path.
const BAD_CODES: [&str; 14] = [
    "ZZZZZ",
    "ABCDEFGHIJ",
    "%00",
    "%00ZZZZZ",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%F0%9F%98%80",
    "%E2%80%AEZZZZZ",
    "%FF%FE",
    "%20",
    "AB%2FCD",
    "ZZZZ%0D%0ASet-Cookie:x=y",
    "0O1IL",
    "%C3%84BC23",
    "Z",
];

#[tokio::test]
async fn unknown_and_malformed_event_codes_get_404_on_every_route_family() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    let long = "Z".repeat(5000);
    let mut codes: Vec<&str> = BAD_CODES.to_vec();
    codes.push(&long);
    let join_form = "name=Ada&interests=maths";
    let bearer = format!("Bearer {}", app.host_key);
    let bearer = bearer.as_str();
    let admin = format!("Bearer {ADMIN_TOKEN}");
    let admin = admin.as_str();
    let token = format!("Bearer {}", ada.token);
    let token = token.as_str();
    for c in codes {
        let cookies = format!("{host}; {cookie}");
        // (method, path, body, is_api, Authorization)
        let routes: Vec<(&str, String, &str, bool, &str)> = vec![
            ("GET", format!("/e/{c}"), "", false, ""),
            ("POST", format!("/e/{c}"), join_form, false, ""),
            ("GET", format!("/e/{c}/qr.svg"), "", false, ""),
            ("GET", format!("/e/{c}/me"), "", false, ""),
            ("GET", format!("/e/{c}/me?t={}", ada.token), "", false, ""),
            ("GET", format!("/e/{c}/me/edit"), "", false, ""),
            ("POST", format!("/e/{c}/me/edit"), join_form, false, ""),
            ("POST", format!("/e/{c}/me/break"), "", false, ""),
            ("POST", format!("/e/{c}/me/back"), "", false, ""),
            ("POST", format!("/e/{c}/me/leave"), "", false, ""),
            ("GET", format!("/e/{c}/board"), "", false, ""),
            ("GET", format!("/e/{c}/poster"), "", false, ""),
            ("GET", format!("/e/{c}/signs?n=2"), "", false, ""),
            ("GET", format!("/e/{c}/host"), "", false, ""),
            (
                "GET",
                format!("/e/{c}/host?key={}", app.host_key),
                "",
                false,
                "",
            ),
            ("POST", format!("/e/{c}/host/rounds"), "after=0", false, ""),
            ("POST", format!("/e/{c}/host/round/pause"), "", false, ""),
            (
                "POST",
                format!("/e/{c}/host/settings"),
                "group_size=3",
                false,
                "",
            ),
            (
                "POST",
                format!("/e/{c}/host/end-event"),
                "confirm=yes",
                false,
                "",
            ),
            ("POST", format!("/e/{c}/host/remove/0"), "", false, ""),
            ("POST", format!("/e/{c}/host/review/0/hide"), "", false, ""),
            ("GET", format!("/e/{c}/host/attendees/0"), "", false, ""),
            (
                "POST",
                format!("/e/{c}/host/attendees/0"),
                "name=Eve",
                false,
                "",
            ),
            ("GET", format!("/e/{c}/board/events"), "", true, ""),
            ("GET", format!("/e/{c}/me/events"), "", true, ""),
            ("GET", format!("/e/{c}/host/events"), "", true, ""),
            ("GET", format!("/api/events/{c}/board"), "", true, ""),
            (
                "POST",
                format!("/api/events/{c}/attendees"),
                "{\"name\":\"Ada\",\"interests\":[\"m\"]}",
                true,
                "",
            ),
            ("PATCH", format!("/api/events/{c}"), "{}", true, bearer),
            ("DELETE", format!("/api/events/{c}"), "", true, admin),
            ("POST", format!("/api/events/{c}/rounds"), "", true, bearer),
            (
                "POST",
                format!("/api/events/{c}/round/end"),
                "",
                true,
                bearer,
            ),
            (
                "GET",
                format!("/api/events/{c}/attendees/me"),
                "",
                true,
                token,
            ),
            (
                "PATCH",
                format!("/api/events/{c}/attendees/me"),
                "{}",
                true,
                token,
            ),
            (
                "DELETE",
                format!("/api/events/{c}/attendees/me"),
                "",
                true,
                token,
            ),
            (
                "DELETE",
                format!("/api/events/{c}/attendees/0"),
                "",
                true,
                bearer,
            ),
            (
                "POST",
                format!("/api/events/{c}/attendees/0/hide"),
                "",
                true,
                bearer,
            ),
            ("GET", format!("/api/events/{c}/export"), "", true, bearer),
            ("POST", format!("/api/events/{c}/end"), "", true, bearer),
        ];
        for (method, path, body, is_api, auth) in routes {
            let what = format!("{method} {path:.80}");
            let content_type = if is_api {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            };
            let mut headers = vec![("Content-Type", content_type), ("Cookie", cookies.as_str())];
            if !auth.is_empty() {
                headers.push(("Authorization", auth));
            }
            let answer = raw(&app, http(method, &path, &headers, body.as_bytes())).await;
            assert!(!answer.hung, "{what}");
            let status = answer.status.unwrap_or_else(|| panic!("{what}: no answer"));
            assert_eq!(status, 404, "{what}");
            assert!(!answer.body.is_empty(), "{what}: a message");
            assert!(
                answer.header("set-cookie").is_none(),
                "{what}: a cookie for an unknown event"
            );
            if is_api && status == 404 {
                let body: Value = serde_json::from_str(&answer.body)
                    .unwrap_or_else(|e| panic!("{what}: {e}: {}", answer.body));
                assert!(body["error"].is_string(), "{what}");
            } else if status == 404 {
                assert!(
                    answer
                        .header("content-type")
                        .unwrap_or_default()
                        .starts_with("text/html"),
                    "{what}"
                );
                assert_harmless(&answer.body, &what);
            }
        }
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn malformed_attendee_ids_and_actions_get_404() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    app.start_round().await;
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    let code = &app.code;
    let ids = [
        "99",
        "-1",
        "-0x1",
        "4294967296",
        "18446744073709551616",
        "1e3",
        "0x1",
        "1.0",
        "%20",
        "abc",
        "%3Cscript%3E",
        "0%00",
        "NaN",
        "%F0%9F%98%80",
    ];
    for id in ids {
        let response = app.remove_as(&app.host_key, id).await;
        api_error(response, StatusCode::NOT_FOUND, &format!("DELETE {id}")).await;
        for action in ["approve", "hide"] {
            let response = request(
                &app,
                "POST",
                &format!("/api/events/{code}/attendees/{id}/{action}"),
            )
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
            api_error(response, StatusCode::NOT_FOUND, &format!("{action} {id}")).await;
            let response = app
                .post_form(
                    &format!("/e/{code}/host/review/{id}/{action}"),
                    &[],
                    Some(&host),
                )
                .await;
            page_error(
                response,
                StatusCode::NOT_FOUND,
                &format!("page {action} {id}"),
            )
            .await;
        }
        let response = app
            .post_form(&format!("/e/{code}/host/remove/{id}"), &[], Some(&host))
            .await;
        page_error(
            response,
            StatusCode::NOT_FOUND,
            &format!("page remove {id}"),
        )
        .await;
        let response = app
            .get_with_cookie(&format!("/e/{code}/host/attendees/{id}"), &host)
            .await;
        page_error(response, StatusCode::NOT_FOUND, &format!("page edit {id}")).await;
        let response = app
            .post_form(
                &format!("/e/{code}/host/attendees/{id}"),
                &[("name", "Mallory")],
                Some(&host),
            )
            .await;
        page_error(response, StatusCode::NOT_FOUND, &format!("page save {id}")).await;
    }
    for action in [
        "delete",
        "APPROVE",
        "remove",
        "%3Cscript%3E",
        "approve%00",
        "hide%20",
    ] {
        let response = request(
            &app,
            "POST",
            &format!("/api/events/{code}/attendees/0/{action}"),
        )
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
        api_error(response, StatusCode::NOT_FOUND, action).await;
        let response = app
            .post_form(
                &format!("/e/{code}/host/review/0/{action}"),
                &[],
                Some(&host),
            )
            .await;
        page_error(response, StatusCode::NOT_FOUND, action).await;
    }
    for action in ["stop", "PAUSE", "%00", "%3Cscript%3E", "pause%20", "start"] {
        let response = request(&app, "POST", &format!("/api/events/{code}/round/{action}"))
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::NOT_FOUND, action).await;
        let response = app
            .post_form(&format!("/e/{code}/host/round/{action}"), &[], Some(&host))
            .await;
        page_error(response, StatusCode::NOT_FOUND, action).await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}
