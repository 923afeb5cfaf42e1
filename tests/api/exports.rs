//! Exports and several events: parse the downloads back, hostile text
//! included; create, list and delete events.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// Text a spreadsheet or a CSV parser could trip over.
fn hostile() -> Value {
    json!({
        "name": "Evil \"Quote\", Inc",
        "work": "=cmd|' /C calc'!A0",
        "interests": ["@SUM(1)", "commas, too"],
        "ask_me_about": "+1 555, \"hi\"",
        "weird_fact": "Line one\nline two, with \"quotes\"",
        "spot_me": "-dash",
    })
}

async fn export(
    app: &TestApp,
    query: &str,
    key: Option<&str>,
    cookie: Option<&str>,
) -> reqwest::Response {
    app.export_as(query, key, cookie).await
}

#[tokio::test]
async fn the_attendee_csv_parses_back_with_formulas_defused() {
    let app = spawn_app().await;
    let response = app.api_join_raw(&hostile()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.join("Ada", &["maths"]).await;
    let response = export(&app, "format=csv", Some(&app.host_key), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains(&format!("{}-attendees.csv", app.code)));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[1], "name");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let evil = &rows[0];
    assert_eq!(&evil[0], "0");
    assert_eq!(&evil[1], "Evil \"Quote\", Inc");
    assert_eq!(&evil[2], "'=cmd|' /C calc'!A0", "no formula runs");
    assert_eq!(&evil[3], "'@SUM(1); commas, too");
    assert_eq!(&evil[4], "'+1 555, \"hi\"");
    assert_eq!(&evil[5], "Line one\nline two, with \"quotes\"");
    assert_eq!(&evil[6], "'-dash");
    assert_eq!(&evil[7], "present");
    assert_eq!(&evil[8], "2026-11-26T19:00:00Z");
    assert_eq!(&rows[1][1], "Ada");
}

#[tokio::test]
async fn the_rounds_csv_and_the_json_list_every_seat() {
    let app = spawn_app().await;
    app.api_join_raw(&hostile()).await;
    for name in ["Ada", "Grace", "Linus", "Ken"] {
        app.join(name, &["m"]).await;
    }
    let first = app.start_round().await;
    app.clock.advance(10 * MINUTE);
    app.start_round().await;
    let cookie = app.host_cookie().await;
    let response = export(&app, "format=csv&what=rounds", None, Some(&cookie)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the console's cookie works for downloads"
    );
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10, "5 people × 2 rounds");
    let first_table: Vec<String> = rows
        .iter()
        .filter(|r| &r[0] == "1" && &r[2] == "1")
        .map(|r| r[4].to_string())
        .collect();
    let expected: Vec<String> = tables(&first)[0].iter().map(u64::to_string).collect();
    assert_eq!(first_table, expected);
    assert!(rows.iter().any(|r| &r[5] == "Evil \"Quote\", Inc"));

    let json: Value = export(&app, "format=json", Some(&app.host_key), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["event"]["code"], app.code.as_str());
    assert_eq!(json["attendees"].as_array().unwrap().len(), 5);
    assert_eq!(
        json["attendees"][0]["work"], "=cmd|' /C calc'!A0",
        "JSON keeps the text as is"
    );
    assert_eq!(
        json["attendees"][0]["weird_fact"],
        "Line one\nline two, with \"quotes\""
    );
    assert_eq!(json["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(
        json["rounds"][0]["tables"][0]["members"],
        json!(tables(&first)[0])
    );
}

#[tokio::test]
async fn exports_need_the_host_key() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["m"]).await;
    assert_eq!(
        export(&app, "format=csv", None, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        export(&app, "format=csv", Some(&ada.token), None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let attendee_cookie = format!("ib_a_{}={}", app.code, ada.token);
    assert_eq!(
        export(&app, "format=csv", None, Some(&attendee_cookie))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        export(&app, "format=xml", Some(&app.host_key), None)
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        export(&app, "format=csv&what=pets", Some(&app.host_key), None)
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_admin_creates_lists_and_deletes_events() {
    let app = spawn_app().await;
    let list = |token: &str| {
        app.client
            .get(app.url("/api/events"))
            .bearer_auth(token.to_string())
            .send()
    };
    assert_eq!(
        list(&app.host_key).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let listed: Value = list(ADMIN_TOKEN).await.unwrap().json().await.unwrap();
    assert_eq!(listed["events"].as_array().unwrap().len(), 1);

    // The admin page: sign in with the token, create an event.
    let signed_in = app.get(&format!("/admin?token={ADMIN_TOKEN}")).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = cookie_pair(&signed_in);
    assert_eq!(app.get("/admin").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/admin?token=nope-nope-nope-nope").await.status(),
        StatusCode::FORBIDDEN
    );
    let bad = app
        .post_form(
            "/admin/events",
            &[("name", ""), ("group_size", "1")],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let created = app
        .post_form(
            "/admin/events",
            &[
                ("name", "Thursday <b>Gathering</b>"),
                ("group_size", "3"),
                ("round_minutes", "8"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let page = app.text_with_cookie("/admin", &cookie).await;
    assert!(page.contains("Thursday &lt;b&gt;Gathering&lt;/b&gt;"));
    assert!(page.contains("Events (2)"));

    let listed: Value = list(ADMIN_TOKEN).await.unwrap().json().await.unwrap();
    let events = listed["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let new = &events[0];
    assert_eq!(new["name"], "Thursday <b>Gathering</b>", "newest first");
    let code = new["code"].as_str().unwrap().to_string();
    let board: Value = app
        .get(&format!("/api/events/{code}/board"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(board["attendee_count"], 0, "events are independent");

    // Deleting removes it; the other event is untouched.
    let delete = |token: &str, code: &str| {
        app.client
            .delete(app.url(&format!("/api/events/{code}")))
            .bearer_auth(token.to_string())
            .send()
    };
    assert_eq!(
        delete(&app.host_key, &code).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        delete(ADMIN_TOKEN, &code).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        delete(ADMIN_TOKEN, &code).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/e/{code}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/e/{}", app.code)).await.status(),
        StatusCode::OK
    );

    // Deleting from the page needs the box ticked.
    let path = format!("/admin/events/{}/delete", app.code);
    let unticked = app.post_form(&path, &[], Some(&cookie)).await;
    assert_eq!(unticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ticked = app
        .post_form(&path, &[("confirm", "yes")], Some(&cookie))
        .await;
    assert_eq!(ticked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/e/{}", app.code)).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_deleted_events_live_stream_ends() {
    let app = spawn_app().await;
    let mut board =
        EventStream::open(&app, &format!("/e/{}/board/events", app.code), None, None).await;
    board.next_state().await;
    let deleted = app
        .client
        .delete(app.url(&format!("/api/events/{}", app.code)))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(
        board.ends().await,
        "the stream closes once the event is gone"
    );
}
