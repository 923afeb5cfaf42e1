//! The console's safeguards: a removal can be undone, cutting a round
//! short asks first, settings stay in view, the numbers are the API's
//! ids, and the people list is paged at 5,000.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// `POST /api/events/{code}/attendees/{id}/restore` with `key`.
async fn restore_as(app: &TestApp, key: &str, id: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/events/{}/attendees/{id}/restore", app.code)))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

/// Asserts that `token`'s own API answers 403 saying they were removed:
/// removal revokes the credential (`tests/hostile/revocation.rs`).
async fn assert_removed(app: &TestApp, token: &str) {
    let me = app.me_response(token).await;
    assert_eq!(me.status(), StatusCode::FORBIDDEN);
    let body: Value = me.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("removed you"),
        "{body}"
    );
}

/// The console page as the organizer sees it at `query` (e.g. `?q=ada`).
async fn console(app: &TestApp, cookie: &str, query: &str) -> String {
    app.text_with_cookie(&format!("/e/{}/host{query}", app.code), cookie)
        .await
}

/// The people list's row of attendee `id` (its `<tr>…</tr>`).
fn row_of(page: &str, id: u64) -> String {
    let cell = format!(r##"<td class="no">#{id}</td>"##);
    let at = page.find(&cell).unwrap_or_else(|| panic!("no row #{id}"));
    let start = page[..at].rfind("<tr").unwrap();
    let end = at + page[at..].find("</tr>").unwrap();
    page[start..end].to_string()
}

#[tokio::test]
async fn a_removal_from_the_console_can_be_undone_and_seats_them_again() {
    let app = spawn_app().await;
    let ada = app.join("Ada Lovelace", &["chess"]).await;
    for name in ["Grace", "Linus", "Ken", "Barbara"] {
        app.join(name, &["chess"]).await;
    }
    app.start_round().await;
    let cookie = app.host_cookie().await;
    let page = console(&app, &cookie, "").await;
    let row = row_of(&page, ada.id);
    assert!(
        row.contains(&format!(
            r#"action="/e/{}/host/remove/{}""#,
            app.code, ada.id
        )) && row.contains("data-confirm=\"Remove Ada Lovelace (#0) from the event?"),
        "the browser asks before removing: {row}"
    );

    let remove = format!("/e/{}/host/remove/{}", app.code, ada.id);
    let removed = app.post_form(&remove, &[], Some(&cookie)).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let back = location(&removed);
    assert_eq!(
        back,
        format!("/e/{}/host?done=removed&who={}#people", app.code, ada.id)
    );
    assert_removed(&app, &ada.token).await;
    let board = app.board().await;
    assert!(
        !tables(&board["round"])
            .iter()
            .flatten()
            .any(|&m| m == ada.id),
        "off her table"
    );
    let refused = app.patch_me(&ada.token, &json!({"present": true})).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Right after, the console names her and offers to undo; her row
    // offers to restore her.
    let page = console(&app, &cookie, "?done=removed&who=0").await;
    let restore = format!("/e/{}/host/restore/{}", app.code, ada.id);
    let banner_at = page.find("Removed Ada Lovelace (#0)").expect("named");
    let undo_at = page.find(&format!(r#"action="{restore}""#)).unwrap();
    assert!(undo_at > banner_at && page[banner_at..undo_at].len() < 400);
    assert!(row_of(&page, ada.id).contains("Restore"));

    for _ in 0..2 {
        let restored = app.post_form(&restore, &[], Some(&cookie)).await;
        assert_eq!(restored.status(), StatusCode::SEE_OTHER, "twice is fine");
        assert!(location(&restored).contains("done=restored&who=0#people"));
    }
    let me = app.me(&ada.token).await;
    assert_eq!(me["status"], "present");
    assert!(me["group"]["table"].is_u64(), "seated again: {me}");
    let works = app.patch_me(&ada.token, &json!({"work": "Analyst"})).await;
    assert_eq!(works.status(), StatusCode::OK, "her token works again");
    let page = console(&app, &cookie, "?done=restored&who=0").await;
    assert!(page.contains("Ada Lovelace (#0) is back"));
    assert!(row_of(&page, ada.id).contains("Remove"));
    assert!(
        !page.contains(&format!(r#"action="{restore}""#)),
        "nothing left to undo"
    );
    let unknown = format!("/e/{}/host/restore/99", app.code);
    let missing = app.post_form(&unknown, &[], Some(&cookie)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let stranger = app.post_form(&restore, &[], None).await;
    assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_restores_a_removed_attendee_as_they_were() {
    let app = spawn_app().await;
    let ada = app.join("Ada", &["chess"]).await;
    let bob = app.join("Bob", &["chess"]).await;
    // Eight people sit 4 + 4, so a table keeps room for Ada wherever she
    // and Bob sat. (With seven, 4 + 3, when both sat at the three the one
    // left joined the four, making it full, and Ada rightly waited.)
    for name in ["Cy", "Di", "Ed", "Flo", "Gus", "Hal"] {
        app.join(name, &["chess"]).await;
    }
    app.start_round().await;
    // Bob was on a break when removed: restored, he is on a break again.
    let pause = app.patch_me(&bob.token, &json!({"present": false})).await;
    assert_eq!(pause.status(), StatusCode::OK);
    for who in [&ada, &bob] {
        let removed = app.remove_as(&app.host_key, &who.id.to_string()).await;
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    }
    let refused = restore_as(&app, &ada.token, &ada.id.to_string()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "not the attendee");
    assert_removed(&app, &ada.token).await;
    for _ in 0..2 {
        let restored = restore_as(&app, &app.host_key, &ada.id.to_string()).await;
        assert_eq!(restored.status(), StatusCode::OK);
        let body: Value = restored.json().await.unwrap();
        assert_eq!(body, json!({"id": ada.id, "status": "present"}));
    }
    let restored: Value = restore_as(&app, &app.host_key, &bob.id.to_string())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(restored["status"], "on_break");
    assert!(app.me(&ada.token).await["group"]["table"].is_u64());
    let board = app.board().await;
    assert!(
        tables(&board["round"])
            .iter()
            .flatten()
            .any(|&m| m == ada.id),
        "back on the board"
    );
    for bad in ["99", "x"] {
        let missing = restore_as(&app, &app.host_key, bad).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn starting_the_next_round_during_a_round_asks_first() {
    let app = spawn_app().await;
    for name in ["Ada", "Grace", "Linus", "Ken", "Barbara", "Dennis"] {
        app.join(name, &["chess"]).await;
    }
    let cookie = app.host_cookie().await;
    let start = format!("/e/{}/host/rounds", app.code);
    let page = console(&app, &cookie, "").await;
    assert!(
        !page.contains("data-confirm=\"Round"),
        "nothing to cut short yet"
    );
    let first = app
        .post_form(&start, &[("after", "0")], Some(&cookie))
        .await;
    assert_eq!(
        first.status(),
        StatusCode::SEE_OTHER,
        "no round on: no question"
    );
    assert_eq!(app.board().await["round"]["number"], 1);

    let page = console(&app, &cookie, "").await;
    assert!(page.contains(
        "data-confirm=\"Round 1 is still running. Start round 2 now? Everyone moves to a new table.\""
    ));
    let asked = app
        .post_form(&start, &[("after", "1")], Some(&cookie))
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains("Start round 2 now?") && asked.contains("10:00 left"));
    assert!(asked.contains(r#"<input type="hidden" name="confirm" value="yes">"#));
    assert!(asked.contains("No, keep round 1 going"));
    assert_eq!(app.board().await["round"]["number"], 1, "not started yet");

    let yes = [("after", "1"), ("confirm", "yes")];
    for _ in 0..2 {
        let started = app.post_form(&start, &yes, Some(&cookie)).await;
        assert_eq!(started.status(), StatusCode::SEE_OTHER, "a double click");
    }
    assert_eq!(
        app.board().await["round"]["number"],
        2,
        "one round, not two"
    );

    // Paused counts as on; once time is up, no question.
    let pause = format!("/e/{}/host/round/pause", app.code);
    app.post_form(&pause, &[], Some(&cookie)).await;
    let asked = app
        .post_form(&start, &[("after", "2")], Some(&cookie))
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert!(asked.text().await.unwrap().contains("is paused with"));
    let end = format!("/e/{}/host/round/end", app.code);
    app.post_form(&end, &[], Some(&cookie)).await;
    let next = app
        .post_form(&start, &[("after", "2")], Some(&cookie))
        .await;
    assert_eq!(next.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.board().await["round"]["number"], 3);
}

#[tokio::test]
async fn settings_sit_above_the_people_and_saving_returns_to_them() {
    let app = spawn_app().await;
    for i in 0..150 {
        app.join(&format!("Person {i}"), &["chess"]).await;
    }
    let cookie = app.host_cookie().await;
    let page = console(&app, &cookie, "").await;
    let settings = page.find(r#"<section id="settings">"#).unwrap();
    let people = page.find(r#"<section id="people">"#).unwrap();
    let first_row = page.find(r#"<td class="no">"#).unwrap();
    assert!(settings < people && people < first_row);
    assert!(page.contains(r##"<a href="#settings">Settings</a>"##));

    let save = format!("/e/{}/host/settings", app.code);
    let saved = app
        .post_form(&save, &[("group_size", "5")], Some(&cookie))
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&saved),
        format!("/e/{}/host?done=settings#settings", app.code)
    );
    let page = console(&app, &cookie, "?done=settings").await;
    let said = page.find("Settings saved.").unwrap();
    let settings = page.find(r#"<section id="settings">"#).unwrap();
    let people = page.find(r#"<section id="people">"#).unwrap();
    assert!(settings < said && said < people, "said by the settings");
    let bad = app
        .post_form(&save, &[("group_size", "many")], Some(&cookie))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = bad.text().await.unwrap();
    let said = bad.find("Settings not saved").unwrap();
    assert!(bad.find(r#"<section id="settings">"#).unwrap() < said);
}

#[tokio::test]
async fn the_console_numbers_people_by_their_api_id() {
    let app = spawn_app().await;
    let mut joined = Vec::new();
    for i in 0..12 {
        joined.push(app.join(&format!("Person {i}"), &["chess"]).await);
    }
    let cookie = app.host_cookie().await;
    let page = console(&app, &cookie, "").await;
    for who in &joined {
        let me = app.me(&who.token).await;
        assert_eq!(me["id"], who.id);
        let row = row_of(&page, who.id);
        assert!(
            row.contains(me["name"].as_str().unwrap()),
            "#{} is {}: {row}",
            who.id,
            me["name"]
        );
    }
    let edit = format!("/e/{}/host/attendees/{}", app.code, joined[10].id);
    let edit = app.text_with_cookie(&edit, &cookie).await;
    assert!(edit.contains("Edit #10: Person 10"));
    assert!(
        edit.contains("Person 11 (#11)"),
        "the keep-apart choices too"
    );
    // Searching by number finds the person of that id.
    let found = console(&app, &cookie, "?q=%2310").await;
    assert!(found.contains(r#"<strong>1</strong> match"#), "one match");
    assert!(row_of(&found, 10).contains("Person 10"));
}

#[tokio::test]
async fn five_thousand_people_are_paged_and_searched_on_the_server() {
    let app = spawn_app().await;
    {
        let slot = app
            .state
            .event(&icebreaker::domain::EventCode::parse(&app.code).unwrap())
            .unwrap();
        let mut event = slot.lock();
        for i in 0..5_000 {
            let name = if i == 7 {
                "Zebedee Quartermaine".to_string()
            } else {
                format!("Person {i}")
            };
            let profile = icebreaker::domain::Profile::try_from(icebreaker::domain::ProfileInput {
                name,
                work: format!("Work {i}"),
                interests: vec!["chess".into()],
                ..Default::default()
            })
            .unwrap();
            event
                .join(profile, icebreaker::domain::Secret::generate(), START)
                .unwrap();
        }
    }
    let cookie = app.host_cookie().await;
    let page = console(&app, &cookie, "").await;
    let rows = page.matches(r#"<td class="no">"#).count();
    assert_eq!(rows, 100, "one page of rows");
    assert!(page.len() < 150_000, "{} bytes", page.len());
    assert!(page.contains("<strong>5000</strong> joined · showing 1–100, newest first"));
    assert!(row_of(&page, 4999).contains("Person 4999"), "newest first");
    assert!(page.contains(&format!(r##"href="/e/{}/host?page=2#people""##, app.code)));
    assert!(page.contains(&format!(r##"href="/e/{}/host?page=50#people""##, app.code)));

    let last = console(&app, &cookie, "?page=50").await;
    assert_eq!(last.matches(r#"<td class="no">"#).count(), 100);
    assert!(row_of(&last, 0).contains("Person 0"));
    assert!(row_of(&last, 7).contains("Zebedee"), "on the last page");
    let beyond = console(&app, &cookie, "?page=900").await;
    assert!(
        beyond.contains("showing 4901–5000"),
        "the last page instead"
    );

    // Zebedee is on page 50 of everyone; the search finds him at once.
    let found = console(&app, &cookie, "?q=zebedee").await;
    assert_eq!(found.matches(r#"<td class="no">"#).count(), 1);
    assert!(row_of(&found, 7).contains("Zebedee Quartermaine"));
    assert!(found.contains("<strong>1</strong> match “zebedee”"));
    let many = console(&app, &cookie, "?q=person%2049").await;
    assert!(
        many.contains("<strong>111</strong> match"),
        "49, 490–499, 4900–4999"
    );
    assert!(many.contains(&format!(
        r##"href="/e/{}/host?q=person%2049&amp;page=2#people""##,
        app.code
    )));

    // The live streams send the round and one page, not everyone.
    let mut top = EventStream::open(
        &app,
        &format!("/e/{}/host/events", app.code),
        None,
        Some(&cookie),
    )
    .await;
    let html = top.next_html().await;
    assert!(html.contains("Start round 1") && !html.contains(r#"<td class="no">"#));
    let stream = format!("/e/{}/host/people/events?q=zebedee", app.code);
    let mut people = EventStream::open(&app, &stream, None, Some(&cookie)).await;
    let html = people.next_html().await;
    assert_eq!(html.matches(r#"<td class="no">"#).count(), 1);
    assert!(html.contains("Zebedee"));
    let mut everyone = EventStream::open(
        &app,
        &format!("/e/{}/host/people/events?page=3", app.code),
        None,
        Some(&cookie),
    )
    .await;
    let html = everyone.next_html().await;
    assert_eq!(html.matches(r#"<td class="no">"#).count(), 100);
    assert!(html.contains("showing 201–300") && html.len() < 100_000);
    let stranger = app
        .get(&format!("/e/{}/host/people/events", app.code))
        .await;
    assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
}
