//! Abuse limits: changes per client address (429 with Retry-After, then
//! recovery) and live streams per address.

use std::time::Duration;

use icebreaker::limits::Limits;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn limits(writes_per_minute: u32, write_burst: u32, streams_per_client: u32) -> Limits {
    Limits {
        writes_per_minute,
        write_burst,
        streams_per_client,
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_flood_of_changes_gets_429_with_retry_after_and_reads_stay_open() {
    // 3 at once, then one a second.
    let app = spawn_app_with(|c| c.limits = limits(60, 3, 0)).await;
    for i in 0..3 {
        app.join(&format!("P{i}"), &["m"]).await;
    }
    let refused = app.api_join_raw(&person("Flood", &["m"])).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry <= 2, "{retry}");
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("too many requests")
    );
    let form = app
        .join_form(&[("name", "Form flood"), ("interests", "m")])
        .await;
    assert_eq!(
        form.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "forms count too"
    );
    // Reading is not limited: the board and pages keep working.
    for _ in 0..20 {
        assert_eq!(
            app.get(&format!("/e/{}/board", app.code)).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        app.board().await["attendee_count"],
        3,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn the_limit_recovers_and_counts_each_address_apart() {
    // One change every 100 ms after a burst of 2: the limiter's own clock
    // refills it (real time, the crate's; waiting a few refill periods).
    // 100 ms, not less: on a loaded machine the third request may come
    // more than 10 ms after the second, and be allowed by right.
    let app = spawn_app_with(|c| c.limits = limits(600, 2, 0)).await;
    app.join("A", &["m"]).await;
    app.join("B", &["m"]).await;
    assert_eq!(
        app.api_join_raw(&person("C", &["m"])).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let other = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    let from_elsewhere = other
        .post(app.url(&format!("/api/events/{}/attendees", app.code)))
        .json(&person("D", &["m"]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        from_elsewhere.status(),
        StatusCode::CREATED,
        "another address is not affected"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    let again = app.api_join_raw(&person("C", &["m"])).await;
    assert_eq!(again.status(), StatusCode::CREATED, "the quota refills");
}

#[tokio::test]
async fn a_venue_behind_one_address_can_all_join_at_once() {
    // The defaults: a room of 300 phones behind one Wi-Fi address.
    let app = spawn_app_with(|c| c.limits = Limits::default()).await;
    let mut joins = Vec::new();
    for i in 0..300 {
        let client = app.client.clone();
        let url = app.url(&format!("/api/events/{}/attendees", app.code));
        joins.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&person(&format!("Guest {i}"), &["m"]))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for join in joins {
        assert_eq!(join.await.unwrap(), StatusCode::CREATED);
    }
    assert_eq!(app.board().await["attendee_count"], 300);
}

#[tokio::test]
async fn live_streams_per_address_are_capped_and_freed_on_close() {
    let app = spawn_app_with(|c| c.limits = limits(0, 1, 2)).await;
    let path = format!("/e/{}/board/events", app.code);
    let mut first = EventStream::open(&app, &path, None, None).await;
    first.next_state().await;
    let mut second = EventStream::open(&app, &path, None, None).await;
    second.next_state().await;
    let third = app.get(&path).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(third.headers().contains_key("retry-after"));
    drop(first);
    // The server notices a closed stream when writing to it fails, which
    // can take a write or two after the close: changes make it write.
    let mut reopened = None;
    for attempt in 0..50 {
        app.join(&format!("Wakes the streams {attempt}"), &["m"])
            .await;
        let response = app.get(&path).await;
        if response.status() == StatusCode::OK {
            reopened = Some(response);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(reopened.is_some(), "a closed stream frees its place");
}
