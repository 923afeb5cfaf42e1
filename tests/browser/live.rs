//! Live updates in a real browser: phones and the board follow the event
//! without reloading.

use super::*;

/// A phone joins through the form and waits in the lobby; the organizer
/// starts round 1 from a laptop; the phone shows its table, the same one
/// the API gives, without a reload.
#[tokio::test]
async fn phone_joins_through_the_form_and_gets_its_table_without_a_reload() {
    with_browsers(
        "phone_joins_through_the_form_and_gets_its_table_without_a_reload",
        &[PHONE, LAPTOP],
        |app, clients| async move {
            let [phone, laptop] = <[Client; 2]>::try_from(clients).unwrap();

            join_through_form(&phone, &app, "Phoebe Phone", "jazz, chess").await;
            wait_for_text(
                &phone,
                "#live h1",
                "You're in, Phoebe Phone — groups start soon",
                WAIT,
            )
            .await;
            assert_eq!(path_of(&phone).await, format!("/e/{}/me", app.code));
            let viewport = phone
                .execute("return [window.innerWidth, window.innerHeight];", vec![])
                .await
                .unwrap();
            assert_eq!(viewport, json!([390, 844]), "the phone's viewport");
            assert!(
                phone
                    .find(Locator::Css("#live .state[data-table]"))
                    .await
                    .is_err(),
                "a table before any round"
            );
            set_marker(&phone).await;

            // Two more people join over the API: the phone's lobby counts
            // them live, which shows its stream is connected.
            app.join("Ada Lovelace", &["chess", "maths"]).await;
            app.join("Grace Hopper", &["jazz", "compilers"]).await;
            wait_for_text(&phone, "#live .lead", "3 people have joined", WAIT).await;

            // The organizer, on a laptop, opens the host link and starts
            // round 1.
            laptop
                .goto(&app.url(&format!("/e/{}/host?key={}", app.code, app.host_key)))
                .await
                .unwrap();
            assert_eq!(path_of(&laptop).await, format!("/e/{}/host", app.code));
            let start = laptop
                .find(Locator::Css(
                    r#"form[action$="/host/rounds"] button[type=submit]"#,
                ))
                .await
                .unwrap();
            assert_eq!(start.text().await.unwrap(), "Start round 1");
            start.click().await.unwrap();
            wait_for_text(&laptop, ".notice", "The round has started", WAIT).await;

            // The phone shows its table, unreloaded.
            let heading = wait_for(&phone, "#live h1.table-no", WAIT).await;
            let shown = heading.text().await.unwrap();
            assert_not_reloaded(&phone, "phone after round 1 started").await;
            let board = app.board().await;
            let table = table_of(&board, "Phoebe").expect("Phoebe seated on the board");
            assert_eq!(shown, format!("Table {table}"));
            let state = phone.find(Locator::Css("#live .state")).await.unwrap();
            assert_eq!(
                state.attr("data-table").await.unwrap(),
                Some(table.to_string())
            );
            // Its group: everyone else at that table. The phone shows
            // whole names, the board (and its public JSON) given names.
            let mut expected: Vec<String> = names_at(&board, table)
                .into_iter()
                .filter(|n| n != "Phoebe")
                .collect();
            let mut members: Vec<String> = texts(&phone, "#live .member h3")
                .await
                .iter()
                .map(|n| n.split_whitespace().next().unwrap().to_string())
                .collect();
            expected.sort();
            members.sort();
            assert_eq!(members, expected);
            // The new table flashes (the script's cue to look up).
            let flashed = phone
                .execute(
                    "return document.getElementById('live').classList.contains('flash');",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(flashed, json!(true), "the new table did not flash");
        },
    )
    .await;
}

/// The projected board shows the names people go by as they join, then round 1
/// and its tables, all without a reload.
#[tokio::test]
async fn board_shows_arrivals_and_the_new_round_without_a_reload() {
    with_browsers(
        "board_shows_arrivals_and_the_new_round_without_a_reload",
        &[BOARD],
        |app, clients| async move {
            let [screen] = <[Client; 1]>::try_from(clients).unwrap();

            app.join("Ada Lovelace", &["chess"]).await;
            screen
                .goto(&app.url(&format!("/e/{}/board", app.code)))
                .await
                .unwrap();
            wait_for_text(&screen, "#live .status", "Groups start soon", WAIT).await;
            let viewport = screen
                .execute("return [window.innerWidth, window.innerHeight];", vec![])
                .await
                .unwrap();
            assert_eq!(viewport, json!([1920, 1080]), "the board's viewport");
            assert_eq!(texts(&screen, "#live .lobby-names span").await, ["Ada"]);
            set_marker(&screen).await;

            app.join("Grace Hopper", &["jazz"]).await;
            app.join("Linus Torvalds", &["kernels"]).await;
            wait_for_text(&screen, "#live .lobby-names span", "Linus", WAIT).await;
            let mut names = texts(&screen, "#live .lobby-names span").await;
            names.sort();
            assert_eq!(names, ["Ada", "Grace", "Linus"]);
            assert_eq!(texts(&screen, "#live .joined").await, ["3"], "joined count");
            assert_not_reloaded(&screen, "board after arrivals").await;

            app.start_round().await;
            wait_for_text(&screen, "#live .status", "Round 1", WAIT).await;
            assert_not_reloaded(&screen, "board after round 1 started").await;
            assert!(
                screen
                    .find(Locator::Css("#live .lobby-names"))
                    .await
                    .is_err(),
                "the lobby names stay after the round started"
            );

            // Every table of the round, with the names the board JSON
            // gives (the shown names), and visible.
            let board = app.board().await;
            let mut expected: Vec<(String, Vec<String>)> = board["round"]["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| {
                    let mut names: Vec<String> = g["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| m["name"].as_str().unwrap().to_string())
                        .collect();
                    names.sort();
                    (g["table"].to_string(), names)
                })
                .collect();
            let mut shown = Vec::new();
            for card in screen
                .find_all(Locator::Css("#live .table-card"))
                .await
                .unwrap()
            {
                assert!(card.is_displayed().await.unwrap(), "a hidden table card");
                let no = card
                    .find(Locator::Css(".no"))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let mut names = Vec::new();
                for li in card.find_all(Locator::Css("li")).await.unwrap() {
                    names.push(li.text().await.unwrap());
                }
                names.sort();
                shown.push((no, names));
            }
            expected.sort();
            shown.sort();
            assert!(!shown.is_empty(), "no table cards on the board");
            assert_eq!(shown, expected);
        },
    )
    .await;
}

/// A seated phone takes a break: it says so, stays out of the next round
/// (which it learns live), and after "I'm back" gets a table again live.
#[tokio::test]
async fn phone_on_a_break_sits_out_a_round_and_comes_back() {
    with_browsers(
        "phone_on_a_break_sits_out_a_round_and_comes_back",
        &[PHONE],
        |app, clients| async move {
            let [phone] = <[Client; 1]>::try_from(clients).unwrap();

            join_through_form(&phone, &app, "Phoebe Phone", "jazz, chess").await;
            wait_for_text(&phone, "#live h1", "You're in", WAIT).await;
            app.join("Ada Lovelace", &["chess"]).await;
            app.join("Grace Hopper", &["jazz"]).await;
            app.join("Linus Torvalds", &["kernels"]).await;
            app.start_round().await;
            wait_for(&phone, "#live h1.table-no", WAIT).await;

            // "Take a break" is a form: a normal navigation back to /me.
            phone
                .find(Locator::Css(r#"form[action$="/me/break"] button"#))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&phone, "#live h1", "You're on a break", WAIT).await;
            assert_eq!(path_of(&phone).await, format!("/e/{}/me", app.code));
            assert!(
                phone.find(Locator::Css("#live h1.table-no")).await.is_err(),
                "a table heading while on a break"
            );
            assert_eq!(app.board().await["present_count"], 3);
            set_marker(&phone).await;

            // Round 2 starts without them: the phone learns of it live
            // (data-round) and still says they are on a break.
            app.start_round().await;
            wait_for(&phone, r#"#live .state[data-round="2"]"#, WAIT).await;
            assert_not_reloaded(&phone, "phone on a break after round 2 started").await;
            assert_eq!(
                texts(&phone, "#live h1").await,
                ["You're on a break"],
                "the phone on a break after round 2 started"
            );
            assert_eq!(table_of(&app.board().await, "Phoebe"), None);

            // Back: again a form and a navigation. A table of round 2 with
            // room may take them at once; the page says what the API says.
            phone
                .find(Locator::Css(r#"form[action$="/me/back"] button"#))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // Present again: the page offers a break again.
            wait_for(&phone, r#"#live form[action$="/me/break"]"#, WAIT).await;
            assert_eq!(path_of(&phone).await, format!("/e/{}/me", app.code));
            let seated = table_of(&app.board().await, "Phoebe");
            let shown = texts(&phone, "#live h1.table-no").await;
            assert_eq!(
                shown,
                seated
                    .map(|t| format!("Table {t}"))
                    .into_iter()
                    .collect::<Vec<_>>(),
                "back during round 2: {}",
                describe(&phone).await
            );

            // Round 3 seats them, live.
            set_marker(&phone).await;
            app.start_round().await;
            wait_for(&phone, r#"#live .state[data-round="3"]"#, WAIT).await;
            assert_not_reloaded(&phone, "phone after round 3 started").await;
            let table = table_of(&app.board().await, "Phoebe").expect("Phoebe seated");
            assert_eq!(
                texts(&phone, "#live h1.table-no").await,
                [format!("Table {table}")]
            );
        },
    )
    .await;
}

/// The organizer hides a weirdest fact from the console: the projected
/// board, which rotates the facts, drops it without a reload.
#[tokio::test]
async fn host_hides_a_fact_and_it_leaves_the_board_without_a_reload() {
    with_browsers(
        "host_hides_a_fact_and_it_leaves_the_board_without_a_reload",
        &[BOARD, LAPTOP],
        |app, clients| async move {
            let [screen, laptop] = <[Client; 2]>::try_from(clients).unwrap();
            let joined = app.join("Mallory", &["chess"]).await;
            screen
                .goto(&app.url(&format!("/e/{}/board", app.code)))
                .await
                .unwrap();
            wait_for_text(
                &screen,
                "#live .facts .fact",
                "Mallory knows a weird fact",
                WAIT,
            )
            .await;
            set_marker(&screen).await;

            laptop
                .goto(&app.url(&format!("/e/{}/host?key={}", app.code, app.host_key)))
                .await
                .unwrap();
            laptop
                .goto(&app.url(&format!("/e/{}/host/attendees/{}", app.code, joined.id)))
                .await
                .unwrap();
            laptop
                .find(Locator::Css(r#"input[name="hide_weird_fact"]"#))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            laptop
                .find(Locator::Css(r#"form button[type=submit]"#))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&laptop, ".notice", "Saved", WAIT).await;

            let deadline = std::time::Instant::now() + WAIT;
            loop {
                let facts = texts(&screen, "#live .facts .fact").await;
                if !facts.iter().any(|f| f.contains("Mallory knows")) {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "the fact stayed: {facts:?}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert_not_reloaded(&screen, "board after the fact was hidden").await;
            let board_html = screen.source().await.unwrap();
            assert!(
                !board_html.contains("Mallory knows"),
                "gone from the page, not just hidden"
            );
        },
    )
    .await;
}
