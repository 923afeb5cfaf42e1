//! QR codes for the join URL, as inline SVG (no image crate, nothing loaded
//! from elsewhere).

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
}
