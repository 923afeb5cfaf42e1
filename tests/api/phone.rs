//! The attendee's phone is about its owner: what *they* share with each
//! groupmate, a few prompts quoting the others' own words, their own card
//! before round 1, what is left to do after the end; and the small things
//! on the way in (codes typed loosely, the tab icon, the form's mistakes,
//! staying in touch without details of one's own).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Joined, TestApp, location, person, spawn_app};

/// Joins with these answers over the API.
async fn join_with(app: &TestApp, name: &str, interests: &[&str], ask: &str, fact: &str) -> Joined {
    let mut body = person(name, interests);
    body["ask_me_about"] = json!(ask);
    body["weird_fact"] = json!(fact);
    let response = app.api_join_raw(&body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{name}");
    let body: Value = response.json().await.unwrap();
    Joined {
        id: body["id"].as_u64().unwrap(),
        token: body["token"].as_str().unwrap().to_string(),
    }
}

fn phone(app: &TestApp, who: &Joined) -> String {
    format!("ib_a_{}={}", app.code, who.token)
}

async fn my_page(app: &TestApp, who: &Joined) -> String {
    app.text_with_cookie(&format!("/e/{}/me", app.code), &phone(app, who))
        .await
}

/// The member cards of a phone page, by name: the text of each card.
fn cards(page: &str) -> Vec<String> {
    page.split(r#"<div class="card member">"#)
        .skip(1)
        .map(|c| c.split("</div>").next().unwrap().to_string())
        .collect()
}

fn prompts(me: &Value) -> Vec<String> {
    me["group"]["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn in_common_is_what_the_viewer_shares_with_each_groupmate() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess", "Jazz"]).await;
    let bob = app.join("Bob", &["Chess"]).await;
    let cy = app.join("Cy", &["jazz", "hiking"]).await;
    let di = app.join("Di", &["hiking"]).await;
    app.start_round().await;

    // Ada shares chess with Bob and jazz with Cy, nothing with Di.
    let me = app.me(&ada.token).await;
    let members = me["group"]["members"].as_array().unwrap();
    let common: Vec<(&str, &Value)> = members
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), &m["in_common"]))
        .collect();
    assert_eq!(
        common,
        vec![
            ("Bob", &json!(["chess"])),
            ("Cy", &json!(["Jazz"])),
            ("Di", &json!([]))
        ]
    );
    assert_eq!(me["group"]["shared_interests"], json!(["chess", "Jazz"]));

    // Di shares only hiking (with Cy): chess and jazz, which the others
    // share among themselves, are not listed as hers.
    let me = app.me(&di.token).await;
    assert_eq!(me["group"]["shared_interests"], json!(["hiking"]));
    let page = my_page(&app, &di).await;
    assert!(!page.contains("You have in common"));
    let cards = cards(&page);
    assert_eq!(cards.len(), 3);
    let cy_card = cards.iter().find(|c| c.contains("<h3>Cy</h3>")).unwrap();
    assert!(
        cy_card.contains("You both like: <strong>hiking</strong>"),
        "{cy_card}"
    );
    for other in cards.iter().filter(|c| !c.contains("<h3>Cy</h3>")) {
        assert!(!other.contains("You both like"), "{other}");
        assert!(
            !other.contains("tag shared"),
            "nothing of Di's highlighted: {other}"
        );
    }
    assert!(!page.contains("like chess") && !page.contains("like Jazz"));
    let _ = (bob, cy);
}

#[tokio::test]
async fn prompts_are_few_deduplicated_quoted_and_keep_their_capitals() {
    let app = spawn_app().await;
    let response = app
        .patch_event_as(&app.host_key, &json!({"group_size": 5}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let me = join_with(&app, "Ana", &["chess", "jazz", "hiking", "Rust"], "", "").await;
    let venus = "A day on Venus is longer than its year";
    join_with(
        &app,
        "Rosa Jiménez",
        &["chess", "jazz"],
        "my failed startup",
        venus,
    )
    .await;
    join_with(
        &app,
        "Sam",
        &["chess", "hiking"],
        "My  failed startup.",
        "a day on venus is  longer than its year",
    )
    .await;
    join_with(
        &app,
        "Li",
        &["Rust", "jazz"],
        "\"Sourdough\"",
        "Bees recognise faces",
    )
    .await;
    join_with(&app, "Oz", &["hiking", "chess"], "", "").await;
    app.start_round().await;

    let all = prompts(&app.me(&me.token).await);
    assert!(all.len() <= 6, "at most six: {all:#?}");
    let folded: std::collections::BTreeSet<String> = all.iter().map(|p| p.to_lowercase()).collect();
    assert_eq!(folded.len(), all.len(), "no duplicates: {all:#?}");
    // Shared interests first, the most widely shared first (chess: three
    // people), then the asks, then the facts.
    assert!(all[0].starts_with("You, "), "{all:#?}");
    assert!(all[0].ends_with(" all like chess: how did each of you get into it?"));
    assert!(
        ["Rosa Jiménez", "Sam", "Oz"]
            .iter()
            .all(|n| all[0].contains(n))
    );
    assert_eq!(all.iter().filter(|p| p.starts_with("You")).count(), 2);
    let first_ask = all.iter().position(|p| p.starts_with("Ask ")).unwrap();
    let first_fact = all
        .iter()
        .position(|p| p.starts_with("Someone here"))
        .unwrap();
    assert!(first_ask > 0 && first_fact > first_ask, "{all:#?}");
    // The same answer from two people is one prompt naming both, in the
    // first one's words, quoted (and quotes are not doubled).
    let startup: Vec<&String> = all
        .iter()
        .filter(|p| p.contains("failed startup"))
        .collect();
    assert_eq!(startup.len(), 1, "{all:#?}");
    assert!(
        [
            "Ask Rosa Jiménez and Sam about: “my failed startup”",
            "Ask Sam and Rosa Jiménez about: “My failed startup.”"
        ]
        .contains(&startup[0].as_str()),
        "{startup:?}"
    );
    assert!(
        all.contains(&"Ask Li about: “Sourdough”".to_string()),
        "{all:#?}"
    );
    // Facts keep their capitals, quoted; identical ones are said once.
    // (Sam's lower-case copy, had it come first, would start with a
    // capital too.)
    let facts: Vec<&String> = all
        .iter()
        .filter(|p| p.starts_with("Someone here knows: “A day on "))
        .collect();
    assert_eq!(facts.len(), 1, "{all:#?}");
    assert_eq!(
        facts[0].to_lowercase(),
        format!("someone here knows: “{}” — who?", venus.to_lowercase())
    );
    assert_eq!(
        all.iter()
            .filter(|p| p.to_lowercase().contains("venus"))
            .count(),
        1
    );
    assert!(!all.iter().any(|p| p.contains("knows that a ")));
    // The page says the same.
    let page = my_page(&app, &me).await;
    assert!(page.contains(startup[0].as_str()));
    assert_eq!(page.matches("<li>").count(), all.len());
}

#[tokio::test]
async fn a_group_with_nothing_to_go_on_gets_general_prompts() {
    let app = spawn_app().await;
    let a = join_with(&app, "Ana", &["chess"], "", "").await;
    join_with(&app, "Bo", &["kites"], "", "").await;
    app.start_round().await;
    let all = prompts(&app.me(&a.token).await);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.contains(&"What brought you here tonight?".to_string()));
}

#[tokio::test]
async fn the_lobby_greets_the_attendee_and_shows_their_own_card() {
    let app = spawn_app().await;
    let joined = app
        .join_form(&[
            ("name", "Rosa Jiménez"),
            ("interests", "Chess, sourdough"),
            ("work", "Makes maps"),
            ("ask_me_about", "my failed startup"),
            ("weird_fact", "Bees recognise faces"),
            ("spot_me", "Red scarf"),
        ])
        .await;
    assert_eq!(joined.status(), StatusCode::SEE_OTHER);
    let cookie = crate::helpers::cookie_pair(&joined);
    let page = app
        .text_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert!(
        page.contains("<h1>You're in, Rosa Jiménez — groups start soon</h1>"),
        "{page}"
    );
    let card = page.split("Your card").nth(1).expect("the own card");
    for typed in [
        "Rosa Jiménez",
        "Makes maps",
        "Chess",
        "sourdough",
        "my failed startup",
        "Bees recognise faces",
        "Red scarf",
    ] {
        assert!(card.contains(typed), "{typed} on the card");
    }
    let edit = format!(r#"href="/e/{}/me/edit""#, app.code);
    assert_eq!(
        page.matches(&edit).count(),
        1,
        "one edit link, under the card"
    );
    // Once seated, the card gives way to the table.
    app.join("Bob", &["chess"]).await;
    app.start_round().await;
    let page = app
        .text_with_cookie(&format!("/e/{}/me", app.code), &cookie)
        .await;
    assert!(!page.contains("Your card"));
    assert!(
        page.contains(r#"data-announce="You&#39;re at table 1 with Bob.""#)
            || page.contains("data-announce=\"You're at table 1 with Bob.\""),
        "{page}"
    );
    assert!(page.contains(r#"aria-live="polite""#));
}

#[tokio::test]
async fn after_the_end_the_phone_offers_only_what_makes_sense() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    app.join("Bob", &["chess"]).await;
    app.start_round().await;
    let before = my_page(&app, &ada).await;
    assert!(before.contains("Take a break") && before.contains("Leave the event"));
    app.end_event_as(&app.code, &app.host_key).await;

    let page = my_page(&app, &ada).await;
    assert!(page.contains("Thank you for coming, Ada!"));
    for gone in [
        "Take a break",
        "Leave the event",
        "I'm back",
        "Edit my answers",
    ] {
        assert!(!page.contains(gone), "{gone} after the end");
    }
    let code = &app.code;
    assert_eq!(
        page.matches(&format!(r#"href="/e/{code}/met""#)).count(),
        1,
        "one link to the list"
    );
    assert!(page.contains(&format!(
        r#"href="/e/{code}/met#details">My contact details<"#
    )));
    assert!(page.contains(&format!(
        r#"href="/e/{code}/met#delete">Delete my details<"#
    )));
    let met = app
        .text_with_cookie(&format!("/e/{code}/met"), &phone(&app, &ada))
        .await;
    assert!(met.contains(r#"id="details""#) && met.contains(r#"id="delete""#));

    // The finale board has the way back, as a QR code and an address.
    let board = app.text(&format!("/e/{code}/board")).await;
    let foot = board
        .split(r#"class="finale-foot""#)
        .nth(1)
        .expect("the finale's foot");
    let qr = format!(r#"<div class="finale-qr"><img class="met-qr" src="/e/{code}/met-qr.svg""#);
    assert!(foot.contains(&qr), "{foot}");
    assert!(
        !foot.contains("<svg"),
        "the code is served by URL, not inlined"
    );
    let svg = app.get(&format!("/e/{code}/met-qr.svg")).await;
    assert_eq!(svg.status(), 200);
    assert_eq!(
        svg.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/svg+xml")
    );
    let svg = svg.text().await.expect("the code");
    let decoded = crate::signs::decode_qr(&svg, 600);
    assert_eq!(decoded, vec![format!("{}/e/{code}/met", app.address)]);
    assert_eq!(app.get("/e/NOPE99/met-qr.svg").await.status(), 404);
    let short = format!("{}/e/{code}/met", app.address.trim_start_matches("http://"));
    assert!(foot.contains(&short), "{foot}");
    // Someone without the cookie is told how to get in.
    let other_browser = app.get(&format!("/e/{code}/met")).await;
    assert_eq!(location(&other_browser), format!("/e/{code}"));
    let join = app.text(&format!("/e/{code}")).await;
    assert!(join.contains("open your personal link"), "{join}");
}

#[tokio::test]
async fn codes_typed_with_spaces_dashes_or_lower_case_find_the_event() {
    let app = spawn_app().await;
    let code = app.code.clone();
    let (head, tail) = code.split_at(3);
    for typed in [
        format!("{} {}", head.to_lowercase(), tail.to_lowercase()),
        format!("{head}-{tail}"),
        format!(" {} ", code.to_lowercase()),
    ] {
        let response = app
            .client
            .get(app.url("/"))
            .query(&[("code", typed.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{typed:?}");
        assert_eq!(location(&response), format!("/e/{code}"), "{typed:?}");
    }
    // In the address bar too: on to the address the QR code shows.
    let response = app.get(&format!("/e/{head}-{}", tail.to_lowercase())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/e/{code}"));
    let board = app.get(&format!("/e/{}/board", code.to_lowercase())).await;
    assert_eq!(board.status(), StatusCode::OK);
    // Not a code at all: still "not found".
    let response = app.get("/?code=Q4H%2FZA").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_tab_icon_is_served() {
    let app = spawn_app().await;
    let ico = app.get("/favicon.ico").await;
    assert_eq!(ico.status(), StatusCode::OK);
    assert_eq!(ico.headers()["content-type"], "image/x-icon");
    let bytes = ico.bytes().await.unwrap();
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");
    assert!(
        bytes.windows(4).any(|w| w == b"\x89PNG"),
        "with PNG images inside"
    );

    let page = app.text("/").await;
    let href = page
        .split(r#"<link rel="icon" type="image/svg+xml" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("every page links the icon")
        .replace("&amp;", "&");
    assert!(href.starts_with("/static/favicon.svg?v="));
    let svg = app.get(&href).await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().starts_with("<svg"));
}

#[tokio::test]
async fn a_failed_submit_marks_the_first_bad_field_for_focus() {
    let app = spawn_app().await;
    let response = app
        .join_form(&[
            ("name", ""),
            ("interests", ""),
            ("weird_fact", &"x".repeat(281)),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    let name = page
        .split(r#"<input id="name""#)
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(name.contains(r#"aria-invalid="true""#), "{name}");
    assert!(name.contains(r#"aria-describedby="name-error""#), "{name}");
    assert!(name.contains("autofocus"), "{name}");
    assert!(page.contains(r#"<p class="field-error" id="name-error">"#));
    assert_eq!(
        page.matches("autofocus").count(),
        1,
        "only the first bad field"
    );
    let fact = page
        .split(r#"<textarea id="weird_fact""#)
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        fact.contains(r#"aria-invalid="true""#) && fact.contains(r#"data-max="280""#),
        "{fact}"
    );
    // Fields without mistakes are not marked.
    let work = page
        .split(r#"<input id="work""#)
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(!work.contains("aria-invalid"), "{work}");
    assert!(
        work.contains(r#"data-max="80""#),
        "a counter for what I do: {work}"
    );

    // A good name, no interests: the interests field is first now.
    let response = app
        .join_form(&[("name", "Ada"), ("interests", " , ")])
        .await;
    let page = response.text().await.unwrap();
    let interests = page
        .split(r#"<input id="interests""#)
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(interests.contains("autofocus") && interests.contains(r#"aria-invalid="true""#));
}

#[tokio::test]
async fn suggestions_are_marked_for_the_script_to_make_tappable() {
    let app = spawn_app().await;
    app.join("Ada", &["Sourdough"]).await;
    let page = app.text(&format!("/e/{}", app.code)).await;
    assert!(
        page.contains(r#"<span class="tag suggestion" data-interest="Sourdough">Sourdough</span>"#),
        "{page}"
    );
    assert!(page.contains(r#"data-for="interests""#));
}

#[tokio::test]
async fn ticking_without_details_asks_for_them_right_there() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    let bob = app.join("Bob", &["chess"]).await;
    app.start_round().await;
    let cookie = phone(&app, &ada);
    let met = format!("/e/{}/met", app.code);

    // The details form comes first, open while nothing is saved.
    let page = app.text_with_cookie(&met, &cookie).await;
    let details = page.find(r#"id="details""#).unwrap();
    let bob_card = page.find(&format!(r#"id="p{}""#, bob.id)).unwrap();
    assert!(details < bob_card, "details before the people");
    assert!(page.contains("<details class=\"contact-details\" open>"));
    assert!(
        page.contains("Tap “I'd like to stay in touch”"),
        "words match the button"
    );

    let ticked = app
        .post_form(
            &format!("{met}/{}", bob.id),
            &[("keep", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(ticked.status(), StatusCode::SEE_OTHER);
    let back = location(&ticked);
    assert_eq!(back, format!("{met}?ticked={0}#p{0}", bob.id));
    let page = app.text_with_cookie(&back, &cookie).await;
    let card = page.split(&format!(r#"id="p{}""#, bob.id)).nth(1).unwrap();
    assert!(card.contains("✓ You'd like to stay in touch."));
    assert!(
        card.contains(&format!(r#"id="email-{}""#, bob.id)),
        "the details form under Bob: {card}"
    );
    assert!(
        card.contains("They see these only if they tap “I'd like to stay in touch” for you too.")
    );

    // With details saved, no more asking; the form folds to one line.
    let saved = app
        .post_form(
            &format!("/e/{}/me/contact", app.code),
            &[("email", "ada@example.org")],
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let page = app.text_with_cookie(&back, &cookie).await;
    assert!(!page.contains(&format!(r#"id="email-{}""#, bob.id)));
    assert!(page.contains("<details class=\"contact-details\">"));
    assert!(page.contains("ada@example.org"));

    // A bad address comes back marked, focused.
    let refused = app
        .post_form(
            &format!("/e/{}/me/contact", app.code),
            &[("email", "not an address")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    let email = page
        .split(r#"<input id="email""#)
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        email.contains(r#"aria-invalid="true""#) && email.contains("autofocus"),
        "{email}"
    );
    assert!(email.contains(r#"aria-describedby="email-error""#));
}
