//! Building the web application around a listener, so the binary, the
//! tests and the examples start exactly the same server (tests bind port 0
//! and ask which port they got).

use std::net::TcpListener;

use actix_governor::Governor;
use actix_web::body::BoxBody;
use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header;
use actix_web::middleware::{Compress, DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use crate::routes::api::{ApiError, BODY_LIMIT};
use crate::routes::{self, PageError};
use crate::state::AppState;

/// Headers on every answer: no content sniffing, no referrer (links carry
/// keys and personal tokens), nothing but our own files, no framing, and
/// no caching: pages and answers carry personal links, host keys, names
/// and contact details, which must not stay in a shared computer's cache
/// or a proxy's. (Only an answer that sets its own `Cache-Control`, the
/// versioned stylesheet and script and the QR code, is cached.)
const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
];

/// Connections the system queues before the server accepts them. The
/// standard library's 128 is too few when a room of phones reconnects at
/// once after the Wi-Fi drops: the rest would be refused and retry later.
const LISTEN_BACKLOG: i32 = 4096;

/// A listening socket with a deep accept queue, reusable right after a
/// restart (no "address in use" while old connections time out).
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}

/// A running server and the port it listens on.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Serves `state` on `listener` with `workers` threads (0: one per
    /// core).
    pub fn build(
        state: AppState,
        listener: TcpListener,
        workers: usize,
    ) -> std::io::Result<Application> {
        let port = listener.local_addr()?.port();
        let shutdown = state.clone();
        let limiter = crate::limits::write_limiter(&state.config().limits).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the rate limit settings cannot make a limiter",
            )
        })?;
        let connections = state.clone();
        let connections_total = state.config().limits.connections_total as usize;
        let data = web::Data::new(state);
        let mut server = HttpServer::new(move || {
            let mut headers = DefaultHeaders::new();
            for h in SECURITY_HEADERS {
                headers = headers.add(h);
            }
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(BODY_LIMIT))
                .app_data(
                    web::FormConfig::default()
                        .limit(BODY_LIMIT)
                        .error_handler(|e, _| PageError::BadForm(form_error(&e)).into()),
                )
                .app_data(web::QueryConfig::default().error_handler(|e, req| {
                    if req.path().starts_with("/api/") {
                        ApiError::BadRequest(format!("the query string is not valid: {e}")).into()
                    } else {
                        PageError::BadForm(e.to_string()).into()
                    }
                }))
                .wrap(from_fn(acknowledge_when_stored))
                .wrap(from_fn(read_body_in_time))
                .wrap(from_fn(same_origin_only))
                .wrap(from_fn(within_connection_budget))
                .wrap(from_fn(explain_bare_errors))
                .wrap(Compress::default())
                // A client over its limit costs nothing more.
                .wrap(Governor::new(&limiter))
                .wrap(from_fn(head_like_get))
                // Outermost, so every answer has them (429s included).
                .wrap(headers)
                .configure(routes::routes)
                .default_service(web::to(not_found))
        })
        // Each connection is counted against its address's share of the
        // open-files budget; one over it is answered 503 and closed.
        .on_connect(move |io, extensions| {
            let peer = io
                .downcast_ref::<actix_web::rt::net::TcpStream>()
                .and_then(|tcp| tcp.peer_addr().ok());
            if let Some(peer) = peer {
                match connections.open_connection(peer.ip()) {
                    Some(permit) => {
                        extensions.insert(ConnectionPermit(permit));
                    }
                    None => {
                        extensions.insert(OverBudget);
                    }
                }
            }
        })
        .listen(listener)?
        // Open live streams never finish by themselves: without a short
        // timeout, stopping the server would wait 30 s for them.
        .shutdown_timeout(3)
        // Signals are ours (see `run_until_signal`): live streams are told
        // the server is restarting before it stops.
        .disable_signals();
        let workers = if workers > 0 {
            workers
        } else {
            std::thread::available_parallelism().map_or(1, usize::from)
        };
        server = server.workers(workers);
        if connections_total > 0 {
            // The framework's cap is per worker.
            server = server.max_connections(connections_total.div_ceil(workers));
        }
        Ok(Application {
            port,
            server: server.run(),
            state: shutdown,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped (tests drop it with the test).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Serves until Ctrl-C or SIGTERM, then shuts down gracefully: stops
    /// accepting, tells every live stream the server is restarting,
    /// finishes requests in flight (their writes included), and commits
    /// every queued write before returning.
    pub async fn run_until_signal(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let state = self.state.clone();
        tokio::spawn(async move {
            stop_signal().await;
            tracing::info!("stopping: finishing requests in flight and saving queued writes");
            state.begin_shutdown();
            handle.stop(true).await;
        });
        let result = self.server.await;
        self.state.store().close();
        tracing::info!("server stopped");
        result
    }
}

/// HEAD is answered like GET, without the body (HTTP requires it wherever
/// GET works; uptime checkers use it). The server leaves out the body of
/// an answer to a HEAD request by itself.
async fn head_like_get(
    mut req: ServiceRequest,
    next: Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    // Live streams never end, so there is no "GET without the body" for
    // them: HEAD there is a 405 like any other method they do not take.
    let stream = req.path().starts_with("/e/") && req.path().ends_with("/events");
    if req.method() == Method::HEAD && !stream {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// Errors the framework answers by itself with an empty body (a wrong
/// method's 405) get a message: JSON under `/api`, a page elsewhere. Their
/// headers (such as `Allow`) stay.
async fn explain_bare_errors(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::ResponseError;
    use actix_web::body::MessageBody;
    let api = req.path().starts_with("/api/");
    let response = next.call(req).await?;
    let status = response.status();
    let bare = status == actix_web::http::StatusCode::METHOD_NOT_ALLOWED
        && matches!(
            response.response().body().size(),
            actix_web::body::BodySize::Sized(0) | actix_web::body::BodySize::None
        );
    if !bare {
        return Ok(response);
    }
    let (request, old) = response.into_parts();
    let mut explained = if api {
        ApiError::MethodNotAllowed.error_response()
    } else {
        PageError::MethodNotAllowed.error_response()
    };
    for (name, value) in old.headers() {
        if name == header::ALLOW {
            explained.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(request, explained))
}

/// Ctrl-C, or SIGTERM where there are Unix signals.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A request that changed something is answered only once its writes are
/// committed to the data file: an acknowledged join survives a crash right
/// after. If the store gave them up (after retrying, see `store::writer`),
/// the change is undone in memory before the answer, a 503: nothing of a
/// request told "not saved" stays behind.
async fn acknowledge_when_stored(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (response, submitted) = crate::store::Store::track(next.call(req)).await;
    let response = response?;
    let Some(state) = state.filter(|_| submitted > 0) else {
        return Ok(response);
    };
    match state.store().flushed(submitted).await {
        Ok(()) => Ok(response),
        Err(e) => {
            let undo = state.get_ref().clone();
            let _ = tokio::task::spawn_blocking(move || undo.roll_back_unsaved()).await;
            let (request, _) = response.into_parts();
            let answer = HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, "5"))
                .json(serde_json::json!({
                    "error": format!("the change could not be saved ({e}), so nothing was changed; try again in 5 s"),
                    "fields": {},
                }));
            Ok(ServiceResponse::new(request, answer))
        }
    }
}

/// A connection's place in its address's share of the budget, held for as
/// long as the connection is open.
#[allow(dead_code)] // held for its Drop
struct ConnectionPermit(crate::limits::StreamPermit);

/// Marks a connection its address had no place left for.
#[derive(Clone, Copy)]
struct OverBudget;

/// Answers every request on a connection over its address's budget with a
/// 503, and closes it, so the handle is freed for others at once.
async fn within_connection_budget(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.request().conn_data::<OverBudget>().is_none() {
        return next.call(req).await;
    }
    let (request, _) = req.into_parts();
    let answer = HttpResponse::ServiceUnavailable()
        .insert_header((header::RETRY_AFTER, "5"))
        .force_close()
        .json(serde_json::json!({
            "error": "too many connections from your address at once; close some and try again in 5 s",
            "fields": {},
        }));
    Ok(ServiceResponse::new(request, answer))
}

/// Refuses (403) a change sent by a page of another site: see
/// [`crate::origin`] for which headers decide and why.
async fn same_origin_only(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::ResponseError;
    let public_url = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.config().public_url.clone())
        .unwrap_or_default();
    let Err(refusal) = crate::origin::check(req.method(), req.headers(), &public_url) else {
        return next.call(req).await;
    };
    let (request, _) = req.into_parts();
    let message = format!("{refusal}; use this site's own pages");
    let answer = if request.path().starts_with("/api/") {
        ApiError::Forbidden(message).error_response()
    } else {
        let mut page = PageError::BadForm(crate::routes::sentence(&message)).error_response();
        *page.status_mut() = actix_web::http::StatusCode::FORBIDDEN;
        page
    };
    Ok(ServiceResponse::new(request, answer))
}

/// Reads a request's body before the handler runs, and gives up (408,
/// connection closed) if it has not all arrived within the body timeout
/// of the headers. Only as much as the handlers accept (`BODY_LIMIT`, and
/// one byte more so they can tell it is too long) is read and kept.
async fn read_body_in_time(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use tokio_stream::StreamExt;
    let with_body = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    // A length over the limit is refused up front by the handler's
    // extractor (413), without waiting for a body it will not read.
    let too_long = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|length| length > BODY_LIMIT as u64);
    if !with_body || too_long {
        return next.call(req).await;
    }
    let timeout = req
        .app_data::<web::Data<AppState>>()
        .map_or(crate::limits::Limits::default().body_timeout, |state| {
            state.config().limits.body_timeout
        });
    let mut payload = req.parts_mut().1.take();
    let mut body = web::BytesMut::new();
    let read = tokio::time::timeout(timeout, async {
        while body.len() <= BODY_LIMIT {
            match payload.next().await {
                Some(chunk) => body.extend_from_slice(&chunk?),
                None => break,
            }
        }
        Ok::<(), actix_web::error::PayloadError>(())
    })
    .await;
    match read {
        Ok(Ok(())) => {
            body.truncate(BODY_LIMIT + 1);
            req.set_payload(actix_web::dev::Payload::from(body.freeze()));
            next.call(req).await
        }
        // A broken body is the handler's to report, as before.
        Ok(Err(e)) => {
            let (request, _) = req.into_parts();
            let answer = if request.path().starts_with("/api/") {
                use actix_web::ResponseError;
                ApiError::BadRequest(format!("could not read the request body: {e}"))
                    .error_response()
            } else {
                use actix_web::ResponseError;
                PageError::BadForm(format!("The form could not be read: {e}.")).error_response()
            };
            Ok(ServiceResponse::new(request, answer))
        }
        Err(_) => {
            let (request, _) = req.into_parts();
            let seconds = timeout.as_secs_f32();
            let message = format!(
                "the request body did not arrive within {seconds} s of its headers; send it again"
            );
            let mut answer = HttpResponse::RequestTimeout();
            answer.force_close();
            let answer = if request.path().starts_with("/api/") {
                answer.json(serde_json::json!({ "error": message, "fields": {} }))
            } else {
                answer.content_type("text/html; charset=utf-8").body(
                    crate::views::message_page("Too slow", &crate::routes::sentence(&message))
                        .into_string(),
                )
            };
            Ok(ServiceResponse::new(request, answer))
        }
    }
}

fn form_error(e: &actix_web::error::UrlencodedError) -> String {
    use actix_web::error::UrlencodedError;
    match e {
        UrlencodedError::Overflow { .. } => {
            format!("The form is too long (more than {BODY_LIMIT} bytes).")
        }
        _ => format!("The form could not be read: {e}."),
    }
}

/// Anything no route matches: JSON under `/api`, a page elsewhere.
async fn not_found(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    if req.path().starts_with("/api/") {
        ApiError::NotFound("no such API endpoint").error_response()
    } else {
        let mut response =
            PageError::NotFound("There is no page at this address.").error_response();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        response
    }
}
