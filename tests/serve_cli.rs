//! `icebreaker` with no sub-command, as an organizer runs it: the real
//! binary starts a server, prints the links and serves them; bad flags exit
//! with code 2.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

#[path = "common/process.rs"]
#[allow(dead_code)] // this binary uses only some of the shared process helpers
mod process;

use std::process::{Child, Command, Stdio};

use process::banner;

/// Kills the server when the test ends, even on failure.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str], envs: &[(&str, &str)]) -> (Server, Vec<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_icebreaker"));
    command
        .args(args)
        .env_remove("ICEBREAKER_ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let lines = banner(&mut child);
    (Server(child), lines)
}

fn link(lines: &[String], label: &str) -> String {
    let line = lines.iter().find(|l| l.contains(label)).unwrap();
    line.split_whitespace().last().unwrap().to_string()
}

#[tokio::test]
async fn the_server_prints_its_links_and_serves_them() {
    let (_server, lines) = start(
        &[
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--ephemeral",
            "--event-name",
            "Thursday Gathering",
        ],
        &[],
    );
    assert!(lines[0].contains("Thursday Gathering"), "{lines:?}");
    let board = link(&lines, "Board");
    let join = link(&lines, "Join link");
    let host = link(&lines, "Organizer");
    let admin = link(&lines, "Admin token");
    assert!(board.starts_with("http://127.0.0.1:") && board.ends_with("/board"));
    assert_eq!(format!("{join}/board"), board);
    assert!(host.contains("/host?key="));
    assert_eq!(admin.len(), 32, "a generated admin token is printed");

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = join.split("/e/").next().unwrap();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let page = client
        .get(&board)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Thursday Gathering"));
    let signed_in = client.get(&host).send().await.unwrap();
    assert_eq!(signed_in.status(), 303, "the printed host key works");
    let created = client
        .post(format!("{base}/api/events"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "Second"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "the printed admin token works");
}

#[tokio::test]
async fn the_public_url_and_admin_token_come_from_the_environment() {
    let (_server, lines) = start(
        &["--bind", "127.0.0.1", "--port", "0", "--ephemeral"],
        &[
            ("ICEBREAKER_PUBLIC_URL", "https://meet.example.org/"),
            ("ICEBREAKER_ADMIN_TOKEN", "a-long-enough-admin-token"),
        ],
    );
    let join = link(&lines, "Join link");
    assert!(join.starts_with("https://meet.example.org/e/"), "{join}");
    assert!(
        !lines.iter().any(|l| l.contains("Admin token")),
        "a chosen token is not echoed"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("a-long-enough-admin-token"))
    );
}

#[test]
fn bad_flags_and_environment_values_exit_with_code_2() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: [Case; 5] = [
        (&["--port", "http"], &[]),
        (&["--group-size", "1"], &[]),
        (&["--public-url", "meet.example.org"], &[]),
        (&[], &[("ICEBREAKER_ROUND_MINUTES", "0")]),
        (&[], &[("ICEBREAKER_ADMIN_TOKEN", "short")]),
    ];
    for (args, envs) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_icebreaker"))
            .args(args)
            .args(
                ["--bind", "127.0.0.1", "--port", "0", "--ephemeral"]
                    .iter()
                    .filter(|_| args.is_empty()),
            )
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?} {envs:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error:"), "{stderr}");
    }
}

/// The lines of the terminal QR code: those made only of half blocks and
/// spaces (at least one block) after the line that introduces it.
fn qr_lines(lines: &[String]) -> Vec<String> {
    let start = lines
        .iter()
        .position(|l| l.contains("Scan it with your own phone"))
        .expect("the QR code is introduced");
    lines[start + 1..]
        .iter()
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty() && l.chars().all(|c| " ▀▄█".contains(c)))
        .cloned()
        .collect()
}

/// Draws half-block text as a greyscale image, `scale` pixels a module
/// (dark blocks black, the rest white, with a white margin), and decodes
/// the QR code in it.
fn decode_terminal_qr(lines: &[String]) -> String {
    let scale = 6;
    let margin = 4 * scale;
    let columns = lines.iter().map(|l| l.chars().count()).max().unwrap();
    let (width, height) = (
        columns * scale + 2 * margin,
        lines.len() * 2 * scale + 2 * margin,
    );
    let mut dark = vec![false; width * height];
    for (row, line) in lines.iter().enumerate() {
        for (col, c) in line.chars().enumerate() {
            let (top, bottom) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                _ => (false, false),
            };
            for (half, on) in [(0, top), (1, bottom)] {
                if !on {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale {
                        let y = margin + (row * 2 + half) * scale + dy;
                        let x = margin + col * scale + dx;
                        dark[y * width + x] = true;
                    }
                }
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if dark[y * width + x] { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the terminal");
    grids[0].decode().unwrap().1
}

#[test]
fn the_terminal_qr_code_decodes_to_the_join_link() {
    let (_server, lines) = start(&["--bind", "127.0.0.1", "--port", "0", "--ephemeral"], &[]);
    let join = link(&lines, "Join link");
    let qr = qr_lines(&lines);
    assert!(qr.len() > 10, "{lines:#?}");
    assert!(
        !lines.iter().any(|l| l.contains('\u{1b}')),
        "no colour codes when stdout is a pipe"
    );
    assert_eq!(decode_terminal_qr(&qr), join);
}

#[test]
fn the_qr_code_follows_the_public_url() {
    let (_server, lines) = start(
        &["--bind", "127.0.0.1", "--port", "0", "--ephemeral"],
        &[("ICEBREAKER_PUBLIC_URL", "https://meet.example.org")],
    );
    let join = link(&lines, "Join link");
    assert_eq!(decode_terminal_qr(&qr_lines(&lines)), join);
    assert!(join.starts_with("https://meet.example.org/e/"));
}

#[test]
fn the_addresses_phones_may_reach_are_listed_with_the_qr_codes_marked() {
    // On every address of this machine: the list depends on the machine,
    // but the join link's address is the one marked, or there is none.
    let (_server, lines) = start(&["--bind", "0.0.0.0", "--port", "0", "--ephemeral"], &[]);
    let join = link(&lines, "Join link");
    let base = join.split("/e/").next().unwrap().to_string();
    let marked: Vec<&String> = lines
        .iter()
        .filter(|l| l.ends_with("<- the QR code"))
        .collect();
    if lines.iter().any(|l| l.starts_with("No network found")) {
        assert!(marked.is_empty());
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    } else {
        assert_eq!(marked.len(), 1, "{lines:#?}");
        assert!(
            marked[0].trim_start().starts_with(&format!("{base} ")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Addresses of this computer")),
            "{lines:#?}"
        );
    }
    for skipped in ["127.0.0.1", "169.254.", "fe80:", "[::1]"] {
        assert!(
            !lines
                .iter()
                .any(|l| l.starts_with("  http://") && l.contains(skipped)),
            "{skipped} is not offered: {lines:#?}"
        );
    }

    // Listening on loopback only, the printout says phones cannot reach it.
    let (_server, lines) = start(&["--bind", "127.0.0.1", "--port", "0", "--ephemeral"], &[]);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Listening on 127.0.0.1 only")),
        "{lines:#?}"
    );
}

/// Everything a server wrote on stderr once it has stopped.
fn stderr_after_stop(mut server: Server, graceful: bool) -> String {
    use std::io::Read;
    let mut stderr = server.0.stderr.take().unwrap();
    if graceful {
        stop_gracefully(&server.0);
    } else {
        server.0.kill().unwrap();
    }
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    text
}

/// SIGTERM, as a service manager stops the server (Unix only: the tests
/// run on Linux; on Windows the server stops on Ctrl-C).
#[cfg(unix)]
fn stop_gracefully(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(not(unix))]
fn stop_gracefully(_child: &Child) {
    panic!("graceful stops are tested on Unix only");
}

#[test]
fn logs_are_human_readable_by_default_and_rust_log_chooses_what() {
    let (server, _) = start(
        &["--bind", "127.0.0.1", "--port", "0", "--ephemeral"],
        &[("RUST_LOG", "")],
    );
    let log = stderr_after_stop(server, false);
    let started = log
        .lines()
        .find(|l| l.contains("icebreaker started"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(started.contains(" INFO "), "{started}");
    assert!(started.contains("data=in memory only"), "{started}");
    assert!(started.contains("limits="), "{started}");
    assert!(!started.starts_with('{'), "text, not JSON");

    let (server, _) = start(
        &["--bind", "127.0.0.1", "--port", "0", "--ephemeral"],
        &[("RUST_LOG", "warn")],
    );
    let log = stderr_after_stop(server, false);
    assert!(!log.contains("icebreaker started"), "{log}");
}

#[cfg(unix)]
#[tokio::test]
async fn the_json_log_tells_the_evening_and_never_a_secret() {
    let (server, lines) = start(
        &[
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--ephemeral",
            "--log-format",
            "json",
            "--match-ms",
            "100",
        ],
        &[("RUST_LOG", "")],
    );
    let admin = link(&lines, "Admin token");
    let organizer = link(&lines, "Organizer");
    let base = link(&lines, "Join link")
        .split("/e/")
        .next()
        .unwrap()
        .to_string();
    let mut secrets = vec![
        admin.clone(),
        organizer.split("key=").nth(1).unwrap().to_string(),
    ];
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("{base}/api/events"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "Second", "group_size": 3}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = created["code"].as_str().unwrap().to_string();
    let host_key = created["host_key"].as_str().unwrap().to_string();
    secrets.push(host_key.clone());
    let mut private = Vec::new();
    let join = async |i: usize| {
        let answers = serde_json::json!({
            "name": format!("Zelda{i} Quartermaine"),
            "interests": [format!("xylophones{i}")],
            "work": format!("Builds lighthouses{i}"),
            "ask_me_about": format!("my pet axolotl{i}"),
            "weird_fact": format!("I once ate a cactus{i}"),
            "spot_me": format!("purple hat{i}"),
        });
        let joined: serde_json::Value = client
            .post(format!("{base}/api/events/{code}/attendees"))
            .json(&answers)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = joined["token"].as_str().unwrap().to_string();
        let contact = client
            .put(format!("{base}/api/events/{code}/attendees/me/contact"))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "email": format!("zelda{i}@example.org"),
                "phone": format!("+4420794609{i:02}"),
                "link": format!("https://example.org/zelda{i}"),
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(contact.status(), 200);
        let mut texts: Vec<String> = ["name", "work", "ask_me_about", "weird_fact", "spot_me"]
            .iter()
            .map(|f| answers[f].as_str().unwrap().to_string())
            .collect();
        texts.push(format!("xylophones{i}"));
        texts.extend([
            format!("zelda{i}@example.org"),
            format!("794609{i:02}"),
            format!("example.org/zelda{i}"),
            token,
        ]);
        texts
    };
    for i in 0..6 {
        private.extend(join(i).await);
    }
    let round = client
        .post(format!("{base}/api/events/{code}/rounds"))
        .bearer_auth(&host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(round.status(), 201);
    private.extend(join(6).await);
    let ended = client
        .post(format!("{base}/api/events/{code}/end"))
        .bearer_auth(&host_key)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 204);

    let log = stderr_after_stop(server, true);
    let records: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let find = |message: &str| {
        records
            .iter()
            .find(|r| {
                r["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(message))
            })
            .unwrap_or_else(|| panic!("no {message:?} in {log}"))
    };
    let started = find("icebreaker started");
    assert!(
        started["public_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert_eq!(started["data"], "in memory only");
    assert!(started["limits"].as_str().unwrap().contains("live streams"));
    assert_eq!(
        records
            .iter()
            .filter(|r| r["message"] == "event created")
            .count(),
        2,
        "{log}"
    );
    let round = find("round started");
    assert_eq!(
        (round["event"].as_str(), round["round"].as_u64()),
        (Some(code.as_str()), Some(1))
    );
    assert_eq!(round["people"], 6);
    assert_eq!(round["tables"], 2);
    assert!(round["planning_ms"].is_u64());
    let late = find("late arrivals seated");
    assert_eq!(late["arrivals"], 1);
    let ended = find("event ended");
    assert_eq!(
        (ended["attendees"].as_u64(), ended["rounds"].as_u64()),
        (Some(7), Some(1))
    );
    find("stopping");
    find("server stopped");
    assert!(
        records
            .iter()
            .all(|r| r["level"].is_string() && r["timestamp"].is_string())
    );

    for secret in secrets.iter().chain(&private) {
        assert!(
            !log.contains(secret.as_str()),
            "{secret:?} is in the log:\n{log}"
        );
    }
}

/// `--open` hands the board's link to the default browser: on Linux the
/// `webbrowser` crate asks `$BROWSER` first, here a script that writes
/// down what it was given.
#[cfg(target_os = "linux")]
#[test]
fn open_hands_the_board_to_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("icebreaker-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let opened = dir.join("opened.txt");
    let browser = dir.join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let browser_env = browser.display().to_string();
    let (_server, lines) = start(
        &[
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--ephemeral",
            "--open",
        ],
        &[("BROWSER", browser_env.as_str())],
    );
    let board = link(&lines, "Board");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let written = || {
        std::fs::read_to_string(&opened)
            .ok()
            .filter(|t| t.ends_with('\n'))
    };
    while written().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let given = written().expect("the browser was started");
    assert_eq!(given.trim(), board);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The open-files limit of process `pid`: (soft, hard), from /proc.
#[cfg(target_os = "linux")]
fn open_files_limit(pid: u32) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    let numbers: Vec<&str> = line.split_whitespace().skip(3).take(2).collect();
    (numbers[0].to_string(), numbers[1].to_string())
}

#[cfg(target_os = "linux")]
#[test]
fn the_open_files_limit_is_raised_and_the_budget_printed() {
    let hard = Command::new("sh")
        .args(["-c", "ulimit -Hn"])
        .output()
        .unwrap();
    let hard = String::from_utf8(hard.stdout).unwrap().trim().to_string();
    if hard == "unlimited" || hard.parse::<u64>().is_ok_and(|h| h <= 256) {
        eprintln!("skipped: the hard open-files limit ({hard}) leaves nothing to raise");
        return;
    }
    // Started with a soft limit of 256, as on a Mac.
    let child = Command::new("sh")
        .args([
            "-c",
            "ulimit -Sn 256 && exec \"$0\" --bind 127.0.0.1 --port 0 --ephemeral",
            env!("CARGO_BIN_EXE_icebreaker"),
        ])
        .env_remove("ICEBREAKER_ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let lines = banner(&mut server.0);
    let budget = lines.iter().find(|l| l.contains("Connections:")).unwrap();
    assert!(budget.contains("raised from 256"), "{budget}");
    assert!(budget.contains("per address"), "{budget}");
    let (soft, max) = open_files_limit(server.0.id());
    assert_eq!(soft, max, "the soft limit is the hard limit now");
    assert_eq!(max, hard);
}
