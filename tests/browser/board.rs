//! The projected board in a real 1920×1080 browser: the clock's last
//! minute in red, names large enough for the back of the room at 10 and
//! 60 tables, the QR code as large in rounds as in the lobby, and every
//! attendee findable through the index within one cycle of pages.

use super::*;

/// First names of many origins, none longer than seven letters: told
/// apart by a family initial they stay within ten characters, the length
/// of most names on a board.
const FIRST: [&str; 40] = [
    "Ada", "Bilal", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Jaya", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Viktor",
    "Wei", "Ximena", "Yusuf", "Zara", "Aiko", "Bruno", "Chloe", "Diego", "Elif", "Femi", "Greta",
    "Hugo", "Ines", "Jonas", "Kenji", "Leila", "Milan", "Noor",
];
const FAMILY: [&str; 8] = [
    "Okafor", "Silva", "Tanaka", "Nguyen", "Müller", "Haddad", "Kowalski", "Reyes",
];

/// Joins `n` people, each name unique as a whole.
async fn join_people(app: &TestApp, from: usize, n: usize) {
    for i in from..from + n {
        let name = format!(
            "{} {}",
            FIRST[i % FIRST.len()],
            FAMILY[(i / FIRST.len()) % FAMILY.len()]
        );
        app.join(&name, &["jazz"]).await;
    }
}

/// The shown page's names: their computed font sizes, and what is cut
/// off or sticks out (an empty list when everything fits).
const NAME_SIZES: &str = "
    var page = document.querySelector('#live .page:not([hidden])');
    var sizes = [], cut = [];
    var names = page.querySelectorAll('.table-card li');
    for (var i = 0; i < names.length; i++) {
        var li = names[i];
        sizes.push(parseFloat(getComputedStyle(li).fontSize));
        if (li.scrollWidth > li.clientWidth + 1) cut.push(li.textContent + ' is too wide');
    }
    var cards = page.querySelectorAll('.table-card'), area = 0;
    for (var j = 0; j < cards.length; j++) {
        var c = cards[j], r = c.getBoundingClientRect();
        area += r.width * r.height;
        if (c.scrollHeight > c.clientHeight + 1) cut.push('card ' + j + ' overflows');
        if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1) cut.push('card ' + j + ' off screen');
    }
    var box = page.getBoundingClientRect();
    return {sizes: sizes, cut: cut, filled: area / (box.width * box.height), cards: cards.length};";

/// The width of the QR code on the board, in pixels.
const QR_WIDTH: &str = "return document.querySelector('#live .join svg, #live .join img.qr').getBoundingClientRect().width;";

#[tokio::test]
async fn the_board_countdown_turns_red_in_the_last_minute_and_says_what_happens_at_zero() {
    with_browsers(
        "the_board_countdown_turns_red_in_the_last_minute_and_says_what_happens_at_zero",
        &[BOARD],
        |app, clients| async move {
            let [screen] = <[Client; 1]>::try_from(clients).unwrap();
            join_people(&app, 0, 3).await;
            app.start_round().await;
            let board = app.url(&format!("/e/{}/board", app.code));
            let colour = "return getComputedStyle(document.querySelector('#live .status .countdown')).color;";
            screen.goto(&board).await.unwrap();
            wait_for_text(&screen, "#live .status .countdown", "left", WAIT).await;
            let before = screen.execute(colour, vec![]).await.unwrap();
            assert_eq!(before, json!("rgb(255, 213, 79)"), "yellow with time to go");

            // The server's clock moves to the last half minute; the page
            // learns it from the stream.
            app.clock.advance(9 * 60_000 + 30_000);
            screen.goto(&board).await.unwrap();
            wait_for(&screen, "#live .status .countdown.last-minute", WAIT).await;
            let last = screen.execute(colour, vec![]).await.unwrap();
            assert_eq!(last, json!("rgb(255, 107, 94)"), "red in the last minute");

            // Two seconds before the end: the script counts to zero and
            // says the organizer starts the next round.
            app.clock.advance(28_000);
            screen.goto(&board).await.unwrap();
            wait_for_text(
                &screen,
                "#live .status .countdown",
                "Time's up — the next round starts when the organizer starts it",
                WAIT,
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn board_names_stay_large_at_10_and_60_tables_and_the_qr_code_keeps_its_size() {
    with_browsers(
        "board_names_stay_large_at_10_and_60_tables_and_the_qr_code_keeps_its_size",
        &[BOARD],
        |app, clients| async move {
            let [screen] = <[Client; 1]>::try_from(clients).unwrap();
            join_people(&app, 0, 40).await;
            screen
                .goto(&app.url(&format!("/e/{}/board", app.code)))
                .await
                .unwrap();
            wait_for_text(&screen, "#live .status", "Groups start soon", WAIT).await;
            let lobby_qr = screen.execute(QR_WIDTH, vec![]).await.unwrap();

            for (round, tables, people, least) in [(1, 10, 40, 48.0), (2, 60, 240, 28.0)] {
                if people > 40 {
                    join_people(&app, 40, people - 40).await;
                }
                app.start_round().await;
                assert_eq!(
                    app.board().await["round"]["groups"].as_array().unwrap().len(),
                    tables
                );
                // A loaded machine re-renders 60 tables slowly: more time.
                wait_for_text(&screen, "#live .status", &format!("Round {round}"), WAIT * 4).await;
                // Page 1 is a page of tables.
                wait_for(&screen, "#live .page.tables:not([hidden]) .table-card", WAIT).await;
                settle(&screen).await;
                let measured = screen.execute(NAME_SIZES, vec![]).await.unwrap();
                let sizes: Vec<f64> = measured["sizes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_f64().unwrap())
                    .collect();
                let smallest = sizes.iter().copied().fold(f64::MAX, f64::min);
                eprintln!(
                    "{tables} tables: names {smallest}–{} px, {} cards on page 1, {:.0}% of it filled",
                    sizes.iter().copied().fold(0.0, f64::max),
                    measured["cards"],
                    measured["filled"].as_f64().unwrap() * 100.0
                );
                assert!(smallest >= least, "{tables} tables: names of {smallest} px");
                assert_eq!(measured["cut"], json!([]), "{tables} tables");
                assert!(
                    measured["filled"].as_f64().unwrap() > 0.75,
                    "{tables} tables: cards fill the screen: {measured}"
                );
                let qr = screen.execute(QR_WIDTH, vec![]).await.unwrap();
                assert_eq!(qr, lobby_qr, "the QR code as large as in the lobby");
            }
        },
    )
    .await;
}

#[tokio::test]
async fn every_attendee_is_found_through_the_index_within_one_cycle() {
    with_browsers(
        "every_attendee_is_found_through_the_index_within_one_cycle",
        &[BOARD],
        |app, clients| async move {
            let [screen] = <[Client; 1]>::try_from(clients).unwrap();
            join_people(&app, 0, 300).await;
            app.start_round().await;
            screen
                .goto(&app.url(&format!("/e/{}/board", app.code)))
                .await
                .unwrap();
            wait_for_text(&screen, "#live .status", "Round 1", WAIT).await;
            wait_for(&screen, "#live .page.tables:not([hidden])", WAIT).await;

            // The index as the cycle shows it: every page of it, in page order.
            let index = screen
                .execute(
                    "var pages = Number(document.querySelector('.board-wrap').getAttribute('data-pages'));
                     var out = [];
                     document.querySelectorAll('#live .index-page').forEach(function (p) {
                         var n = Number(p.getAttribute('data-page'));
                         p.querySelectorAll('li').forEach(function (li) {
                             out.push([n, pages, li.querySelector('.who').textContent,
                                       li.querySelector('.at').textContent]);
                         });
                     });
                     return out;",
                    vec![],
                )
                .await
                .unwrap();
            let mut found: Vec<(String, String)> = Vec::new();
            for entry in index.as_array().unwrap() {
                let page = entry[0].as_u64().unwrap();
                assert!(page >= 1 && page <= entry[1].as_u64().unwrap(), "{entry}");
                found.push((
                    entry[2].as_str().unwrap().to_string(),
                    entry[3].as_str().unwrap().to_string(),
                ));
            }
            let board = app.board().await;
            let expected = helpers::seated(&board);
            assert_eq!(expected.len(), 300);
            found.sort();
            assert_eq!(found, expected, "each of the 300 once, at their table");

            // The second page is the first of the index: it comes up by
            // itself, large and whole.
            wait_for(&screen, "#live .index-page[data-page='2']:not([hidden])", WAIT * 2).await;
            settle(&screen).await;
            let page = screen
                .execute(
                    "var p = document.querySelector('#live .index-page:not([hidden])');
                     var cut = [];
                     p.querySelectorAll('li').forEach(function (li) {
                         var r = li.getBoundingClientRect();
                         if (r.bottom > innerHeight + 1) cut.push(li.textContent + ' below the screen');
                         if (li.scrollWidth > li.clientWidth + 1) cut.push(li.textContent + ' too wide');
                     });
                     return {size: parseFloat(getComputedStyle(p.querySelector('.who')).fontSize),
                             cut: cut, overflow: p.scrollHeight > p.clientHeight + 1};",
                    vec![],
                )
                .await
                .unwrap();
            eprintln!("index page: {page}");
            assert!(page["size"].as_f64().unwrap() >= 30.0, "{page}");
            assert_eq!(page["cut"], json!([]), "{page}");
            assert_eq!(page["overflow"], json!(false), "{page}");
        },
    )
    .await;
}
