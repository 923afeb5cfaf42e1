//! Static assets compiled into the binary, so the one executable is all a
//! venue laptop needs. Each is served under a versioned URL (a hash of its
//! content) so browsers may cache it for good and still see a new release.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

/// The one stylesheet: phones, board and host console.
pub const STYLE_CSS: &str = include_str!("../static/style.css");

/// The one script: live updates, countdowns, board paging, wake lock.
pub const APP_JS: &str = include_str!("../static/app.js");

/// The tab icon (two speech bubbles), linked from every page.
pub const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

/// The same icon at 16, 32 and 48 px, for `/favicon.ico`, which browsers
/// and bookmarks ask for whatever the page links (drawn by
/// `static/favicon.py`).
pub const FAVICON_ICO: &[u8] = include_bytes!("../static/favicon.ico");

/// A short content hash, for cache-busting URLs.
fn version(content: &str) -> String {
    let mut hasher = rustc_hash::FxHasher::default();
    content.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

static STYLE_VERSION: LazyLock<String> = LazyLock::new(|| version(STYLE_CSS));
static SCRIPT_VERSION: LazyLock<String> = LazyLock::new(|| version(APP_JS));
static FAVICON_VERSION: LazyLock<String> = LazyLock::new(|| version(FAVICON_SVG));

/// The SVG icon's URL, changing whenever its content does.
pub fn favicon_url() -> String {
    format!("/static/favicon.svg?v={}", *FAVICON_VERSION)
}

/// The stylesheet's URL, changing whenever its content does.
pub fn style_url() -> String {
    format!("/static/style.css?v={}", *STYLE_VERSION)
}

/// The script's URL, changing whenever its content does.
pub fn script_url() -> String {
    format!("/static/app.js?v={}", *SCRIPT_VERSION)
}
