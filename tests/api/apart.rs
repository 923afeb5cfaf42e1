//! Pairs kept apart over HTTP: an attendee's private "rather not be grouped
//! with again", and the organizer's never-together pairs, over many rounds.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Joined, TestApp, spawn_app, tables};

impl TestApp {
    async fn rather_not(&self, who: &Joined, other: u64, on: bool) -> reqwest::Response {
        self.client
            .put(self.me_path(&format!("met/{other}")))
            .bearer_auth(&who.token)
            .json(&json!({ "rather_not": on }))
            .send()
            .await
            .unwrap()
    }

    async fn never_together(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/events/{}/never-together", self.code)))
            .bearer_auth(&self.host_key)
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

fn together(round: &[Vec<u64>], a: u64, b: u64) -> bool {
    round.iter().any(|t| t.contains(&a) && t.contains(&b))
}

#[tokio::test]
async fn rather_not_and_never_together_hold_over_many_rounds() {
    let app = spawn_app().await;
    let patch = app
        .patch_event_as(&app.host_key, &json!({"group_size": 3}))
        .await;
    assert_eq!(patch.status(), StatusCode::OK);
    let mut people = Vec::new();
    for i in 0..9 {
        // Everyone shares everything: only the rules keep pairs apart.
        people.push(app.join(&format!("Person {i}"), &["chess", "jazz"]).await);
    }
    let first = tables(&app.start_round().await);
    let a = &people[0];
    let table = first.iter().find(|t| t.contains(&a.id)).unwrap();
    let x = *table.iter().find(|&&m| m != a.id).unwrap();

    // Only someone met can be marked; the answer shows the mark to A.
    let not_met = (0..9).find(|i| !table.contains(i)).unwrap();
    let refused = app.rather_not(a, not_met, true).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let marked = app.rather_not(a, x, true).await;
    assert_eq!(marked.status(), StatusCode::OK);
    let person: Value = marked.json().await.unwrap();
    assert_eq!(person["rather_not"], true);

    // Nobody is told: X's list, X's page, the board say nothing of it.
    let x_joined = people.iter().find(|p| p.id == x).unwrap();
    let their_list = app.met(x_joined).await;
    let a_in_theirs = their_list["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == a.id)
        .unwrap();
    assert_eq!(a_in_theirs["rather_not"], false);
    assert!(!app.board().await.to_string().contains("rather"));

    // The organizer keeps two others apart, chosen among those who sat
    // together (so the matcher would otherwise happily mix them again).
    let (c, d) = {
        let other = first.iter().find(|t| !t.contains(&a.id)).unwrap();
        (other[0], other[1])
    };
    let set = app.never_together(&json!({"a": c, "b": d})).await;
    assert_eq!(set.status(), StatusCode::OK);
    let pairs: Value = set.json().await.unwrap();
    assert_eq!(pairs["pairs"][0]["a"], c.min(d));
    assert_eq!(pairs["pairs"][0]["b"], c.max(d));

    // Eleven more rounds: 9 people in threes have only 4 repeat-free
    // rounds, so repeats come, but never these two pairs.
    for round in 2..=12 {
        let seated = tables(&app.start_round().await);
        assert!(!together(&seated, a.id, x), "round {round}: {seated:?}");
        assert!(!together(&seated, c, d), "round {round}: {seated:?}");
        let everyone: usize = seated.iter().map(Vec::len).sum();
        assert_eq!(everyone, 9, "round {round}: nobody waits needlessly");
    }

    // Taking the mark back lets the matcher group them again some day.
    let undone = app.rather_not(a, x, false).await;
    let person: Value = undone.json().await.unwrap();
    assert_eq!(person["rather_not"], false);
}

#[tokio::test]
async fn never_together_needs_the_host_key_and_two_real_people() {
    let app = spawn_app().await;
    let a = app.join("Ada", &["chess"]).await;
    let b = app.join("Bob", &["chess"]).await;
    let url = app.url(&format!("/api/events/{}/never-together", app.code));
    let as_attendee = app
        .client
        .post(&url)
        .bearer_auth(&a.token)
        .json(&json!({"a": a.id, "b": b.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_attendee.status(), StatusCode::FORBIDDEN);
    let same = app.never_together(&json!({"a": a.id, "b": a.id})).await;
    assert_eq!(same.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app.never_together(&json!({"a": a.id, "b": 99})).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let missing = app.never_together(&json!({"a": a.id})).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.never_together(&json!({"a": a.id, "b": b.id}))
            .await
            .status(),
        StatusCode::OK
    );
    // With only these two present, no round can seat them: one waits.
    let round = app.start_round().await;
    assert!(tables(&round).iter().all(|t| t.len() != 2));
    let listed = app.get_json_as(&url, &app.host_key).await;
    assert_eq!(listed["pairs"][0]["names"], json!(["Ada", "Bob"]));
    let delete = app
        .client
        .delete(format!("{url}/{}/{}", b.id, a.id))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_console_keeps_two_apart_and_the_phone_marks_rather_not() {
    let app = spawn_app().await;
    let a = app.join("Ada", &["chess"]).await;
    let b = app.join("Bob", &["chess"]).await;
    let cookie = app.host_cookie().await;
    let edit = format!("/e/{}/host/attendees/{}", app.code, a.id);
    let page = app.text_with_cookie(&edit, &cookie).await;
    assert!(page.contains("Never at a table with") && page.contains("Bob (#1)"));
    let response = app
        .post_form(
            &format!("{edit}/apart"),
            &[("other", &b.id.to_string()), ("on", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.text_with_cookie(&edit, &cookie).await;
    assert!(page.contains("Allow again"), "the pair is listed");
    // By number, as the console and the API show it ("#0" is Ada herself).
    let bad = app
        .post_form(
            &format!("{edit}/apart"),
            &[("other_no", "#0"), ("on", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Choose two different people.")
    );

    // The phone: after a round, Ada marks someone she met.
    let c = app.join("Cy", &["chess"]).await;
    let round = tables(&app.start_round().await);
    let ada_table = round.iter().find(|t| t.contains(&a.id)).unwrap();
    assert!(!ada_table.contains(&b.id));
    let met = format!("/e/{}/met", app.code);
    let phone = format!("ib_a_{}={}", app.code, a.token);
    let page = app.text_with_cookie(&met, &phone).await;
    assert!(page.contains("Rather not be grouped with them again"));
    let marked = app
        .post_form(
            &format!("{met}/{}", c.id),
            &[("rather_not", "yes")],
            Some(&phone),
        )
        .await;
    assert_eq!(marked.status(), StatusCode::SEE_OTHER);
    let page = app.text_with_cookie(&met, &phone).await;
    assert!(page.contains("You won't be grouped with them again. Only you can see this."));
    let both = app
        .post_form(
            &format!("{met}/{}", c.id),
            &[("rather_not", "yes"), ("keep", "yes")],
            Some(&phone),
        )
        .await;
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_bodies_get_a_clear_4xx_and_change_nothing() {
    let app = spawn_app().await;
    let a = app.join("Ada", &["chess"]).await;
    let b = app.join("Bob", &["chess"]).await;
    app.start_round().await;
    let url = app.url(&format!("/api/events/{}/never-together", app.code));
    for body in [
        json!({"a": "0", "b": 1}),
        json!({"a": -1, "b": 1}),
        json!({"a": 0, "b": 1.5}),
        json!({"a": 0, "b": 4_294_967_296_u64}),
        json!({"a": 0, "b": 1, "why": "x"}),
        json!([0, 1]),
    ] {
        let response = app.never_together(&body).await;
        let status = response.status();
        assert!(status.is_client_error(), "{body}: {status}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"].is_string(), "{body}: {error}");
    }
    let not_json = app
        .client
        .post(&url)
        .bearer_auth(&app.host_key)
        .header("Content-Type", "application/json")
        .body("{\"a\": 0,")
        .send()
        .await
        .unwrap();
    assert!(not_json.status().is_client_error());
    for body in [
        json!({"rather_not": "yes"}),
        json!({"rather_not": true, "stay_in_touch": true}),
        json!({}),
    ] {
        let response = app
            .client
            .put(app.me_path(&format!("met/{}", b.id)))
            .bearer_auth(&a.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let listed = app.get_json_as(&url, &app.host_key).await;
    assert_eq!(listed["pairs"], json!([]), "nothing was set");
    let met = app.met(&a).await;
    assert_eq!(met["people"][0]["rather_not"], false);
    assert_eq!(met["people"][0]["stay_in_touch"], false);
}
