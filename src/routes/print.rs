//! The printables: QR poster and table signs. Public, like the board:
//! they carry nothing that is not on the wall anyway.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::home::html;
use super::{PageError, find_event};
use crate::state::AppState;
use crate::views;

/// `GET /e/{code}/poster`.
pub async fn poster(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    Ok(html(views::poster_page(
        &slot.read(),
        &slot.join_url,
        slot.qr_svg.as_deref(),
    )))
}

#[derive(Debug, Deserialize)]
pub struct SignsQuery {
    /// How many signs; text so a typo gets a page, not an error.
    n: Option<String>,
}

/// `GET /e/{code}/signs?n=N`: N table tents, each with the join QR code
/// and short URL (default: the tables of the current
/// round, or enough for everyone present, at least 1; at most 500).
pub async fn signs(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<SignsQuery>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    let event = slot.read();
    let default = event.current_round().map_or_else(
        || event.present_count().div_ceil(event.settings.group_size),
        |r| r.tables.len(),
    );
    let count = query
        .n
        .as_deref()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(default)
        .clamp(1, views::MAX_SIGNS);
    Ok(html(views::signs_page(
        &event,
        count,
        &slot.join_url,
        slot.qr_svg.is_some(),
    )))
}
