//! QR codes for the join URL, as inline SVG (no image crate, nothing loaded
//! from elsewhere), and as text for the terminal, so the organizer can
//! scan it with their own phone before projecting anything.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code for `url`, ready to inline in HTML or serve as
/// `image/svg+xml`, or `None` if the text is too long to encode.
///
/// Medium error correction: it survives a projector's glare and a phone
/// camera at an angle while keeping the modules large.
pub fn svg(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    // The renderer starts with an XML declaration, which is not allowed
    // inside an HTML document.
    let start = image.find("<svg")?;
    Some(image[start..].to_string())
}

/// The QR code of `url` as text: two modules per character with Unicode
/// half blocks (`▀ ▄ █`), lines ending in `\n`, or `None` if the text is
/// too long to encode.
///
/// Dark modules are drawn with block characters, which suits a light
/// terminal. With `colors`, every line is wrapped in ANSI codes for black
/// on white, so the code reads the same on a dark terminal (where plain
/// blocks would come out inverted, which not every scanner reads).
pub fn terminal(url: &str, colors: bool) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::L).ok()?;
    let image = code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Dark)
        .light_color(Dense1x2::Light)
        .quiet_zone(true)
        .build();
    let mut text = String::with_capacity(image.len() * 2);
    for line in image.lines() {
        if colors {
            // Black on bright white, then back to the terminal's colours.
            text.push_str("\x1b[30;107m");
            text.push_str(line);
            text.push_str("\x1b[0m\n");
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_inlinable() {
        let image = svg("http://192.168.1.20:8080/e/ABCDE").unwrap();
        assert!(image.starts_with("<svg"));
        assert!(image.ends_with("</svg>"));
        assert!(!image.contains("<?xml"));
    }

    #[test]
    fn text_beyond_qr_capacity_is_refused() {
        assert!(svg(&"x".repeat(5000)).is_none());
    }

    #[test]
    fn the_terminal_code_is_half_blocks_with_a_quiet_zone() {
        let text = terminal("http://192.168.1.20:8080/e/ABCDE", false).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // Two modules a line: a version 3 code (29 modules) and a quiet
        // zone of 4 on each side take 37 columns and 19 lines.
        assert_eq!((width, lines.len()), (37, 19));
        assert!(lines[0].chars().all(|c| c == ' '), "quiet zone on top");
        assert!(
            text.chars()
                .all(|c| " \u{2580}\u{2584}\u{2588}\n".contains(c))
        );
        let colored = terminal("http://192.168.1.20:8080/e/ABCDE", true).unwrap();
        assert!(
            colored
                .lines()
                .all(|l| l.starts_with("\x1b[30;107m") && l.ends_with("\x1b[0m"))
        );
        assert!(terminal(&"x".repeat(5000), false).is_none());
    }
}
