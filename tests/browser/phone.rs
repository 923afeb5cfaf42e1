//! The phone at its smallest: a 360×640 screen never scrolls sideways,
//! whatever the names; mistakes in a form get the focus; suggestions can
//! be tapped; a new table is announced to screen readers.

use super::*;

/// The smallest phone screens in common use.
const SMALL_PHONE: Window = Window {
    width: 360,
    height: 640,
    phone: true,
};

/// A 40-character name without a space to break at (the longest allowed).
const LONG_NAME: &str = "Wolfeschlegelsteinhausenbergerdorffvoral";
/// A name of emoji only, and one that mixes scripts and emoji.
const EMOJI_NAME: &str = "🦄🌈🎉🍕🚀🦄🌈🎉🍕🚀🦄🌈🎉🍕🚀🦄🌈🎉🍕🚀";
const MIXED_NAME: &str = "Zoë🦄Ñandú-Ōtsuka🌈عبدالرحمن🎉";

/// How wide the page is, in CSS pixels: wider than the window means
/// sideways scrolling.
async fn page_width(client: &Client) -> i64 {
    client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

async fn assert_fits(client: &Client, what: &str) {
    let width = page_width(client).await;
    assert!(
        width <= SMALL_PHONE.width as i64,
        "{what}: the page is {width} px wide on a {} px screen; page shows {}",
        SMALL_PHONE.width,
        describe(client).await
    );
}

/// Fills in the join form by script (WebDriver cannot type emoji outside
/// the Basic Multilingual Plane) and optionally sends it.
async fn fill_join_form(client: &Client, app: &TestApp, fields: Value, send: bool) {
    client
        .goto(&app.url(&format!("/e/{}", app.code)))
        .await
        .unwrap();
    wait_for(client, "#name", WAIT).await;
    client
        .execute(
            "var f = arguments[0]; \
             for (var k in f) { document.getElementById(k).value = f[k]; } \
             if (arguments[1]) document.querySelector('form button[type=submit]').click(); \
             return 1;",
            vec![fields, json!(send)],
        )
        .await
        .unwrap();
}

fn answers(name: &str) -> Value {
    json!({
        "name": name,
        // 30 characters: the longest interest.
        "interests": "Pneumonoultramicroscopicsilico, chess",
        "work": "Designs 🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀 rockets",
        "ask_me_about": "Supercalifragilisticexpialidociousnessesandmore",
        "weird_fact": "Pneumonoultramicroscopicsilicovolcanoconiosis🌋🌋🌋🌋🌋🌋 is a word",
        "spot_me": "🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣🧣",
    })
}

/// At 360×640 nothing scrolls sideways with a 40-character name or emoji
/// names: not the join form, not the lobby page with one's own card, not
/// the table page with the others' cards and prompts. The new table is
/// announced in the live region.
#[tokio::test]
async fn a_small_phone_never_scrolls_sideways_whatever_the_names() {
    with_browsers(
        "a_small_phone_never_scrolls_sideways_whatever_the_names",
        &[SMALL_PHONE, SMALL_PHONE],
        |app, clients| async move {
            let [long, emoji] = <[Client; 2]>::try_from(clients).unwrap();
            assert_eq!(LONG_NAME.chars().count(), 40);
            // Others at the table, with the other kinds of names.
            app.join(MIXED_NAME, &["chess"]).await;

            fill_join_form(&long, &app, answers(LONG_NAME), false).await;
            assert_fits(&long, "the join form, filled in").await;
            fill_join_form(&long, &app, answers(LONG_NAME), true).await;
            fill_join_form(&emoji, &app, answers(EMOJI_NAME), true).await;
            for (phone, name) in [(&long, LONG_NAME), (&emoji, EMOJI_NAME)] {
                wait_for_text(phone, "#live h1", "groups start soon", WAIT).await;
                wait_for_text(phone, "#live .own h3", name, WAIT).await;
                assert_fits(phone, &format!("{name}'s lobby page")).await;
            }

            app.start_round().await;
            for (phone, other) in [(&long, EMOJI_NAME), (&emoji, LONG_NAME)] {
                wait_for(phone, "#live h1.table-no", WAIT).await;
                wait_for_text(phone, "#live .member h3", other, WAIT).await;
                assert_fits(phone, "the table page").await;
                let said = wait_for_text(phone, "#announce", "You're at table 1 with", WAIT).await;
                assert!(said.text().await.unwrap().contains(other));
            }
        },
    )
    .await;
}

/// A failed submit puts the focus on the first field with a mistake,
/// marked invalid and described by its message; suggestions are buttons
/// that add the interest; the long fields count their characters.
#[tokio::test]
async fn the_join_form_focuses_the_first_mistake_and_helps_fill_it_in() {
    with_browsers(
        "the_join_form_focuses_the_first_mistake_and_helps_fill_it_in",
        &[PHONE],
        |app, clients| async move {
            let [phone] = <[Client; 1]>::try_from(clients).unwrap();
            app.join("Ada", &["Sourdough", "chess"]).await;
            phone
                .goto(&app.url(&format!("/e/{}", app.code)))
                .await
                .unwrap();

            // A tap on a suggestion adds it; a second tap takes it out.
            let chip = wait_for(&phone, r#"button.suggestion[data-interest="Sourdough"]"#, WAIT).await;
            phone
                .find(Locator::Css("#interests"))
                .await
                .unwrap()
                .send_keys("jazz")
                .await
                .unwrap();
            chip.click().await.unwrap();
            let value = |phone: Client| async move {
                phone
                    .execute("return document.getElementById('interests').value;", vec![])
                    .await
                    .unwrap()
            };
            assert_eq!(value(phone.clone()).await, json!("jazz, Sourdough"));
            assert_eq!(chip.attr("aria-pressed").await.unwrap().as_deref(), Some("true"));
            chip.click().await.unwrap();
            assert_eq!(value(phone.clone()).await, json!("jazz"));

            // The fact's counter follows the typing.
            phone
                .find(Locator::Css("#weird_fact"))
                .await
                .unwrap()
                .send_keys("Bees recognise faces")
                .await
                .unwrap();
            wait_for_text(&phone, "#weird_fact-count", "260 characters left", WAIT).await;

            // No name: the focus is on the name field after the 422.
            phone
                .find(Locator::Css("form button[type=submit]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for(&phone, ".error-box", WAIT).await;
            let focused = phone
                .execute(
                    "var e = document.activeElement; \
                     return [e.id, e.getAttribute('aria-invalid'), \
                       document.getElementById(e.getAttribute('aria-describedby').split(' ')[0]).textContent];",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(focused[0], "name", "{focused}");
            assert_eq!(focused[1], "true");
            assert!(focused[2].as_str().unwrap().to_lowercase().contains("name"), "{focused}");

            // A name but no interest: the focus is on the interests.
            phone
                .execute(
                    "document.getElementById('name').value = 'Grace'; \
                     document.getElementById('interests').value = ''; \
                     document.querySelector('form button[type=submit]').click(); return 1;",
                    vec![],
                )
                .await
                .unwrap();
            let deadline = Instant::now() + WAIT;
            loop {
                let id = phone
                    .execute("return document.activeElement.id;", vec![])
                    .await
                    .unwrap();
                if id == "interests" {
                    break;
                }
                assert!(Instant::now() < deadline, "focus on {id}, not the interests");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        },
    )
    .await;
}
