//! Static assets compiled into the binary, so the one executable is all a
//! venue laptop needs. Each is served under a versioned URL (a hash of its
//! content) so browsers may cache it for good and still see a new release.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

/// The one stylesheet as written: phones, board and host console. Served
/// as [`style_css`], with the fonts' versioned URLs in it.
pub const STYLE_CSS: &str = include_str!("../static/style.css");

/// The one script: live updates, countdowns, board paging, wake lock.
pub const APP_JS: &str = include_str!("../static/app.js");

/// The tab icon (two speech bubbles), linked from every page.
pub const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

/// The same icon at 16, 32 and 48 px, for `/favicon.ico`, which browsers
/// and bookmarks ask for whatever the page links (drawn by
/// `static/favicon.py`).
pub const FAVICON_ICO: &[u8] = include_bytes!("../static/favicon.ico");
/// A font file the stylesheet names by `/static/fonts/{name}`.
pub struct Font {
    /// The file name, as the stylesheet's `url()` and the route name it.
    pub name: &'static str,
    /// The WOFF2 file itself.
    pub bytes: &'static [u8],
}

/// The board's typeface, Atkinson Hyperlegible by the Braille Institute
/// (made for legibility; SIL Open Font License 1.1, whose text is
/// `static/fonts/OFL.txt`): regular and bold, Latin and Latin Extended
/// subsets as `@fontsource/atkinson-hyperlegible` 5.3.0 ships them. Other
/// scripts fall back to the system's fonts.
pub const FONTS: [Font; 4] = [
    Font {
        name: "atkinson-hyperlegible-latin-400.woff2",
        bytes: include_bytes!("../static/fonts/atkinson-hyperlegible-latin-400.woff2"),
    },
    Font {
        name: "atkinson-hyperlegible-latin-700.woff2",
        bytes: include_bytes!("../static/fonts/atkinson-hyperlegible-latin-700.woff2"),
    },
    Font {
        name: "atkinson-hyperlegible-latin-ext-400.woff2",
        bytes: include_bytes!("../static/fonts/atkinson-hyperlegible-latin-ext-400.woff2"),
    },
    Font {
        name: "atkinson-hyperlegible-latin-ext-700.woff2",
        bytes: include_bytes!("../static/fonts/atkinson-hyperlegible-latin-ext-700.woff2"),
    },
];

/// The font licence, served beside the fonts as the OFL asks.
pub const FONT_LICENCE: &str = include_str!("../static/fonts/OFL.txt");

/// A short content hash, for cache-busting URLs.
fn version(content: &[u8]) -> String {
    let mut hasher = rustc_hash::FxHasher::default();
    content.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

static FAVICON_VERSION: LazyLock<String> = LazyLock::new(|| version(FAVICON_SVG.as_bytes()));

/// The SVG icon's URL, changing whenever its content does.
pub fn favicon_url() -> String {
    format!("/static/favicon.svg?v={}", *FAVICON_VERSION)
}

/// The stylesheet with each font's URL versioned by the font's content, so
/// the stylesheet's own version changes with any font.
static STYLE: LazyLock<String> = LazyLock::new(|| {
    FONTS.iter().fold(STYLE_CSS.to_string(), |css, font| {
        let plain = format!("/static/fonts/{})", font.name);
        let versioned = format!("/static/fonts/{}?v={})", font.name, version(font.bytes));
        css.replace(&plain, &versioned)
    })
});
static STYLE_VERSION: LazyLock<String> = LazyLock::new(|| version(STYLE.as_bytes()));
static SCRIPT_VERSION: LazyLock<String> = LazyLock::new(|| version(APP_JS.as_bytes()));

/// The stylesheet as served.
pub fn style_css() -> &'static str {
    &STYLE
}

/// The font called `name`, if there is one.
pub fn font(name: &str) -> Option<&'static Font> {
    FONTS.iter().find(|f| f.name == name)
}

/// The stylesheet's URL, changing whenever its content does.
pub fn style_url() -> String {
    format!("/static/style.css?v={}", *STYLE_VERSION)
}

/// The script's URL, changing whenever its content does.
pub fn script_url() -> String {
    format!("/static/app.js?v={}", *SCRIPT_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_is_named_in_the_stylesheet_with_its_version() {
        for font in &FONTS {
            let url = format!("/static/fonts/{}?v={})", font.name, version(font.bytes));
            assert!(style_css().contains(&url), "{url}");
            assert!(font.bytes.starts_with(b"wOF2"), "{} is WOFF2", font.name);
        }
        assert!(!style_css().contains(".woff2)"), "no unversioned font URL");
        assert!(FONT_LICENCE.contains("SIL OPEN FONT LICENSE Version 1.1"));
    }
}
