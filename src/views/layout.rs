//! The page frame every page shares.

use maud::{DOCTYPE, Markup, html};

/// A whole page. `refresh` reloads it every so many seconds, which keeps
/// the board and phones current without JavaScript; `class` styles the body
/// (`board`, `host` or none for phones).
pub fn layout(title: &str, refresh: Option<u32>, class: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                title { (title) " · Icebreaker" }
                link rel="stylesheet" href=(crate::assets::style_url());
            }
            body class=(class) {
                main { (body) }
            }
        }
    }
}
