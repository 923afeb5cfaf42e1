//! Rounds over HTTP: who sits where, late arrivals, breaks, departures.

use std::collections::HashSet;

use icebreaker::matching::group_sizes;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// Every id seated in a board round, tables and waiting list together.
fn seated(round: &Value) -> Vec<u64> {
    let mut ids: Vec<u64> = tables(round).into_iter().flatten().collect();
    ids.extend(
        round["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_u64().unwrap()),
    );
    ids.sort_unstable();
    ids
}

fn pairs(round: &Value) -> HashSet<(u64, u64)> {
    let mut pairs = HashSet::new();
    for table in tables(round) {
        for (i, &a) in table.iter().enumerate() {
            for &b in &table[i + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    pairs
}

#[tokio::test]
async fn a_round_needs_two_people_present() {
    let app = spawn_app().await;
    let response = app.start_round_as(&app.host_key).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("at least 2 people")
    );
    let ada = app.join("Ada", &["m"]).await;
    let grace = app.join("Grace", &["m"]).await;
    app.patch_me(&grace.token, &json!({"present": false})).await;
    assert_eq!(
        app.start_round_as(&app.host_key).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(app.board().await["round"], Value::Null);
    let _ = ada;
}

#[tokio::test]
async fn everyone_present_sits_exactly_once_by_the_size_rule() {
    let app = spawn_app().await;
    let mut joined = Vec::new();
    for i in 0..14 {
        joined.push(app.join(&format!("Person {i}"), &["chess", "maths"]).await);
    }
    app.patch_me(&joined[3].token, &json!({"present": false}))
        .await;
    app.leave(&joined[7].token).await;
    app.clock.advance(5 * MINUTE);

    let round = app.start_round().await;
    assert_eq!(round["number"], 1);
    assert_eq!(round["started_at"], "2026-11-26T19:05:00Z");
    assert_eq!(round["ends_at"], "2026-11-26T19:15:00Z");
    let present: Vec<u64> = (0..14).filter(|&i| i != 3 && i != 7).collect();
    assert_eq!(
        seated(&round),
        present,
        "everyone present once; nobody on a break or gone"
    );
    let mut sizes: Vec<usize> = tables(&round).iter().map(Vec::len).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(sizes, group_sizes(12, 4));
    let numbers: Vec<u64> = round["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["table"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 2, 3], "tables numbered from 1");
    assert_eq!(
        round["groups"][0]["shared_interests"],
        json!(["chess", "maths"])
    );
    assert_eq!(
        app.board().await["round"],
        round,
        "the board shows the same round"
    );
}

#[tokio::test]
async fn the_next_round_avoids_people_already_met() {
    let app = spawn_app().await;
    for i in 0..16 {
        app.join(&format!("P{i}"), &["chess"]).await;
    }
    let first = app.start_round().await;
    app.clock.advance(10 * MINUTE);
    let second = app.start_round().await;
    assert_eq!(second["number"], 2);
    let repeats = pairs(&first).intersection(&pairs(&second)).count();
    assert_eq!(
        repeats, 0,
        "16 people in 4s can meet all new people in round 2"
    );
}

#[tokio::test]
async fn my_group_comes_with_shared_interests_and_prompts() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths", "poetry"]).await;
    let grace = app.join("Grace", &["Maths", "navy"]).await;
    let round = app.start_round().await;
    assert_eq!(tables(&round), vec![vec![0, 1]]);
    let me = app.me(&ada.token).await;
    assert_eq!(me["seat"], "table");
    let group = &me["group"];
    assert_eq!(group["round"], 1);
    assert_eq!(group["table"], 1);
    assert_eq!(group["shared_interests"], json!(["maths"]));
    let members = group["members"].as_array().unwrap();
    assert_eq!(members.len(), 1, "the others, not me");
    assert_eq!(members[0]["name"], "Grace");
    assert_eq!(members[0]["spot_me"], "by the coffee");
    assert!(
        members[0].get("weird_fact").is_none(),
        "facts are a guessing game"
    );
    let prompts: Vec<&str> = group["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        prompts,
        [
            "You and Grace both like maths: how did each of you get into it?",
            "Ask Grace about: “Grace's hobby”",
            "Someone here knows: “Grace knows a weird fact” — who?"
        ]
    );
    assert_eq!(members[0]["in_common"], json!(["maths"]));

    let page = app
        .get(&format!("/e/{}/me?t={}", app.code, grace.token))
        .await;
    let cookie = cookie_pair(&page);
    let html = app
        .text_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert!(html.contains(r#"<h1 class="table-no"><span class="table-word">Table </span>1</h1>"#));
    assert!(html.contains("Ada"));
    assert!(html.contains(r#"<span class="tag shared">maths</span>"#));
    assert!(html.contains("10 min left"));
}

#[tokio::test]
async fn late_arrivals_fill_the_smallest_table_then_wait_then_get_a_new_one() {
    let app = spawn_app().await;
    for i in 0..8 {
        app.join(&format!("P{i}"), &["chess"]).await;
    }
    let round = app.start_round().await;
    assert_eq!(
        tables(&round).iter().map(Vec::len).collect::<Vec<_>>(),
        vec![4, 4]
    );
    // Two arrivals: one to each table (≤ group size + 1).
    let a = app.join("Late A", &["chess"]).await;
    let b = app.join("Late B", &["chess"]).await;
    let board = app.board().await;
    let sizes: Vec<usize> = tables(&board["round"]).iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![5, 5]);
    let me = app.me(&a.token).await;
    assert_eq!(me["seat"], "table", "seated at once");
    assert_ne!(
        me["group"]["table"],
        app.me(&b.token).await["group"]["table"]
    );
    // Tables are full: the next ones wait until 3 (group size − 1) can open a table.
    let c = app.join("Late C", &["chess"]).await;
    let d = app.join("Late D", &["chess"]).await;
    assert_eq!(app.me(&c.token).await["seat"], "waiting");
    let board = app.board().await;
    assert_eq!(board["round"]["waiting"].as_array().unwrap().len(), 2);
    let page = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(page.contains("2 just arrived"));
    let e = app.join("Late E", &["chess"]).await;
    let board = app.board().await;
    let round = &board["round"];
    assert!(round["waiting"].as_array().unwrap().is_empty());
    assert_eq!(tables(round)[2], vec![c.id, d.id, e.id], "a new table 3");
    assert_eq!(app.me(&d.token).await["group"]["table"], 3);
    assert_eq!(seated(round), (0..13).collect::<Vec<u64>>());
}

#[tokio::test]
async fn breaks_and_departures_leave_the_table_and_coming_back_reseats() {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for i in 0..8 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    app.start_round().await;
    app.patch_me(&people[0].token, &json!({"present": false}))
        .await;
    app.leave(&people[1].token).await;
    let round = app.board().await["round"].clone();
    let ids = seated(&round);
    assert!(
        !ids.contains(&0) && !ids.contains(&1),
        "off the board: {ids:?}"
    );
    assert_eq!(ids.len(), 6);
    assert_eq!(app.me(&people[0].token).await["seat"], "away");
    app.patch_me(&people[0].token, &json!({"present": true}))
        .await;
    let round = app.board().await["round"].clone();
    assert!(seated(&round).contains(&0), "back at a table");
    // Nobody sits alone after departures.
    for p in &people[2..7] {
        app.leave(&p.token).await;
    }
    let round = app.board().await["round"].clone();
    assert!(tables(&round).iter().all(|t| t.len() != 1), "{round}");
    assert_eq!(seated(&round), vec![0, 7]);
}

#[tokio::test]
async fn a_removed_attendee_disappears_and_their_phone_says_so() {
    let app = spawn_app().await;
    let joined = app
        .join_form(&[("name", "Spammer"), ("interests", "spam")])
        .await;
    let cookie = cookie_pair(&joined);
    for name in ["Ada", "Grace", "Linus"] {
        app.join(name, &["m"]).await;
    }
    app.start_round().await;
    assert_eq!(
        app.remove_as(&app.host_key, "0").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.remove_as(&app.host_key, "0").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.remove_as(&app.host_key, "42").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.remove_as(&app.host_key, "x").await.status(),
        StatusCode::NOT_FOUND
    );
    let board = app.board().await;
    assert!(!seated(&board["round"]).contains(&0));
    let page = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(!page.contains("Spammer"));
    let phone = app
        .text_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert!(phone.contains("You were removed from this event"));
    let back = app
        .post_form(&format!("/e/{}/me/back", app.code), &[], Some(&cookie))
        .await;
    // Removal revokes the sign-in: "I'm back" is refused, not ignored.
    assert_eq!(back.status(), StatusCode::FORBIDDEN);
    assert!(
        !seated(&app.board().await["round"]).contains(&0),
        "removed stays removed"
    );
}

#[tokio::test]
async fn phone_buttons_take_a_break_come_back_and_leave() {
    let app = spawn_app().await;
    let joined = app.join_form(&[("name", "Ada"), ("interests", "m")]).await;
    let cookie = cookie_pair(&joined);
    app.join("Grace", &["m"]).await;
    app.join("Linus", &["m"]).await;
    app.start_round().await;
    let base = format!("/e/{}/me", app.code);
    let response = app
        .post_form(&format!("{base}/break"), &[], Some(&cookie))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), base);
    let page = app.text_with_cookie(&base, &cookie).await;
    assert!(page.contains("You're on a break") && page.contains("I'm back"));
    assert!(!seated(&app.board().await["round"]).contains(&0));
    app.post_form(&format!("{base}/back"), &[], Some(&cookie))
        .await;
    let page = app.text_with_cookie(&base, &cookie).await;
    assert!(page.contains("Table "), "{page}");
    app.post_form(&format!("{base}/leave"), &[], Some(&cookie))
        .await;
    let page = app.text_with_cookie(&base, &cookie).await;
    assert!(page.contains("You've left the event"));
    assert_eq!(app.board().await["present_count"], 2);
}

#[tokio::test]
async fn a_new_group_size_applies_from_the_next_round() {
    let app = spawn_app().await;
    for i in 0..12 {
        app.join(&format!("P{i}"), &["m"]).await;
    }
    let first = app.start_round().await;
    assert_eq!(tables(&first).len(), 3);
    let response = app
        .patch_event_as(&app.host_key, &json!({"group_size": 3, "round_minutes": 5}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let settings: Value = response.json().await.unwrap();
    assert_eq!(settings["group_size"], 3);
    let bad = app
        .patch_event_as(&app.host_key, &json!({"group_size": 99}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app
        .patch_event_as(&app.host_key, &json!({"registration_open": "no"}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let board = app.board().await;
    assert_eq!(
        tables(&board["round"]).len(),
        3,
        "the running round is untouched"
    );
    let second = app.start_round().await;
    assert_eq!(tables(&second).len(), 4);
    assert_eq!(second["ends_at"], "2026-11-26T19:05:00Z");
}
