//! After the conversations: "people I met", contact details revealed only
//! when both ticked, the vCard, deleting one's details and the retention
//! period (with the server's manual clock).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Joined, TestApp, spawn_app, tables};

impl TestApp {
    async fn keep(&self, who: &Joined, other: u64, keep: bool) -> reqwest::Response {
        self.client
            .put(self.me_path(&format!("met/{other}")))
            .bearer_auth(&who.token)
            .json(&json!({ "stay_in_touch": keep }))
            .send()
            .await
            .unwrap()
    }

    async fn set_contact(&self, who: &Joined, body: &Value) -> reqwest::Response {
        self.client
            .put(self.me_path("contact"))
            .bearer_auth(&who.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn vcard(&self, who: &Joined) -> String {
        let response = self
            .client
            .get(self.me_path("contacts.vcf"))
            .bearer_auth(&who.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/vcard")
        );
        response.text().await.unwrap()
    }

    /// An export's text, downloaded with the host key.
    async fn export(&self, query: &str) -> String {
        let response = self.export_as(query, Some(&self.host_key), None).await;
        assert_eq!(response.status(), StatusCode::OK, "export {query}");
        response.text().await.unwrap()
    }
}

/// Four people at one table (groups of 4), one round.
async fn one_table() -> (TestApp, Vec<Joined>) {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for name in ["Ada, Countess; of Lovelace", "Grace", "Zoë Ñandú", "Linus"] {
        people.push(app.join(name, &["chess"]).await);
    }
    app.start_round().await;
    (app, people)
}

const SECRET_EMAIL: &str = "ada.private@example.org";

#[tokio::test]
async fn the_met_list_shows_everyone_shared_a_table_with_by_round_and_table() {
    let app = spawn_app().await;
    let mut people = Vec::new();
    for i in 0..8 {
        people.push(app.join(&format!("P{i}"), &["chess"]).await);
    }
    let r1 = tables(&app.start_round().await);
    let r2 = tables(&app.start_round().await);
    let me = &people[0];
    let expected: std::collections::BTreeSet<u64> = [&r1, &r2]
        .iter()
        .flat_map(|round| round.iter().find(|t| t.contains(&me.id)).unwrap().clone())
        .filter(|&id| id != me.id)
        .collect();
    let met = app.met(me).await;
    let listed: std::collections::BTreeSet<u64> = met["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(listed, expected);
    for p in met["people"].as_array().unwrap() {
        let rounds: Vec<u64> = p["met_at"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["round"].as_u64().unwrap())
            .collect();
        assert!(!rounds.is_empty());
        for round in &rounds {
            let round_tables = if *round == 1 { &r1 } else { &r2 };
            let id = p["id"].as_u64().unwrap();
            assert!(
                round_tables
                    .iter()
                    .any(|t| t.contains(&id) && t.contains(&me.id))
            );
        }
        assert_eq!(
            p["work"],
            json!(format!("{}'s work", p["name"].as_str().unwrap()))
        );
        assert_eq!(p["contact"], Value::Null);
    }
    // The page lists them too.
    let cookie = format!("ib_a_{}={}", app.code, me.token);
    let page = app
        .text_with_cookie(&format!("/e/{}/met", app.code), &cookie)
        .await;
    assert!(page.contains("People I met"));
    for id in &expected {
        assert!(page.contains(&format!("id=\"p{id}\"")));
    }
}

/// Whether Ada's email or phone shows anywhere `others` or the public can
/// look: their met lists, pages, vCards, the board and the exports.
async fn leaks(app: &TestApp, others: &[Joined]) -> bool {
    let mut seen = Vec::new();
    for who in others {
        seen.push(app.met(who).await.to_string());
        seen.push(app.me(&who.token).await.to_string());
        let cookie = format!("ib_a_{}={}", app.code, who.token);
        seen.push(
            app.text_with_cookie(&format!("/e/{}/met", app.code), &cookie)
                .await,
        );
        seen.push(
            app.text_with_cookie(&format!("/e/{}/me", app.code), &cookie)
                .await,
        );
        seen.push(app.vcard(who).await);
    }
    seen.push(app.board().await.to_string());
    seen.push(app.text(&format!("/e/{}/board", app.code)).await);
    seen.push(app.export("format=csv&what=attendees").await);
    seen.push(app.export("format=json").await);
    seen.iter()
        .any(|text| text.contains(SECRET_EMAIL) || text.contains("7946"))
}

#[tokio::test]
async fn contact_details_stay_hidden_until_both_ticked() {
    let (app, p) = one_table().await;
    let (ada, grace) = (&p[0], &p[1]);
    let saved = app
        .set_contact(ada, &json!({"email": SECRET_EMAIL, "phone": "+44 20 7946 0958", "link": "linkedin.com/in/ada"}))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    app.set_contact(grace, &json!({"email": "grace@example.org"}))
        .await;
    assert_eq!(app.keep(ada, grace.id, true).await.status(), StatusCode::OK);

    // One tick: nothing revealed anywhere.
    assert!(
        !leaks(&app, &p[1..]).await,
        "a single tick must reveal nothing"
    );

    // Both ticked: Grace sees Ada's details; the others still do not.
    assert_eq!(app.keep(grace, ada.id, true).await.status(), StatusCode::OK);
    let grace_met = app.met(grace).await;
    let ada_entry = grace_met["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(ada.id))
        .unwrap();
    assert_eq!(ada_entry["mutual"], json!(true));
    assert_eq!(ada_entry["contact"]["email"], json!(SECRET_EMAIL));
    assert_eq!(
        ada_entry["contact"]["link"],
        json!("https://linkedin.com/in/ada")
    );
    for who in [&p[2], &p[3]] {
        assert!(!app.met(who).await.to_string().contains(SECRET_EMAIL));
    }
    assert!(!app.board().await.to_string().contains(SECRET_EMAIL));
    // Not shared with the organizer: not in the exports.
    assert!(
        !app.export("format=csv&what=attendees")
            .await
            .contains(SECRET_EMAIL)
    );
    assert!(!app.export("format=json").await.contains(SECRET_EMAIL));
    app.set_contact(
        ada,
        &json!({"email": SECRET_EMAIL, "share_with_organizer": true}),
    )
    .await;
    assert!(
        app.export("format=csv&what=attendees")
            .await
            .contains(SECRET_EMAIL)
    );

    // Taking a tick back hides them again.
    app.keep(grace, ada.id, false).await;
    assert!(!app.met(grace).await.to_string().contains(SECRET_EMAIL));
}

#[tokio::test]
async fn ticks_need_a_shared_table_and_bad_contacts_are_refused() {
    let app = spawn_app().await;
    let a = app.join("A", &["x"]).await;
    let b = app.join("B", &["y"]).await;
    assert_eq!(
        app.keep(&a, b.id, true).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.keep(&a, 999, true).await.status(),
        StatusCode::NOT_FOUND
    );
    let bad = app
        .set_contact(
            &a,
            &json!({"email": "not-an-address", "phone": "12", "link": "javascript:alert(1)"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    for field in ["email", "phone", "link"] {
        assert!(body["fields"][field].is_string(), "{field}: {body}");
    }
    let wrong_type = app.set_contact(&a, &json!({"email": 5})).await;
    assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Unfolds a vCard's lines and reads each card's properties.
fn parse_vcards(text: &str) -> Vec<Vec<(String, String)>> {
    assert!(
        text.split("\r\n").all(|l| l.len() <= 75),
        "lines over 75 octets"
    );
    let unfolded = text.replace("\r\n ", "");
    let mut cards = Vec::new();
    let mut card = Vec::new();
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').unwrap();
        match (name, value) {
            ("BEGIN", "VCARD") => card = Vec::new(),
            ("END", "VCARD") => cards.push(std::mem::take(&mut card)),
            _ => card.push((name.to_string(), unescape(value))),
        }
    }
    cards
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test]
async fn the_vcard_holds_mutual_contacts_with_escaped_text() {
    let (app, p) = one_table().await;
    let (ada, zoe, linus) = (&p[0], &p[2], &p[3]);
    app.patch_me(
        &ada.token,
        &json!({"ask_me_about": "engines; looms, and birds"}),
    )
    .await;
    app.set_contact(
        ada,
        &json!({"email": SECRET_EMAIL, "phone": "+44 20 7946 0958"}),
    )
    .await;
    app.set_contact(zoe, &json!({"link": "https://example.org/zoë"}))
        .await;
    for (a, b) in [(linus, ada), (ada, linus), (linus, zoe), (zoe, linus)] {
        assert_eq!(app.keep(a, b.id, true).await.status(), StatusCode::OK);
    }
    let cards = parse_vcards(&app.vcard(linus).await);
    assert_eq!(cards.len(), 2);
    let get = |card: &Vec<(String, String)>, key: &str| {
        card.iter()
            .find(|(k, _)| k == key || k.starts_with(&format!("{key};")))
            .map(|(_, v)| v.clone())
    };
    let ada_card = cards.iter().find(|c| get(c, "EMAIL").is_some()).unwrap();
    assert_eq!(get(ada_card, "VERSION").as_deref(), Some("4.0"));
    assert_eq!(
        get(ada_card, "FN").as_deref(),
        Some("Ada, Countess; of Lovelace")
    );
    assert_eq!(get(ada_card, "EMAIL").as_deref(), Some(SECRET_EMAIL));
    assert_eq!(get(ada_card, "TEL").as_deref(), Some("+44 20 7946 0958"));
    assert!(
        get(ada_card, "NOTE")
            .unwrap()
            .contains("\nAsk me about: engines; looms, and birds")
    );
    let zoe_card = cards
        .iter()
        .find(|c| get(c, "FN").as_deref() == Some("Zoë Ñandú"))
        .unwrap();
    assert_eq!(
        get(zoe_card, "URL").as_deref(),
        Some("https://example.org/zoë")
    );
    // Grace ticked nobody: her file is empty.
    assert!(parse_vcards(&app.vcard(&p[1]).await).is_empty());
}

#[tokio::test]
async fn deleting_my_details_erases_them_and_leaves_someone_who_left() {
    let (app, p) = one_table().await;
    let (ada, grace) = (&p[0], &p[1]);
    app.set_contact(
        ada,
        &json!({"email": SECRET_EMAIL, "share_with_organizer": true}),
    )
    .await;
    app.keep(ada, grace.id, true).await;
    app.keep(grace, ada.id, true).await;
    let erased = app
        .client
        .post(app.me_path("erase"))
        .bearer_auth(&ada.token)
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    // The token no longer works.
    let again = app
        .client
        .get(app.me_path("met"))
        .bearer_auth(&ada.token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    let grace_met = app.met(grace).await;
    let entry = grace_met["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(ada.id))
        .unwrap();
    assert_eq!(entry["name"], json!("Someone who left"));
    assert_eq!(entry["contact"], Value::Null);
    assert_eq!(entry["work"], json!(""));
    for text in [
        app.export("format=csv&what=attendees").await,
        app.export("format=json").await,
        app.board().await.to_string(),
    ] {
        assert!(!text.contains(SECRET_EMAIL));
        assert!(!text.contains("Countess"));
    }
}

#[tokio::test]
async fn the_page_form_deletes_only_with_the_box_ticked() {
    let (app, p) = one_table().await;
    let cookie = format!("ib_a_{}={}", app.code, p[0].token);
    let path = format!("/e/{}/me/erase", app.code);
    let refused = app.post_form(&path, &[], Some(&cookie)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.me(&p[0].token).await["name"],
        json!("Ada, Countess; of Lovelace")
    );
    let done = app
        .post_form(&path, &[("confirm", "yes")], Some(&cookie))
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("Your details are deleted")
    );
    let me = app
        .get_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert_ne!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn personal_data_is_deleted_when_the_retention_period_is_over() {
    let (app, p) = one_table().await;
    app.set_contact(&p[0], &json!({"email": SECRET_EMAIL}))
        .await;
    app.end_event_as(&app.code, &app.host_key).await;
    let day = 86_400_000;
    app.clock.advance(29 * day);
    app.state.tick().await;
    assert_eq!(
        app.me(&p[0].token).await["name"],
        json!("Ada, Countess; of Lovelace")
    );
    app.clock.advance(day + 1);
    app.state.tick().await;
    let gone = app
        .client
        .get(app.me_path("met"))
        .bearer_auth(&p[0].token)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    let export = app.export("format=csv&what=attendees").await;
    assert!(
        !export.contains("Countess") && !export.contains(SECRET_EMAIL) && !export.contains("Grace")
    );
    // The structure stays for the organizer's numbers: four rows, deleted.
    assert_eq!(export.lines().count(), 5);
}
