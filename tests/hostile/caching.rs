//! Answers that carry a secret or personal data are never cached
//! (`Cache-Control: no-store`): not by a shared computer's browser, not by
//! a proxy. The versioned stylesheet and script still are.

use super::*;

fn assert_no_store(response: &reqwest::Response, what: &str) {
    assert_eq!(header(response, "cache-control"), "no-store", "{what}");
}

#[tokio::test]
async fn pages_and_answers_with_secrets_or_personal_data_are_not_stored() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let host = app.host_cookie().await;
    let code = app.code.clone();
    let personal = app.get(&format!("/e/{code}/me?t={}", ada.token)).await;
    assert_no_store(&personal, "the personal link's answer (sets the cookie)");
    let signed_in = app
        .get(&format!("/e/{code}/host?key={}", app.host_key))
        .await;
    assert_no_store(&signed_in, "the organizer link's answer (sets the cookie)");
    for path in [
        format!("/e/{code}/me"),
        format!("/e/{code}/met"),
        format!("/e/{code}/me/edit"),
    ] {
        assert_no_store(&app.get_with_cookie(&path, &cookie).await, &path);
    }
    for path in [format!("/e/{code}/host")] {
        assert_no_store(&app.get_with_cookie(&path, &host).await, &path);
    }
    for path in [
        format!("/api/events/{code}/attendees/me"),
        format!("/api/events/{code}/attendees/me/met"),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .bearer_auth(&ada.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_no_store(&response, &path);
    }
    let joined = app.api_join_raw(&person("Bea", &["chess"])).await;
    assert_no_store(&joined, "the join answer (carries the token)");
    let export = app
        .client
        .get(app.url(&format!("/api/events/{code}/export")))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_no_store(&export, "the export");
    let admin = app.get(&format!("/admin?token={ADMIN_TOKEN}")).await;
    assert_no_store(&admin, "the admin sign-in");
    let style = app.get("/static/style.css").await;
    assert!(
        header(&style, "cache-control").contains("immutable"),
        "the stylesheet is cached"
    );
}
