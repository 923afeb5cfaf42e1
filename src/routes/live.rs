//! Live streams (Server-Sent Events) for the board and the phones.
//!
//! Every stream watches its event's published snapshots: on connect it
//! sends the current state (so a reconnect resyncs, no missed round), then
//! a new state after each change that alters what its viewer sees. A
//! `watch` channel keeps only the newest snapshot, so a slow client skips
//! straight to the latest state instead of queueing old ones; nothing is
//! locked per client. Browsers reconnect by themselves (`retry`); comment
//! lines keep idle streams open through proxies.

use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpRequest, Responder, web};
use actix_web_lab::sse::{self, Sse};
use serde::Serialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::api::ApiError;
use super::credential::{self, Refusal, Source};
use super::{cookie_secret, find_event, host_cookie_name};
use crate::event::Snapshot;
use tokio::sync::watch;

use crate::state::AppState;
use crate::views;

/// Idle streams get a comment line this often, well under the minute
/// after which proxies and phones tend to drop quiet connections.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon a browser reconnects after losing the stream.
const RETRY: Duration = Duration::from_secs(2);

/// One message: the new HTML of the live part of the page, the snapshot's
/// version and the server's clock (for the countdown's skew correction).
#[derive(Serialize)]
struct State<'a> {
    v: u64,
    now: i64,
    html: &'a str,
}

fn fingerprint(html: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    html.hash(&mut hasher);
    hasher.finish()
}

/// What a stream reacts to.
enum Item {
    /// A new snapshot of the event.
    State(Arc<Snapshot>),
    /// The server is stopping.
    Restarting,
    /// The event is gone (deleted): the stream ends.
    Gone,
}

/// A stream of `state` events, rendering each snapshot with `render` and
/// skipping those that look the same to this viewer.
fn stream<R: Fn(&Snapshot, i64) -> String + 'static>(
    state: AppState,
    req: &HttpRequest,
    snapshots: watch::Receiver<Arc<Snapshot>>,
    render: R,
) -> Result<impl Responder + use<R>, ApiError> {
    // Counted while the stream is open: the permit lives in the stream.
    let permit = match req.peer_addr() {
        Some(addr) => Some(state.open_stream(addr.ip()).ok_or(ApiError::TooMany(
            "too many live streams from your address; try again later",
        ))?),
        None => None,
    };
    let mut last = None;
    // When the server begins to stop, every stream says so once (pages
    // show "server restarting…" and reconnect when it is back).
    let restarting = WatchStream::new(state.shutdown_signal())
        .filter(|stopping| *stopping)
        .map(|_| Item::Restarting);
    // When the event is deleted its snapshots end, and so does the stream.
    let snapshots = WatchStream::new(snapshots)
        .map(Item::State)
        .chain(tokio_stream::once(Item::Gone));
    let events = snapshots
        .merge(restarting)
        .take_while(|item| !matches!(item, Item::Gone))
        .filter_map(move |item| {
            let _open = &permit;
            let Item::State(snapshot) = item else {
                let data = sse::Data::new("the server is restarting").event("restarting");
                return Some(Ok::<_, Infallible>(sse::Event::Data(data)));
            };
            let now = state.now();
            let html = render(&snapshot, now);
            let print = fingerprint(&html);
            if last == Some(print) {
                return None;
            }
            last = Some(print);
            let message = State {
                v: snapshot.version,
                now,
                html: &html,
            };
            let data = sse::Data::new_json(&message).ok()?.event("state");
            Some(Ok::<_, Infallible>(sse::Event::Data(data)))
        });
    Ok(Sse::from_stream(events)
        .with_keep_alive(KEEP_ALIVE)
        .with_retry_duration(RETRY))
}

/// `GET /e/{code}/board/events`: the board's live stream.
pub async fn board(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<impl Responder, ApiError> {
    let slot = find_event(&state, &path).ok_or_else(ApiError::unknown_event)?;
    // The stream keeps copies, not the event: once an event is deleted its
    // snapshots stop and the stream ends.
    // The QR code never changes: messages refer to it (the browser fetches
    // it once and caches it) rather than carry its SVG, ~9 KB, with every
    // change. The code in the address is checked (letters and digits).
    let join_url = slot.join_url.clone();
    let qr = slot.qr_svg.as_ref().map(|_| {
        format!(
            "<img class=\"qr\" src=\"/e/{}/qr.svg\" alt=\"QR code of the join link\">",
            slot.code
        )
    });
    state.note_board_opened(&slot);
    let reach = Arc::clone(&slot.reach);
    stream(
        state.get_ref().clone(),
        &req,
        slot.subscribe(),
        move |snapshot, now| {
            let note = views::ReachNote {
                status: reach.status(now),
                join_url: &join_url,
            };
            views::board_live(snapshot, &join_url, qr.as_deref(), now, None, &note).into_string()
        },
    )
}

/// `GET /e/{code}/me/events`: one attendee's live stream (their cookie,
/// or `Authorization: Bearer <token>` for scripts).
pub async fn me(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<impl Responder, ApiError> {
    let me =
        credential::attendee(&state, &path, &req, Source::Either).map_err(
            |refusal| match refusal {
                Refusal::Missing | Refusal::Invalid => {
                    ApiError::Unauthorized("join the event first")
                }
                other => super::api::refused(other),
            },
        )?;
    let (slot, id) = (me.slot, me.id);
    stream(
        state.get_ref().clone(),
        &req,
        slot.subscribe(),
        move |snapshot, now| views::me_live(snapshot, id, now).into_string(),
    )
}

/// The event of a console stream, if the request carries its host key.
fn host_slot(
    state: &AppState,
    raw_code: &str,
    req: &HttpRequest,
) -> Result<Arc<crate::state::EventSlot>, ApiError> {
    let slot = find_event(state, raw_code).ok_or_else(ApiError::unknown_event)?;
    let allowed = cookie_secret(req, &host_cookie_name(&slot.code))
        .is_some_and(|key| slot.lock().host_key.matches(&key));
    if !allowed {
        return Err(ApiError::Forbidden(
            "this stream needs the organizer's key".into(),
        ));
    }
    Ok(slot)
}

/// `GET /e/{code}/host/events`: the organizer console's live stream of
/// the round and the review queue (host cookie).
pub async fn host(
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<impl Responder, ApiError> {
    let slot = host_slot(&state, &path, &req)?;
    let (join_url, reach) = (slot.join_url.clone(), Arc::clone(&slot.reach));
    stream(
        state.get_ref().clone(),
        &req,
        slot.subscribe(),
        move |snapshot, now| {
            let note = views::ReachNote {
                status: reach.status(now),
                join_url: &join_url,
            };
            views::host_live(snapshot, now, &note).into_string()
        },
    )
}

/// Which page of the people list a console shows (`?q=&page=`).
#[derive(Debug, serde::Deserialize)]
pub struct PeopleStreamQuery {
    q: Option<String>,
    page: Option<String>,
}

/// `GET /e/{code}/host/people/events?q=&page=`: the console's live stream
/// of the one page of people it shows (host cookie): at 5,000 people an
/// update carries 100 rows, not 5,000.
pub async fn host_people(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PeopleStreamQuery>,
    req: HttpRequest,
) -> Result<impl Responder, ApiError> {
    let slot = host_slot(&state, &path, &req)?;
    let people = views::PeopleQuery::new(
        query.q.as_deref().unwrap_or_default(),
        query.page.as_deref(),
    );
    stream(
        state.get_ref().clone(),
        &req,
        slot.subscribe(),
        move |snapshot, now| views::people_list(snapshot, now, &people).into_string(),
    )
}
