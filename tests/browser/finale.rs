//! The finale on a real projector-sized screen.

use super::*;

/// A 720p projector: the finale must fit it as well as 1080p.
const SMALL_PROJECTOR: Window = Window {
    width: 1280,
    height: 720,
    phone: false,
};

/// Elements of the finale that stick out of the window or are cut off
/// inside their box, with their sizes: what a projector would not show.
const CLIPPED: &str = "
    var out = [];
    var all = document.querySelectorAll('#live .finale-head, #live .figure, \
        #live .finale-body section, #live .finale-foot, #live .met-chart, #live .top-interests li');
    for (var i = 0; i < all.length; i++) {
        var el = all[i], r = el.getBoundingClientRect();
        var what = el.className.baseVal !== undefined ? el.className.baseVal : el.className;
        if (r.width < 1 || r.height < 1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) {
            out.push(what + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round));
        }
        if (el.tagName !== 'svg' && el.scrollHeight > el.clientHeight + 1) {
            out.push(what + ' overflows: ' + el.scrollHeight + ' > ' + el.clientHeight);
        }
    }
    return out;";

/// The organizer ends the event: the projected board turns into the
/// finale without a reload, with the figures of the board JSON, and
/// nothing is cut off on a 1080p or a 720p projector.
#[tokio::test]
async fn the_board_turns_into_the_finale_without_a_reload_and_fits_the_screen() {
    with_browsers(
        "the_board_turns_into_the_finale_without_a_reload_and_fits_the_screen",
        &[BOARD, SMALL_PROJECTOR],
        |app, clients| async move {
            let interests = ["chess", "jazz", "Board games", "hiking"];
            for i in 0..12 {
                app.join(&format!("Person {i}"), &interests[i % 3..i % 3 + 2])
                    .await;
            }
            for _ in 0..3 {
                app.start_round().await;
            }
            for screen in &clients {
                screen
                    .goto(&app.url(&format!("/e/{}/board", app.code)))
                    .await
                    .unwrap();
                wait_for_text(screen, "#live .status", "Round 3", WAIT).await;
                set_marker(screen).await;
            }

            app.end_event_as(&app.code, &app.host_key).await;
            let finale = app.board().await["finale"].clone();
            let figures: Vec<String> = ["people", "rounds", "new_pairs", "mutual_pairs"]
                .iter()
                .map(|k| finale[k].to_string())
                .collect();
            assert_eq!(figures[..2], ["12", "3"]);

            for screen in &clients {
                wait_for_text(screen, "#live .thanks", "Thank you for coming!", WAIT).await;
                assert_not_reloaded(screen, "board after the end").await;
                assert_eq!(texts(screen, "#live .figure .value").await, figures);
                let chart = wait_for(screen, "#live svg.met-chart", WAIT).await;
                assert!(chart.is_displayed().await.unwrap());
                settle(screen).await;
                let clipped = screen.execute(CLIPPED, vec![]).await.unwrap();
                assert_eq!(clipped, json!([]), "cut off: {clipped}");
                // The way back to "people I met": the code, served by URL,
                // has loaded and is drawn at a scannable size.
                let qr = screen
                    .execute(
                        "const i = document.querySelector('#live img.met-qr');\
                         return i && i.complete && i.naturalWidth > 0\
                         ? i.getBoundingClientRect().height / innerHeight : 0;",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert!(
                    qr.as_f64().unwrap() > 0.08,
                    "the QR code loaded and is big enough: {qr} of the height"
                );
                let height = screen
                    .execute(
                        "return document.querySelector('#live .met-chart')\
                         .getBoundingClientRect().height / innerHeight;",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert!(
                    height.as_f64().unwrap() > 0.3,
                    "the chart is big enough to read: {height} of the height"
                );
            }
        },
    )
    .await;
}
