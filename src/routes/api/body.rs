//! Reading JSON request bodies with a message per field.
//!
//! Bodies are read as a JSON object and each field is taken out with its
//! expected type, so a wrong type is reported against the field's name
//! ("interests: expected a list of strings") instead of as a parser
//! position, and unknown fields are refused rather than ignored.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde_json::{Map, Value};

use super::ApiError;
use crate::domain::FieldErrors;

/// The most a request body may hold: a profile is well under 2 KB.
pub const BODY_LIMIT: usize = 16 * 1024;

/// A request body that is a JSON object, with field-by-field access.
#[derive(Debug, Default)]
pub struct JsonObject {
    fields: Map<String, Value>,
    errors: BTreeMap<&'static str, String>,
}

impl FromRequest for JsonObject {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<JsonObject, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code().as_u16() == 413 {
                    ApiError::TooLarge(BODY_LIMIT)
                } else {
                    ApiError::BadRequest(format!("could not read the request body: {e}"))
                }
            })?;
            JsonObject::parse(&bytes)
        })
    }
}

impl JsonObject {
    /// Parses a body; an empty body counts as `{}`.
    pub fn parse(bytes: &[u8]) -> Result<JsonObject, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonObject::default());
        }
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
        match value {
            Value::Object(fields) => Ok(JsonObject {
                fields,
                errors: BTreeMap::new(),
            }),
            _ => Err(ApiError::BadRequest(
                "the body must be a JSON object, e.g. {\"name\": \"Ada\"}".into(),
            )),
        }
    }

    /// A string field; `null` or absent is `None`.
    pub fn string(&mut self, key: &'static str) -> Option<String> {
        match self.fields.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.errors.insert(key, format!("{key} must be a string"));
                None
            }
        }
    }

    /// A list of strings; a single string is split at commas, as the form
    /// does.
    pub fn string_list(&mut self, key: &'static str) -> Option<Vec<String>> {
        match self.fields.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(crate::domain::split_interest_list(&s)),
            Some(Value::Array(items)) => {
                let strings: Option<Vec<String>> = items
                    .into_iter()
                    .map(|v| match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                if strings.is_none() {
                    self.errors
                        .insert(key, format!("{key} must be a list of strings"));
                }
                strings
            }
            Some(_) => {
                self.errors
                    .insert(key, format!("{key} must be a list of strings"));
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        match self.fields.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(_) => {
                self.errors
                    .insert(key, format!("{key} must be true or false"));
                None
            }
        }
    }

    /// A whole number within `range`.
    pub fn integer<T: TryFrom<u64> + Copy>(
        &mut self,
        key: &'static str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Option<T> {
        let bad = |errors: &mut BTreeMap<&'static str, String>| {
            errors.insert(
                key,
                format!(
                    "{key} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
            None
        };
        match self.fields.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_u64().filter(|v| range.contains(v)) {
                Some(v) => T::try_from(v).ok().or_else(|| bad(&mut self.errors)),
                None => bad(&mut self.errors),
            },
            Some(_) => bad(&mut self.errors),
        }
    }

    /// Ends reading: fields not taken are unknown; any error is a 422.
    pub fn finish(mut self) -> Result<(), ApiError> {
        for key in self.fields.keys() {
            let shown: String = key.chars().take(40).collect();
            self.errors
                .entry("unknown")
                .or_insert_with(|| format!("unknown field {shown:?}"));
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(FieldErrors(self.errors)))
        }
    }

    /// Adds the errors of a later check (e.g. profile validation) to the
    /// type errors found so far, so the client hears about all at once.
    fn finish_with(mut self, more: FieldErrors) -> Result<(), ApiError> {
        for (k, v) in more.0 {
            self.errors.entry(k).or_insert(v);
        }
        self.finish()
    }

    /// Ends reading with the outcome of a check of what was read: its
    /// value, or every error at once (type errors, unknown fields and the
    /// check's own).
    pub fn finish_checked<T>(self, checked: Result<T, FieldErrors>) -> Result<T, ApiError> {
        self.finish_with(checked.as_ref().err().cloned().unwrap_or_default())?;
        checked.map_err(ApiError::invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_are_reported_per_field() {
        let mut body =
            JsonObject::parse(br#"{"name": 5, "interests": [1], "present": "yes"}"#).unwrap();
        assert_eq!(body.string("name"), None);
        assert_eq!(body.string_list("interests"), None);
        assert_eq!(body.boolean("present"), None);
        let Err(ApiError::Invalid { fields, .. }) = body.finish() else {
            panic!("expected a 422");
        };
        assert_eq!(fields["name"], "name must be a string");
        assert_eq!(fields["interests"], "interests must be a list of strings");
        assert_eq!(fields["present"], "present must be true or false");
    }

    #[test]
    fn unknown_fields_and_non_objects_are_refused() {
        let mut body = JsonObject::parse(br#"{"name": "Ada", "admin": true}"#).unwrap();
        assert_eq!(body.string("name").as_deref(), Some("Ada"));
        assert!(matches!(body.finish(), Err(ApiError::Invalid { .. })));
        assert!(matches!(
            JsonObject::parse(b"[1]"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            JsonObject::parse(b"{\"a\":"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            JsonObject::parse(b"\xff\xfe"),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn integers_must_be_in_range() {
        let mut body = JsonObject::parse(br#"{"a": 4, "b": 400, "c": -1, "d": 2.5}"#).unwrap();
        assert_eq!(body.integer::<usize>("a", 2..=12), Some(4));
        assert_eq!(body.integer::<usize>("b", 2..=12), None);
        assert_eq!(body.integer::<usize>("c", 2..=12), None);
        assert_eq!(body.integer::<usize>("d", 2..=12), None);
        let Err(ApiError::Invalid { fields, .. }) = body.finish() else {
            panic!("expected a 422");
        };
        assert_eq!(fields.len(), 3);
    }
}
