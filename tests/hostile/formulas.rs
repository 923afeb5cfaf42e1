//! Hostile input: cSV formula injection.

use super::*;

/// Whether a spreadsheet would run `cell` as a formula.
fn is_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

pub(crate) async fn csv_rows(app: &TestApp, query: &str) -> Vec<Vec<String>> {
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
