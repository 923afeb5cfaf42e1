//! Attendees through the JSON API: join, read, change, leave.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn error_fields(response: reqwest::Response) -> Value {
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    body["fields"].clone()
}

#[tokio::test]
async fn joining_answers_201_with_a_token_and_the_profile() {
    let app = spawn_app().await;
    let response = app.api_join_raw(&person("Ada", &["maths", "poetry"])).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], 0);
    assert_eq!(body["name"], "Ada");
    assert_eq!(body["interests"], json!(["maths", "poetry"]));
    assert_eq!(body["spot_me"], "by the coffee");
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    let me = app.me(token).await;
    assert_eq!(me["name"], "Ada");
    assert_eq!(me["present"], true);
    assert_eq!(me["status"], "present");
    assert_eq!(me["seat"], "lobby");
    assert_eq!(me["group"], Value::Null);
    assert!(me.get("token").is_none(), "the token is only given once");
}

#[tokio::test]
async fn bad_profiles_get_422_with_a_message_per_field() {
    let app = spawn_app().await;
    let response = app
        .api_join_raw(&json!({"name": "", "interests": [], "weird_fact": "x".repeat(281)}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(response).await;
    assert!(fields["name"].is_string());
    assert!(fields["interests"].is_string());
    assert!(fields["weird_fact"].as_str().unwrap().contains("281"));

    let response = app
        .api_join_raw(&json!({"name": 7, "interests": "maths, poetry", "work": ["a"]}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(response).await;
    assert_eq!(fields["name"], "name must be a string");
    assert_eq!(fields["work"], "work must be a string");
    assert!(
        fields.get("interests").is_none(),
        "a comma list is accepted"
    );

    let response = app
        .api_join_raw(&json!({"name": "Ada", "interests": ["m"], "is_admin": true}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_fields(response).await["unknown"]
            .as_str()
            .unwrap()
            .contains("is_admin")
    );
    assert_eq!(app.board().await["attendee_count"], 0);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_4xx_json() {
    let app = spawn_app().await;
    let url = app.url(&format!("/api/events/{}/attendees", app.code));
    for (body, status) in [
        ("{\"name\":", StatusCode::BAD_REQUEST),
        ("[1, 2]", StatusCode::BAD_REQUEST),
        ("\u{feff}nonsense", StatusCode::BAD_REQUEST),
    ] {
        let response = app.client.post(&url).body(body).send().await.unwrap();
        assert_eq!(response.status(), status, "{body}");
        error_fields(response).await;
    }
    let invalid_utf8 = app
        .client
        .post(&url)
        .body(vec![b'{', 0xff, b'}'])
        .send()
        .await
        .unwrap();
    assert_eq!(invalid_utf8.status(), StatusCode::BAD_REQUEST);
    let big = json!({"name": "Ada", "interests": ["m"], "weird_fact": "x".repeat(17 * 1024)});
    let response = app.api_join_raw(&big).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    error_fields(response).await;
    assert_eq!(app.board().await["attendee_count"], 0);
}

#[tokio::test]
async fn a_closed_or_full_event_refuses_joins_with_403() {
    let app = spawn_app_with(|c| c.defaults.max_attendees = 2).await;
    app.join("Ada", &["m"]).await;
    app.join("Grace", &["m"]).await;
    let full = app.api_join_raw(&person("Linus", &["m"])).await;
    assert_eq!(full.status(), StatusCode::FORBIDDEN);
    assert!(error_fields(full).await.as_object().unwrap().is_empty());
    let app = spawn_app().await;
    app.patch_event_as(&app.host_key, &json!({"registration_open": false}))
        .await;
    let closed = app.api_join_raw(&person("Linus", &["m"])).await;
    assert_eq!(closed.status(), StatusCode::FORBIDDEN);
    let body: Value = closed.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("closed"));
}

#[tokio::test]
async fn patching_me_changes_only_what_is_given_and_breaks_are_kept() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let response = app
        .patch_me(&ada.token, &json!({"work": "Countess", "present": false}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["work"], "Countess");
    assert_eq!(me["name"], "Ada", "untouched fields stay");
    assert_eq!(me["status"], "on_break");
    assert_eq!(me["present"], false);
    assert_eq!(app.board().await["present_count"], 0);

    let bad = app
        .patch_me(&ada.token, &json!({"name": "", "present": true}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let me = app.me(&ada.token).await;
    assert_eq!(me["name"], "Ada", "a refused change changes nothing");
    assert_eq!(me["status"], "on_break");

    let back = app.patch_me(&ada.token, &json!({"present": true})).await;
    assert_eq!(back.status(), StatusCode::OK);
    assert_eq!(app.me(&ada.token).await["status"], "present");
}

#[tokio::test]
async fn leaving_answers_204_and_takes_me_out() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let response = app.leave(&ada.token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let me = app.me(&ada.token).await;
    assert_eq!(me["status"], "left");
    assert_eq!(app.board().await["present_count"], 0);
    assert_eq!(app.board().await["attendee_count"], 1);
}
