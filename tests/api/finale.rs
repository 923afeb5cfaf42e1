//! The finale over real HTTP: the board's closing figures against a small
//! evening worked out by hand, in the board JSON, the board page and the
//! board's live stream.
//!
//! The evening: groups of 2. Ada (Chess, Jazz), Bob (chess, jazz), Cy
//! (chess), Di (knitting), Ed (sailing) and Flo (chess, knitting) join. Ed
//! takes a break before the first round and never comes back; the
//! organizer removes Flo. Three rounds for the four present: a round
//! robin, so each of them meets the three others once. Ada and Bob tick
//! each other; Ada ticks Cy, who does not tick back. By hand:
//!
//! - people 5: Ada, Bob, Cy, Di, Ed (Flo was removed);
//! - rounds 3; new connections 6 (every pair of the four);
//! - staying in touch 1 (Ada and Bob; Ada → Cy is one-sided);
//! - top interests: chess 3 (Ada, Bob, Cy; spelled "chess" as two of
//!   them typed it), Jazz 2 (a tie of spellings: Ada's came first);
//!   knitting 1 (Flo's does not count), sailing 1: neither is shared;
//! - met: Ed 0 people, the four others 3 each: {0: 1, 3: 4}, average 2.4.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{EventStream, Joined, TestApp, spawn_app, tables};

/// `PUT …/attendees/me/met/{other}`: `who` would like to stay in touch.
async fn stay_in_touch(app: &TestApp, who: &Joined, other: &Joined) {
    let response = app
        .client
        .put(app.url(&format!(
            "/api/events/{}/attendees/me/met/{}",
            app.code, other.id
        )))
        .bearer_auth(&who.token)
        .json(&json!({ "stay_in_touch": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// Ends the event from the organizer's console, as an organizer would.
async fn end_event(app: &TestApp) {
    let cookie = app.host_cookie().await;
    let response = app
        .post_form(
            &format!("/e/{}/host/end-event", app.code),
            &[("confirm", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn board_html(app: &TestApp) -> String {
    app.text(&format!("/e/{}/board", app.code)).await
}

/// The evening above, up to (not including) the end. Returns Ada, Bob,
/// Cy, Di, Ed in that order.
async fn evening() -> (TestApp, Vec<Joined>) {
    let app = spawn_app().await;
    let set = app
        .patch_event_as(&app.host_key, &json!({ "group_size": 2 }))
        .await;
    assert_eq!(set.status(), StatusCode::OK);
    let ada = app.join("Ada Lovelace", &["Chess", "Jazz"]).await;
    let bob = app.join("Bob", &["chess", "jazz"]).await;
    let cy = app.join("Cy", &["chess"]).await;
    let di = app.join("Di", &["knitting"]).await;
    let ed = app.join("Ed", &["sailing"]).await;
    let flo = app.join("Flo", &["chess", "knitting"]).await;
    let on_break = app.patch_me(&ed.token, &json!({ "present": false })).await;
    assert_eq!(on_break.status(), StatusCode::OK);
    let removed = app.remove_as(&app.host_key, &flo.id.to_string()).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    // Check the rounds really are a round robin of the four present
    // rather than assume the matcher's answer.
    let four = [ada.id, bob.id, cy.id, di.id];
    let mut pairs = std::collections::BTreeSet::new();
    for _ in 0..3 {
        let round = tables(&app.start_round().await);
        assert_eq!(round.len(), 2, "two tables of two: {round:?}");
        let mut seated: Vec<u64> = round.iter().flatten().copied().collect();
        seated.sort_unstable();
        assert_eq!(seated, four, "the four present, each once");
        for table in &round {
            assert_eq!(table.len(), 2);
            assert!(
                pairs.insert((table[0].min(table[1]), table[0].max(table[1]))),
                "no pair twice: {table:?}"
            );
        }
    }
    assert_eq!(pairs.len(), 6);

    stay_in_touch(&app, &ada, &bob).await;
    stay_in_touch(&app, &bob, &ada).await;
    stay_in_touch(&app, &ada, &cy).await;
    (app, vec![ada, bob, cy, di, ed])
}

/// The finale hand-computed above, as the board JSON should give it.
fn expected_finale() -> Value {
    json!({
        "people": 5,
        "rounds": 3,
        "new_pairs": 6,
        "mutual_pairs": 1,
        "regulars": 0,
        "average_met": 2.4,
        "max_met": 3,
        "top_interests": [
            {"interest": "chess", "people": 3},
            {"interest": "Jazz", "people": 2},
        ],
        "met_histogram": [
            {"met": 0, "attendees": 1},
            {"met": 3, "attendees": 4},
        ],
    })
}

/// The big figure keyed `key` on the board page.
fn figure(html: &str, key: &str) -> Option<String> {
    let rest = html
        .split(&format!(r#"data-figure="{key}"><span class="value">"#))
        .nth(1)?;
    Some(rest.split('<').next()?.to_string())
}

/// The heights of the chart's bars, left to right.
fn bar_heights(html: &str) -> Vec<f64> {
    html.split(r#"<rect class="bar""#)
        .skip(1)
        .map(|rect| {
            let height = rect.split(r#"height=""#).nth(1).unwrap();
            height.split('"').next().unwrap().parse().unwrap()
        })
        .collect()
}

/// The chart's x axis labels, left to right.
fn x_labels(html: &str) -> Vec<String> {
    html.split(r#"<text class="x-tick""#)
        .skip(1)
        .map(|text| {
            let inner = text.split_once('>').unwrap().1;
            inner.split("</text>").next().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn the_finale_matches_an_evening_worked_out_by_hand() {
    let (app, _people) = evening().await;
    let mut live =
        EventStream::open(&app, &format!("/e/{}/board/events", app.code), None, None).await;
    let before = live.next_html().await;
    assert!(before.contains("Round 3"));
    assert!(!before.contains("Thank you for coming!"));

    end_event(&app).await;

    // The JSON: exactly the figures by hand, and nothing else (no names,
    // no contact details).
    assert_eq!(app.board().await["finale"], expected_finale());

    // The page: the same figures, big.
    let html = board_html(&app).await;
    assert!(html.contains("Networking Night"));
    assert!(html.contains("Thank you for coming!"));
    assert_eq!(figure(&html, "people").as_deref(), Some("5"));
    assert_eq!(figure(&html, "rounds").as_deref(), Some("3"));
    assert_eq!(figure(&html, "new_pairs").as_deref(), Some("6"));
    assert_eq!(figure(&html, "mutual_pairs").as_deref(), Some("1"));
    assert!(html.contains("1</span><span class=\"label\">pair staying in touch"));
    let chess = html
        .find(r#"<span class="interest">chess</span><span class="held">3 people</span>"#)
        .expect("chess, held by 3");
    let jazz = html
        .find(r#"<span class="interest">Jazz</span><span class="held">2 people</span>"#)
        .expect("Jazz, held by 2");
    assert!(chess < jazz, "most held first");
    assert!(!html.contains("knitting") && !html.contains("sailing"));
    assert!(html.contains("met <strong>2.4</strong> new people on average"));

    // The chart: drawn on the server, one bar per number of people met
    // that somebody met: 0 (Ed) and 3 (the four), four times as tall.
    assert!(html.contains(r#"<svg class="met-chart" role="img""#));
    assert!(html.contains("<title id=\"met-chart-title\">New people met per attendee</title>"));
    assert!(html.contains("1 attendee met 0 people; 4 attendees met 3 people."));
    let heights = bar_heights(&html);
    assert_eq!(heights.len(), 2, "{heights:?}");
    assert!((heights[1] / heights[0] - 4.0).abs() < 0.01, "{heights:?}");
    assert_eq!(
        x_labels(&html),
        ["0", "1", "2", "3"],
        "every number up to the most met"
    );

    // The board's live stream brings the finale without a reload.
    let after = live.next_html().await;
    assert!(after.contains("Thank you for coming!"));
    assert_eq!(figure(&after, "new_pairs").as_deref(), Some("6"));
    assert_eq!(bar_heights(&after).len(), 2);
}

#[tokio::test]
async fn before_the_end_there_is_no_finale() {
    let (app, _people) = evening().await;
    assert_eq!(app.board().await["finale"], Value::Null);
    let html = board_html(&app).await;
    assert!(html.contains("Round 3"));
    assert!(!html.contains("met-chart"));
    assert!(!html.contains("New people met per attendee"));
    assert_eq!(figure(&html, "people"), None);
}

#[tokio::test]
async fn after_the_end_ticks_and_erasures_change_the_figures_live() {
    let (app, people) = evening().await;
    let (ada, bob, cy) = (&people[0], &people[1], &people[2]);
    end_event(&app).await;
    assert_eq!(app.board().await["finale"]["mutual_pairs"], json!(1));

    // Cy ticks Ada back: a second pair staying in touch.
    stay_in_touch(&app, cy, ada).await;
    assert_eq!(app.board().await["finale"]["mutual_pairs"], json!(2));

    // Bob deletes his details: he still came and still met three people,
    // but his tick and his interests are gone, so jazz is no longer
    // shared and chess is down to Ada's and Cy's (a tie of spellings:
    // Ada's came first).
    let erased = app
        .client
        .post(app.url(&format!("/api/events/{}/attendees/me/erase", app.code)))
        .bearer_auth(&bob.token)
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    let mut expected = expected_finale();
    expected["mutual_pairs"] = json!(1);
    expected["top_interests"] = json!([{"interest": "Chess", "people": 2}]);
    assert_eq!(app.board().await["finale"], expected);
    let html = board_html(&app).await;
    assert_eq!(figure(&html, "people").as_deref(), Some("5"));
    assert!(!html.contains("Jazz"));
}

#[tokio::test]
async fn an_event_ended_before_any_round_says_so_instead_of_an_empty_chart() {
    let app = spawn_app().await;
    // Interests are the attendees' own words: shown as text, never markup.
    app.join("Ada", &["<b>Chess</b>"]).await;
    app.join("Bob", &["<b>Chess</b>", "<i>go</i>"]).await;
    end_event(&app).await;
    assert_eq!(
        app.board().await["finale"],
        json!({
            "people": 2,
            "rounds": 0,
            "new_pairs": 0,
            "mutual_pairs": 0,
            "regulars": 0,
            "average_met": 0.0,
            "max_met": 0,
            "top_interests": [{"interest": "<b>Chess</b>", "people": 2}],
            "met_histogram": [{"met": 0, "attendees": 2}],
        })
    );
    let html = board_html(&app).await;
    assert_eq!(figure(&html, "rounds").as_deref(), Some("0"));
    assert!(html.contains("No rounds were played"));
    assert!(html.contains(r#"<span class="interest">&lt;b&gt;Chess&lt;/b&gt;</span>"#));
    assert!(!html.contains("<b>Chess"));
    assert!(!html.contains("<svg class=\"met-chart\""));
}
