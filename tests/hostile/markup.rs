//! Hostile input: markup injection.

use super::*;

/// An event whose name, table names and attendees' every answer are
/// markup, with a round running.
pub(crate) struct Hostile {
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

pub(crate) fn profile_a() -> Value {
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
    // The people list has a stream of its own (one page of rows).
    let people_events = format!("/e/{code}/host/people/events");
    let mut stream = EventStream::open(app, &people_events, None, Some(host)).await;
    let html = stream.next_html().await;
    assert_harmless(&html, &people_events);
    assert!(
        html.contains(SCRIPT_ESCAPED) && html.contains(IMG_ESCAPED),
        "{html}"
    );
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
    // The board's names are what the room calls people (the given name:
    // here the first word), markup and all, never escaped.
    let shown_img = icebreaker::domain::name::call_name(IMG, "");
    assert_eq!(shown_img, "\"><img");
    assert!(
        names.contains(&SCRIPT) && names.contains(&shown_img.as_ref()),
        "{names:?}"
    );

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
