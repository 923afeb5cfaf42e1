//! Hostile input: payloads, helpers, raw HTTP, hTML inspection.

use super::*;

pub(crate) const SCRIPT: &str = "<script>alert(1)</script>";
pub(crate) const IMG: &str = "\"><img src=x onerror=alert(1)>";
pub(crate) const ATTR: &str = "' onmouseover='x";
pub(crate) const SVG: &str = "<svg onload=alert(1)>";
pub(crate) const FACT: &str = "</textarea><script>alert(1)</script><img src=x onerror=alert(1)>";
pub(crate) const EVENT_NAME: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";
pub(crate) const TABLE_NAMES: [&str; 2] = ["<img src=x onerror=y>", "'><b onclick=x>"];
pub(crate) const SCRIPT_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
pub(crate) const IMG_ESCAPED: &str = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
pub(crate) const TABLE_ESCAPED: &str = "&lt;img src=x onerror=y&gt;";

// Helpers

/// A server without the per-address write limit, for tests that send
/// hundreds of refused changes from one address (the limit has tests of its
/// own); the other tests run with the default limits.
pub(crate) async fn spawn_unlimited() -> TestApp {
    spawn_app_with(|c| c.limits.writes_per_minute = 0).await
}

/// A second event on the same server, as a `TestApp` of its own.
pub(crate) async fn new_event(app: &TestApp, name: &str) -> TestApp {
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
pub(crate) fn request(app: &TestApp, method: &str, path: &str) -> reqwest::RequestBuilder {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    app.client.request(method, app.url(path))
}

pub(crate) fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// The server still answers its health check.
pub(crate) async fn assert_alive(app: &TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK, "the server stopped");
    assert_eq!(response.text().await.unwrap(), "ok");
}

/// A JSON error answer: `status`, a JSON content type, a non-empty
/// `error` and a `fields` object.
pub(crate) async fn api_error(
    response: reqwest::Response,
    status: StatusCode,
    what: &str,
) -> Value {
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
pub(crate) async fn page_error(
    response: reqwest::Response,
    status: StatusCode,
    what: &str,
) -> String {
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
pub(crate) fn attendee_cookie(app: &TestApp, token: &str) -> String {
    format!("ib_a_{}={token}", app.code)
}

pub(crate) fn token_of(cookie: &str) -> String {
    cookie.split_once('=').unwrap().1.to_string()
}

/// Joins through the form and returns the attendee cookie.
pub(crate) async fn form_join(app: &TestApp, form: &[(&str, &str)]) -> String {
    let response = app.join_form(form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{form:?}");
    cookie_pair(&response)
}

/// Signs in as the admin and returns the cookie.
pub(crate) async fn admin_cookie(app: &TestApp) -> String {
    let response = app.get(&format!("/admin?token={ADMIN_TOKEN}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    cookie_pair(&response)
}

/// The event's settings as the API shows them (`PATCH {}` changes nothing).
pub(crate) async fn settings(app: &TestApp) -> Value {
    let response = app.patch_event_as(&app.host_key, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// How many events the server holds.
pub(crate) async fn event_count(app: &TestApp) -> usize {
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
pub(crate) fn profile_with(key: &str, value: Value) -> Value {
    let mut body = person("Ada Lovelace", &["maths"]);
    body[key] = value;
    body
}

/// The good join form with `key` set to `value`.
pub(crate) fn form_with<'a>(key: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
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

pub(crate) const TEXT_FIELDS: [&str; 6] = [
    "name",
    "work",
    "interests",
    "ask_me_about",
    "weird_fact",
    "spot_me",
];

// Raw HTTP

/// What the server answered to a raw request.
#[derive(Debug)]
pub(crate) struct Raw {
    /// `None` when the server closed the connection without a status line.
    pub(crate) status: Option<u16>,
    pub(crate) head: String,
    pub(crate) body: String,
    /// Neither an answer nor a closed connection within 5 s.
    pub(crate) hung: bool,
}

impl Raw {
    /// A 4xx, or a connection closed without an answer; never a 5xx or a
    /// hang.
    pub(crate) fn assert_refused(&self, what: &str) {
        assert!(!self.hung, "{what}: the server hung");
        if let Some(status) = self.status {
            assert!((400..500).contains(&status), "{what}: {status}\n{self:?}");
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
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
pub(crate) async fn raw(app: &TestApp, request: Vec<u8>) -> Raw {
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
pub(crate) async fn abandon(app: &TestApp, request: &[u8]) {
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
pub(crate) fn http(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

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
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
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
pub(crate) fn assert_harmless(html: &str, what: &str) {
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
        // The images we send ourselves: the event's QR code (on the board
        // and on the printed table signs) and the finale's code of "people
        // I met", from fixed addresses of ours.
        let own_qr = tag.name == "img"
            && match tag.attr("class") {
                Some("qr" | "sign-qr") => Some("/qr.svg"),
                Some("met-qr") => Some("/met-qr.svg"),
                _ => None,
            }
            .is_some_and(|suffix| {
                tag.attr("src").is_some_and(|src| {
                    src.strip_prefix("/e/")
                        .and_then(|rest| rest.strip_suffix(suffix))
                        .is_some_and(|code| code.bytes().all(|b| b.is_ascii_alphanumeric()))
                })
            });
        assert!(
            own_qr
                || !matches!(
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
