//! Real-browser tests: Debian's headless Chromium, driven through
//! chromedriver (WebDriver) with fantoccini, against a real server on a
//! random port. A phone-sized window joins through the form and sees its
//! table appear without a reload when the organizer starts a round from
//! another browser; the board shows arrivals and the new round live.
//!
//! Needs `chromium` and `chromium-driver` (Debian packages). Without them
//! each test says on stderr that it was SKIPPED and passes, unless
//! `ICEBREAKER_REQUIRE_BROWSER=1` is set (as `.ci/run` does): then a
//! missing browser fails the test.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "api/helpers.rs"]
#[allow(dead_code)] // this binary uses only some of the API tests' helpers
mod helpers;

use std::future::Future;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

/// A browser window: the size of its viewport, and whether it is a phone
/// (touch, and pages laid out by their viewport meta tag).
#[derive(Debug, Clone, Copy)]
struct Window {
    width: u32,
    height: u32,
    phone: bool,
}

/// A phone, the organizer's laptop, the projected board.
const PHONE: Window = Window {
    width: 390,
    height: 844,
    phone: true,
};
const LAPTOP: Window = Window {
    width: 1280,
    height: 800,
    phone: false,
};
const BOARD: Window = Window {
    width: 1920,
    height: 1080,
    phone: false,
};

/// How long a page may take to show what a test waits for. Live updates
/// arrive in milliseconds; the margin is for a loaded CI machine.
const WAIT: Duration = Duration::from_secs(10);

/// The value a test leaves in `window` to prove the page was not reloaded.
const MARKER: &str = "window.__icebreakerMarker = 42; return 1;";
const READ_MARKER: &str =
    "return window.__icebreakerMarker === undefined ? null : window.__icebreakerMarker;";

// ---------------------------------------------------------------------
// The browser: finding it, starting chromedriver, opening sessions.
// ---------------------------------------------------------------------

/// Where chromedriver and Chromium are installed.
struct Browser {
    driver: PathBuf,
    chromium: PathBuf,
}

/// `/usr/bin/NAME` or the first `NAME` on the PATH, for any of `names`.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::iter::once(PathBuf::from("/usr/bin"))
        .chain(std::env::split_paths(&path))
        .collect();
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The installed browser, or `None` after saying on stderr that `test` was
/// skipped. With `ICEBREAKER_REQUIRE_BROWSER=1` a missing browser fails
/// the test instead.
fn browser_or_skip(test: &str) -> Option<Browser> {
    let driver = find_program(&["chromedriver"]);
    let chromium = find_program(&["chromium", "chromium-browser"]);
    if let (Some(driver), Some(chromium)) = (driver.clone(), chromium.clone()) {
        return Some(Browser { driver, chromium });
    }
    let missing: Vec<&str> = [
        driver.is_none().then_some("chromedriver"),
        chromium.is_none().then_some("chromium"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let required = std::env::var("ICEBREAKER_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "browser test {test}: {} not found, and ICEBREAKER_REQUIRE_BROWSER=1 \
         (apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    // Straight to stderr, past the test harness's output capture, so the
    // skip shows in a plain `cargo test`.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED browser test {test}: {} not installed (apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    None
}

/// A chromedriver on a free port, killed (with any browser it left) on drop.
struct Driver {
    child: Child,
    url: String,
    chromium: PathBuf,
}

impl Driver {
    async fn start(browser: &Browser) -> Driver {
        let mut last_error = String::new();
        // A port found free can be taken before chromedriver binds it:
        // try a few.
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut child = Command::new(&browser.driver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own process group, so that drop can end the browsers
                // it started too.
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.driver.display()));
            let deadline = Instant::now() + WAIT;
            loop {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Driver {
                        child,
                        url: format!("http://127.0.0.1:{port}"),
                        chromium: browser.chromium.clone(),
                    };
                }
                if let Some(status) = child.try_wait().unwrap() {
                    last_error = format!("chromedriver exited with {status}");
                    break;
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    last_error =
                        format!("chromedriver did not listen on port {port} within {WAIT:?}");
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("{last_error}");
    }

    /// A new browser session with a `window`-sized window and a fresh
    /// profile.
    async fn session(&self, window: Window) -> Session {
        let Window {
            width,
            height,
            phone,
        } = window;
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let profile = std::env::temp_dir().join(format!(
            "icebreaker-chromium-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--no-first-run".to_string(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ];
        let mut options = json!({
            "binary": self.chromium,
            "args": args,
        });
        // The viewport exactly: a headless window is at least 500 px wide
        // and its window frame takes some of its height.
        options["mobileEmulation"] = json!({
            "deviceMetrics": {
                "width": width,
                "height": height,
                "pixelRatio": if phone { 3.0 } else { 1.0 },
                "touch": phone,
                "mobile": phone,
            }
        });
        let capabilities = json!({ "goog:chromeOptions": options });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::rustls()
            .unwrap()
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("no WebDriver session from {}: {e}", self.url));
        Session { client, profile }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any Chromium whose session was
        // not closed (a test that failed half-way).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser window with its own profile directory.
struct Session {
    client: Client,
    profile: PathBuf,
}

impl Session {
    async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Runs `body` with a server and one browser session per window size,
/// then closes the sessions whatever happened. If `body` panics, saves a
/// screenshot of every window into the temp directory first and says where.
async fn with_browsers<F, Fut>(test: &str, windows: &[Window], body: F)
where
    F: FnOnce(Arc<TestApp>, Vec<Client>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(browser) = browser_or_skip(test) else {
        return;
    };
    let app = Arc::new(spawn_app().await);
    let driver = Driver::start(&browser).await;
    let mut sessions = Vec::new();
    for &window in windows {
        sessions.push(driver.session(window).await);
    }
    let clients = sessions.iter().map(|s| s.client.clone()).collect();
    let outcome = tokio::spawn(body(app, clients)).await;
    if outcome.is_err() {
        for (i, session) in sessions.iter().enumerate() {
            let path = std::env::temp_dir().join(format!("icebreaker-{test}-{i}.png"));
            if let Ok(png) = session.client.screenshot().await
                && std::fs::write(&path, png).is_ok()
            {
                let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
            }
        }
    }
    for session in sessions {
        session.close().await;
    }
    drop(driver);
    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("{error}"),
        }
    }
}

// ---------------------------------------------------------------------
// Page helpers.
// ---------------------------------------------------------------------

/// What `client` shows, for failure messages: its address and live part.
async fn describe(client: &Client) -> String {
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
async fn wait_for(client: &Client, css: &str, timeout: Duration) -> Element {
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
async fn wait_for_text(client: &Client, css: &str, text: &str, timeout: Duration) -> Element {
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

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap());
    }
    out
}

async fn path_of(client: &Client) -> String {
    client.current_url().await.unwrap().path().to_string()
}

async fn set_marker(client: &Client) {
    client.execute(MARKER, vec![]).await.unwrap();
}

/// Fails unless the marker that [`set_marker`] left is still there, i.e.
/// the page was not reloaded or navigated away from.
async fn assert_not_reloaded(client: &Client, what: &str) {
    let marker = client.execute(READ_MARKER, vec![]).await.unwrap();
    assert_eq!(marker, json!(42), "{what}: the page was reloaded");
}

/// Fills in the join form in `client` and sends it.
async fn join_through_form(client: &Client, app: &TestApp, name: &str, interests: &str) {
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
fn table_of(board: &Value, name: &str) -> Option<u64> {
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
fn names_at(board: &Value, table: u64) -> Vec<String> {
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

// ---------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------

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
            wait_for_text(&phone, "#live h1", "You're in — groups start soon", WAIT).await;
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
            wait_for_text(&laptop, "p.notice", "The round has started", WAIT).await;

            // The phone shows its table, unreloaded.
            let heading = wait_for(&phone, "#live h1.table-no", WAIT).await;
            let shown = heading.text().await.unwrap();
            assert_not_reloaded(&phone, "phone after round 1 started").await;
            let board = app.board().await;
            let table = table_of(&board, "Phoebe Phone").expect("Phoebe seated on the board");
            assert_eq!(shown, format!("Table {table}"));
            let state = phone.find(Locator::Css("#live .state")).await.unwrap();
            assert_eq!(
                state.attr("data-table").await.unwrap(),
                Some(table.to_string())
            );
            // Its group: everyone else at that table, by full name.
            let mut expected: Vec<String> = names_at(&board, table)
                .into_iter()
                .filter(|n| n != "Phoebe Phone")
                .collect();
            let mut members = texts(&phone, "#live .member h3").await;
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

/// The projected board shows first names as people join, then round 1
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

            // Every table of the round, with its first names, and visible.
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
                        .map(|m| {
                            let name = m["name"].as_str().unwrap();
                            name.split_whitespace().next().unwrap().to_string()
                        })
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
            assert_eq!(table_of(&app.board().await, "Phoebe Phone"), None);

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
            let seated = table_of(&app.board().await, "Phoebe Phone");
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
            let table = table_of(&app.board().await, "Phoebe Phone").expect("Phoebe seated");
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
            wait_for_text(&laptop, "p.notice", "Saved", WAIT).await;

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

/// A 720p projector: the finale must fit it as well as 1080p.
const SMALL_PROJECTOR: Window = Window {
    width: 1280,
    height: 720,
    phone: false,
};

/// Elements of the finale that stick out of the window or are cut off
/// inside their box, with their sizes: what a projector would not show.
const CLIPPED: &str = "
    var out = [];
    var all = document.querySelectorAll('#live .finale-head, #live .figure, \
        #live .finale-body section, #live .finale-foot, #live .met-chart, #live .top-interests li');
    for (var i = 0; i < all.length; i++) {
        var el = all[i], r = el.getBoundingClientRect();
        var what = el.className.baseVal !== undefined ? el.className.baseVal : el.className;
        if (r.width < 1 || r.height < 1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) {
            out.push(what + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round));
        }
        if (el.tagName !== 'svg' && el.scrollHeight > el.clientHeight + 1) {
            out.push(what + ' overflows: ' + el.scrollHeight + ' > ' + el.clientHeight);
        }
    }
    return out;";

/// The organizer ends the event: the projected board turns into the
/// finale without a reload, with the figures of the board JSON, and
/// nothing is cut off on a 1080p or a 720p projector.
#[tokio::test]
async fn the_board_turns_into_the_finale_without_a_reload_and_fits_the_screen() {
    with_browsers(
        "the_board_turns_into_the_finale_without_a_reload_and_fits_the_screen",
        &[BOARD, SMALL_PROJECTOR],
        |app, clients| async move {
            let interests = ["chess", "jazz", "Board games", "hiking"];
            for i in 0..12 {
                app.join(&format!("Person {i}"), &interests[i % 3..i % 3 + 2])
                    .await;
            }
            for _ in 0..3 {
                app.start_round().await;
            }
            for screen in &clients {
                screen
                    .goto(&app.url(&format!("/e/{}/board", app.code)))
                    .await
                    .unwrap();
                wait_for_text(screen, "#live .status", "Round 3", WAIT).await;
                set_marker(screen).await;
            }

            app.end_event_as(&app.code, &app.host_key).await;
            let finale = app.board().await["finale"].clone();
            let figures: Vec<String> = ["people", "rounds", "new_pairs", "mutual_pairs"]
                .iter()
                .map(|k| finale[k].to_string())
                .collect();
            assert_eq!(figures[..2], ["12", "3"]);

            for screen in &clients {
                wait_for_text(screen, "#live .thanks", "Thank you for coming!", WAIT).await;
                assert_not_reloaded(screen, "board after the end").await;
                assert_eq!(texts(screen, "#live .figure .value").await, figures);
                let chart = wait_for(screen, "#live svg.met-chart", WAIT).await;
                assert!(chart.is_displayed().await.unwrap());
                let clipped = screen.execute(CLIPPED, vec![]).await.unwrap();
                assert_eq!(clipped, json!([]), "cut off: {clipped}");
                let height = screen
                    .execute(
                        "return document.querySelector('#live .met-chart')\
                         .getBoundingClientRect().height / innerHeight;",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert!(
                    height.as_f64().unwrap() > 0.3,
                    "the chart is big enough to read: {height} of the height"
                );
            }
        },
    )
    .await;
}
