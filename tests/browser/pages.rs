//! Page helpers: waiting for elements and text, reading the page, the
//! no-reload marker, joining through the form.

use super::*;

/// What `client` shows, for failure messages: its address and live part.
pub(crate) async fn describe(client: &Client) -> String {
    let url = client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let live = client
        .execute(
            "var l = document.getElementById('live'); \
             return l ? l.innerText : document.body.innerText;",
            vec![],
        )
        .await
        .unwrap_or_default();
    format!("{url}: {}", live.as_str().unwrap_or_default())
}

/// The first element matching `css`, polling every 100 ms for up to
/// `timeout`.
pub(crate) async fn wait_for(client: &Client, css: &str, timeout: Duration) -> Element {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            return element;
        }
        if Instant::now() > deadline {
            panic!(
                "no `{css}` within {timeout:?}; page shows {}",
                describe(client).await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The first element matching `css` whose text contains `text`, polling
/// every 100 ms for up to `timeout`.
pub(crate) async fn wait_for_text(
    client: &Client,
    css: &str,
    text: &str,
    timeout: Duration,
) -> Element {
    let deadline = Instant::now() + timeout;
    loop {
        for element in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
            if element.text().await.is_ok_and(|t| t.contains(text)) {
                return element;
            }
        }
        if Instant::now() > deadline {
            panic!(
                "no `{css}` saying {text:?} within {timeout:?}; page shows {}",
                describe(client).await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap());
    }
    out
}

pub(crate) async fn path_of(client: &Client) -> String {
    client.current_url().await.unwrap().path().to_string()
}

pub(crate) async fn set_marker(client: &Client) {
    client.execute(MARKER, vec![]).await.unwrap();
}

/// Fails unless the marker that [`set_marker`] left is still there, i.e.
/// the page was not reloaded or navigated away from.
pub(crate) async fn assert_not_reloaded(client: &Client, what: &str) {
    let marker = client.execute(READ_MARKER, vec![]).await.unwrap();
    assert_eq!(marker, json!(42), "{what}: the page was reloaded");
}

/// Fills in the join form in `client` and sends it.
pub(crate) async fn join_through_form(client: &Client, app: &TestApp, name: &str, interests: &str) {
    client
        .goto(&app.url(&format!("/e/{}", app.code)))
        .await
        .unwrap();
    let fields = [
        ("#name", name),
        ("#interests", interests),
        ("#work", "Builds bridges"),
        ("#ask_me_about", "Sourdough"),
        ("#weird_fact", "Octopuses have three hearts"),
        ("#spot_me", "Green scarf"),
    ];
    for (css, value) in fields {
        client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    let submit = client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap();
    assert_eq!(submit.text().await.unwrap(), "Find my table");
    submit.click().await.unwrap();
}

/// The table the board's JSON gives `name` in the current round.
pub(crate) fn table_of(board: &Value, name: &str) -> Option<u64> {
    board["round"]["groups"]
        .as_array()?
        .iter()
        .find(|g| {
            g["members"]
                .as_array()
                .is_some_and(|ms| ms.iter().any(|m| m["name"] == name))
        })
        .and_then(|g| g["table"].as_u64())
}

/// The names the board's JSON seats at `table` in the current round.
pub(crate) fn names_at(board: &Value, table: u64) -> Vec<String> {
    let group = board["round"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["table"].as_u64() == Some(table))
        .unwrap();
    group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

/// Waits until the page's fonts are loaded (the board's own typeface
/// swaps in) and its script has fitted the names to them.
pub(crate) async fn settle(screen: &Client) {
    screen
        .execute_async(
            "var done = arguments[0]; document.fonts.ready.then(function () { \
             requestAnimationFrame(function () { requestAnimationFrame(done); }); });",
            vec![],
        )
        .await
        .unwrap();
}
