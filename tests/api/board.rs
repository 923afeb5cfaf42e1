//! The board as its HTML and its public JSON show it: the same names in
//! both (told apart, never full names), long names whole, the index of
//! names → tables, and the board's typeface served from the app.

use std::collections::BTreeMap;

use reqwest::StatusCode;

use crate::helpers::*;

/// The text between `open` and the next `<` after each `open` in `html`.
fn texts_after<'a>(html: &'a str, open: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(_, t)| t))
        .map(|t| t.split('<').next().unwrap_or_default())
        .collect()
}

/// The index entries (name, table) on one page of the board's HTML.
fn index_entries(html: &str) -> Vec<(String, String)> {
    html.split(r#"<span class="who"#)
        .skip(1)
        .map(|rest| {
            let name = rest.split_once('>').unwrap().1.split('<').next().unwrap();
            let table = rest
                .split_once(r#"<span class="at">"#)
                .unwrap()
                .1
                .split('<')
                .next()
                .unwrap();
            (name.to_string(), table.to_string())
        })
        .collect()
}

#[tokio::test]
async fn the_public_board_json_shows_exactly_the_names_the_board_shows() {
    let app = spawn_app().await;
    for name in [
        "Parker Smith",
        "Parker Tan",
        "Ada Lovelace",
        "Marie-Christine Dubois",
        "Zoë Kim",
        "Zoe Park",
        "Linus",
        "Linus",
    ] {
        app.join(name, &["maths"]).await;
    }
    let lobby = app.text(&format!("/e/{}/board", app.code)).await;
    // The board calls people by their given name (see
    // `domain::name::call_name`); the two Parkers get their family
    // initial, the two people named just "Linus" are numbered.
    assert!(
        lobby.contains("<span>Parker S.</span>") && lobby.contains("<span>Parker T.</span>"),
        "{lobby}"
    );
    assert!(lobby.contains("<span>Ada</span>"), "{lobby}");
    assert!(
        lobby.contains("<span>Linus (1)</span>") && lobby.contains("<span>Linus (2)</span>"),
        "{lobby}"
    );
    app.start_round().await;
    let board = app.board().await;
    let mut names: Vec<String> = seated(&board).into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Ada",
            "Linus (1)",
            "Linus (2)",
            "Marie-Christine",
            "Parker S.",
            "Parker T.",
            "Zoe P.",
            "Zoë K.",
        ],
        "given names, told apart where they clash (Zoë and Zoe read alike)"
    );
    let json = board.to_string();
    // Nothing beyond what the board shows: the family names it leaves
    // out stay out of the public JSON too.
    assert!(
        !json.contains("Dubois"),
        "no more than the board shows: {json}"
    );
    let html = app.text(&format!("/e/{}/board", app.code)).await;
    let mut shown: Vec<&str> = texts_after(&html, "<li class=\"fit");
    shown.sort();
    assert_eq!(shown, names, "the board shows the same names");
    assert!(
        html.contains(">Marie-Christine</li>"),
        "a long given name whole, never cut"
    );
}

#[tokio::test]
async fn the_index_lists_everyone_seated_with_their_table_in_order() {
    let app = spawn_app().await;
    let first = [
        "Émile", "ada", "Bea", "Zoë", "Omar", "Yuki", "Ngozi", "Hiroshi", "Rowan", "Assaf",
    ];
    for i in 0..40 {
        let name = format!(
            "{} {}",
            first[i % first.len()],
            ["Ng", "Ortiz", "Lee", "Kahn"][i / 10]
        );
        app.join(&name, &["maths"]).await;
    }
    app.start_round().await;
    let board = app.board().await;
    let expected = seated(&board);
    assert_eq!(expected.len(), 40);
    let first_page = app.text(&format!("/e/{}/board", app.code)).await;
    let pages: usize = first_page
        .split(r#"data-pages=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(pages >= 2, "40 people: tables and the index take turns");
    let mut found = Vec::new();
    let mut index_pages = 0;
    for page in 1..=pages {
        let html = app
            .text(&format!("/e/{}/board?page={page}", app.code))
            .await;
        let entries = index_entries(&html);
        if !entries.is_empty() {
            index_pages += 1;
            assert!(html.contains("Find your name"));
            // The markup goes row by row; the list reads down each column.
            let columns: usize = html
                .split("index-page ic")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .unwrap()
                .parse()
                .unwrap();
            let rows = entries.len().div_ceil(columns);
            let mut reading = vec![None; entries.len()];
            for (at, entry) in entries.iter().enumerate() {
                reading[(at % columns) * rows + at / columns] = Some(entry.clone());
            }
            found.extend(reading.into_iter().map(Option::unwrap));
        }
    }
    let keys: Vec<String> = found
        .iter()
        .map(|(n, _)| n.to_lowercase().replace(['é', 'ë'], "e"))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "alphabetical, case and accents folded");
    assert!(index_pages >= 1);
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for (name, table) in &found {
        assert!(
            by_name.insert(name.clone(), table.clone()).is_none(),
            "{name} listed once"
        );
    }
    let found: Vec<(String, String)> = by_name.into_iter().collect();
    assert_eq!(found, expected, "everyone, at the table the JSON gives");
}

#[tokio::test]
async fn the_board_typeface_is_served_from_the_app_with_its_licence() {
    let app = spawn_app().await;
    let page = app.text(&format!("/e/{}/board", app.code)).await;
    let href = page.split("href=\"/static/style.css").nth(1).unwrap();
    let href = format!("/static/style.css{}", href.split('"').next().unwrap());
    let css = app.text(&href).await;
    assert!(css.contains("font-family:\"Atkinson Hyperlegible\""));
    let fonts: Vec<&str> = css
        .split("url(")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap())
        .collect();
    assert_eq!(fonts.len(), 4, "regular and bold, Latin and Latin Extended");
    for url in fonts {
        assert!(
            url.starts_with("/static/fonts/") && url.contains(".woff2?v="),
            "{url}"
        );
        let font = app.get(url).await;
        assert_eq!(font.status(), StatusCode::OK, "{url}");
        assert_eq!(font.headers()["content-type"], "font/woff2");
        assert!(
            font.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert!(font.bytes().await.unwrap().starts_with(b"wOF2"));
    }
    let licence = app.text("/static/fonts/OFL.txt").await;
    assert!(licence.contains("SIL OPEN FONT LICENSE Version 1.1"));
    assert_eq!(
        app.get("/static/fonts/nope.woff2").await.status(),
        StatusCode::NOT_FOUND
    );
}
