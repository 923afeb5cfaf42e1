//! The projected match board.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::home::html;
use super::{PageError, find_event};
use crate::state::AppState;
use crate::views;

#[derive(Debug, Deserialize)]
pub struct BoardQuery {
    /// The page of tables, from 1 (for browsers without JavaScript).
    page: Option<usize>,
}

/// `GET /e/{code}/board`: public (it is on a big screen anyway); shows
/// first names and tables only.
pub async fn page(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, PageError> {
    let slot = find_event(&state, &path).ok_or_else(|| PageError::unknown_event(&path))?;
    state.note_board_opened(&slot);
    let now = state.now();
    let reach = views::ReachNote {
        status: slot.reach.status(now),
        join_url: &slot.join_url,
    };
    Ok(html(views::board_page(
        &slot.read(),
        &slot.join_url,
        slot.qr_svg.as_deref(),
        now,
        query.page.unwrap_or(1),
        &reach,
    )))
}
