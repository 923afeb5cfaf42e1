//! The page frame every page shares.

use maud::{DOCTYPE, Markup, html};

/// A whole page. `refresh` is a meta refresh (`"10"` or `"10;url=…"`) that
/// keeps the board and phones current when JavaScript is off; `class`
/// styles the body (`board`, `host` or none for phones).
pub fn layout(title: &str, refresh: Option<&str>, class: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(refresh) = refresh {
                    // Only without JavaScript: with it, the page updates
                    // itself from the server's live stream.
                    noscript { meta http-equiv="refresh" content=(refresh); }
                }
                title { (title) " · Icebreaker" }
                link rel="stylesheet" href=(crate::assets::style_url());
                link rel="icon" type="image/svg+xml" href=(crate::assets::favicon_url());
                script src=(crate::assets::script_url()) defer {}
            }
            body class=(class) {
                main { (body) }
            }
        }
    }
}
