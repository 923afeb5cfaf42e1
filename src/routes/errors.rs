//! Errors of the HTML pages, each rendered as a page a person can act on.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};

use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The code is malformed or no event has it: the page offers the code
    /// form again.
    #[error("no event with code {0:?}")]
    UnknownEvent(String),
    /// A host page without a valid host key.
    #[error("this page needs the organizer's link")]
    NotHost,
    /// The admin page without the admin token.
    #[error("this page needs the admin token")]
    NotAdmin,
    /// An attendee page without a valid cookie: back to the join form.
    #[error("not joined")]
    NotJoined { code: String },
    /// The organizer removed this attendee: the page says so and offers
    /// nothing else.
    #[error("removed from the event")]
    Removed,
    /// The request makes no sense, e.g. an unknown attendee number.
    #[error("{0}")]
    NotFound(&'static str),
    /// The page exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A form the server cannot read at all (too large, wrong encoding).
    #[error("{0}")]
    BadForm(String),
}

impl PageError {
    /// A page's answer to a refused attendee credential: unknown events
    /// get the code form, missing or stale credentials the join form.
    pub(crate) fn refused(refusal: super::credential::Refusal, raw_code: &str) -> PageError {
        use super::credential::Refusal;
        match refusal {
            Refusal::UnknownEvent => PageError::unknown_event(raw_code),
            Refusal::Removed => PageError::Removed,
            Refusal::Missing | Refusal::Malformed | Refusal::Invalid => PageError::NotJoined {
                code: raw_code.to_string(),
            },
        }
    }

    /// An unknown code, keeping (a short prefix of) what was typed to show
    /// it back in the form.
    pub fn unknown_event(typed: &str) -> PageError {
        PageError::UnknownEvent(typed.trim().chars().take(20).collect())
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::UnknownEvent(_) | PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::NotHost | PageError::NotAdmin | PageError::Removed => StatusCode::FORBIDDEN,
            PageError::NotJoined { .. } => StatusCode::SEE_OTHER,
            PageError::BadForm(_) => StatusCode::BAD_REQUEST,
            PageError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let page = match self {
            PageError::UnknownEvent(typed) => views::unknown_event_page(typed),
            PageError::NotHost => views::message_page(
                "Organizers only",
                "This page needs the organizer's link with its key. Ask the organizer, or open the link printed when the server started.",
            ),
            PageError::NotAdmin => views::message_page(
                "Admins only",
                "Open /admin?token=… with the admin token printed when the server started (or set in ICEBREAKER_ADMIN_TOKEN).",
            ),
            PageError::NotJoined { code } => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, format!("/e/{code}")))
                    .finish();
            }
            PageError::Removed => views::message_page(
                "You were removed from this event",
                "The organizer removed you from this event, so this page no longer shows anything. If you think this is a mistake, please talk to the organizer.",
            ),
            PageError::NotFound(message) => views::message_page("Not found", message),
            PageError::BadForm(message) => views::message_page("Something went wrong", message),
            PageError::MethodNotAllowed => views::message_page(
                "Not here",
                "This address does not take that kind of request. Use the page's buttons and links.",
            ),
        };
        HttpResponse::build(self.status_code())
            .content_type(ContentType::html())
            .body(page.into_string())
    }
}
