//! The front page, the health check, the stylesheet, the script and the
//! tab icon.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use maud::Markup;
use serde::Deserialize;

use super::{PageError, find_event};
use crate::state::AppState;
use crate::views;

#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    code: Option<String>,
}

/// `GET /`: the "enter the event code" page; with `?code=` it sends the
/// visitor to the event, or says the code is unknown.
pub async fn home(
    state: web::Data<AppState>,
    query: web::Query<CodeQuery>,
) -> Result<HttpResponse, PageError> {
    let Some(typed) = query.into_inner().code else {
        return Ok(html(views::home_page()));
    };
    match find_event(&state, &typed) {
        Some(slot) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/e/{}", slot.code)))
            .finish()),
        None => Err(PageError::unknown_event(&typed)),
    }
}

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The stylesheet; its URL carries a content hash, so it may be cached.
pub async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(crate::assets::style_css())
}

/// The page script; versioned URL like the stylesheet.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(crate::assets::APP_JS)
}

/// The tab icon as SVG (linked from every page; versioned URL).
pub async fn favicon_svg() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(crate::assets::FAVICON_SVG)
}

/// `/favicon.ico`: what browsers and bookmarks ask for by themselves. Its
/// URL never changes, so it is cached for a day only.
pub async fn favicon_ico() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/x-icon")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(crate::assets::FAVICON_ICO)
}

/// `GET /static/fonts/{name}`: the board's typeface (versioned URLs from
/// the stylesheet, so cached for good), and its licence as `OFL.txt`.
pub async fn font(name: web::Path<String>) -> HttpResponse {
    if name.as_str() == "OFL.txt" {
        return HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(crate::assets::FONT_LICENCE);
    }
    match crate::assets::font(&name) {
        Some(font) => HttpResponse::Ok()
            .content_type("font/woff2")
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            // Already compressed: not worth gzipping again.
            .insert_header(header::ContentEncoding::Identity)
            .body(font.bytes),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("No such font."),
    }
}

/// A page, 200 OK.
pub(crate) fn html(page: Markup) -> HttpResponse {
    html_with_status(actix_web::http::StatusCode::OK, page)
}

/// A page with another status: a form shown again with its mistakes
/// (422), an action refused (403, 409).
pub(crate) fn html_with_status(status: actix_web::http::StatusCode, page: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}
