//! Weekly memory across two events on one server: a returning attendee's
//! answers are filled in (same browser, or their personal link), the
//! matcher avoids last week's tables, and the console counts newcomers and
//! regulars.

use icebreaker::event::Settings;
use reqwest::StatusCode;

use crate::helpers::{Joined, TestApp, cookie_pair, spawn_app, tables};

/// Another event on the same server: its code and host key.
struct Other {
    code: String,
    key: String,
}

impl TestApp {
    fn other_event(&self, name: &str) -> Other {
        let slot = self.state.create_event(
            name.into(),
            Settings {
                group_size: 2,
                ..Settings::default()
            },
        );
        let key = slot.lock().host_key.reveal();
        Other {
            code: slot.code.to_string(),
            key,
        }
    }

    /// Joins `event` with the form, sending `cookie`; returns the new cookie.
    async fn join_other(&self, event: &Other, form: &[(&str, &str)], cookie: &str) -> String {
        let response = self
            .post_form(&format!("/e/{}", event.code), form, Some(cookie))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        cookie_pair(&response)
    }

    async fn round_of(&self, event: &Other) -> Vec<Vec<u64>> {
        let response = self
            .client
            .post(self.url(&format!("/api/events/{}/rounds", event.code)))
            .bearer_auth(&event.key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        tables(&response.json().await.unwrap())
    }

    /// Names sitting together, pair by pair, in `event`'s round.
    fn named_pairs(&self, event: &Other, round: &[Vec<u64>]) -> Vec<(String, String)> {
        let slot = self
            .state
            .event(&icebreaker::domain::EventCode::parse(&event.code).unwrap())
            .unwrap();
        let snapshot = slot.read();
        let name = |id: u64| snapshot.attendee(id as u32).unwrap().profile.name.clone();
        let mut pairs = Vec::new();
        for table in round {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    let (x, y) = (name(a), name(b));
                    pairs.push(if x < y { (x, y) } else { (y, x) });
                }
            }
        }
        pairs
    }
}

const PEOPLE: [(&str, &str); 4] = [
    ("Ada", "chess"),
    ("Ben", "chess"),
    ("Cy", "jazz"),
    ("Di", "jazz"),
];

#[tokio::test]
async fn a_returning_attendee_is_remembered_but_not_seated_with_last_weeks_table() {
    let app = spawn_app().await;
    let patch = app
        .patch_event_as(&app.host_key, &serde_json::json!({"group_size": 2}))
        .await;
    assert_eq!(patch.status(), StatusCode::OK);
    // Last week: one round of pairs.
    let mut last_week: Vec<Joined> = Vec::new();
    for (name, interest) in PEOPLE {
        last_week.push(app.join(name, &[interest, "coffee"]).await);
    }
    let first = tables(&app.start_round().await);
    let name_of = |id: u64| PEOPLE[id as usize].0.to_string();
    let met: Vec<(String, String)> = first
        .iter()
        .map(|t| (name_of(t[0].min(t[1])), name_of(t[0].max(t[1]))))
        .collect();
    assert_eq!(met.len(), 2);
    let cookie_of = |j: &Joined| format!("ib_a_{}={}", app.code, j.token);

    // This week. Ada's browser still has last week's cookie: her answers
    // are filled in, and she can start fresh instead.
    let week2 = app.other_event("Thursday, week 2");
    let form = app
        .text_with_cookie(&format!("/e/{}", week2.code), &cookie_of(&last_week[0]))
        .await;
    assert!(form.contains("Welcome back!"), "{form}");
    let last_weeks_name = app.board().await["event"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(form.contains(&format!(
        "Your answers from <strong>{last_weeks_name}</strong>"
    )));
    assert!(form.contains(r#"value="Ada""#) && form.contains("chess, coffee"));
    assert!(form.contains(r#"name="returning" value="yes""#));
    let fresh = app
        .text_with_cookie(
            &format!("/e/{}?fresh=1", week2.code),
            &cookie_of(&last_week[0]),
        )
        .await;
    assert!(!fresh.contains("Welcome back!") && !fresh.contains(r#"value="Ada""#));

    // Ben lost his cookie but kept his personal link: opening it signs the
    // browser in again, and week 2 recognises him too.
    let link = app
        .get(&format!("/e/{}/me?t={}", app.code, last_week[1].token))
        .await;
    assert_eq!(link.status(), StatusCode::SEE_OTHER);
    let bens_cookie = cookie_pair(&link);
    let form = app
        .text_with_cookie(&format!("/e/{}", week2.code), &bens_cookie)
        .await;
    assert!(form.contains("Welcome back!") && form.contains(r#"value="Ben""#));

    // All four come back (keeping their answers), and two newcomers join.
    for (j, (name, interest)) in last_week.iter().zip(PEOPLE) {
        let interests = format!("{interest}, coffee");
        let form = [
            ("name", name),
            ("interests", interests.as_str()),
            ("returning", "yes"),
        ];
        app.join_other(&week2, &form, &cookie_of(j)).await;
    }
    for name in ["Eve", "Fay"] {
        let form = [("name", name), ("interests", "knitting")];
        app.join_other(&week2, &form, "").await;
    }
    // The matcher is told who met last week (in its own numbering)…
    let week2_slot = app
        .state
        .event(&icebreaker::domain::EventCode::parse(&week2.code).unwrap())
        .unwrap();
    let draft = week2_slot.lock().prepare_round(1).unwrap();
    let earlier = app.state.earlier_meetings(&week2_slot, &draft);
    assert_eq!(earlier.len(), 2, "{earlier:?}");
    // …and three rounds of pairs (of the five a round robin of six has)
    // never seat last week's pairs together again.
    for round in 1..=3 {
        let seated = app.round_of(&week2).await;
        let pairs = app.named_pairs(&week2, &seated);
        for old in &met {
            assert!(
                !pairs.contains(old),
                "round {round}: {old:?} met last week: {pairs:?}"
            );
        }
    }

    // The same four joining as strangers ("not you?") bring no memory.
    let control = app.other_event("Unlinked");
    for (j, (name, interest)) in last_week.iter().zip(PEOPLE) {
        let interests = format!("{interest}, coffee");
        let form = [("name", name), ("interests", interests.as_str())];
        app.join_other(&control, &form, &cookie_of(j)).await;
    }
    let control_slot = app
        .state
        .event(&icebreaker::domain::EventCode::parse(&control.code).unwrap())
        .unwrap();
    let draft = control_slot.lock().prepare_round(1).unwrap();
    assert!(app.state.earlier_meetings(&control_slot, &draft).is_empty());

    // The organizer's stats: 4 regulars, 2 newcomers.
    assert_eq!(
        week2_slot.read().attendees().newcomers_and_regulars(),
        (2, 4)
    );
    let console = app
        .get(&format!("/e/{}/host?key={}", week2.code, week2.key))
        .await;
    let cookie = cookie_pair(&console);
    let page = app
        .text_with_cookie(&format!("/e/{}/host", week2.code), &cookie)
        .await;
    assert!(page.contains("2 newcomers · 4 regulars"), "{page}");
    let export_url = app.url(&format!("/api/events/{}/export?format=json", week2.code));
    let export = app.get_json_as(&export_url, &week2.key).await;
    assert_eq!(export["event"]["regulars"], 4);
    assert_eq!(export["event"]["newcomers"], 2);
    assert_eq!(export["attendees"][0]["regular"], true);
    assert_eq!(export["attendees"][4]["regular"], false);

    // The finale on week 2's board says how many came back.
    app.end_event_as(&week2.code, &week2.key).await;
    let board = app
        .get_json_as(
            &app.url(&format!("/api/events/{}/board", week2.code)),
            &week2.key,
        )
        .await;
    assert_eq!(board["finale"]["regulars"], 4);
    let page = app.text(&format!("/e/{}/board", week2.code)).await;
    assert!(page.contains("4 of you came back. See you next time!"));
}

#[tokio::test]
async fn the_api_links_a_returning_attendee_by_their_earlier_token() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    let week2 = app.other_event("Thursday, week 2");
    let join = |body: serde_json::Value| {
        app.client
            .post(app.url(&format!("/api/events/{}/attendees", week2.code)))
            .json(&body)
            .send()
    };
    for (body, field) in [
        (
            serde_json::json!({"name": "Ada", "interests": ["chess"],
                "returning_event": app.code, "returning_token": "0".repeat(32)}),
            "returning_token",
        ),
        (
            serde_json::json!({"name": "Ada", "interests": ["chess"],
                "returning_event": app.code}),
            "returning_token",
        ),
        (
            serde_json::json!({"name": "", "interests": ["chess"],
                "returning_event": "NOPE1", "returning_token": ada.token}),
            "name",
        ),
    ] {
        let response = join(body.clone()).await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: serde_json::Value = response.json().await.unwrap();
        assert!(error["fields"][field].is_string(), "{body}: {error}");
    }
    let board = app
        .get_json_as(
            &app.url(&format!("/api/events/{}/board", week2.code)),
            &week2.key,
        )
        .await;
    assert_eq!(board["attendee_count"], 0, "nothing refused was stored");

    let linked = join(serde_json::json!({"name": "Ada", "interests": ["chess"],
        "returning_event": app.code, "returning_token": ada.token}))
    .await
    .unwrap();
    assert_eq!(linked.status(), StatusCode::CREATED);
    let me: serde_json::Value = linked.json().await.unwrap();
    assert_eq!(me["regular"], true);
    let stranger = join(serde_json::json!({"name": "Bo", "interests": ["chess"]}))
        .await
        .unwrap();
    let me: serde_json::Value = stranger.json().await.unwrap();
    assert_eq!(me["regular"], false);
}
