//! Public pages: health, the code form, unknown codes, the QR code, the
//! board.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn health_check_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn the_front_page_asks_for_the_code_and_takes_it_in_any_case() {
    let app = spawn_app().await;
    let page = app.text("/").await;
    assert!(page.contains("Enter the event code"));
    assert!(page.contains(r#"name="code""#));
    let typed = format!("/?code=%20{}%20", app.code.to_lowercase());
    let response = app.get(&typed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/e/{}", app.code));
}

#[tokio::test]
async fn unknown_or_malformed_codes_get_a_404_page_with_the_form() {
    let app = spawn_app().await;
    for path in [
        "/?code=ZZZZZ",
        "/e/ZZZZZ",
        "/e/not-a-code",
        "/e/ZZZZZ/board",
        "/e/ZZZZZ/me",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains(r#"name="code""#),
            "{path}: the form to try again"
        );
    }
    let page = app.text("/?code=%3Cb%3Ex").await;
    assert!(
        page.contains("&lt;b&gt;x"),
        "what was typed comes back escaped"
    );
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_are_4xx() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/nothing/here").await.status(),
        StatusCode::NOT_FOUND
    );
    let response = app.get("/api/nothing").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"].is_string());
    let put = app
        .client
        .put(app.url(&format!("/e/{}", app.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);
    let get_rounds = app.get(&format!("/api/events/{}/rounds", app.code)).await;
    assert_eq!(get_rounds.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_qr_code_is_an_svg_of_the_join_url_and_stands_on_the_board() {
    let app = spawn_app().await;
    let response = app
        .get(&format!("/e/{}/qr.svg", app.code.to_lowercase()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    let board = app.get(&format!("/e/{}/board", app.code)).await;
    assert_eq!(board.status(), StatusCode::OK);
    let board = board.text().await.unwrap();
    assert!(board.contains(&svg), "the QR code is inlined in the board");
    assert!(!board.contains("<?xml"));
    let short = format!(
        "127.0.0.1:{}/e/{}",
        app.url("").rsplit(':').next().unwrap(),
        app.code
    );
    assert!(board.contains(&short), "the short join URL is printed");
    assert!(board.contains(&app.code));
    assert!(
        board.contains(r#"http-equiv="refresh""#),
        "refreshes without JavaScript"
    );
}

#[tokio::test]
async fn the_board_shows_the_lobby_then_tables_with_shown_names_and_time() {
    let app = spawn_app().await;
    app.join("Ada Lovelace", &["maths"]).await;
    app.join("Grace Hopper", &["maths"]).await;
    let lobby = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(lobby.contains("Groups start soon"));
    assert!(
        lobby.contains("<span>Ada</span>") && lobby.contains("<span>Grace</span>"),
        "given names, large across the room"
    );
    assert!(lobby.contains(r#"<strong class="joined">2</strong> joined"#));
    app.start_round().await;
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(board.contains("Round 1"));
    assert!(board.contains("10 min left"));
    assert!(board.contains(r#"<div class="no fit">1</div>"#));
    app.clock.advance(10 * MINUTE);
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(board.contains("Time's up"));
}

#[tokio::test]
async fn pages_send_security_headers_and_a_versioned_stylesheet() {
    let app = spawn_app().await;
    let response = app.get(&format!("/e/{}", app.code)).await;
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let page = response.text().await.unwrap();
    let href = page.split("href=\"/static/style.css").nth(1).unwrap();
    let href = format!("/static/style.css{}", href.split('"').next().unwrap());
    assert!(href.contains("?v="));
    let css = app.get(&href).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        page.len() < 8 * 1024,
        "the join page is small: {} bytes",
        page.len()
    );
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from other sites"
    );
}
