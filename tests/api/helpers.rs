//! Starting a real server on a random port, and one helper per endpoint.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use icebreaker::clock::ManualClock;
use icebreaker::domain::AdminToken;
use icebreaker::event::Settings;
use icebreaker::startup::Application;
use icebreaker::state::{AppState, ServerConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// 2026-11-26 19:00 UTC: the evening of the test event.
pub const START: i64 = 1_795_719_600_000;
pub const MINUTE: i64 = 60_000;
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

pub struct TestApp {
    pub address: String,
    /// The server's state, to run its timers (`state.tick()`) after moving
    /// the clock.
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    /// The default event's code and host key.
    pub code: String,
    pub host_key: String,
    /// A client that does not follow redirects and keeps no cookies, so
    /// tests see exactly what the server answers.
    pub client: reqwest::Client,
}

/// A server with a default event (groups of 4, 10-minute rounds).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server whose configuration `adjust` may change first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut ServerConfig)) -> TestApp {
    spawn(adjust, AppState::new, None).await
}

/// A server keeping its events in the data file at `path` (loading those
/// it holds, as after a restart). Its default event is the stored one
/// coded `code`, or a new one.
#[allow(dead_code)] // used by tests/durability.rs, not by every binary
pub async fn spawn_app_on_file(path: &std::path::Path, code: Option<&str>) -> TestApp {
    let (store, loaded) = icebreaker::store::Store::open(path).unwrap();
    let with_store = |config, clock| AppState::with_store(config, clock, store, loaded);
    spawn(|_| {}, with_store, code).await
}

async fn spawn(
    adjust: impl FnOnce(&mut ServerConfig),
    make_state: impl FnOnce(ServerConfig, Arc<dyn icebreaker::clock::Clock>) -> AppState,
    code: Option<&str>,
) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = ServerConfig {
        public_url: format!("http://127.0.0.1:{port}"),
        admin_token: AdminToken::parse(ADMIN_TOKEN).unwrap(),
        defaults: Settings::default(),
        round_budget: Duration::from_millis(150),
        seed: 42,
        limits: icebreaker::limits::Limits::default(),
    };
    adjust(&mut config);
    let clock = Arc::new(ManualClock::starting_at(START));
    let state = make_state(config.clone(), clock.clone());
    let slot = match code.and_then(|c| state.event(&icebreaker::domain::EventCode::parse(c)?)) {
        Some(slot) => slot,
        None => state.create_event("Networking Night".into(), config.defaults.clone()),
    };
    let (code, host_key) = {
        let event = slot.lock();
        (event.code.to_string(), event.host_key.reveal())
    };
    let app = Application::build(state.clone(), listener, 1).unwrap();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        state,
        clock,
        code,
        host_key,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    }
}

/// A profile body for the API.
pub fn person(name: &str, interests: &[&str]) -> Value {
    json!({
        "name": name,
        "interests": interests,
        "work": format!("{name}'s work"),
        "ask_me_about": format!("{name}'s hobby"),
        "weird_fact": format!("{name} knows a weird fact"),
        "spot_me": "by the coffee",
    })
}

/// A joined attendee as the tests use them.
#[derive(Debug, Clone)]
pub struct Joined {
    pub id: u64,
    pub token: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// The body of `GET path`, whatever the status.
    pub async fn text(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    /// The body of `GET path` sent with `cookie`.
    pub async fn text_with_cookie(&self, path: &str, cookie: &str) -> String {
        self.get_with_cookie(path, cookie)
            .await
            .text()
            .await
            .unwrap()
    }

    /// `DELETE /api/events/{code}/attendees/me`: leaves.
    pub async fn leave(&self, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url(&format!("/api/events/{}/attendees/me", self.code)))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("Cookie", cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).form(form);
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send().await.unwrap()
    }

    /// `POST /e/{code}` with the join form.
    pub async fn join_form(&self, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form(&format!("/e/{}", self.code), form, None)
            .await
    }

    /// `POST /api/events/{code}/attendees`.
    pub async fn api_join_raw(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/events/{}/attendees", self.code)))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Joins over the API and expects it to work.
    pub async fn join(&self, name: &str, interests: &[&str]) -> Joined {
        let response = self.api_join_raw(&person(name, interests)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        Joined {
            id: body["id"].as_u64().unwrap(),
            token: body["token"].as_str().unwrap().to_string(),
        }
    }

    /// `GET /api/events/{code}/attendees/me`, as answered.
    pub async fn me_response(&self, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(&format!("/api/events/{}/attendees/me", self.code)))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// `GET /api/events/{code}/attendees/me`, which must answer 200.
    pub async fn me(&self, token: &str) -> Value {
        let response = self.me_response(token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// `PATCH /api/events/{code}/attendees/me`.
    pub async fn patch_me(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(&format!("/api/events/{}/attendees/me", self.code)))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Ends event `code` over the API with host key `key`, expecting 204.
    pub async fn end_event_as(&self, code: &str, key: &str) {
        let response = self
            .client
            .post(self.url(&format!("/api/events/{code}/end")))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "ending {code}");
    }

    /// `GET url` with `bearer`, expecting 200 and JSON.
    pub async fn get_json_as(&self, url: &str, bearer: &str) -> Value {
        let response = self
            .client
            .get(url)
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        response.json().await.unwrap()
    }

    /// `who`'s "people I met" (`GET …/attendees/me/met`).
    pub async fn met(&self, who: &Joined) -> Value {
        self.get_json_as(&self.me_path("met"), &who.token).await
    }

    /// The URL of `/api/events/{code}/attendees/me/{rest}`.
    pub fn me_path(&self, rest: &str) -> String {
        self.url(&format!("/api/events/{}/attendees/me/{rest}", self.code))
    }

    /// `POST /api/events/{code}/rounds` with `key` as the bearer.
    pub async fn start_round_as(&self, key: &str) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/events/{}/rounds", self.code)))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }

    /// Starts a round with the host key and returns it.
    pub async fn start_round(&self) -> Value {
        let response = self.start_round_as(&self.host_key).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// `PATCH /api/events/{code}` with `key` as the bearer.
    pub async fn patch_event_as(&self, key: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(&format!("/api/events/{}", self.code)))
            .bearer_auth(key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// `GET /api/events/{code}/board`.
    pub async fn board(&self) -> Value {
        let response = self.get(&format!("/api/events/{}/board", self.code)).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// `DELETE /api/events/{code}/attendees/{id}` with `key` as the bearer.
    pub async fn remove_as(&self, key: &str, id: &str) -> reqwest::Response {
        self.client
            .delete(self.url(&format!("/api/events/{}/attendees/{id}", self.code)))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }

    /// `GET /api/events/{code}/export?{query}` with the given host key
    /// (bearer) and/or console cookie.
    pub async fn export_as(
        &self,
        query: &str,
        key: Option<&str>,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .get(self.url(&format!("/api/events/{}/export?{query}", self.code)));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send().await.unwrap()
    }

    /// Signs in as the host (the organizer's link) and returns the cookie.
    pub async fn host_cookie(&self) -> String {
        let response = self
            .get(&format!("/e/{}/host?key={}", self.code, self.host_key))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        cookie_pair(&response)
    }
}

/// The `name=value` part of the response's Set-Cookie, to send back.
pub fn cookie_pair(response: &reqwest::Response) -> String {
    let header = response
        .headers()
        .get("set-cookie")
        .expect("a Set-Cookie header")
        .to_str()
        .unwrap();
    header.split(';').next().unwrap().to_string()
}

/// Every (name, table) the board's JSON seats, sorted.
pub fn seated(board: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = board["round"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            let table = g["table"].to_string();
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |m| (m["name"].as_str().unwrap().to_string(), table.clone()))
        })
        .collect();
    out.sort();
    out
}

/// The ids seated in a board round, table by table.
pub fn tables(round: &Value) -> Vec<Vec<u64>> {
    round["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_u64().unwrap())
                .collect()
        })
        .collect()
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// A Server-Sent Events stream read over plain HTTP, message by message.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Opens `path` with an optional bearer token and cookie; expects 200.
    pub async fn open(
        app: &TestApp,
        path: &str,
        token: Option<&str>,
        cookie: Option<&str>,
    ) -> EventStream {
        let mut request = app.client.get(app.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        EventStream {
            response,
            buffer: String::new(),
        }
    }

    /// The next `state` message's data (skipping comments and `retry`);
    /// fails the test if none comes within 5 s.
    pub async fn next_state(&mut self) -> Value {
        let wait = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                while let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let is_state = block.lines().any(|l| l == "event: state");
                    let data: String = block
                        .lines()
                        .filter_map(|l| l.strip_prefix("data: "))
                        .collect::<Vec<_>>()
                        .join("\n");
                    if is_state {
                        return serde_json::from_str::<Value>(&data).unwrap();
                    }
                }
                let chunk = self.response.chunk().await.unwrap().expect("stream ended");
                self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
            }
        });
        wait.await.expect("a state message within 5 s")
    }

    /// Whether the server closes the stream within 5 s (skipping any
    /// messages before the end).
    pub async fn ends(&mut self) -> bool {
        let wait = tokio::time::timeout(Duration::from_secs(5), async {
            while let Ok(Some(_)) = self.response.chunk().await {}
        });
        wait.await.is_ok()
    }

    /// The next message's HTML.
    pub async fn next_html(&mut self) -> String {
        self.next_state().await["html"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// The table number a phone's live HTML shows (`data-table`), if any.
pub fn table_in(html: &str) -> Option<u64> {
    let rest = html.split("data-table=\"").nth(1)?;
    rest.split('"').next()?.parse().ok()
}
