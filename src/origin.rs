//! Cross-site request forgery: a change is accepted only from our own
//! pages, or from a client that is not a browser.
//!
//! The browser attaches our cookies (an attendee's token, the host key)
//! to requests that other pages make, and `SameSite=Lax` lets them through
//! from any *same-site* page: another port on the same host, or a sibling
//! subdomain under a tunnel's shared domain. So every request that may
//! change something (any method but GET, HEAD, OPTIONS) must show that it
//! comes from our origin, by the first of these the browser sent:
//!
//! 1. `Origin`, which must be the public URL's origin or the request's own
//!    (`Host`). Browsers send `Origin: null` on a form post from a page
//!    with `Referrer-Policy: no-referrer`, ours included, so `null` alone
//!    proves nothing and the next header decides.
//! 2. `Sec-Fetch-Site`, which must be `same-origin` (or `none`: typed by
//!    the user).
//! 3. `Referer`, whose origin must be ours.
//!
//! A request with none of them (curl, scripts, the API's clients) is not a
//! browser's, and carries its credential in `Authorization`, which no
//! other page can make a browser send; it passes. An opaque `null` origin
//! with nothing else is refused: that is a sandboxed frame or a `data:`
//! page, not one of ours.

use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap};

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrossSite {
    #[error("this request came from another site ({0}), so it was refused")]
    Origin(String),
    #[error("this request came from another site (Sec-Fetch-Site: {0}), so it was refused")]
    FetchSite(String),
    #[error("this request came from a page of unknown origin, so it was refused")]
    Opaque,
}

/// `scheme://host[:port]` of a URL, lower-cased; `None` if it is not an
/// http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// Passes requests from our own origin (the public URL's, or the one the
/// request was sent to) and requests no browser made; refuses the rest.
pub fn check(method: &Method, headers: &HeaderMap, public_url: &str) -> Result<(), CrossSite> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let host = text(header::HOST.as_str()).map(str::to_ascii_lowercase);
    let ours = |origin: &str| {
        let Some(origin) = origin_of(origin) else {
            return false;
        };
        Some(&origin) == origin_of(public_url).as_ref()
            || host
                .as_deref()
                .is_some_and(|host| origin.split_once("://").is_some_and(|(_, a)| a == host))
    };
    let origin = text(header::ORIGIN.as_str());
    if let Some(origin) = origin.filter(|o| *o != "null") {
        return if ours(origin) {
            Ok(())
        } else {
            Err(CrossSite::Origin(origin.chars().take(100).collect()))
        };
    }
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => Ok(()),
            other => Err(CrossSite::FetchSite(other.chars().take(40).collect())),
        };
    }
    if let Some(referer) = text(header::REFERER.as_str()) {
        return if ours(referer) {
            Ok(())
        } else {
            Err(CrossSite::Origin(
                origin_of(referer).unwrap_or_else(|| "an unknown page".into()),
            ))
        };
    }
    if origin.is_some() {
        return Err(CrossSite::Opaque);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    const PUBLIC: &str = "https://meet.example.org";

    fn post(headers: &[(&str, &str)]) -> Result<(), CrossSite> {
        let mut map = HeaderMap::new();
        map.insert(header::HOST, HeaderValue::from_static("10.0.0.5:8080"));
        for (k, v) in headers {
            map.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        check(&Method::POST, &map, PUBLIC)
    }

    #[test]
    fn our_own_origins_pass() {
        assert!(post(&[("origin", "https://meet.example.org")]).is_ok());
        assert!(post(&[("origin", "http://10.0.0.5:8080")]).is_ok());
        assert!(post(&[("origin", "null"), ("sec-fetch-site", "same-origin")]).is_ok());
        assert!(post(&[("referer", "http://10.0.0.5:8080/e/K7F3Q/me")]).is_ok());
        assert!(post(&[]).is_ok(), "no browser: curl, scripts");
    }

    #[test]
    fn other_sites_are_refused_even_on_the_same_host() {
        assert!(post(&[("origin", "http://10.0.0.5:9999")]).is_err());
        assert!(post(&[("origin", "https://evil.example.org")]).is_err());
        assert!(post(&[("sec-fetch-site", "same-site")]).is_err());
        assert!(post(&[("sec-fetch-site", "cross-site")]).is_err());
        assert!(post(&[("origin", "null"), ("sec-fetch-site", "cross-site")]).is_err());
        assert!(
            post(&[("origin", "null")]).is_err(),
            "an opaque origin alone"
        );
        assert!(post(&[("referer", "http://10.0.0.5:9999/x")]).is_err());
        let mut map = HeaderMap::new();
        map.insert(header::ORIGIN, HeaderValue::from_static("http://x.org"));
        assert!(check(&Method::GET, &map, PUBLIC).is_ok(), "reads pass");
    }
}
