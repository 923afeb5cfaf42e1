//! The table signs: table tents whose QR code, read from the SVG the
//! server serves, is the join URL.

use reqwest::StatusCode;

use crate::helpers::*;

/// The text of the QR code in `svg`, drawn at `size` pixels square (as a
/// printer or a phone camera would see it: black on white) and decoded.
pub(crate) fn decode_qr(svg: &str, size: u32) -> Vec<String> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    let pixels = pixmap.data();
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        // Premultiplied RGBA on white: the red channel is the grey level.
        pixels[(y * width + x) * 4]
    });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().unwrap().1)
        .collect()
}

/// The value of the first `name="…"` attribute after `from` in `html`.
fn attribute_after<'a>(html: &'a str, from: &str, name: &str) -> &'a str {
    let at = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &html[at..];
    let start = rest.find(&format!(r#"{name}=""#)).unwrap() + name.len() + 2;
    let end = start + rest[start..].find('"').unwrap();
    &rest[start..end]
}

#[tokio::test]
async fn table_tents_carry_the_join_qr_code_and_short_url_on_both_faces() {
    let app = spawn_app().await;
    let signs = app.text(&format!("/e/{}/signs?n=3", app.code)).await;
    let join_url = format!("{}/e/{}", app.address, app.code);
    let short = join_url.trim_start_matches("http://");
    assert_eq!(signs.matches(r#"class="sheet sign""#).count(), 3);
    // Each sheet: the face twice, the top one upside down (the tent's back).
    assert_eq!(signs.matches(r#"class="sign-face sign-back""#).count(), 3);
    assert_eq!(signs.matches(r#"class="sign-face""#).count(), 3);
    assert_eq!(signs.matches(r#"class="sign-qr""#).count(), 6);
    // The short URL, which may wrap only before a "/": the host and the
    // code each stay whole on a narrow sign.
    let pieces: Vec<String> = short
        .replace('/', "\n/")
        .lines()
        .map(|p| format!(r#"<span class="nobreak">{p}</span>"#))
        .collect();
    let url = format!(r#"<p class="sign-url">{}</p>"#, pieces.join("<wbr>"));
    assert!(
        url.contains(&format!(r#"<span class="nobreak">/{}</span>"#, app.code)),
        "{url}"
    );
    assert_eq!(signs.matches(&url).count(), 6, "{url}");
    assert_eq!(signs.matches(r#"<p class="sign-number">2</p>"#).count(), 2);

    // The QR code the signs show, as the server serves it, reads as the
    // join URL.
    let src = attribute_after(&signs, r#"class="sign-qr""#, "src");
    let response = app.get(src).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.unwrap();
    // 62 mm printed at 300 dpi is about 730 px; a phone camera sees less.
    for size in [730, 240] {
        assert_eq!(
            decode_qr(&svg, size),
            std::slice::from_ref(&join_url),
            "at {size} px"
        );
    }

    // Printing: no page margins (so no browser header where the browser
    // honours it), and the page says how to turn it off otherwise.
    let css = app.text("/static/style.css?v=1").await;
    assert!(css.contains("@page{size:A4;margin:0}"));
    assert!(css.contains(".sign-back{transform:rotate(180deg)}"));
    assert!(signs.contains("turn off “Headers and footers” in the print dialog"));
}

#[tokio::test]
async fn long_table_numbers_and_names_get_sizes_that_fit() {
    let app = spawn_app().await;
    let signs = app.text(&format!("/e/{}/signs?n=120", app.code)).await;
    assert_eq!(signs.matches(r#"<p class="sign-number">99</p>"#).count(), 2);
    assert_eq!(
        signs
            .matches(r#"<p class="sign-number long">100</p>"#)
            .count(),
        2
    );
    // The QR image is one address for every sign, fetched once.
    let srcs: std::collections::HashSet<&str> = signs
        .split(r#"class="sign-qr" src=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(srcs.len(), 1);
    assert!(signs.len() < 400_000, "{} bytes for 120 tents", signs.len());
}
