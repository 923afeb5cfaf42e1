//! The small ones: a 429's Retry-After says what its message says, the
//! `Bearer` scheme in any case, email addresses that would smuggle
//! `mailto:` fields, and board streams that do not resend the QR code.

use super::*;

#[tokio::test]
async fn a_429_says_the_same_wait_in_its_header_and_its_message() {
    let app = spawn_app_with(|c| {
        c.limits.writes_per_minute = 6;
        c.limits.write_burst = 1;
    })
    .await;
    app.join("First", &["chess"]).await;
    let refused = app.api_join_raw(&person("Second", &["chess"])).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let header: u64 = header(&refused, "retry-after").parse().unwrap();
    let body: Value = refused.json().await.unwrap();
    let message = body["error"].as_str().unwrap();
    assert!(header >= 1, "never 'try again in 0 s'");
    assert!(
        message.contains(&format!("in {header} s")),
        "{header} vs {message}"
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = app
            .client
            .get(app.me_path("").trim_end_matches('/').to_string())
            .header("Authorization", format!("{scheme} {}", ada.token))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{scheme}");
    }
    let wrong = app
        .client
        .get(app.me_path("").trim_end_matches('/').to_string())
        .header("Authorization", format!("Basic {}", ada.token))
        .send()
        .await
        .unwrap();
    api_error(wrong, StatusCode::UNAUTHORIZED, "another scheme").await;
}

#[tokio::test]
async fn an_email_with_mailto_fields_is_refused() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    for email in [
        "ann@example.org?bcc=eve@example.org&subject=hi",
        "ann@example.org%3Fbcc=eve@example.org",
    ] {
        let response = app
            .client
            .put(app.me_path("contact"))
            .bearer_auth(&ada.token)
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        let body = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, email).await;
        assert!(body["fields"]["email"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn board_streams_refer_to_the_qr_code_instead_of_resending_it() {
    let app = spawn_app().await;
    let path = format!("/e/{}/board/events", app.code);
    let mut stream = EventStream::open(&app, &path, None, None).await;
    let first = stream.next_html().await;
    app.join("Ada", &["chess"]).await;
    let second = stream.next_html().await;
    for html in [first, second] {
        assert!(!html.contains("<svg"), "the QR code's SVG was sent again");
        assert!(html.contains(&format!("/e/{}/qr.svg", app.code)), "{html}");
        assert!(html.len() < 4000, "{} bytes a message", html.len());
    }
    // The page itself still has the QR code inline (no second request).
    let page = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(page.contains("<svg"));
}
