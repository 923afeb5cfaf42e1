//! `icebreaker` with no sub-command, as an organizer runs it: the real
//! binary starts a server, prints the links and serves them; bad flags exit
//! with code 2.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

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
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.contains("Ctrl-C");
        lines.push(line);
        if done {
            break;
        }
    }
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
    let mut child = Command::new("sh")
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
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.contains("Ctrl-C");
        lines.push(line);
        if done {
            break;
        }
    }
    let budget = lines.iter().find(|l| l.contains("Connections:")).unwrap();
    assert!(budget.contains("raised from 256"), "{budget}");
    assert!(budget.contains("per address"), "{budget}");
    let (soft, max) = open_files_limit(server.0.id());
    assert_eq!(soft, max, "the soft limit is the hard limit now");
    assert_eq!(max, hard);
}
