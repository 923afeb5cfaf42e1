//! Hostile input: text rules.

use super::*;

const CONTROLS: [&str; 8] = [
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{c}",
];

#[tokio::test]
async fn control_characters_are_refused_in_every_field() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = app.me(&ada.token).await;
    let host = app.host_cookie().await;
    for ctl in CONTROLS {
        let text = format!("A{ctl}B");
        for key in TEXT_FIELDS {
            let value = if key == "interests" {
                json!(["maths", text])
            } else {
                json!(text)
            };
            let what = format!("{key} with {ctl:?}");
            let body = api_error(
                app.api_join_raw(&profile_with(key, value.clone())).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                &what,
            )
            .await;
            let message = body["fields"][key].as_str().unwrap_or_default();
            assert!(message.contains("control"), "{what}: {body}");
            api_error(
                app.patch_me(&ada.token, &json!({ key: value })).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("PATCH {what}"),
            )
            .await;
            let form_value = if key == "interests" {
                format!("maths, {text}")
            } else {
                text.clone()
            };
            let response = app.join_form(&form_with(key, &form_value)).await;
            let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
            assert!(page.contains("control characters"), "form {what}");
        }
        // The organizer's edits, the event name and table names follow the
        // same rule.
        for key in ["name", "work", "weird_fact"] {
            let response = app
                .post_form(
                    &format!("/e/{}/host/attendees/{}", app.code, ada.id),
                    &[(key, &text)],
                    Some(&host),
                )
                .await;
            page_error(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("host edit {key} {ctl:?}"),
            )
            .await;
        }
        let response = app
            .client
            .post(app.url("/api/events"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({ "name": text }))
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, "event name").await;
        let response = app
            .patch_event_as(&app.host_key, &json!({ "table_names": [text] }))
            .await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, "table name").await;
    }
    // Line breaks are allowed in the fact only.
    for key in ["name", "work", "ask_me_about", "spot_me"] {
        let response = app.api_join_raw(&profile_with(key, json!("A\nB"))).await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, key).await;
    }
    assert_eq!(app.me(&ada.token).await, before, "nothing changed");
    assert_eq!(app.board().await["attendee_count"], 1);
    assert_eq!(event_count(&app).await, 1);
    assert_alive(&app).await;
}

/// Bidirectional formatting characters: overrides, embeddings, isolates
/// and marks.
const BIDI: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

#[tokio::test]
async fn bidi_controls_are_refused_or_stripped() {
    let app = spawn_app().await;
    for bidi in BIDI {
        let text = format!("Ada{bidi}ecalevol");
        for key in TEXT_FIELDS {
            let value = if key == "interests" {
                json!([text])
            } else {
                json!(text)
            };
            let response = app.api_join_raw(&profile_with(key, value)).await;
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            let what = format!("{key} with U+{:04X}", u32::from(bidi));
            match status {
                StatusCode::UNPROCESSABLE_ENTITY => {
                    assert!(body["fields"][key].is_string(), "{what}: {body}");
                }
                StatusCode::CREATED => {
                    assert!(!body.to_string().contains(bidi), "{what}: stored as is");
                }
                other => panic!("{what}: {other}"),
            }
        }
        let response = app
            .patch_event_as(&app.host_key, &json!({ "table_names": [text] }))
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || !body.to_string().contains(bidi),
            "table name with U+{:04X}: {status} {body}",
            u32::from(bidi)
        );
        let response = app
            .client
            .post(app.url("/api/events"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({ "name": text }))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || !body.to_string().contains(bidi),
            "event name with U+{:04X}: {status} {body}",
            u32::from(bidi)
        );
    }
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(
        !board.contains(BIDI),
        "the board never carries bidi controls"
    );
}

/// Characters that show nothing.
const INVISIBLE: [&str; 6] = [
    "\u{200B}",
    "\u{200B}\u{200C}\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{AD}",
    "\u{200B} \u{FEFF}",
];

#[tokio::test]
async fn names_made_only_of_invisible_characters_are_refused() {
    let app = spawn_app().await;
    for blank in INVISIBLE {
        let what = format!("{blank:?}");
        let response = app.api_join_raw(&profile_with("name", json!(blank))).await;
        let body = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        assert!(body["fields"]["name"].is_string(), "{what}: {body}");
        let response = app
            .api_join_raw(&profile_with("interests", json!([blank])))
            .await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        let response = app.join_form(&form_with("name", blank)).await;
        page_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
    }
    assert_eq!(app.board().await["attendee_count"], 0);
}

#[tokio::test]
async fn zero_width_combining_and_odd_unicode_never_break_a_page() {
    let app = spawn_app().await;
    let zalgo = format!("Z{}", "\u{301}\u{316}\u{35c}".repeat(13));
    let odd = [
        "Ada\u{200B}Lovelace",
        "A\u{200D}da",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
        zalgo.as_str(),
        "\u{FFFD}\u{FFFF}\u{10FFFF}",
        "\u{E000}private",
        "\u{1D54F}\u{1D56A}",
        "\u{3164}",
        "\u{2028}Ada\u{2029}",
    ];
    let mut joined: usize = 0;
    for text in odd {
        let body = json!({"name": text, "interests": [text, "maths"], "weird_fact": text});
        let response = app.api_join_raw(&body).await;
        let status = response.status();
        let answer: Value = response.json().await.unwrap();
        match status {
            StatusCode::CREATED => {
                joined += 1;
                let me = app.me(answer["token"].as_str().unwrap()).await;
                assert_eq!(me["name"].as_str(), Some(text.trim()), "{text:?}");
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert!(answer["error"].is_string());
            }
            other => panic!("{text:?}: {other}"),
        }
    }
    app.join("Grace", &["maths"]).await;
    app.start_round().await;
    assert_eq!(app.board().await["attendee_count"], joined + 1);
    for path in [format!("/e/{}/board", app.code), format!("/e/{}", app.code)] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_harmless(&response.text().await.unwrap(), &path);
    }
    let rows = csv_rows(&app, "format=csv").await;
    assert_eq!(rows.len(), joined + 2);
    assert_alive(&app).await;
}

#[tokio::test]
async fn ten_thousand_emoji_are_refused_by_size_or_length() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = app.me(&ada.token).await;
    let host = app.host_cookie().await;
    let flood = "\u{1F600}".repeat(10_000);
    let many = "\u{1F600}".repeat(3_000);
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}".repeat(6);
    // Over the body limit: 413, whatever the field.
    for key in TEXT_FIELDS {
        let value = if key == "interests" {
            json!([flood])
        } else {
            json!(flood)
        };
        let response = app.api_join_raw(&profile_with(key, value.clone())).await;
        api_error(response, StatusCode::PAYLOAD_TOO_LARGE, key).await;
        let response = app.patch_me(&ada.token, &json!({ key: value })).await;
        api_error(response, StatusCode::PAYLOAD_TOO_LARGE, key).await;
        let response = app.join_form(&form_with(key, &flood)).await;
        let page = page_error(response, StatusCode::BAD_REQUEST, key).await;
        assert!(page.contains("too long"), "{key}");
    }
    // Under the body limit, over the field's: 422 with the count.
    for key in TEXT_FIELDS {
        let value = if key == "interests" {
            json!([many])
        } else {
            json!(many)
        };
        let response = app.api_join_raw(&profile_with(key, value)).await;
        let body = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, key).await;
        let message = body["fields"][key].as_str().unwrap();
        assert!(message.contains("3000 characters"), "{key}: {message}");
    }
    let thousand = "\u{1F600}".repeat(1_000);
    let response = app.join_form(&form_with("name", &thousand)).await;
    let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "form").await;
    assert!(page.contains("1000 characters"));
    let response = app.api_join_raw(&profile_with("name", json!(family))).await;
    api_error(response, StatusCode::UNPROCESSABLE_ENTITY, "ZWJ families").await;
    // The organizer's and the admin's doors.
    let response = app
        .post_form(
            &format!("/e/{}/host/attendees/{}", app.code, ada.id),
            &[("name", &flood)],
            Some(&host),
        )
        .await;
    page_error(response, StatusCode::BAD_REQUEST, "host edit").await;
    let response = app
        .post_form(
            &format!("/e/{}/host/attendees/{}", app.code, ada.id),
            &[("name", &thousand)],
            Some(&host),
        )
        .await;
    page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "host edit").await;
    for (name, status) in [
        (&flood, StatusCode::PAYLOAD_TOO_LARGE),
        (&many, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let response = app
            .client
            .post(app.url("/api/events"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({ "name": name }))
            .send()
            .await
            .unwrap();
        api_error(response, status, "event name").await;
        let response = app
            .patch_event_as(&app.host_key, &json!({ "table_names": [name] }))
            .await;
        api_error(response, status, "table name").await;
    }
    assert_eq!(app.me(&ada.token).await, before);
    assert_eq!(app.board().await["attendee_count"], 1);
    assert_eq!(event_count(&app).await, 1);
    assert_alive(&app).await;
}
