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

#[path = "../api/helpers.rs"]
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

mod board;
mod finale;
mod live;
mod pages;
mod phone;

use pages::*;
