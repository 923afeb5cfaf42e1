//! Joining with the HTML form, as a phone does.

use reqwest::StatusCode;

use crate::helpers::*;

fn good_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Ada Lovelace"),
        ("interests", "maths, poetry , engines"),
        ("work", "Analyst"),
        ("ask_me_about", "the Analytical Engine"),
        ("weird_fact", "Bees can recognise faces"),
        ("spot_me", "green scarf"),
    ]
}

#[tokio::test]
async fn joining_sets_a_private_cookie_and_leads_to_my_page() {
    let app = spawn_app().await;
    let response = app.join_form(&good_form()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/e/{}/me", app.code));
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    assert!(
        !set_cookie.contains("Secure"),
        "plain http: a Secure cookie would be dropped"
    );
    let cookie = cookie_pair(&response);
    let token = cookie.split('=').nth(1).unwrap();
    assert_eq!(token.len(), 32, "128 bits as hex");
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));

    let page = app
        .get_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("You're in, Ada Lovelace — groups start soon"),
        "{page}"
    );
    assert!(page.contains("1 person has joined so far"));
    let link = format!("{}/e/{}/me?t={token}", app.address, app.code);
    assert!(page.contains(&link), "the personal link is on the page");

    // Scanning the QR code again goes straight to my page.
    let again = app
        .get_with_cookie(&format!("/e/{}", app.code), &cookie)
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), format!("/e/{}/me", app.code));
}

#[tokio::test]
async fn the_personal_link_gets_a_new_browser_back_in() {
    let app = spawn_app().await;
    let joined = app.join("Ada", &["maths"]).await;
    let response = app
        .get(&format!("/e/{}/me?t={}", app.code, joined.token))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/e/{}/me", app.code),
        "token dropped from the address"
    );
    let cookie = cookie_pair(&response);
    assert!(cookie.ends_with(&joined.token));
    let forged = app
        .get(&format!("/e/{}/me?t={}", app.code, "0".repeat(32)))
        .await;
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    let truncated = app
        .get(&format!("/e/{}/me?t={}", app.code, &joined.token[..20]))
        .await;
    assert_eq!(truncated.status(), StatusCode::NOT_FOUND);
    let no_cookie = app.get(&format!("/e/{}/me", app.code)).await;
    assert_eq!(
        no_cookie.status(),
        StatusCode::SEE_OTHER,
        "to the join form"
    );
    assert_eq!(location(&no_cookie), format!("/e/{}", app.code));
}

#[tokio::test]
async fn every_bad_field_is_reported_next_to_it_and_typed_values_are_kept() {
    let app = spawn_app().await;
    let long_interest = "x".repeat(31);
    let eleven = (0..11)
        .map(|i| format!("topic{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let long = |n: usize| "y".repeat(n);
    let (n41, w81, a81, f281, s61) = (long(41), long(81), long(81), long(281), long(61));
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            "name",
            vec![("name", ""), ("interests", "maths")],
            "Please tell us your name",
        ),
        (
            "name",
            vec![("name", &n41), ("interests", "maths")],
            "41 characters; at most 40",
        ),
        (
            "interests",
            vec![("name", "Ada"), ("interests", " , ")],
            "at least one interest",
        ),
        (
            "interests",
            vec![("name", "Ada"), ("interests", &eleven)],
            "11 interests; at most 10",
        ),
        (
            "interests",
            vec![("name", "Ada"), ("interests", &long_interest)],
            "at most 30",
        ),
        (
            "work",
            vec![("name", "Ada"), ("interests", "m"), ("work", &w81)],
            "at most 80",
        ),
        (
            "ask_me_about",
            vec![("name", "Ada"), ("interests", "m"), ("ask_me_about", &a81)],
            "at most 80",
        ),
        (
            "weird_fact",
            vec![("name", "Ada"), ("interests", "m"), ("weird_fact", &f281)],
            "at most 280",
        ),
        (
            "spot_me",
            vec![("name", "Ada"), ("interests", "m"), ("spot_me", &s61)],
            "at most 60",
        ),
        (
            "spot_me",
            vec![("name", "Ada"), ("interests", "m"), ("spot_me", "red\u{7}")],
            "control characters",
        ),
    ];
    for (field, form, message) in cases {
        let response = app.join_form(&form).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {message}"
        );
        assert!(response.headers().get("set-cookie").is_none());
        let page = response.text().await.unwrap();
        let error = format!(r#"<p class="field-error" id="{field}-error">"#);
        let at = page
            .find(&error)
            .unwrap_or_else(|| panic!("no message for {field}"));
        assert!(page[at..].contains(message), "{field}: {message}");
        for (_, value) in &form {
            if !value.contains('\u{7}') {
                assert!(page.contains(value), "{field}: the typed {value:?} is kept");
            }
        }
    }
    assert_eq!(app.board().await["attendee_count"], 0, "nobody was added");
}

#[tokio::test]
async fn typed_markup_comes_back_escaped() {
    let app = spawn_app().await;
    let response = app
        .join_form(&[
            ("name", r#""><script>alert(1)</script>"#),
            ("interests", ""),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn others_interests_are_offered_as_suggestions() {
    let app = spawn_app().await;
    app.join("Ada", &["Board games", "maths"]).await;
    app.join("Grace", &["board game", "compilers"]).await;
    let page = app.text(&format!("/e/{}", app.code)).await;
    let suggestions = page.split("Others here mentioned").nth(1).unwrap();
    let first = suggestions.find("Board games").unwrap();
    assert!(
        suggestions.find("maths").unwrap() > first,
        "most common first"
    );
    assert!(suggestions.contains("compilers"));
}

#[tokio::test]
async fn a_closed_event_says_so_and_adds_nobody() {
    let app = spawn_app().await;
    let response = app
        .patch_event_as(
            &app.host_key,
            &serde_json::json!({"registration_open": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let form = app.text(&format!("/e/{}", app.code)).await;
    assert!(form.contains("Registration for this event is closed"));
    let response = app.join_form(&good_form()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("closed"));
    assert_eq!(app.board().await["attendee_count"], 0);
}

#[tokio::test]
async fn editing_my_answers_keeps_my_place_and_validates() {
    let app = spawn_app().await;
    let response = app.join_form(&good_form()).await;
    let cookie = cookie_pair(&response);
    let edit = app
        .get_with_cookie(&format!("/e/{}/me/edit", app.code), &cookie)
        .await;
    assert!(
        edit.text()
            .await
            .unwrap()
            .contains("value=\"maths, poetry, engines\"")
    );
    let path = format!("/e/{}/me/edit", app.code);
    let bad = app
        .post_form(
            &path,
            &[("name", ""), ("interests", "maths")],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .post_form(
            &path,
            &[("name", "Ada King"), ("interests", "maths, looms")],
            Some(&cookie),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let board = app.board().await;
    assert_eq!(board["attendee_count"], 1);
    let page = app
        .get_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert!(page.text().await.unwrap().contains("Your personal link"));
    let without_cookie = app
        .post_form(&path, &[("name", "X"), ("interests", "y")], None)
        .await;
    assert_eq!(without_cookie.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&without_cookie), format!("/e/{}", app.code));
}

#[tokio::test]
async fn oversized_forms_are_refused_with_a_page() {
    let app = spawn_app().await;
    let huge = "z".repeat(20 * 1024);
    let response = app
        .join_form(&[("name", "Ada"), ("interests", "m"), ("weird_fact", &huge)])
        .await;
    assert!(response.status().is_client_error(), "{}", response.status());
    assert!(response.text().await.unwrap().contains("too long"));
    assert_eq!(app.board().await["attendee_count"], 0);
}
