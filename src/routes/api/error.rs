//! Errors of the JSON API: one enum, mapped to status codes in one match,
//! always answered as `{"error": "…", "fields": {…}}`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No credentials, or credentials that match nothing.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Valid credentials without the right to do this, or an event that
    /// does not take this now (registration closed, full).
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(&'static str),
    /// Well-formed JSON with values that do not pass the checks.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// Not JSON, or not a JSON object.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("request body is larger than {0} bytes")]
    TooLarge(usize),
    /// The path exists, the method does not.
    #[error("this address does not take that method (see the Allow header)")]
    MethodNotAllowed,
    /// Over a per-client limit: try again later.
    #[error("{0}")]
    TooMany(&'static str),
    /// Our fault, not the client's.
    #[error("{0}")]
    Internal(&'static str),
}

impl ApiError {
    pub fn unknown_event() -> ApiError {
        ApiError::NotFound("no event with that code")
    }

    /// A 422 for the fields that failed their checks.
    pub fn invalid(errors: FieldErrors) -> ApiError {
        let fields: BTreeMap<String, String> = errors
            .0
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let message = match fields.len() {
            1 => "1 field is not valid".to_string(),
            n => format!("{n} fields are not valid"),
        };
        ApiError::Invalid { message, fields }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: String,
    fields: &'a BTreeMap<String, String>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let empty = BTreeMap::new();
        let fields = match self {
            ApiError::Invalid { fields, .. } => fields,
            _ => &empty,
        };
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, ApiError::Unauthorized(_)) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if matches!(self, ApiError::TooMany(_)) {
            response.insert_header(("Retry-After", "10"));
        }
        response.json(Body {
            error: self.to_string(),
            fields,
        })
    }
}
