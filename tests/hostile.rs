//! Hostile input against every endpoint: bodies over the limit, broken
//! encodings and JSON, markup and formulas in every text field, control,
//! bidi and invisible characters, path traversal, forged credentials,
//! malformed codes and ids, wrong methods and malformed HTTP. Each must get
//! a clear 4xx with a message (JSON under `/api`), never a 500, never
//! unescaped output, and the server keeps serving with nothing stored lost.
//! Also the security headers and cookie flags on every kind of answer.
//!
//! Requests the `url` crate would normalise (`..`, `%2e%2e`) or reqwest
//! would refuse to send go over a plain TCP socket ([`raw`]).

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "api/helpers.rs"]
#[allow(dead_code)] // this binary uses only some of the API tests' helpers
mod helpers;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use helpers::*;
use reqwest::header::HeaderValue;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Payloads

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
const ATTR: &str = "' onmouseover='x";
const SVG: &str = "<svg onload=alert(1)>";
const FACT: &str = "</textarea><script>alert(1)</script><img src=x onerror=alert(1)>";
const EVENT_NAME: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";
const TABLE_NAMES: [&str; 2] = ["<img src=x onerror=y>", "'><b onclick=x>"];
const SCRIPT_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
const IMG_ESCAPED: &str = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
const TABLE_ESCAPED: &str = "&lt;img src=x onerror=y&gt;";

// ---------------------------------------------------------------------------
// Helpers

/// A server without the per-address write limit, for tests that send
/// hundreds of refused changes from one address (the limit has tests of its
/// own); the other tests run with the default limits.
async fn spawn_unlimited() -> TestApp {
    spawn_app_with(|c| c.limits.writes_per_minute = 0).await
}

/// A second event on the same server, as a `TestApp` of its own.
async fn new_event(app: &TestApp, name: &str) -> TestApp {
    let response = app
        .client
        .post(app.url("/api/events"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    TestApp {
        address: app.address.clone(),
        state: app.state.clone(),
        clock: app.clock.clone(),
        code: body["code"].as_str().unwrap().to_string(),
        host_key: body["host_key"].as_str().unwrap().to_string(),
        client: app.client.clone(),
    }
}

/// A request with any method, even one reqwest has no constant for.
fn request(app: &TestApp, method: &str, path: &str) -> reqwest::RequestBuilder {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    app.client.request(method, app.url(path))
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// The server still answers its health check.
async fn assert_alive(app: &TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK, "the server stopped");
    assert_eq!(response.text().await.unwrap(), "ok");
}

/// A JSON error answer: `status`, a JSON content type, a non-empty
/// `error` and a `fields` object.
async fn api_error(response: reqwest::Response, status: StatusCode, what: &str) -> Value {
    assert_eq!(response.status(), status, "{what}");
    let content_type = header(&response, "content-type");
    assert!(
        content_type.starts_with("application/json"),
        "{what}: content type {content_type:?}"
    );
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
    assert!(
        body["error"].as_str().is_some_and(|e| !e.trim().is_empty()),
        "{what}: {body}"
    );
    assert!(body["fields"].is_object(), "{what}: {body}");
    body
}

/// An HTML error page: `status`, an HTML content type, a message, and
/// nothing unescaped.
async fn page_error(response: reqwest::Response, status: StatusCode, what: &str) -> String {
    assert_eq!(response.status(), status, "{what}");
    let content_type = header(&response, "content-type");
    assert!(
        content_type.starts_with("text/html"),
        "{what}: content type {content_type:?}"
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("<h1"), "{what}: a page with a message");
    assert_harmless(&page, what);
    page
}

/// The attendee cookie for `token` at `app`'s event.
fn attendee_cookie(app: &TestApp, token: &str) -> String {
    format!("ib_a_{}={token}", app.code)
}

fn token_of(cookie: &str) -> String {
    cookie.split_once('=').unwrap().1.to_string()
}

/// Joins through the form and returns the attendee cookie.
async fn form_join(app: &TestApp, form: &[(&str, &str)]) -> String {
    let response = app.join_form(form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{form:?}");
    cookie_pair(&response)
}

/// Signs in as the admin and returns the cookie.
async fn admin_cookie(app: &TestApp) -> String {
    let response = app.get(&format!("/admin?token={ADMIN_TOKEN}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    cookie_pair(&response)
}

/// The event's settings as the API shows them (`PATCH {}` changes nothing).
async fn settings(app: &TestApp) -> Value {
    let response = app.patch_event_as(&app.host_key, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// How many events the server holds.
async fn event_count(app: &TestApp) -> usize {
    let response = app
        .client
        .get(app.url("/api/events"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["events"].as_array().unwrap().len()
}

/// A profile body for the API with `key` set to `value`.
fn profile_with(key: &str, value: Value) -> Value {
    let mut body = person("Ada Lovelace", &["maths"]);
    body[key] = value;
    body
}

/// The good join form with `key` set to `value`.
fn form_with<'a>(key: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Ada Lovelace"),
        ("work", "Analyst"),
        ("interests", "maths, poetry"),
        ("ask_me_about", "engines"),
        ("weird_fact", "Bees recognise faces"),
        ("spot_me", "green scarf"),
    ];
    for pair in &mut form {
        if pair.0 == key {
            pair.1 = value;
        }
    }
    form
}

const TEXT_FIELDS: [&str; 6] = [
    "name",
    "work",
    "interests",
    "ask_me_about",
    "weird_fact",
    "spot_me",
];

// ---------------------------------------------------------------------------
// Raw HTTP

/// What the server answered to a raw request.
#[derive(Debug)]
struct Raw {
    /// `None` when the server closed the connection without a status line.
    status: Option<u16>,
    head: String,
    body: String,
    /// Neither an answer nor a closed connection within 5 s.
    hung: bool,
}

impl Raw {
    /// A 4xx, or a connection closed without an answer; never a 5xx or a
    /// hang.
    fn assert_refused(&self, what: &str) {
        assert!(!self.hung, "{what}: the server hung");
        if let Some(status) = self.status {
            assert!((400..500).contains(&status), "{what}: {status}\n{self:?}");
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// Sends `request` byte for byte on a new connection and reads the answer:
/// up to its Content-Length or last chunk, or until the server closes the
/// connection.
async fn raw(app: &TestApp, request: Vec<u8>) -> Raw {
    let address = app.address.trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        // The server may answer and close before it has read everything.
        let _ = stream.write_all(&request);
        let mut answer = Vec::new();
        let mut buffer = [0u8; 8192];
        let hung = loop {
            match stream.read(&mut buffer) {
                Ok(0) => break false,
                Ok(n) => {
                    answer.extend_from_slice(&buffer[..n]);
                    if is_complete(&answer) {
                        break false;
                    }
                }
                Err(e) => {
                    break matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
                }
            }
        };
        parse_raw(&answer, hung)
    })
    .await
    .unwrap()
}

/// Sends the start of a request and goes away.
async fn abandon(app: &TestApp, request: &[u8]) {
    let address = app.address.trim_start_matches("http://").to_string();
    let request = request.to_vec();
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        let _ = stream.write_all(&request);
    })
    .await
    .unwrap();
}

/// Whether `answer` holds a whole response with a known length.
fn is_complete(answer: &[u8]) -> bool {
    let Some(split) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    let body = &answer[split + 4..];
    if head.contains("transfer-encoding: chunked") {
        return body.ends_with(b"0\r\n\r\n");
    }
    head.lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .is_some_and(|length| body.len() >= length)
}

fn parse_raw(answer: &[u8], hung: bool) -> Raw {
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut body = answer.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Raw {
        status,
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
        hung,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok());
        let Some(size) = size.filter(|&s| s > 0) else {
            break;
        };
        let start = end + 2;
        let chunk = data.get(start..start + size).unwrap_or(&data[start..]);
        out.extend_from_slice(chunk);
        data = data.get(start + size + 2..).unwrap_or_default();
    }
    out
}

/// A request line, headers and body, with `Connection: close` and a
/// Content-Length for the body.
fn http(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

// ---------------------------------------------------------------------------
// HTML inspection

/// A start tag as a browser would read it: its name and attributes
/// (names lower-cased, values as written), and where it ends.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    end: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag in `html`, skipping comments, doctypes and end tags.
fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let skip_ws = |mut j: usize| {
        while j < len && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(len, |e| start + e + 3);
            continue;
        }
        let Some(&next) = bytes.get(start + 1) else {
            break;
        };
        if matches!(next, b'!' | b'?' | b'/') {
            i = rest.find('>').map_or(len, |e| start + e + 1);
            continue;
        }
        if !next.is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let mut j = start + 1;
        while j < len && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'>' | b'/') {
            j += 1;
        }
        let name = html[start + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < len && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len || bytes[j] == b'>' {
                break;
            }
            let a = j;
            while j < len
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            if j == a {
                j += 1;
                continue;
            }
            let attr = html[a..j].to_ascii_lowercase();
            let mut value = String::new();
            let k = skip_ws(j);
            if k < len && bytes[k] == b'=' {
                let k = skip_ws(k + 1);
                if k < len && matches!(bytes[k], b'"' | b'\'') {
                    let quote = bytes[k] as char;
                    let close = html[k + 1..].find(quote).map_or(len, |e| k + 1 + e);
                    value = html[k + 1..close].to_string();
                    j = (close + 1).min(len);
                } else {
                    let mut e = k;
                    while e < len && !bytes[e].is_ascii_whitespace() && bytes[e] != b'>' {
                        e += 1;
                    }
                    value = html[k..e].to_string();
                    j = e;
                }
            }
            attrs.push((attr, value));
        }
        let end = (j + 1).min(len);
        out.push(Tag { name, attrs, end });
        i = end;
    }
    out
}

/// Nothing in `html` can run: no typed markup unescaped, no event handler
/// attributes, no inline script or style (the CSP forbids both), no
/// `javascript:` links, and every script is our own file.
fn assert_harmless(html: &str, what: &str) {
    for raw in [
        "<script>alert",
        "<img src=x",
        "<svg onload",
        "<b onclick",
        "</textarea><script",
    ] {
        assert!(!html.contains(raw), "{what}: unescaped {raw:?}");
    }
    for tag in tags(html) {
        for (attr, value) in &tag.attrs {
            assert!(
                !attr.starts_with("on"),
                "{what}: <{} {attr}={value:?}>",
                tag.name
            );
            assert!(attr != "style", "{what}: inline style on <{}>", tag.name);
            assert!(
                !value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:"),
                "{what}: <{} {attr}={value:?}>",
                tag.name
            );
        }
        assert!(
            !matches!(
                tag.name.as_str(),
                "style" | "iframe" | "object" | "embed" | "base" | "img"
            ),
            "{what}: <{}> {:?}",
            tag.name,
            tag.attrs
        );
        if tag.name == "script" {
            let src = tag.attr("src").unwrap_or_default();
            assert!(
                src.starts_with("/static/app.js"),
                "{what}: a script that is not ours: {:?}",
                tag.attrs
            );
            assert!(
                html[tag.end..].starts_with("</script>"),
                "{what}: an inline script body"
            );
        }
    }
}

/// Whether `assert_harmless` rejects `html`.
fn rejected(html: &str) -> bool {
    std::panic::catch_unwind(|| assert_harmless(html, "sample")).is_err()
}

#[test]
fn the_html_checker_catches_what_it_should() {
    let ok = r#"<!DOCTYPE html><html><head><script src="/static/app.js?v=1" defer></script></head><body><p title='a "b"' class=x>&lt;script&gt;alert(1)&lt;/script&gt; ' onmouseover='x</p><input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></body></html>"#;
    assert!(!rejected(ok), "escaped text is fine");
    for bad in [
        "<p>a<script>alert(1)</script></p>",
        r#"<script src="/static/app.js"></script><script>x()</script>"#,
        r#"<script src="https://evil.example/x.js"></script>"#,
        r#"<script src="/static/app.js">x()</script>"#,
        r#"<input value="" onfocus="x" autofocus>"#,
        "<p title='' onmouseover='x'>",
        "<a href=\"JavaScript:alert(1)\">x</a>",
        r#"<p style="color:red">x</p>"#,
        "<style>p{}</style>",
        "<iframe src=/x></iframe>",
        "<div\tonclick=x>",
        "<svg><animate onbegin=alert(1) /></svg>",
    ] {
        assert!(rejected(bad), "{bad}");
    }
    let found = tags(r#"<a href="/x" data-q='it"s' hidden>t</a><br/><img src=x onerror=y>"#);
    let names: Vec<&str> = found.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "br", "img"]);
    assert_eq!(found[0].attr("data-q"), Some("it\"s"));
    assert_eq!(found[0].attr("hidden"), Some(""));
    assert_eq!(found[2].attr("onerror"), Some("y"));
}

// ---------------------------------------------------------------------------
// Markup injection

/// An event whose name, table names and attendees' every answer are
/// markup, with a round running.
struct Hostile {
    app: TestApp,
    /// Joined over the API with markup everywhere.
    a: u64,
    a_cookie: String,
    /// Joined through the form with other markup everywhere.
    b: u64,
    b_cookie: String,
    /// Two ordinary people at the same event.
    c_cookie: String,
    d_cookie: String,
    host: String,
    admin: String,
}

fn profile_a() -> Value {
    json!({
        "name": SCRIPT,
        "work": IMG,
        "interests": [SCRIPT, IMG, ATTR, SVG],
        "ask_me_about": format!("{SCRIPT} {ATTR}"),
        "weird_fact": FACT,
        "spot_me": IMG,
    })
}

const SPOT_B: &str = "' onmouseover='x <script>alert(1)</script>";

async fn hostile_event() -> Hostile {
    let base = spawn_app().await;
    let app = new_event(&base, EVENT_NAME).await;
    let response = app.api_join_raw(&profile_a()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let a = body["id"].as_u64().unwrap();
    let a_cookie = attendee_cookie(&app, body["token"].as_str().unwrap());
    assert!(
        body["review"]["pending"].as_array().unwrap().is_empty(),
        "nothing held for review: {body}"
    );
    let b_cookie = form_join(
        &app,
        &[
            ("name", IMG),
            ("work", SCRIPT),
            ("interests", &format!("{SVG}, {ATTR}")),
            ("ask_me_about", IMG),
            ("weird_fact", SCRIPT),
            ("spot_me", SPOT_B),
        ],
    )
    .await;
    let b = app.me(&token_of(&b_cookie)).await["id"].as_u64().unwrap();
    let c_cookie = form_join(&app, &[("name", "Carol Ng"), ("interests", "maths")]).await;
    let d_cookie = form_join(&app, &[("name", "Dave Oh"), ("interests", "maths")]).await;
    let host = app.host_cookie().await;
    let names = TABLE_NAMES.join("\n");
    let saved = app
        .post_form(
            &format!("/e/{}/host/settings", app.code),
            &[
                ("group_size", "4"),
                ("round_minutes", "10"),
                ("changeover_seconds", "60"),
                ("registration_open", "true"),
                ("table_names", &names),
            ],
            Some(&host),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    app.start_round().await;
    let admin = admin_cookie(&app).await;
    Hostile {
        app,
        a,
        a_cookie,
        b,
        b_cookie,
        c_cookie,
        d_cookie,
        host,
        admin,
    }
}

#[tokio::test]
async fn markup_in_every_text_field_comes_back_escaped_on_every_page() {
    let h = hostile_event().await;
    let app = &h.app;
    let code = &app.code;
    let q_script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let q_img = "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E";
    let (a_cookie, b_cookie, c_cookie, d_cookie) = (
        h.a_cookie.as_str(),
        h.b_cookie.as_str(),
        h.c_cookie.as_str(),
        h.d_cookie.as_str(),
    );
    let (host, admin) = (h.host.as_str(), h.admin.as_str());
    let pages: Vec<(String, Option<&str>)> = vec![
        (format!("/e/{code}"), None),
        (format!("/e/{code}/board"), None),
        (format!("/e/{code}/board?page=2"), None),
        (format!("/e/{code}/me"), Some(a_cookie)),
        (format!("/e/{code}/me"), Some(b_cookie)),
        (format!("/e/{code}/me"), Some(c_cookie)),
        (format!("/e/{code}/me"), Some(d_cookie)),
        (format!("/e/{code}/me/edit"), Some(a_cookie)),
        (format!("/e/{code}/me/edit"), Some(b_cookie)),
        (format!("/e/{code}/host"), Some(host)),
        (format!("/e/{code}/host?q={q_script}"), Some(host)),
        (format!("/e/{code}/host?q={q_img}"), Some(host)),
        (format!("/e/{code}/host?done={q_script}"), Some(host)),
        (format!("/e/{code}/host/attendees/{}", h.a), Some(host)),
        (format!("/e/{code}/host/attendees/{}", h.b), Some(host)),
        (format!("/e/{code}/poster"), None),
        (format!("/e/{code}/signs"), None),
        (format!("/e/{code}/signs?n=3"), None),
        ("/admin".to_string(), Some(admin)),
        (format!("/e/{code}/qr.svg"), None),
    ];
    let mut seen = std::collections::HashMap::new();
    for (path, cookie) in &pages {
        let mut request = app.client.get(app.url(path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", *cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page = response.text().await.unwrap();
        assert_harmless(&page, path);
        seen.insert((path.clone(), cookie.map(str::to_string)), page);
    }
    let page = |path: String, cookie: Option<&str>| -> &String {
        &seen[&(path, cookie.map(str::to_string))]
    };
    // The escaped text is there: each check is not vacuous.
    let join = page(format!("/e/{code}"), None);
    assert!(join.contains(SCRIPT_ESCAPED), "event name and suggestions");
    let board = page(format!("/e/{code}/board"), None);
    assert!(board.contains(SCRIPT_ESCAPED), "A's name on the board");
    assert!(board.contains(TABLE_ESCAPED), "the table name on the board");
    let tables = format!(
        "{}{}",
        page(format!("/e/{code}/me"), Some(c_cookie)),
        page(format!("/e/{code}/me"), Some(d_cookie))
    );
    for escaped in [SCRIPT_ESCAPED, IMG_ESCAPED, "&lt;svg onload=alert(1)&gt;"] {
        assert!(tables.contains(escaped), "group pages show {escaped}");
    }
    assert!(
        tables.contains("&lt;/textarea&gt;&lt;script&gt;"),
        "the weirdest fact in the prompts"
    );
    let edit_b = page(format!("/e/{code}/me/edit"), Some(b_cookie));
    assert!(edit_b.contains(&format!("value=\"{IMG_ESCAPED}\"")));
    let edit_a = page(format!("/e/{code}/me/edit"), Some(a_cookie));
    assert!(edit_a.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)"));
    let search = page(format!("/e/{code}/host?q={q_script}"), Some(host));
    assert!(search.contains(&format!("value=\"{SCRIPT_ESCAPED}\"")));
    let console = page(format!("/e/{code}/host"), Some(host));
    assert!(console.contains(SCRIPT_ESCAPED) && console.contains(IMG_ESCAPED));
    let edit = page(format!("/e/{code}/host/attendees/{}", h.a), Some(host));
    assert!(edit.contains(SCRIPT_ESCAPED) && edit.contains("&lt;/textarea&gt;"));
    let signs = page(format!("/e/{code}/signs?n=3"), None);
    assert!(signs.contains(TABLE_ESCAPED) && signs.contains(SCRIPT_ESCAPED));
    let admin_page = page("/admin".to_string(), Some(admin));
    assert!(admin_page.contains(SCRIPT_ESCAPED));

    // The live streams carry the same escaped HTML.
    let board_events = format!("/e/{code}/board/events");
    let mut stream = EventStream::open(app, &board_events, None, None).await;
    let html = stream.next_html().await;
    assert_harmless(&html, &board_events);
    assert!(html.contains(SCRIPT_ESCAPED) && html.contains(TABLE_ESCAPED));
    let me_events = format!("/e/{code}/me/events");
    let mut stream = EventStream::open(app, &me_events, None, Some(c_cookie)).await;
    let html = stream.next_html().await;
    assert_harmless(&html, &me_events);
    let host_events = format!("/e/{code}/host/events");
    let mut stream = EventStream::open(app, &host_events, None, Some(host)).await;
    let html = stream.next_html().await;
    assert_harmless(&html, &host_events);
    assert!(html.contains(SCRIPT_ESCAPED));
    assert_alive(app).await;
}

#[tokio::test]
async fn markup_in_refused_answers_comes_back_escaped_in_the_form() {
    let h = hostile_event().await;
    let app = &h.app;
    let code = &app.code;
    let too_long = format!("{SCRIPT}{}", "x".repeat(300));
    // The join form, with every field kept as typed.
    for key in TEXT_FIELDS {
        let mut form = form_with(key, &too_long);
        form.push(("bogus", SCRIPT));
        let response = app.join_form(&form).await;
        let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, key).await;
        assert!(page.contains(SCRIPT_ESCAPED), "{key} kept, escaped");
    }
    let response = app
        .join_form(&[("name", ""), ("interests", IMG), ("weird_fact", FACT)])
        .await;
    let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "empty name").await;
    assert!(page.contains(IMG_ESCAPED));
    // My answers, edited badly.
    let response = app
        .post_form(
            &format!("/e/{code}/me/edit"),
            &[
                ("name", &too_long),
                ("interests", IMG),
                ("weird_fact", FACT),
            ],
            Some(&h.c_cookie),
        )
        .await;
    let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "me/edit").await;
    assert!(page.contains(SCRIPT_ESCAPED) && page.contains(IMG_ESCAPED));
    // The organizer's edit of someone, refused.
    let response = app
        .post_form(
            &format!("/e/{code}/host/attendees/{}", h.b),
            &[("name", &too_long), ("work", IMG), ("weird_fact", FACT)],
            Some(&h.host),
        )
        .await;
    let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "host edit").await;
    assert!(page.contains(SCRIPT_ESCAPED));
    // A new event whose name and numbers are refused.
    let response = app
        .post_form(
            "/admin/events",
            &[
                ("name", &too_long),
                ("group_size", IMG),
                ("round_minutes", SVG),
            ],
            Some(&h.admin),
        )
        .await;
    let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "admin create").await;
    assert!(page.contains(SCRIPT_ESCAPED) && page.contains(IMG_ESCAPED));
    // Settings refused: the console comes back, still harmless.
    let response = app
        .post_form(
            &format!("/e/{code}/host/settings"),
            &[("group_size", SCRIPT), ("registration_open", "true")],
            Some(&h.host),
        )
        .await;
    page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "settings").await;
    // What was stored is unchanged.
    let me = app.me(&token_of(&h.b_cookie)).await;
    assert_eq!(me["name"], IMG);
    assert_eq!(app.board().await["attendee_count"], 4);
    assert_alive(app).await;
}

#[tokio::test]
async fn markup_in_codes_queries_and_paths_is_never_reflected_raw() {
    let app = spawn_app().await;
    let host = app.host_cookie().await;
    let code = &app.code;
    let script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let img = "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E";
    for (path, cookie) in [
        (format!("/?code={script}"), None),
        (format!("/?code={img}"), None),
        (format!("/e/{script}"), None),
        (format!("/e/{img}/board"), None),
        (format!("/e/{script}/me"), None),
        (format!("/e/{code}/board?page={script}"), None),
        (format!("/e/{code}/signs?n={script}"), None),
        (format!("/e/{code}/host/attendees/{script}"), Some(&host)),
        (format!("/e/{code}/host?q={img}&q=2"), Some(&host)),
        (format!("/admin?token={script}"), None),
        (format!("/{script}"), None),
        (format!("/static/{img}"), None),
    ] {
        let mut request = app.client.get(app.url(&path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(
            status.is_client_error() || status == StatusCode::OK,
            "{path}: {status}"
        );
        let page = response.text().await.unwrap();
        assert_harmless(&page, &path);
    }
    for path in [
        format!("/api/events/{script}/board"),
        format!("/api/{script}"),
        format!("/e/{script}/board/events"),
    ] {
        let response = app.get(&path).await;
        let body = api_error(response, StatusCode::NOT_FOUND, &path).await;
        assert!(!body.to_string().contains("<script>"), "{path}: {body}");
    }
    assert_alive(&app).await;
}

#[tokio::test]
async fn hostile_text_is_returned_exactly_as_json() {
    let h = hostile_event().await;
    let app = &h.app;
    let board = app.get(&format!("/api/events/{}/board", app.code)).await;
    assert_eq!(header(&board, "content-type"), "application/json");
    assert_eq!(header(&board, "x-content-type-options"), "nosniff");
    let board: Value = board.json().await.unwrap();
    assert_eq!(board["event"]["name"], EVENT_NAME);
    let names: Vec<&str> = board["round"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["members"].as_array().unwrap())
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&SCRIPT) && names.contains(&IMG), "{names:?}");

    // Group members as an ordinary attendee's phone gets them.
    let mut found_a = false;
    for cookie in [&h.c_cookie, &h.d_cookie] {
        let me = app.me(&token_of(cookie)).await;
        let members = me["group"]["members"].as_array().unwrap().clone();
        if let Some(a) = members.iter().find(|m| m["id"] == h.a) {
            found_a = true;
            assert_eq!(a["name"], SCRIPT);
            assert_eq!(a["work"], IMG);
            assert_eq!(a["interests"], json!([SCRIPT, IMG, ATTR, SVG]));
            assert_eq!(a["ask_me_about"], format!("{SCRIPT} {ATTR}"));
            assert_eq!(a["spot_me"], IMG);
            let prompts = me["group"]["prompts"].to_string();
            assert!(prompts.contains("<script>alert(1)</script>"), "{prompts}");
        }
    }
    assert!(found_a, "A sits with C or D");
    let b = app.me(&token_of(&h.b_cookie)).await;
    assert_eq!(b["name"], IMG);
    assert_eq!(b["work"], SCRIPT);
    assert_eq!(b["interests"], json!([SVG, ATTR]));
    assert_eq!(b["spot_me"], SPOT_B);
    assert_eq!(b["event"]["name"], EVENT_NAME);

    // The organizer's export, and the admin's list.
    let export = app
        .client
        .get(app.url(&format!("/api/events/{}/export?format=json", app.code)))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&export, "content-type"), "application/json");
    let export: Value = export.json().await.unwrap();
    assert_eq!(export["event"]["name"], EVENT_NAME);
    let a = export["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == h.a)
        .unwrap();
    for (key, value) in profile_a().as_object().unwrap() {
        assert_eq!(&a[key], value, "{key}");
    }
    assert_eq!(export["rounds"][0]["tables"][0]["name"], TABLE_NAMES[0]);
    let list = app
        .client
        .get(app.url("/api/events"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let list: Value = list.json().await.unwrap();
    assert!(
        list["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == EVENT_NAME)
    );
    assert_eq!(settings(app).await["table_names"], json!(TABLE_NAMES));
    assert_alive(app).await;
}

// ---------------------------------------------------------------------------
// CSV formula injection

/// Whether a spreadsheet would run `cell` as a formula.
fn is_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

async fn csv_rows(app: &TestApp, query: &str) -> Vec<Vec<String>> {
    let response = app
        .client
        .get(app.url(&format!("/api/events/{}/export?{query}", app.code)))
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let body = response.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn csv_exports_defuse_formulas_in_every_cell() {
    let app = spawn_app().await;
    let formulas = [
        "=HYPERLINK(\"http://x.io\")",
        "+SUM(1,2)",
        "-2+3",
        "@SUM(A1)",
        "=1+1",
        "=cmd|' /C calc'!A0",
    ];
    let mut ids = Vec::new();
    for (i, f) in formulas.iter().enumerate() {
        let body = json!({
            "name": f,
            "work": formulas[(i + 1) % formulas.len()],
            "interests": [formulas[(i + 2) % formulas.len()], "maths"],
            "ask_me_about": formulas[(i + 3) % formulas.len()],
            "weird_fact": format!("{}\n=2+2", formulas[(i + 4) % formulas.len()]),
            "spot_me": formulas[(i + 5) % formulas.len()],
        });
        let response = app.api_join_raw(&body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{body}");
        ids.push(response.json::<Value>().await.unwrap()["id"].clone());
    }
    // Leading spaces are trimmed before the check, not after.
    let response = app
        .api_join_raw(&json!({"name": "  =1+1", "interests": ["  @x"], "work": "\u{a0}=2"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // Formulas that arrive by the other doors: an edit, the organizer's
    // edit, table names.
    let token = app.join("Ada", &["maths"]).await.token;
    let patched = app
        .patch_me(&token, &json!({"name": "=IMPORTXML(1)", "work": "+1"}))
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let host = app.host_cookie().await;
    let edited = app
        .post_form(
            &format!("/e/{}/host/attendees/0", app.code),
            &[("name", "-1+1"), ("work", "@A1"), ("weird_fact", "=A1")],
            Some(&host),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let names = app
        .patch_event_as(
            &app.host_key,
            &json!({"table_names": ["=1+1", "+A1", "-A1", "@A1"], "group_size": 2}),
        )
        .await;
    assert_eq!(names.status(), StatusCode::OK);
    app.start_round().await;

    for query in ["format=csv", "format=csv&what=rounds"] {
        let rows = csv_rows(&app, query).await;
        assert!(rows.len() > 4, "{query}: {rows:?}");
        for row in &rows {
            for cell in row {
                assert!(!is_formula(cell), "{query}: a live formula {cell:?}");
            }
        }
        let text: Vec<&String> = rows.iter().flatten().collect();
        assert!(
            text.iter().any(|c| c.as_str() == "'=1+1"),
            "{query}: defused by a leading apostrophe"
        );
    }
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Text rules

const CONTROLS: [&str; 8] = [
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{c}",
];

#[tokio::test]
async fn control_characters_are_refused_in_every_field() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = app.me(&ada.token).await;
    let host = app.host_cookie().await;
    for ctl in CONTROLS {
        let text = format!("A{ctl}B");
        for key in TEXT_FIELDS {
            let value = if key == "interests" {
                json!(["maths", text])
            } else {
                json!(text)
            };
            let what = format!("{key} with {ctl:?}");
            let body = api_error(
                app.api_join_raw(&profile_with(key, value.clone())).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                &what,
            )
            .await;
            let message = body["fields"][key].as_str().unwrap_or_default();
            assert!(message.contains("control"), "{what}: {body}");
            api_error(
                app.patch_me(&ada.token, &json!({ key: value })).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("PATCH {what}"),
            )
            .await;
            let form_value = if key == "interests" {
                format!("maths, {text}")
            } else {
                text.clone()
            };
            let response = app.join_form(&form_with(key, &form_value)).await;
            let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
            assert!(page.contains("control characters"), "form {what}");
        }
        // The organizer's edits, the event name and table names follow the
        // same rule.
        for key in ["name", "work", "weird_fact"] {
            let response = app
                .post_form(
                    &format!("/e/{}/host/attendees/{}", app.code, ada.id),
                    &[(key, &text)],
                    Some(&host),
                )
                .await;
            page_error(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("host edit {key} {ctl:?}"),
            )
            .await;
        }
        let response = app
            .client
            .post(app.url("/api/events"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({ "name": text }))
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, "event name").await;
        let response = app
            .patch_event_as(&app.host_key, &json!({ "table_names": [text] }))
            .await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, "table name").await;
    }
    // Line breaks are allowed in the fact only.
    for key in ["name", "work", "ask_me_about", "spot_me"] {
        let response = app.api_join_raw(&profile_with(key, json!("A\nB"))).await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, key).await;
    }
    assert_eq!(app.me(&ada.token).await, before, "nothing changed");
    assert_eq!(app.board().await["attendee_count"], 1);
    assert_eq!(event_count(&app).await, 1);
    assert_alive(&app).await;
}

/// Bidirectional formatting characters: overrides, embeddings, isolates
/// and marks.
const BIDI: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

#[tokio::test]
async fn bidi_controls_are_refused_or_stripped() {
    let app = spawn_app().await;
    for bidi in BIDI {
        let text = format!("Ada{bidi}ecalevol");
        for key in TEXT_FIELDS {
            let value = if key == "interests" {
                json!([text])
            } else {
                json!(text)
            };
            let response = app.api_join_raw(&profile_with(key, value)).await;
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            let what = format!("{key} with U+{:04X}", u32::from(bidi));
            match status {
                StatusCode::UNPROCESSABLE_ENTITY => {
                    assert!(body["fields"][key].is_string(), "{what}: {body}");
                }
                StatusCode::CREATED => {
                    assert!(!body.to_string().contains(bidi), "{what}: stored as is");
                }
                other => panic!("{what}: {other}"),
            }
        }
        let response = app
            .patch_event_as(&app.host_key, &json!({ "table_names": [text] }))
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || !body.to_string().contains(bidi),
            "table name with U+{:04X}: {status} {body}",
            u32::from(bidi)
        );
        let response = app
            .client
            .post(app.url("/api/events"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({ "name": text }))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || !body.to_string().contains(bidi),
            "event name with U+{:04X}: {status} {body}",
            u32::from(bidi)
        );
    }
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert!(
        !board.contains(BIDI),
        "the board never carries bidi controls"
    );
}

/// Characters that show nothing.
const INVISIBLE: [&str; 6] = [
    "\u{200B}",
    "\u{200B}\u{200C}\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{AD}",
    "\u{200B} \u{FEFF}",
];

#[tokio::test]
async fn names_made_only_of_invisible_characters_are_refused() {
    let app = spawn_app().await;
    for blank in INVISIBLE {
        let what = format!("{blank:?}");
        let response = app.api_join_raw(&profile_with("name", json!(blank))).await;
        let body = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        assert!(body["fields"]["name"].is_string(), "{what}: {body}");
        let response = app
            .api_join_raw(&profile_with("interests", json!([blank])))
            .await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        let response = app.join_form(&form_with("name", blank)).await;
        page_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
    }
    assert_eq!(app.board().await["attendee_count"], 0);
}

#[tokio::test]
async fn zero_width_combining_and_odd_unicode_never_break_a_page() {
    let app = spawn_app().await;
    let zalgo = format!("Z{}", "\u{301}\u{316}\u{35c}".repeat(13));
    let odd = [
        "Ada\u{200B}Lovelace",
        "A\u{200D}da",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
        zalgo.as_str(),
        "\u{FFFD}\u{FFFF}\u{10FFFF}",
        "\u{E000}private",
        "\u{1D54F}\u{1D56A}",
        "\u{3164}",
        "\u{2028}Ada\u{2029}",
    ];
    let mut joined: usize = 0;
    for text in odd {
        let body = json!({"name": text, "interests": [text, "maths"], "weird_fact": text});
        let response = app.api_join_raw(&body).await;
        let status = response.status();
        let answer: Value = response.json().await.unwrap();
        match status {
            StatusCode::CREATED => {
                joined += 1;
                let me = app.me(answer["token"].as_str().unwrap()).await;
                assert_eq!(me["name"].as_str(), Some(text.trim()), "{text:?}");
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert!(answer["error"].is_string());
            }
            other => panic!("{text:?}: {other}"),
        }
    }
    app.join("Grace", &["maths"]).await;
    app.start_round().await;
    assert_eq!(app.board().await["attendee_count"], joined + 1);
    for path in [format!("/e/{}/board", app.code), format!("/e/{}", app.code)] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_harmless(&response.text().await.unwrap(), &path);
    }
    let rows = csv_rows(&app, "format=csv").await;
    assert_eq!(rows.len(), joined + 2);
    assert_alive(&app).await;
}

#[tokio::test]
async fn ten_thousand_emoji_are_refused_by_size_or_length() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = app.me(&ada.token).await;
    let host = app.host_cookie().await;
    let flood = "\u{1F600}".repeat(10_000);
    let many = "\u{1F600}".repeat(3_000);
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}".repeat(6);
    // Over the body limit: 413, whatever the field.
    for key in TEXT_FIELDS {
        let value = if key == "interests" {
            json!([flood])
        } else {
            json!(flood)
        };
        let response = app.api_join_raw(&profile_with(key, value.clone())).await;
        api_error(response, StatusCode::PAYLOAD_TOO_LARGE, key).await;
        let response = app.patch_me(&ada.token, &json!({ key: value })).await;
        api_error(response, StatusCode::PAYLOAD_TOO_LARGE, key).await;
        let response = app.join_form(&form_with(key, &flood)).await;
        let page = page_error(response, StatusCode::BAD_REQUEST, key).await;
        assert!(page.contains("too long"), "{key}");
    }
    // Under the body limit, over the field's: 422 with the count.
    for key in TEXT_FIELDS {
        let value = if key == "interests" {
            json!([many])
        } else {
            json!(many)
        };
        let response = app.api_join_raw(&profile_with(key, value)).await;
        let body = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, key).await;
        let message = body["fields"][key].as_str().unwrap();
        assert!(message.contains("3000 characters"), "{key}: {message}");
    }
    let thousand = "\u{1F600}".repeat(1_000);
    let response = app.join_form(&form_with("name", &thousand)).await;
    let page = page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "form").await;
    assert!(page.contains("1000 characters"));
    let response = app.api_join_raw(&profile_with("name", json!(family))).await;
    api_error(response, StatusCode::UNPROCESSABLE_ENTITY, "ZWJ families").await;
    // The organizer's and the admin's doors.
    let response = app
        .post_form(
            &format!("/e/{}/host/attendees/{}", app.code, ada.id),
            &[("name", &flood)],
            Some(&host),
        )
        .await;
    page_error(response, StatusCode::BAD_REQUEST, "host edit").await;
    let response = app
        .post_form(
            &format!("/e/{}/host/attendees/{}", app.code, ada.id),
            &[("name", &thousand)],
            Some(&host),
        )
        .await;
    page_error(response, StatusCode::UNPROCESSABLE_ENTITY, "host edit").await;
    for (name, status) in [
        (&flood, StatusCode::PAYLOAD_TOO_LARGE),
        (&many, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let response = app
            .client
            .post(app.url("/api/events"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({ "name": name }))
            .send()
            .await
            .unwrap();
        api_error(response, status, "event name").await;
        let response = app
            .patch_event_as(&app.host_key, &json!({ "table_names": [name] }))
            .await;
        api_error(response, status, "table name").await;
    }
    assert_eq!(app.me(&ada.token).await, before);
    assert_eq!(app.board().await["attendee_count"], 1);
    assert_eq!(event_count(&app).await, 1);
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Bodies

/// The JSON routes, each with a credential that passes.
fn json_routes(app: &TestApp, token: &str) -> Vec<(&'static str, String, String)> {
    let code = &app.code;
    vec![
        ("POST", "/api/events".to_string(), ADMIN_TOKEN.to_string()),
        ("PATCH", format!("/api/events/{code}"), app.host_key.clone()),
        (
            "POST",
            format!("/api/events/{code}/attendees"),
            String::new(),
        ),
        (
            "PATCH",
            format!("/api/events/{code}/attendees/me"),
            token.to_string(),
        ),
    ]
}

async fn send_json_body(
    app: &TestApp,
    method: &str,
    path: &str,
    bearer: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = request(app, method, path)
        .header("Content-Type", "application/json")
        .body(body);
    if !bearer.is_empty() {
        request = request.bearer_auth(bearer);
    }
    request.send().await.unwrap()
}

/// Everything the hostile tests could have changed, to compare before and
/// after.
async fn stored(app: &TestApp, token: &str) -> (Value, Value, Value, usize) {
    (
        app.board().await,
        app.me(token).await,
        settings(app).await,
        event_count(app).await,
    )
}

#[tokio::test]
async fn bodies_over_16_kb_get_413_json_on_the_api_and_a_page_on_forms() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let host = app.host_cookie().await;
    let admin = admin_cookie(&app).await;
    let before = stored(&app, &ada.token).await;
    let over = format!("{{\"name\":\"{}\"}}", "x".repeat(17 * 1024)).into_bytes();
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(2 << 20)).into_bytes();
    for (method, path, bearer) in json_routes(&app, &ada.token) {
        let what = format!("{method} {path}");
        let response = send_json_body(&app, method, &path, &bearer, over.clone()).await;
        let body = api_error(response, StatusCode::PAYLOAD_TOO_LARGE, &what).await;
        assert!(body["error"].as_str().unwrap().contains("16384"), "{body}");
        // JSON nested 10,000 deep is over the limit before it is parsed.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
        let response = send_json_body(&app, method, &path, &bearer, deep).await;
        api_error(response, StatusCode::PAYLOAD_TOO_LARGE, &what).await;
        // 2 MB: a 413, or the connection closed early; never a hang.
        let mut headers = vec![("Content-Type", "application/json")];
        let auth = format!("Bearer {bearer}");
        if !bearer.is_empty() {
            headers.push(("Authorization", &auth));
        }
        let answer = raw(&app, http(method, &path, &headers, &huge)).await;
        answer.assert_refused(&what);
        // A Content-Length that promises too much is refused up front.
        let liar = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Length: 100000000\r\n\r\n{{}}"
        );
        let answer = raw(&app, liar.into_bytes()).await;
        answer.assert_refused(&format!("{what} lying length"));
        // Chunked, with no length up front.
        let mut chunked = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .into_bytes();
        for piece in over.chunks(4096) {
            chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            chunked.extend_from_slice(piece);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let answer = raw(&app, chunked).await;
        assert_eq!(answer.status, Some(413), "{what} chunked: {answer:?}");
        let body: Value = serde_json::from_str(&answer.body).unwrap();
        assert!(body["error"].is_string());
    }
    let big = "z".repeat(20 * 1024);
    let code = &app.code;
    for (path, cookie) in [
        (format!("/e/{code}"), None),
        (format!("/e/{code}/me/edit"), Some(&cookie)),
        (format!("/e/{code}/host/settings"), Some(&host)),
        (format!("/e/{code}/host/attendees/0"), Some(&host)),
        (format!("/e/{code}/host/rounds"), Some(&host)),
        (format!("/e/{code}/host/end-event"), Some(&host)),
        ("/admin/events".to_string(), Some(&admin)),
        (format!("/admin/events/{code}/delete"), Some(&admin)),
    ] {
        let response = app
            .post_form(
                &path,
                &[("name", big.as_str()), ("confirm", "yes")],
                cookie.map(String::as_str),
            )
            .await;
        let page = page_error(response, StatusCode::BAD_REQUEST, &path).await;
        assert!(page.contains("too long"), "{path}");
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn large_bodies_on_routes_that_take_none_are_ignored_safely() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let code = &app.code;
    let before = stored(&app, &ada.token).await;
    let junk = vec![b'{'; 1 << 20];
    let forged = format!("Bearer {}", "0".repeat(32));
    for (method, path) in [
        ("POST", format!("/api/events/{code}/rounds")),
        ("POST", format!("/api/events/{code}/end")),
        ("POST", format!("/api/events/{code}/round/pause")),
        ("POST", format!("/api/events/{code}/attendees/0/hide")),
        ("DELETE", format!("/api/events/{code}/attendees/0")),
        ("DELETE", format!("/api/events/{code}")),
        ("GET", format!("/api/events/{code}/board")),
        ("GET", "/healthz".to_string()),
        ("POST", format!("/e/{code}/host/remove/0")),
        ("POST", format!("/e/{code}/host/round/end")),
        ("POST", format!("/e/{code}/me/leave")),
    ] {
        let answer = raw(
            &app,
            http(method, &path, &[("Authorization", &forged)], &junk),
        )
        .await;
        assert!(!answer.hung, "{method} {path}");
        if let Some(status) = answer.status {
            assert!(status < 500, "{method} {path}: {status}");
        }
        assert_alive(&app).await;
    }
    // A forged cookie on the phone's buttons changes nothing either.
    let forged_cookie = format!("ib_a_{code}={}", "0".repeat(32));
    let response = app
        .post_form(&format!("/e/{code}/me/leave"), &[], Some(&forged_cookie))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/e/{code}"));
    assert_eq!(app.me(&token_of(&cookie)).await["status"], "present");
    assert_eq!(stored(&app, &ada.token).await, before);
}

/// Bodies no JSON route can read: 400.
fn unreadable_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let deep_array = format!("{}{}", "[".repeat(3000), "]".repeat(3000));
    let deep_object = format!("{}1{}", "{\"name\":".repeat(1000), "}".repeat(1000));
    let deep_field = format!("{{\"name\":{}{}}}", "[".repeat(3000), "]".repeat(3000));
    let mut utf16 = vec![0xff, 0xfe];
    for unit in "{\"name\":\"Ada\"}".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    vec![
        ("invalid UTF-8", b"{\"name\":\"\xff\xfe\"}".to_vec()),
        ("overlong UTF-8", b"{\"name\":\"\xc0\xaf\"}".to_vec()),
        ("UTF-8 surrogate", b"{\"name\":\"\xed\xa0\x80\"}".to_vec()),
        ("lone surrogate escape", b"{\"name\":\"\\ud800\"}".to_vec()),
        ("UTF-16", utf16),
        ("byte order mark", b"\xef\xbb\xbf{}".to_vec()),
        ("NUL", b"\x00".to_vec()),
        ("array", b"[]".to_vec()),
        ("string", b"\"Ada\"".to_vec()),
        ("number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("unclosed", b"{".to_vec()),
        ("trailing comma", b"{\"name\":\"Ada\",}".to_vec()),
        ("single quotes", b"{'name':'Ada'}".to_vec()),
        ("two objects", b"{} {}".to_vec()),
        ("comment", b"{/* hi */}".to_vec()),
        ("NaN", b"{\"group_size\": NaN}".to_vec()),
        ("Infinity", b"{\"group_size\": Infinity}".to_vec()),
        ("huge exponent", b"{\"group_size\": 1e999}".to_vec()),
        ("nested arrays", deep_array.into_bytes()),
        ("nested objects", deep_object.into_bytes()),
        ("nested field", deep_field.into_bytes()),
        ("form", b"name=Ada&interests=maths".to_vec()),
        ("bad escape", b"{\"name\":\"\\x41\"}".to_vec()),
        ("raw newline in string", b"{\"name\":\"A\nB\"}".to_vec()),
    ]
}

#[tokio::test]
async fn unreadable_json_gets_400_json_on_every_json_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    for (method, path, bearer) in json_routes(&app, &ada.token) {
        for (label, body) in unreadable_bodies() {
            let what = format!("{method} {path} with {label}");
            let response = send_json_body(&app, method, &path, &bearer, body).await;
            api_error(response, StatusCode::BAD_REQUEST, &what).await;
        }
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn wrong_types_get_422_naming_the_field_on_every_json_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let code = app.code.clone();
    let wrong_profile = || {
        vec![
            ("name", json!(5)),
            ("name", json!(true)),
            ("name", json!([])),
            ("name", json!({"first": "Ada"})),
            ("name", json!(["Ada"])),
            ("work", json!(1.5)),
            ("work", json!(-0)),
            ("interests", json!(5)),
            ("interests", json!([1])),
            ("interests", json!([null])),
            ("interests", json!([["maths"]])),
            ("interests", json!({"0": "maths"})),
            ("interests", json!(true)),
            ("ask_me_about", json!(false)),
            ("weird_fact", json!(["x"])),
            ("spot_me", json!({"x": 1})),
        ]
    };
    let mut cases: Vec<(&str, String, String, Value, &str)> = Vec::new();
    for (key, value) in wrong_profile() {
        cases.push((
            "POST",
            format!("/api/events/{code}/attendees"),
            String::new(),
            profile_with(key, value.clone()),
            key,
        ));
        cases.push((
            "PATCH",
            format!("/api/events/{code}/attendees/me"),
            ada.token.clone(),
            json!({ key: value }),
            key,
        ));
    }
    for value in [json!("yes"), json!(1), json!([]), json!({})] {
        cases.push((
            "PATCH",
            format!("/api/events/{code}/attendees/me"),
            ada.token.clone(),
            json!({ "present": value }),
            "present",
        ));
    }
    for (key, value) in [
        ("group_size", json!("4")),
        ("group_size", json!(4.5)),
        ("group_size", json!(4.0)),
        ("group_size", json!(-1)),
        ("group_size", json!(1)),
        ("group_size", json!(13)),
        ("group_size", json!(u64::MAX)),
        ("group_size", json!(i64::MIN)),
        ("group_size", json!(1e300)),
        ("round_minutes", json!(0)),
        ("round_minutes", json!(181)),
        ("round_minutes", json!(4_294_967_306_u64)),
        ("changeover_seconds", json!(9)),
        ("changeover_seconds", json!(901)),
        ("registration_open", json!("true")),
        ("registration_open", json!(1)),
        ("auto_rotate", json!("false")),
        ("facts_need_approval", json!([true])),
        ("table_names", json!(5)),
        ("table_names", json!([1])),
        ("table_names", json!({"1": "Window"})),
    ] {
        cases.push((
            "PATCH",
            format!("/api/events/{code}"),
            app.host_key.clone(),
            json!({ key: value }),
            key,
        ));
    }
    // Values of the right type the settings refuse.
    let many_names: Vec<String> = (0..501).map(|i| format!("T{i}")).collect();
    for value in [
        json!([""]),
        json!(["   "]),
        json!(["x".repeat(25)]),
        json!(many_names),
    ] {
        cases.push((
            "PATCH",
            format!("/api/events/{code}"),
            app.host_key.clone(),
            json!({ "table_names": value }),
            "settings",
        ));
    }
    for (key, value) in [
        ("name", json!(5)),
        ("name", json!("")),
        ("name", json!("   ")),
        ("name", json!(["Night"])),
        ("group_size", json!("4")),
        ("group_size", json!(1)),
        ("group_size", json!(1e3)),
        ("round_minutes", json!(0)),
        ("round_minutes", json!(-10)),
    ] {
        let mut body = json!({"name": "Night"});
        body[key] = value;
        cases.push(("POST", "/api/events".into(), ADMIN_TOKEN.into(), body, key));
    }
    for (method, path, bearer, body, key) in cases {
        let what = format!("{method} {path} {body}");
        let response = send_json_body(
            &app,
            method,
            &path,
            &bearer,
            serde_json::to_vec(&body).unwrap(),
        )
        .await;
        let answer = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        assert!(
            answer["fields"][key]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}: {answer}"
        );
    }
    // Numbers too big for any integer type arrive as text.
    for body in [
        "{\"group_size\": 18446744073709551616}",
        "{\"group_size\": 99999999999999999999999999999999}",
        "{\"round_minutes\": -99999999999999999999999999999999}",
        "{\"changeover_seconds\": 1e308}",
    ] {
        let response = send_json_body(
            &app,
            "PATCH",
            &format!("/api/events/{code}"),
            &app.host_key,
            body.into(),
        )
        .await;
        api_error(response, StatusCode::UNPROCESSABLE_ENTITY, body).await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn missing_extra_and_null_fields_are_reported_and_change_nothing() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let code = app.code.clone();
    let join = format!("/api/events/{code}/attendees");
    let me = format!("/api/events/{code}/attendees/me");
    let event = format!("/api/events/{code}");
    let long_key = "k".repeat(10_000);
    let cases: Vec<(&str, &str, &str, Value, Vec<&str>)> = vec![
        ("POST", &join, "", json!({}), vec!["name", "interests"]),
        ("POST", &join, "", json!({"name": "Ada"}), vec!["interests"]),
        (
            "POST",
            &join,
            "",
            json!({"interests": ["maths"]}),
            vec!["name"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": null, "work": null, "interests": null, "ask_me_about": null, "weird_fact": null, "spot_me": null}),
            vec!["name", "interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": []}),
            vec!["interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["", " ", ",,"]}),
            vec!["interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": "  ,  , "}),
            vec!["interests"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "id": 0}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "token": ada.token}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "status": "removed"}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "present": false}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "__proto__": {"admin": true}}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], "Name": "Eve"}),
            vec!["unknown"],
        ),
        (
            "POST",
            &join,
            "",
            json!({"name": "Ada", "interests": ["m"], long_key.as_str(): 1}),
            vec!["unknown"],
        ),
        ("PATCH", &me, &ada.token, json!({"id": 7}), vec!["unknown"]),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"token": "0".repeat(32)}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"status": "removed"}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"review": {"pending": []}}),
            vec!["unknown"],
        ),
        ("PATCH", &me, &ada.token, json!({"name": ""}), vec!["name"]),
        (
            "PATCH",
            &me,
            &ada.token,
            json!({"interests": []}),
            vec!["interests"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"max_attendees": 1}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"host_key": "0".repeat(32)}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"code": "ZZZZZ"}),
            vec!["unknown"],
        ),
        (
            "PATCH",
            &event,
            &app.host_key,
            json!({"name": "Renamed"}),
            vec!["unknown"],
        ),
        ("POST", "/api/events", ADMIN_TOKEN, json!({}), vec!["name"]),
        (
            "POST",
            "/api/events",
            ADMIN_TOKEN,
            json!({"name": "N", "host_key": "0".repeat(32)}),
            vec!["unknown"],
        ),
        (
            "POST",
            "/api/events",
            ADMIN_TOKEN,
            json!({"name": "N", "max_attendees": 1_000_000_000}),
            vec!["unknown"],
        ),
        (
            "POST",
            "/api/events",
            ADMIN_TOKEN,
            json!({"name": "N", "code": "AAAAA"}),
            vec!["unknown"],
        ),
    ];
    for (method, path, bearer, body, keys) in cases {
        let what = format!(
            "{method} {path} {}",
            body.to_string().chars().take(200).collect::<String>()
        );
        let response = send_json_body(
            &app,
            method,
            path,
            bearer,
            serde_json::to_vec(&body).unwrap(),
        )
        .await;
        let answer = api_error(response, StatusCode::UNPROCESSABLE_ENTITY, &what).await;
        for key in keys {
            assert!(answer["fields"][key].is_string(), "{what}: {answer}");
        }
        assert!(
            answer.to_string().len() < 1000,
            "{what}: the answer does not echo the whole body"
        );
    }
    // Nulls and an empty body change nothing and are fine.
    for body in [json!({}), json!({"name": null, "present": null})] {
        let response = app.patch_me(&ada.token, &body).await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
    }
    let empty = send_json_body(&app, "PATCH", &me, &ada.token, b"  \n ".to_vec()).await;
    assert_eq!(empty.status(), StatusCode::OK);
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Paths

#[tokio::test]
async fn path_traversal_never_serves_a_file() {
    let app = spawn_app().await;
    let code = &app.code;
    let attempts = [
        "/static/../Cargo.toml".to_string(),
        "/static/../../../../../../etc/passwd".to_string(),
        "/static/..%2fCargo.toml".to_string(),
        "/static/..%2FCargo.toml".to_string(),
        "/static/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        "/static/%252e%252e/%252e%252e/etc/passwd".to_string(),
        "/static/style.css/../../Cargo.toml".to_string(),
        "/static/style.css/..%2f..%2fCargo.toml".to_string(),
        "/static/app.js%00.css".to_string(),
        "/static/..\\..\\Cargo.toml".to_string(),
        "/static/..%5c..%5cCargo.toml".to_string(),
        "/static/....//....//etc/passwd".to_string(),
        "/static/%c0%ae%c0%ae/etc/passwd".to_string(),
        "/static//etc/passwd".to_string(),
        "/static/src/main.rs".to_string(),
        "/static/".to_string(),
        "/static".to_string(),
        "/../../../../etc/passwd".to_string(),
        "//etc/passwd".to_string(),
        "/Cargo.toml".to_string(),
        "/src/main.rs".to_string(),
        "/.git/config".to_string(),
        "/.env".to_string(),
        format!("/e/{code}/../../Cargo.toml"),
        "/e/..%2f..%2fetc%2fpasswd/qr.svg".to_string(),
        "/e/%2e%2e/board".to_string(),
        "/api/events/..%2f..%2fCargo.toml/board".to_string(),
    ];
    for path in &attempts {
        let answer = raw(&app, http("GET", path, &[], b"")).await;
        assert!(!answer.hung, "{path}");
        let status = answer.status.unwrap_or_else(|| panic!("{path}: no answer"));
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        for secret in ["[package]", "[dependencies]", "root:", "fn main", "[core]"] {
            assert!(!answer.body.contains(secret), "{path}: {secret} leaked");
        }
        assert!(!answer.body.is_empty(), "{path}: a message");
        if path.starts_with("/api/") {
            let body: Value = serde_json::from_str(&answer.body).unwrap();
            assert!(body["error"].is_string(), "{path}");
        }
    }
    // The real files are still served, and only those.
    let css = raw(&app, http("GET", "/static/style.css", &[], b"")).await;
    assert_eq!(css.status, Some(200));
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Credentials

/// Every API route that needs a credential: method, path, body, and
/// whose credential it needs.
fn credential_routes(
    app: &TestApp,
    other_code: &str,
) -> Vec<(&'static str, String, &'static str, &'static str)> {
    let c = &app.code;
    vec![
        (
            "PATCH",
            format!("/api/events/{c}"),
            "{\"group_size\":3}",
            "host",
        ),
        ("POST", format!("/api/events/{c}/rounds"), "", "host"),
        ("POST", format!("/api/events/{c}/round/pause"), "", "host"),
        ("POST", format!("/api/events/{c}/round/end"), "", "host"),
        ("DELETE", format!("/api/events/{c}/attendees/0"), "", "host"),
        (
            "POST",
            format!("/api/events/{c}/attendees/0/hide"),
            "",
            "host",
        ),
        (
            "POST",
            format!("/api/events/{c}/attendees/0/approve"),
            "",
            "host",
        ),
        (
            "GET",
            format!("/api/events/{c}/export?format=json"),
            "",
            "host",
        ),
        (
            "GET",
            format!("/api/events/{c}/export?format=csv"),
            "",
            "host",
        ),
        ("POST", format!("/api/events/{c}/end"), "", "host"),
        (
            "GET",
            format!("/api/events/{c}/attendees/me"),
            "",
            "attendee",
        ),
        (
            "PATCH",
            format!("/api/events/{c}/attendees/me"),
            "{\"present\":false}",
            "attendee",
        ),
        (
            "DELETE",
            format!("/api/events/{c}/attendees/me"),
            "",
            "attendee",
        ),
        ("GET", "/api/events".to_string(), "", "admin"),
        (
            "POST",
            "/api/events".to_string(),
            "{\"name\":\"Forged\"}",
            "admin",
        ),
        ("DELETE", format!("/api/events/{other_code}"), "", "admin"),
    ]
}

#[tokio::test]
async fn forged_truncated_and_overlong_bearers_are_refused_on_every_api_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    let other = new_event(&app, "Other").await;
    let stranger = other.join("Eve", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let key = app.host_key.clone();
    let mut flipped = key.clone().into_bytes();
    flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
    let flipped = String::from_utf8(flipped).unwrap();
    let forged: Vec<(&str, String)> = vec![
        ("truncated key", key[..31].to_string()),
        ("key and one more", format!("{key}0")),
        ("key twice", format!("{key}{key}")),
        ("one digit changed", flipped),
        ("zeros", "0".repeat(32)),
        ("not hex", "z".repeat(32)),
        ("non-ASCII", "\u{e9}".repeat(16)),
        ("10 KB", "a".repeat(10 * 1024)),
        ("empty", String::new()),
        ("other event's key", other.host_key.clone()),
        ("other event's attendee", stranger.token.clone()),
        ("admin token", ADMIN_TOKEN.to_string()),
        ("ADMIN TOKEN", ADMIN_TOKEN.to_uppercase()),
        ("admin token, cut", ADMIN_TOKEN[..20].to_string()),
        ("admin token and more", format!("{ADMIN_TOKEN}x")),
    ];
    for (method, path, body, role) in credential_routes(&app, &other.code) {
        for (label, secret) in &forged {
            let right = match role {
                "admin" => secret == ADMIN_TOKEN,
                _ => false,
            };
            if right {
                continue;
            }
            let what = format!("{method} {path} with {label}");
            let response = request(&app, method, &path)
                .header("Authorization", format!("Bearer {secret}"))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let www = header(&response, "www-authenticate");
            api_error(response, StatusCode::UNAUTHORIZED, &what).await;
            assert_eq!(www, "Bearer", "{what}: {status}");
        }
        // The wrong kind of good credential.
        let wrong_kind: &[(&str, &str, StatusCode)] = match role {
            "host" => &[
                ("attendee token", ada.token.as_str(), StatusCode::FORBIDDEN),
                ("admin token", ADMIN_TOKEN, StatusCode::UNAUTHORIZED),
            ],
            "attendee" => &[
                ("host key", key.as_str(), StatusCode::UNAUTHORIZED),
                ("admin token", ADMIN_TOKEN, StatusCode::UNAUTHORIZED),
            ],
            _ => &[
                ("host key", key.as_str(), StatusCode::UNAUTHORIZED),
                (
                    "attendee token",
                    ada.token.as_str(),
                    StatusCode::UNAUTHORIZED,
                ),
            ],
        };
        for (label, secret, status) in wrong_kind {
            let response = request(&app, method, &path)
                .bearer_auth(secret)
                .body(body)
                .send()
                .await
                .unwrap();
            api_error(response, *status, &format!("{method} {path} with {label}")).await;
        }
    }
    assert_eq!(stored(&app, &ada.token).await, before, "nothing happened");
    assert_eq!(other.me(&stranger.token).await["status"], "present");
    assert_alive(&app).await;
}

#[tokio::test]
async fn malformed_authorization_headers_get_401_json() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let key = app.host_key.clone();
    let export = format!("/api/events/{}/export?format=json", app.code);
    let me = format!("/api/events/{}/attendees/me", app.code);
    let junk = "x".repeat(10 * 1024);
    let values: Vec<(String, Vec<u8>)> = vec![
        ("no scheme".into(), key.clone().into_bytes()),
        ("Basic".into(), format!("Basic {key}").into_bytes()),
        ("Token".into(), format!("Token {key}").into_bytes()),
        ("Bearer alone".into(), b"Bearer".to_vec()),
        ("Bearer and space".into(), b"Bearer ".to_vec()),
        ("Bearer, tab".into(), format!("Bearer\t{key}").into_bytes()),
        (
            "Bearer, two keys".into(),
            format!("Bearer {key} {key}").into_bytes(),
        ),
        (
            "Bearer, comma".into(),
            format!("Bearer {key},{key}").into_bytes(),
        ),
        (
            "10 KB of junk".into(),
            format!("Bearer {junk}").into_bytes(),
        ),
        ("10 KB no scheme".into(), junk.clone().into_bytes()),
        ("obs-text".into(), b"Bearer \xff\xfe\x80\x81".to_vec()),
        (
            "obs-text key".into(),
            [b"Bearer ".as_slice(), &[0xe9; 32]].concat(),
        ),
        (
            "Bearer Bearer".into(),
            format!("Bearer Bearer {key}").into_bytes(),
        ),
    ];
    for path in [&export, &me] {
        for (label, value) in &values {
            let what = format!("{path} with {label}");
            let response = app
                .client
                .get(app.url(path))
                .header("Authorization", HeaderValue::from_bytes(value).unwrap())
                .send()
                .await
                .unwrap();
            api_error(response, StatusCode::UNAUTHORIZED, &what).await;
        }
        // The scheme in other cases: accepted (RFC 9110: case-insensitive)
        // or a clear 401, never anything else.
        for scheme in ["bearer", "BEARER", "bEaReR"] {
            let secret = if path == &export { &key } else { &ada.token };
            let response = app
                .client
                .get(app.url(path))
                .header("Authorization", format!("{scheme} {secret}"))
                .send()
                .await
                .unwrap();
            if response.status() != StatusCode::OK {
                api_error(response, StatusCode::UNAUTHORIZED, scheme).await;
            }
        }
    }
    // Two Authorization headers, a forged one first.
    let response = app
        .client
        .get(app.url(&export))
        .header("Authorization", format!("Bearer {}", "0".repeat(32)))
        .header("Authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(response.status().as_u16(), 200 | 400 | 401),
        "{}",
        response.status()
    );
    // The live phone stream takes a bearer too.
    for (label, value) in &values {
        let response = app
            .client
            .get(app.url(&format!("/e/{}/me/events", app.code)))
            .header("Authorization", HeaderValue::from_bytes(value).unwrap())
            .send()
            .await
            .unwrap();
        api_error(
            response,
            StatusCode::UNAUTHORIZED,
            &format!("me/events {label}"),
        )
        .await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn forged_cookies_and_link_secrets_are_refused_on_pages() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    let other = new_event(&app, "Other").await;
    let stranger = other.join("Eve", &["maths"]).await;
    let before = stored(&app, &ada.token).await;
    let code = app.code.clone();
    let key = app.host_key.clone();
    let secrets: Vec<(&str, String)> = vec![
        ("truncated", key[..31].to_string()),
        ("overlong", format!("{key}0")),
        ("zeros", "0".repeat(32)),
        ("not hex", "g".repeat(32)),
        ("10 KB", "a".repeat(10 * 1024)),
        ("empty", String::new()),
        ("other event's key", other.host_key.clone()),
        ("other event's attendee", stranger.token.clone()),
        ("percent junk", "%00%ff%0d%0a".to_string()),
    ];
    for (label, secret) in &secrets {
        // Organizer's link and cookie.
        let response = app
            .client
            .get(app.url(&format!("/e/{code}/host")))
            .query(&[("key", secret)])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none(), "{label}");
        page_error(response, StatusCode::FORBIDDEN, &format!("?key= {label}")).await;
        let cookie = format!("ib_h_{code}={secret}");
        let response = app
            .get_with_cookie(&format!("/e/{code}/host"), &cookie)
            .await;
        page_error(
            response,
            StatusCode::FORBIDDEN,
            &format!("host cookie {label}"),
        )
        .await;
        for (path, form) in [
            ("host/rounds", vec![("after", "0")]),
            ("host/settings", vec![("group_size", "2")]),
            ("host/end-event", vec![("confirm", "yes")]),
            ("host/remove/0", vec![]),
            ("host/review/0/hide", vec![]),
            ("host/round/pause", vec![]),
            ("host/attendees/0", vec![("name", "Mallory")]),
        ] {
            let response = app
                .post_form(&format!("/e/{code}/{path}"), &form, Some(&cookie))
                .await;
            page_error(response, StatusCode::FORBIDDEN, &format!("{path} {label}")).await;
        }
        let response = app
            .client
            .get(app.url(&format!("/e/{code}/host/events")))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap();
        api_error(
            response,
            StatusCode::FORBIDDEN,
            &format!("host/events {label}"),
        )
        .await;
        // The personal link.
        let response = app
            .client
            .get(app.url(&format!("/e/{code}/me")))
            .query(&[("t", secret)])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none(), "{label}");
        page_error(response, StatusCode::NOT_FOUND, &format!("?t= {label}")).await;
        // A forged attendee cookie is not signed in: back to the form.
        let cookie = format!("ib_a_{code}={secret}");
        for path in ["me", "me/edit"] {
            let response = app
                .get_with_cookie(&format!("/e/{code}/{path}"), &cookie)
                .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} {label}");
            assert_eq!(location(&response), format!("/e/{code}"));
        }
        for path in ["me/break", "me/leave", "me/back", "me/edit"] {
            let response = app
                .post_form(
                    &format!("/e/{code}/{path}"),
                    &[("name", "Mallory"), ("interests", "x")],
                    Some(&cookie),
                )
                .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} {label}");
        }
        // The admin's token and cookie.
        let response = app
            .client
            .get(app.url("/admin"))
            .query(&[("token", secret)])
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none(), "{label}");
        page_error(response, StatusCode::FORBIDDEN, &format!("?token= {label}")).await;
    }
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    for value in [
        hex("not-the-admin-token"),
        hex(&ADMIN_TOKEN[..20]),
        hex(&format!("{ADMIN_TOKEN}x")),
        ADMIN_TOKEN.to_string(),
        "abc".to_string(),
        "zz".repeat(20),
        hex(ADMIN_TOKEN).to_uppercase().replace('7', "G"),
        "ff".repeat(30),
        "0".repeat(10 * 1024),
        String::new(),
    ] {
        let cookie = format!("ib_admin={value}");
        let response = app.get_with_cookie("/admin", &cookie).await;
        page_error(
            response,
            StatusCode::FORBIDDEN,
            &format!("admin cookie {value:.20}"),
        )
        .await;
        let response = app
            .post_form("/admin/events", &[("name", "Forged")], Some(&cookie))
            .await;
        page_error(response, StatusCode::FORBIDDEN, "admin create").await;
        let response = app
            .post_form(
                &format!("/admin/events/{}/delete", other.code),
                &[("confirm", "yes")],
                Some(&cookie),
            )
            .await;
        page_error(response, StatusCode::FORBIDDEN, "admin delete").await;
    }
    // Another event's real secrets do not open this one.
    let response = app
        .get_with_cookie(
            &format!("/e/{code}/me"),
            &format!("ib_a_{}={}", other.code, stranger.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app
        .get_with_cookie(
            &format!("/e/{code}/host"),
            &format!("ib_h_{}={}", other.code, other.host_key),
        )
        .await;
    page_error(
        response,
        StatusCode::FORBIDDEN,
        "the other event's host cookie",
    )
    .await;
    assert_eq!(stored(&app, &ada.token).await, before, "nothing happened");
    assert_eq!(other.me(&stranger.token).await["status"], "present");
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Event codes, ids and actions

/// Codes that name no event, as they would appear in a path.
const BAD_CODES: [&str; 14] = [
    "ZZZZZ",
    "ABCDEFGHIJ",
    "%00",
    "%00ZZZZZ",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%F0%9F%98%80",
    "%E2%80%AEZZZZZ",
    "%FF%FE",
    "%20",
    "AB%2FCD",
    "ZZZZ%0D%0ASet-Cookie:x=y",
    "0O1IL",
    "%C3%84BC23",
    "Z",
];

#[tokio::test]
async fn unknown_and_malformed_event_codes_get_404_on_every_route_family() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    let long = "Z".repeat(5000);
    let mut codes: Vec<&str> = BAD_CODES.to_vec();
    codes.push(&long);
    let join_form = "name=Ada&interests=maths";
    let bearer = format!("Bearer {}", app.host_key);
    let bearer = bearer.as_str();
    let admin = format!("Bearer {ADMIN_TOKEN}");
    let admin = admin.as_str();
    let token = format!("Bearer {}", ada.token);
    let token = token.as_str();
    for c in codes {
        let cookies = format!("{host}; {cookie}");
        // (method, path, body, is_api, Authorization)
        let routes: Vec<(&str, String, &str, bool, &str)> = vec![
            ("GET", format!("/e/{c}"), "", false, ""),
            ("POST", format!("/e/{c}"), join_form, false, ""),
            ("GET", format!("/e/{c}/qr.svg"), "", false, ""),
            ("GET", format!("/e/{c}/me"), "", false, ""),
            ("GET", format!("/e/{c}/me?t={}", ada.token), "", false, ""),
            ("GET", format!("/e/{c}/me/edit"), "", false, ""),
            ("POST", format!("/e/{c}/me/edit"), join_form, false, ""),
            ("POST", format!("/e/{c}/me/break"), "", false, ""),
            ("POST", format!("/e/{c}/me/back"), "", false, ""),
            ("POST", format!("/e/{c}/me/leave"), "", false, ""),
            ("GET", format!("/e/{c}/board"), "", false, ""),
            ("GET", format!("/e/{c}/poster"), "", false, ""),
            ("GET", format!("/e/{c}/signs?n=2"), "", false, ""),
            ("GET", format!("/e/{c}/host"), "", false, ""),
            (
                "GET",
                format!("/e/{c}/host?key={}", app.host_key),
                "",
                false,
                "",
            ),
            ("POST", format!("/e/{c}/host/rounds"), "after=0", false, ""),
            ("POST", format!("/e/{c}/host/round/pause"), "", false, ""),
            (
                "POST",
                format!("/e/{c}/host/settings"),
                "group_size=3",
                false,
                "",
            ),
            (
                "POST",
                format!("/e/{c}/host/end-event"),
                "confirm=yes",
                false,
                "",
            ),
            ("POST", format!("/e/{c}/host/remove/0"), "", false, ""),
            ("POST", format!("/e/{c}/host/review/0/hide"), "", false, ""),
            ("GET", format!("/e/{c}/host/attendees/0"), "", false, ""),
            (
                "POST",
                format!("/e/{c}/host/attendees/0"),
                "name=Eve",
                false,
                "",
            ),
            ("GET", format!("/e/{c}/board/events"), "", true, ""),
            ("GET", format!("/e/{c}/me/events"), "", true, ""),
            ("GET", format!("/e/{c}/host/events"), "", true, ""),
            ("GET", format!("/api/events/{c}/board"), "", true, ""),
            (
                "POST",
                format!("/api/events/{c}/attendees"),
                "{\"name\":\"Ada\",\"interests\":[\"m\"]}",
                true,
                "",
            ),
            ("PATCH", format!("/api/events/{c}"), "{}", true, bearer),
            ("DELETE", format!("/api/events/{c}"), "", true, admin),
            ("POST", format!("/api/events/{c}/rounds"), "", true, bearer),
            (
                "POST",
                format!("/api/events/{c}/round/end"),
                "",
                true,
                bearer,
            ),
            (
                "GET",
                format!("/api/events/{c}/attendees/me"),
                "",
                true,
                token,
            ),
            (
                "PATCH",
                format!("/api/events/{c}/attendees/me"),
                "{}",
                true,
                token,
            ),
            (
                "DELETE",
                format!("/api/events/{c}/attendees/me"),
                "",
                true,
                token,
            ),
            (
                "DELETE",
                format!("/api/events/{c}/attendees/0"),
                "",
                true,
                bearer,
            ),
            (
                "POST",
                format!("/api/events/{c}/attendees/0/hide"),
                "",
                true,
                bearer,
            ),
            ("GET", format!("/api/events/{c}/export"), "", true, bearer),
            ("POST", format!("/api/events/{c}/end"), "", true, bearer),
        ];
        for (method, path, body, is_api, auth) in routes {
            let what = format!("{method} {path:.80}");
            let content_type = if is_api {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            };
            let mut headers = vec![("Content-Type", content_type), ("Cookie", cookies.as_str())];
            if !auth.is_empty() {
                headers.push(("Authorization", auth));
            }
            let answer = raw(&app, http(method, &path, &headers, body.as_bytes())).await;
            assert!(!answer.hung, "{what}");
            let status = answer.status.unwrap_or_else(|| panic!("{what}: no answer"));
            assert_eq!(status, 404, "{what}");
            assert!(!answer.body.is_empty(), "{what}: a message");
            assert!(
                answer.header("set-cookie").is_none(),
                "{what}: a cookie for an unknown event"
            );
            if is_api && status == 404 {
                let body: Value = serde_json::from_str(&answer.body)
                    .unwrap_or_else(|e| panic!("{what}: {e}: {}", answer.body));
                assert!(body["error"].is_string(), "{what}");
            } else if status == 404 {
                assert!(
                    answer
                        .header("content-type")
                        .unwrap_or_default()
                        .starts_with("text/html"),
                    "{what}"
                );
                assert_harmless(&answer.body, &what);
            }
        }
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn malformed_attendee_ids_and_actions_get_404() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    app.start_round().await;
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    let code = &app.code;
    let ids = [
        "99",
        "-1",
        "-0x1",
        "4294967296",
        "18446744073709551616",
        "1e3",
        "0x1",
        "1.0",
        "%20",
        "abc",
        "%3Cscript%3E",
        "0%00",
        "NaN",
        "%F0%9F%98%80",
    ];
    for id in ids {
        let response = app.remove_as(&app.host_key, id).await;
        api_error(response, StatusCode::NOT_FOUND, &format!("DELETE {id}")).await;
        for action in ["approve", "hide"] {
            let response = request(
                &app,
                "POST",
                &format!("/api/events/{code}/attendees/{id}/{action}"),
            )
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
            api_error(response, StatusCode::NOT_FOUND, &format!("{action} {id}")).await;
            let response = app
                .post_form(
                    &format!("/e/{code}/host/review/{id}/{action}"),
                    &[],
                    Some(&host),
                )
                .await;
            page_error(
                response,
                StatusCode::NOT_FOUND,
                &format!("page {action} {id}"),
            )
            .await;
        }
        let response = app
            .post_form(&format!("/e/{code}/host/remove/{id}"), &[], Some(&host))
            .await;
        page_error(
            response,
            StatusCode::NOT_FOUND,
            &format!("page remove {id}"),
        )
        .await;
        let response = app
            .get_with_cookie(&format!("/e/{code}/host/attendees/{id}"), &host)
            .await;
        page_error(response, StatusCode::NOT_FOUND, &format!("page edit {id}")).await;
        let response = app
            .post_form(
                &format!("/e/{code}/host/attendees/{id}"),
                &[("name", "Mallory")],
                Some(&host),
            )
            .await;
        page_error(response, StatusCode::NOT_FOUND, &format!("page save {id}")).await;
    }
    for action in [
        "delete",
        "APPROVE",
        "remove",
        "%3Cscript%3E",
        "approve%00",
        "hide%20",
    ] {
        let response = request(
            &app,
            "POST",
            &format!("/api/events/{code}/attendees/0/{action}"),
        )
        .bearer_auth(&app.host_key)
        .send()
        .await
        .unwrap();
        api_error(response, StatusCode::NOT_FOUND, action).await;
        let response = app
            .post_form(
                &format!("/e/{code}/host/review/0/{action}"),
                &[],
                Some(&host),
            )
            .await;
        page_error(response, StatusCode::NOT_FOUND, action).await;
    }
    for action in ["stop", "PAUSE", "%00", "%3Cscript%3E", "pause%20", "start"] {
        let response = request(&app, "POST", &format!("/api/events/{code}/round/{action}"))
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::NOT_FOUND, action).await;
        let response = app
            .post_form(&format!("/e/{code}/host/round/{action}"), &[], Some(&host))
            .await;
        page_error(response, StatusCode::NOT_FOUND, action).await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Methods

/// Every route (`{c}` the event code) and the methods it answers.
const ROUTES: [(&str, &[&str]); 52] = [
    ("/", &["GET"]),
    ("/healthz", &["GET"]),
    ("/admin", &["GET"]),
    ("/admin/events", &["POST"]),
    ("/admin/events/{c}/delete", &["POST"]),
    ("/static/style.css", &["GET"]),
    ("/static/app.js", &["GET"]),
    ("/e/{c}", &["GET", "POST"]),
    ("/e/{c}/qr.svg", &["GET"]),
    ("/e/{c}/me", &["GET"]),
    ("/e/{c}/me/edit", &["GET", "POST"]),
    ("/e/{c}/me/break", &["POST"]),
    ("/e/{c}/me/back", &["POST"]),
    ("/e/{c}/me/leave", &["POST"]),
    ("/e/{c}/me/contact", &["POST"]),
    ("/e/{c}/me/erase", &["POST"]),
    ("/e/{c}/met", &["GET"]),
    ("/e/{c}/met/contacts.vcf", &["GET"]),
    ("/e/{c}/met/0", &["POST"]),
    ("/e/{c}/board", &["GET"]),
    ("/e/{c}/board/events", &["GET"]),
    ("/e/{c}/poster", &["GET"]),
    ("/e/{c}/signs", &["GET"]),
    ("/e/{c}/me/events", &["GET"]),
    ("/e/{c}/host", &["GET"]),
    ("/e/{c}/host/rounds", &["POST"]),
    ("/e/{c}/host/events", &["GET"]),
    ("/e/{c}/host/end-event", &["POST"]),
    ("/e/{c}/host/review/0/approve", &["POST"]),
    ("/e/{c}/host/attendees/0", &["GET", "POST"]),
    ("/e/{c}/host/attendees/0/apart", &["POST"]),
    ("/e/{c}/host/round/pause", &["POST"]),
    ("/e/{c}/host/settings", &["POST"]),
    ("/e/{c}/host/remove/0", &["POST"]),
    ("/api/events", &["GET", "POST"]),
    ("/api/events/{c}", &["PATCH", "DELETE"]),
    ("/api/events/{c}/board", &["GET"]),
    ("/api/events/{c}/round/pause", &["POST"]),
    ("/api/events/{c}/rounds", &["POST"]),
    ("/api/events/{c}/attendees", &["POST"]),
    ("/api/events/{c}/attendees/me", &["GET", "PATCH", "DELETE"]),
    ("/api/events/{c}/attendees/me/met", &["GET"]),
    ("/api/events/{c}/attendees/me/met/0", &["PUT"]),
    ("/api/events/{c}/attendees/me/contact", &["PUT"]),
    ("/api/events/{c}/attendees/me/contacts.vcf", &["GET"]),
    ("/api/events/{c}/attendees/me/erase", &["POST"]),
    ("/api/events/{c}/never-together", &["GET", "POST"]),
    ("/api/events/{c}/never-together/0/1", &["DELETE"]),
    ("/api/events/{c}/attendees/0", &["DELETE"]),
    ("/api/events/{c}/attendees/0/approve", &["POST"]),
    ("/api/events/{c}/export", &["GET"]),
    ("/api/events/{c}/end", &["POST"]),
];

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW",
];

#[tokio::test]
async fn wrong_methods_get_405_on_every_route() {
    let app = spawn_unlimited().await;
    let ada = app.join("Ada", &["maths"]).await;
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    for (template, allowed) in ROUTES {
        let path = template.replace("{c}", &app.code);
        for method in METHODS.iter().filter(|m| !allowed.contains(m)) {
            let response = request(&app, method, &path)
                .header("Cookie", &host)
                .bearer_auth(&app.host_key)
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            let allow = header(&response, "allow");
            for m in allowed {
                assert!(allow.contains(m), "{method} {path}: Allow {allow:?}");
            }
        }
        // HEAD: like GET without a body, or refused; never a 5xx.
        let response = request(&app, "HEAD", &path).send().await.unwrap();
        assert!(
            response.status().as_u16() < 500,
            "HEAD {path}: {}",
            response.status()
        );
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn wrong_methods_are_answered_with_a_message() {
    let app = spawn_app().await;
    for (template, allowed) in ROUTES {
        let path = template.replace("{c}", &app.code);
        let method = if allowed.contains(&"PUT") {
            "BREW"
        } else {
            "PUT"
        };
        let response = request(&app, method, &path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        let allow = header(&response, "allow");
        for m in allowed {
            assert!(allow.contains(m), "{method} {path}: Allow {allow:?}");
        }
        if path.starts_with("/api/") {
            api_error(response, StatusCode::METHOD_NOT_ALLOWED, &path).await;
        } else {
            let content_type = header(&response, "content-type");
            let body = response.text().await.unwrap();
            assert!(
                content_type.starts_with("text/") && !body.trim().is_empty(),
                "{method} {path}: {content_type:?} {body:?}"
            );
        }
    }
}

#[tokio::test]
async fn head_is_answered_like_get() {
    let app = spawn_app().await;
    for (template, allowed) in ROUTES {
        if !allowed.contains(&"GET")
            || (template.starts_with("/e/") && template.ends_with("/events"))
        {
            continue;
        }
        let path = template.replace("{c}", &app.code);
        let get = app.get(&path).await.status();
        let head = request(&app, "HEAD", &path).send().await.unwrap();
        assert_eq!(head.status(), get, "HEAD {path}");
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path}: no body"
        );
    }
}

// ---------------------------------------------------------------------------
// Queries

#[tokio::test]
async fn malformed_query_strings_get_a_page_or_a_4xx() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    app.join("Grace", &["maths"]).await;
    app.start_round().await;
    let host = app.host_cookie().await;
    let before = stored(&app, &ada.token).await;
    let code = &app.code;
    let long = "q".repeat(8 * 1024);
    let cases: Vec<(String, Option<&str>, Vec<u16>)> = vec![
        (format!("/e/{code}/board?page=abc"), None, vec![400]),
        (format!("/e/{code}/board?page=-1"), None, vec![400]),
        (format!("/e/{code}/board?page=0"), None, vec![200]),
        (
            format!("/e/{code}/board?page=18446744073709551615"),
            None,
            vec![200],
        ),
        (
            format!("/e/{code}/board?page=99999999999999999999999"),
            None,
            vec![400],
        ),
        (format!("/e/{code}/board?page="), None, vec![400]),
        (format!("/e/{code}/board?page=1&page=2"), None, vec![400]),
        (format!("/e/{code}/board?page=%FF"), None, vec![400]),
        (format!("/e/{code}/board?%00=%00&x"), None, vec![200]),
        (format!("/e/{code}/signs?n=abc"), None, vec![200]),
        (format!("/e/{code}/signs?n=-5"), None, vec![200]),
        (format!("/e/{code}/signs?n=0"), None, vec![200]),
        (format!("/e/{code}/signs?n=1000000"), None, vec![200]),
        (
            format!("/e/{code}/signs?n=99999999999999999999999"),
            None,
            vec![200],
        ),
        (format!("/e/{code}/signs?n=%F0%9F%98%80"), None, vec![200]),
        (
            format!("/e/{code}/host?q={long}"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?q=%FF%FE"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?q=%00"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?done=nonsense"),
            Some(host.as_str()),
            vec![200],
        ),
        (
            format!("/e/{code}/host?q=a&q=b"),
            Some(host.as_str()),
            vec![400],
        ),
        ("/?code=%FF".to_string(), None, vec![404]),
        ("/?code=a&code=b".to_string(), None, vec![400]),
        (format!("/?code={long}"), None, vec![404]),
        ("/admin?token=a&token=b".to_string(), None, vec![400, 403]),
        (format!("/e/{code}/me?t=a&t=b"), None, vec![400, 404]),
        (format!("/e/{code}/me?t=%00"), None, vec![404]),
    ];
    for (path, cookie, statuses) in cases {
        let mut request = app.client.get(app.url(&path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let what = format!("{path:.80}");
        assert!(statuses.contains(&status), "{what}: {status}");
        let page = response.text().await.unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "{what}: a page");
        assert_harmless(&page, &what);
    }
    for query in [
        "format=xml",
        "format=csv&what=passwd",
        "format=csv&what=../../etc/passwd",
        "format=%00",
        "format=JSON",
        "what=rounds&format=",
    ] {
        let response = app
            .client
            .get(app.url(&format!("/api/events/{code}/export?{query}")))
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::BAD_REQUEST, query).await;
    }
    assert_eq!(stored(&app, &ada.token).await, before);
    assert_alive(&app).await;
}

#[tokio::test]
async fn unreadable_api_queries_answer_json() {
    let app = spawn_app().await;
    for query in ["format=json&format=csv", "what=a&what=b"] {
        let response = app
            .client
            .get(app.url(&format!("/api/events/{}/export?{query}", app.code)))
            .bearer_auth(&app.host_key)
            .send()
            .await
            .unwrap();
        api_error(response, StatusCode::BAD_REQUEST, query).await;
    }
}

// ---------------------------------------------------------------------------
// Forms

#[tokio::test]
async fn forms_in_the_wrong_shape_get_a_page() {
    let app = spawn_app().await;
    let host = app.host_cookie().await;
    let code = &app.code;
    let join = format!("/e/{code}");
    for (content_type, body) in [
        (
            "application/json",
            b"{\"name\":\"Ada\",\"interests\":\"m\"}".to_vec(),
        ),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n--x--\r\n"
                .to_vec(),
        ),
        ("text/plain", b"name=Ada&interests=m".to_vec()),
        (
            "application/x-www-form-urlencoded; charset=utf-16",
            b"name=Ada&interests=m".to_vec(),
        ),
        (
            "application/x-www-form-urlencoded",
            b"name=Ada&name=Eve&interests=m".to_vec(),
        ),
    ] {
        let response = app
            .client
            .post(app.url(&join))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let what = content_type.to_string();
        assert!(
            status.is_client_error() || status == StatusCode::SEE_OTHER,
            "{what}: {status}"
        );
        if status.is_client_error() {
            page_error(response, status, &what).await;
        }
    }
    // No content type at all.
    let response = app
        .client
        .post(app.url(&join))
        .body("name=Ada&interests=m")
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert!(status.is_client_error(), "{status}");
    page_error(response, status, "no content type").await;
    // Encodings a browser would never send: read leniently or refused.
    for body in [
        b"name=%ZZ&interests=m".to_vec(),
        b"name=%FF%FE&interests=m".to_vec(),
        b"name=\xff\xfe&interests=m".to_vec(),
        b"name=Ada&interests=m&".to_vec(),
        b"&&&=&==&name=Ada&interests=m".to_vec(),
        [b"name=Ada&interests=m&".as_slice(), &b"x=1&".repeat(3000)].concat(),
        b"name[]=Ada&interests[]=m".to_vec(),
    ] {
        let response = app
            .client
            .post(app.url(&join))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let what = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        assert!(
            status.is_client_error() || status == StatusCode::SEE_OTHER,
            "{what}: {status}"
        );
        if status.is_client_error() {
            page_error(response, status, &what).await;
        }
    }
    // The organizer's forms with numbers that are not numbers.
    for (path, form) in [
        ("host/rounds", vec![("after", "-1")]),
        ("host/rounds", vec![("after", "abc")]),
        ("host/rounds", vec![("after", "99999999999999999999999")]),
        ("host/rounds", vec![]),
    ] {
        let response = app
            .post_form(&format!("/e/{code}/{path}"), &form, Some(&host))
            .await;
        page_error(
            response,
            StatusCode::BAD_REQUEST,
            &format!("{path} {form:?}"),
        )
        .await;
    }
    let lines: String = (0..600).map(|i| format!("T{i}\n")).collect();
    for form in [
        vec![("group_size", "abc")],
        vec![("group_size", "99999999999999999999999")],
        vec![("group_size", "-4")],
        vec![("group_size", "1")],
        vec![("round_minutes", "0")],
        vec![("changeover_seconds", "1e3")],
        vec![("table_names", lines.as_str())],
        vec![("table_names", "an overly long table name for a card")],
    ] {
        let mut form = form.clone();
        form.push(("registration_open", "true"));
        let response = app
            .post_form(&format!("/e/{code}/host/settings"), &form, Some(&host))
            .await;
        let page = page_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("{form:.60?}"),
        )
        .await;
        assert!(page.contains("Settings not saved"));
    }
    assert_eq!(settings(&app).await["group_size"], 4);
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Malformed HTTP

#[tokio::test]
async fn malformed_http_does_not_stop_the_server() {
    let app = spawn_app().await;
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Junk: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let many_headers = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{}\r\n",
        (0..500)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect::<String>()
    );
    let huge_url = format!(
        "GET /e/{}/board?page=1&x={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        app.code,
        "a".repeat(100 * 1024)
    );
    let many_cookies = format!(
        "GET /e/{}/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {}\r\n\r\n",
        app.code,
        (0..1000).map(|i| format!("c{i}=v; ")).collect::<String>()
    );
    let requests: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"HELLO\r\n\r\n".to_vec()),
        ("binary", vec![0, 1, 2, 3, 255, 254, b'\r', b'\n', b'\r', b'\n']),
        ("HTTP/9.9", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n".to_vec()),
        ("no version", b"GET /\r\n\r\n".to_vec()),
        ("space in path", b"GET /e/a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("NUL in path", b"GET /e/\x00/board HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("bad length", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}".to_vec()),
        ("negative length", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}".to_vec()),
        ("two lengths", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}".to_vec()),
        ("length and chunked", b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".to_vec()),
        ("bad chunk", b"POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec()),
        ("header without colon", b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n".to_vec()),
        ("header with NUL", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n".to_vec()),
        ("bare LF in header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\nb\r\n\r\n".to_vec()),
        ("huge header", huge_header.into_bytes()),
        ("many headers", many_headers.into_bytes()),
        ("huge URL", huge_url.into_bytes()),
        ("half a request", b"GET /healthz HT".to_vec()),
        ("absolute-form elsewhere", b"GET http://evil.example/etc/passwd HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".to_vec()),
        ("CONNECT", b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n".to_vec()),
        ("asterisk", b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
    ];
    for (label, bytes) in requests {
        if label == "half a request" {
            abandon(&app, &bytes).await;
            assert_alive(&app).await;
            continue;
        }
        let answer = raw(&app, bytes).await;
        assert!(!answer.hung, "{label}: the server hung");
        if label.starts_with("huge") || label == "many headers" {
            // Accepted or refused, as long as it is not a 5xx.
            assert!(answer.status.is_none_or(|s| s < 500), "{label}: {answer:?}");
        } else if label == "HTTP/9.9" {
            assert!(
                matches!(answer.status, None | Some(400 | 505)),
                "{answer:?}"
            );
        } else {
            answer.assert_refused(label);
        }
        assert_alive(&app).await;
    }
    let answer = raw(&app, many_cookies.into_bytes()).await;
    assert!(matches!(answer.status, Some(303 | 400 | 431)), "{answer:?}");
    // HTTP/1.0 still works.
    let answer = raw(&app, b"GET /healthz HTTP/1.0\r\n\r\n".to_vec()).await;
    assert_eq!(answer.status, Some(200));
    assert_eq!(answer.body, "ok");
    assert_alive(&app).await;
}

// ---------------------------------------------------------------------------
// Headers and cookies

/// The security headers every answer carries.
fn assert_security_headers(headers: &reqwest::header::HeaderMap, what: &str) {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{what}: no {name}"))
    };
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    let csp = get("content-security-policy");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for required in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(directives.contains(&required), "{what}: {csp}");
    }
    for loose in [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "*",
        "data:",
        "http:",
        "https:",
    ] {
        assert!(
            !csp.split_whitespace().any(|w| w == loose),
            "{what}: {loose} in {csp}"
        );
    }
}

/// A request: method, path, cookie, bearer token and JSON body.
type Probe<'a> = (&'a str, String, Option<&'a str>, Option<&'a str>, &'a str);

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["maths"]).await;
    let cookie = attendee_cookie(&app, &ada.token);
    app.join("Grace", &["maths"]).await;
    let host = app.host_cookie().await;
    let admin = admin_cookie(&app).await;
    let code = &app.code;
    let key = &app.host_key;
    // (method, path, cookie, bearer, body)
    let requests: Vec<Probe<'_>> = vec![
        ("GET", "/".into(), None, None, ""),
        ("GET", "/?code=ZZZZZ".into(), None, None, ""),
        ("GET", "/healthz".into(), None, None, ""),
        ("GET", "/static/style.css".into(), None, None, ""),
        ("GET", "/static/app.js".into(), None, None, ""),
        ("GET", "/nothing".into(), None, None, ""),
        ("GET", format!("/e/{code}"), None, None, ""),
        ("POST", format!("/e/{code}"), None, None, ""),
        ("GET", format!("/e/{code}/qr.svg"), None, None, ""),
        ("GET", format!("/e/{code}/me"), Some(&cookie), None, ""),
        ("GET", format!("/e/{code}/me"), None, None, ""),
        (
            "GET",
            format!("/e/{code}/me?t={}", ada.token),
            None,
            None,
            "",
        ),
        ("GET", format!("/e/{code}/me?t=junk"), None, None, ""),
        ("GET", format!("/e/{code}/me/edit"), Some(&cookie), None, ""),
        ("GET", format!("/e/{code}/board"), None, None, ""),
        ("GET", format!("/e/{code}/board?page=x"), None, None, ""),
        ("GET", format!("/e/{code}/poster"), None, None, ""),
        ("GET", format!("/e/{code}/signs"), None, None, ""),
        ("GET", format!("/e/{code}/host"), Some(&host), None, ""),
        ("GET", format!("/e/{code}/host"), None, None, ""),
        ("GET", format!("/e/{code}/host?key={key}"), None, None, ""),
        (
            "GET",
            format!("/e/{code}/host/attendees/0"),
            Some(&host),
            None,
            "",
        ),
        ("GET", "/admin".into(), Some(&admin), None, ""),
        ("GET", "/admin".into(), None, None, ""),
        ("GET", format!("/admin?token={ADMIN_TOKEN}"), None, None, ""),
        ("PUT", format!("/e/{code}"), None, None, ""),
        ("GET", format!("/api/events/{code}/board"), None, None, ""),
        (
            "GET",
            format!("/api/events/{code}/attendees/me"),
            None,
            Some(&ada.token),
            "",
        ),
        (
            "GET",
            format!("/api/events/{code}/attendees/me"),
            None,
            None,
            "",
        ),
        (
            "GET",
            format!("/api/events/{code}/export"),
            None,
            Some(key),
            "",
        ),
        (
            "GET",
            format!("/api/events/{code}/export?format=json"),
            None,
            Some(key),
            "",
        ),
        (
            "POST",
            format!("/api/events/{code}/attendees"),
            None,
            None,
            "[1]",
        ),
        (
            "POST",
            format!("/api/events/{code}/attendees"),
            None,
            None,
            "{}",
        ),
        ("GET", "/api/events".into(), None, Some(ADMIN_TOKEN), ""),
        ("GET", "/api/nothing".into(), None, None, ""),
        ("GET", "/api/events/ZZZZZ/board".into(), None, None, ""),
        ("PUT", format!("/api/events/{code}/board"), None, None, ""),
    ];
    for (method, path, cookie, bearer, body) in requests {
        let what = format!("{method} {path}");
        let mut request = request(&app, method, &path).body(body.to_string());
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        if !body.is_empty() {
            request = request.header("Content-Type", "application/json");
        }
        let response = request.send().await.unwrap();
        assert!(response.status().as_u16() < 500, "{what}");
        assert_security_headers(response.headers(), &what);
        let content_type = header(&response, "content-type");
        if content_type.starts_with("text/html") {
            assert!(content_type.contains("charset=utf-8"), "{what}");
            let page = response.text().await.unwrap();
            assert_harmless(&page, &what);
        } else if path.starts_with("/api/") && response.status() != StatusCode::METHOD_NOT_ALLOWED {
            assert!(
                content_type.starts_with("application/json")
                    || content_type.starts_with("text/csv"),
                "{what}: {content_type}"
            );
        }
    }
    // The live streams too.
    for (path, cookie) in [
        (format!("/e/{code}/board/events"), None),
        (format!("/e/{code}/me/events"), Some(&cookie)),
        (format!("/e/{code}/host/events"), Some(&host)),
    ] {
        let mut request = app.client.get(app.url(&path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie.as_str());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_security_headers(response.headers(), &path);
    }
    assert_alive(&app).await;
}

#[tokio::test]
async fn a_flood_of_hostile_writes_gets_429_json_and_reading_goes_on() {
    let app = spawn_app_with(|c| {
        c.limits.writes_per_minute = 1;
        c.limits.write_burst = 3;
    })
    .await;
    let mut limited = 0;
    for _ in 0..6 {
        let response = app.api_join_raw(&profile_a()).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
            assert!(!header(&response, "retry-after").is_empty());
            api_error(response, StatusCode::TOO_MANY_REQUESTS, "429").await;
        } else {
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let form = app.join_form(&form_with("name", SCRIPT)).await;
        assert!(form.status().as_u16() < 500, "{}", form.status());
    }
    assert!(limited >= 3, "the flood was limited");
    let board = app.text(&format!("/e/{}/board", app.code)).await;
    assert_harmless(&board, "board after the flood");
    assert_alive(&app).await;
}

#[tokio::test]
async fn answers_over_the_write_limit_carry_the_security_headers() {
    let app = spawn_app_with(|c| {
        c.limits.writes_per_minute = 1;
        c.limits.write_burst = 1;
    })
    .await;
    app.api_join_raw(&profile_a()).await;
    for path in [
        format!("/api/events/{}/attendees", app.code),
        format!("/e/{}", app.code),
    ] {
        let response = app
            .client
            .post(app.url(&path))
            .form(&[("name", "Ada"), ("interests", "maths")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert_security_headers(response.headers(), &path);
    }
}

/// The attributes of a Set-Cookie header, lower-cased.
fn cookie_attributes(response: &reqwest::Response) -> Vec<String> {
    let header = header(response, "set-cookie");
    assert!(!header.is_empty(), "a Set-Cookie header");
    header
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

/// Every way the server hands out a secret cookie.
async fn secret_cookie_answers(app: &TestApp) -> Vec<(&'static str, reqwest::Response)> {
    let token = app.join("Ada", &["maths"]).await.token;
    vec![
        (
            "joined",
            app.join_form(&[("name", "Grace"), ("interests", "maths")])
                .await,
        ),
        (
            "personal link",
            app.get(&format!("/e/{}/me?t={token}", app.code)).await,
        ),
        (
            "organizer's link",
            app.get(&format!("/e/{}/host?key={}", app.code, app.host_key))
                .await,
        ),
        (
            "admin",
            app.get(&format!("/admin?token={ADMIN_TOKEN}")).await,
        ),
    ]
}

#[tokio::test]
async fn secret_cookies_are_httponly_samesite_lax_and_scoped() {
    let app = spawn_app().await;
    for (label, response) in secret_cookie_answers(&app).await {
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label}");
        let attributes = cookie_attributes(&response);
        for required in ["httponly", "samesite=lax", "path=/"] {
            assert!(
                attributes.iter().any(|a| a == required),
                "{label}: {attributes:?}"
            );
        }
        assert!(
            attributes.iter().any(|a| a.starts_with("max-age=")),
            "{label}: {attributes:?}"
        );
        assert!(
            !attributes.iter().any(|a| a == "secure"),
            "{label}: Secure over plain http would drop the cookie"
        );
        assert!(
            !attributes.iter().any(|a| a.starts_with("domain=")),
            "{label}: host-only"
        );
        assert_security_headers(response.headers(), label);
        let location = location(&response);
        assert!(
            !location.contains("key=") && !location.contains("t=") && !location.contains("token="),
            "{label}: the secret leaves the address bar: {location}"
        );
    }
}

#[tokio::test]
async fn over_https_every_secret_cookie_is_secure() {
    let app = spawn_app_with(|c| c.public_url = "https://icebreaker.example".into()).await;
    for (label, response) in secret_cookie_answers(&app).await {
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label}");
        let attributes = cookie_attributes(&response);
        for required in ["secure", "httponly", "samesite=lax"] {
            assert!(
                attributes.iter().any(|a| a == required),
                "{label}: {attributes:?}"
            );
        }
    }
}
