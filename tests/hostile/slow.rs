//! Slow clients: a body trickled a byte at a time is cut soon after its
//! headers, so it cannot hold a connection (and a file handle) for long.

use super::*;

/// Sends headers promising a 200-byte body, then one byte every 300 ms
/// for up to 15 s; returns what the server answered and after how long
/// from the headers, or `None` if it never answered.
fn trickle(address: &str, path: &str, content_type: &str) -> Option<(String, Duration)> {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: 200\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while started.elapsed() < Duration::from_secs(15) {
        if stream.write_all(b"a").is_err() && answer.is_empty() {
            // Closed before answering: a cut, but without a word.
            return Some((String::new(), started.elapsed()));
        }
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if !answer.is_empty() {
                    // Answered but not closed: keep reading for the close.
                    continue;
                }
            }
            Err(_) => break,
        }
    }
    (!answer.is_empty()).then(|| {
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    })
}

#[tokio::test]
async fn a_trickled_body_is_cut_with_408_soon_after_its_headers() {
    let app = spawn_app_with(|c| c.limits.body_timeout = Duration::from_secs(2)).await;
    let address = app.address.trim_start_matches("http://").to_string();
    let code = app.code.clone();
    let cases = [
        (format!("/e/{code}"), "application/x-www-form-urlencoded"),
        (format!("/api/events/{code}/attendees"), "application/json"),
    ];
    for (path, content_type) in cases {
        let address = address.clone();
        let (answer, after) =
            tokio::task::spawn_blocking(move || trickle(&address, &path, content_type))
                .await
                .unwrap()
                .expect("the trickled body was never cut");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
        assert!(after < Duration::from_secs(8), "cut after {after:?}");
    }
    assert_alive(&app).await;
    // A body sent at once is not affected.
    app.join("Quick", &["chess"]).await;
}

/// `GET /healthz` on a new connection from `source`; the status line, or
/// `None` if `source` cannot be used on this machine.
fn health_from(address: &str, source: &str) -> Option<String> {
    use socket2::{Domain, Socket, Type};
    let target: std::net::SocketAddr = address.parse().unwrap();
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let local: std::net::SocketAddr = format!("{source}:0").parse().unwrap();
    socket.bind(&local.into()).ok()?;
    socket.connect(&target.into()).ok()?;
    let mut stream: TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    Some(answer.lines().next().unwrap_or_default().to_string())
}

#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let app = spawn_app_with(|c| c.limits.connections_per_client = 3).await;
    let address = app.address.trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        // Three idle connections: the address's whole share.
        let held: Vec<TcpStream> = (0..3)
            .map(|_| TcpStream::connect(&address).unwrap())
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        let over = health_from(&address, "127.0.0.1").unwrap();
        assert!(over.contains("503"), "{over}");
        match health_from(&address, "127.0.0.2") {
            Some(other) => assert!(other.contains("200"), "another address is served: {other}"),
            None => eprintln!("skipped: 127.0.0.2 is not a loopback address on this machine"),
        }
        drop(held);
        std::thread::sleep(Duration::from_millis(200));
        let again = health_from(&address, "127.0.0.1").unwrap();
        assert!(
            again.contains("200"),
            "closed connections free their places: {again}"
        );
    })
    .await
    .unwrap();
}
