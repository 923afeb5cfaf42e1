//! The board's closing screen, once the organizer ends the event: the
//! evening in a few big numbers, the most shared interests and a chart of
//! how many new people each attendee met, drawn here as SVG (no chart
//! script: it shows with JavaScript off and arrives whole over the board's
//! live stream). Read from the back of a room at 1920×1080; sized in
//! screen heights so a 1280×720 projector shows the same.

use maud::{Markup, html};

use crate::event::{Finale, MetBar, Snapshot, round_step};

/// Bars the chart draws at most; beyond that, numbers of people met are
/// grouped in ranges (see [`Finale::bars`]) so every bar stays readable.
pub const CHART_BARS: usize = 24;

/// The chart's drawing area, in viewBox units: it scales to its box.
const WIDTH: f64 = 1100.0;
const HEIGHT: f64 = 440.0;
/// Room around the plot for the axis labels and the counts above bars
/// (on the left it depends on the widest y axis label).
const RIGHT: f64 = 16.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 96.0;
/// Text sizes in viewBox units (about pixels at 1080p).
const TEXT: f64 = 28.0;
/// Smallest text worth drawing: below it, labels are thinned out instead.
const MIN_TEXT: f64 = 18.0;
/// Average width of a digit or dash relative to the text size.
const CHAR_WIDTH: f64 = 0.62;
/// Labels side by side need this much of their width again as a gap.
const SPACING: f64 = 1.4;

/// A coordinate, to a tenth of a unit.
fn at(x: f64) -> String {
    format!("{x:.1}")
}

/// "12,345": figures read at a glance from across the room.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One big figure with what it counts, singular or plural.
fn figure(key: &str, n: usize, one: &str, many: &str) -> Markup {
    html! {
        div.figure data-figure=(key) {
            span.value { (grouped(n)) }
            span.label { (if n == 1 { one } else { many }) }
        }
    }
}

/// The way back to "people I met" for someone who closed the tab: a QR
/// code of `/e/{code}/met` (on the phone they joined with it opens their
/// list; elsewhere the join page says to open their personal link),
/// served once by `/e/{code}/met-qr.svg`, and the same address to type.
fn met_link(code: &str, join_url: &str, goodbye: Markup) -> Markup {
    let met_url = format!("{join_url}/met");
    let short = met_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string();
    html! {
        div.finale-foot {
            div.finale-qr {
                img.met-qr src=(format!("/e/{code}/met-qr.svg")) alt=(format!("QR code of {short}"));
            }
            div.finale-foot-text {
                p.finale-bye { (goodbye) }
                p.finale-met {
                    "Closed the tab? Scan the code or open " span.url { (short) } " on the phone you joined with."
                }
            }
        }
    }
}

/// The closing screen (the board's live part once the event has ended).
/// `join_url` is the event's join address (the way back to "people I
/// met" is next to it).
pub fn finale_screen(event: &Snapshot, finale: &Finale, join_url: &str) -> Markup {
    html! {
        div.board-wrap.finale data-pages="1" {
            header.finale-head {
                h1 { (event.name) }
                p.thanks { "Thank you for coming!" }
            }
            div.figures {
                (figure("people", finale.people(), "person came", "people came"))
                (figure("rounds", finale.rounds, "round", "rounds"))
                (figure("new_pairs", finale.new_pairs, "new connection", "new connections"))
                (figure("mutual_pairs", finale.mutual_pairs, "pair staying in touch", "pairs staying in touch"))
            }
            div.finale-body {
                section.finale-chart {
                    h2 { "New people met per attendee" }
                    @if finale.rounds == 0 {
                        p.finale-none { "No rounds were played, so nobody was seated with anyone." }
                    } @else if finale.people() == 0 {
                        p.finale-none { "Nobody is left to count." }
                    } @else {
                        (chart(finale))
                        p.met-summary {
                            "Each person met " strong { (format!("{:.1}", finale.average_met())) }
                            " new people on average, up to " strong { (finale.max_met()) } "."
                        }
                    }
                }
                section.finale-interests {
                    h2 { "Top shared interests" }
                    @if finale.top_interests.is_empty() {
                        p.finale-none { "No interest was named by two people or more." }
                    } @else {
                        ol.top-interests {
                            @for (interest, held) in &finale.top_interests {
                                li {
                                    span.interest { (interest) }
                                    span.held { (grouped(*held)) " people" }
                                }
                            }
                        }
                    }
                }
            }
            (met_link(event.code.as_str(), join_url, html! {
                // One line on the projector either way: the regulars'
                // line takes the place of the longer goodbye.
                @if finale.regulars > 0 {
                    (grouped(finale.regulars)) " of you came back. See you next time! Your phone has the people you met."
                } @else {
                    "On your phone: the people you met, and staying in touch. Safe travels home!"
                }
            }))
        }
    }
}

/// How many people a bar covers: "3", or "10–14" for a range.
fn bar_label(bar: &MetBar) -> String {
    if bar.from == bar.to {
        bar.from.to_string()
    } else {
        format!("{}–{}", bar.from, bar.to)
    }
}

/// What a bar says, for screen readers and as its tooltip: "4 attendees
/// met 3 people".
fn bar_phrase(bar: &MetBar) -> String {
    let who = if bar.attendees == 1 {
        "attendee"
    } else {
        "attendees"
    };
    let whom = if bar.from == 1 && bar.to == 1 {
        "person"
    } else {
        "people"
    };
    format!("{} {who} met {} {whom}", bar.attendees, bar_label(bar))
}

/// How to write labels `chars` long in slots `slot` wide: the text size,
/// and every how many slots one is written (1: all) so none overlap.
fn label_fit(slot: f64, chars: usize) -> (f64, usize) {
    let width_at = |size: f64| size * CHAR_WIDTH * chars.max(1) as f64 * SPACING;
    let mut every = 1;
    while width_at(MIN_TEXT) > slot * every as f64 {
        every += 1;
    }
    let size = (slot * every as f64 / width_at(1.0)).min(TEXT);
    (size, every)
}

/// "New people met per attendee" as an SVG bar chart: x, how many people
/// someone met; y, how many attendees met that many.
fn chart(finale: &Finale) -> Markup {
    let bars = finale.bars(CHART_BARS);
    let tallest = bars.iter().map(|b| b.attendees).max().unwrap_or(0).max(1);
    // At most four steps up the y axis.
    let step = round_step(tallest, 4);
    let y_top = tallest.div_ceil(step) * step;
    let y_label = CHAR_WIDTH * TEXT * grouped(y_top).len() as f64;
    let left = 1.4 * TEXT + y_label + 16.0;
    let plot_w = WIDTH - left - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_h;
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot * 0.72).min(160.0);
    let y_of = |n: usize| base - n as f64 / y_top as f64 * plot_h;
    // Ranges are all as wide (but the last), so the x axis names where
    // each starts and its title says how wide they are: big labels
    // rather than small "10–14"s.
    let range = bars.first().map_or(1, |b| b.to - b.from + 1);
    let labels: Vec<String> = bars.iter().map(|b| b.from.to_string()).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let (label_size, label_every) = label_fit(slot, longest);
    let digits = grouped(tallest).len();
    let count_size = (slot * 0.95 / (CHAR_WIDTH * digits as f64)).clamp(12.0, TEXT + 4.0);
    let summary: Vec<String> = bars
        .iter()
        .filter(|b| b.attendees > 0)
        .map(bar_phrase)
        .collect();
    html! {
        svg.met-chart role="img" aria-labelledby="met-chart-title met-chart-desc"
            viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) preserveAspectRatio="xMidYMid meet" {
            title #met-chart-title { "New people met per attendee" }
            desc #met-chart-desc { "Bar chart: " (summary.join("; ")) "." }
            @for i in 0..=(y_top / step) {
                @let y = y_of(i * step);
                line.grid x1=(at(left)) x2=(WIDTH - RIGHT) y1=(at(y)) y2=(at(y)) {}
                text.y-tick x=(at(left - 12.0)) y=(at(y + TEXT * 0.35)) text-anchor="end" font-size=(TEXT) {
                    (grouped(i * step))
                }
            }
            @for (i, (bar, label)) in bars.iter().zip(&labels).enumerate() {
                @let middle = left + slot * (i as f64 + 0.5);
                @if bar.attendees > 0 {
                    rect.bar x=(at(middle - bar_w / 2.0)) y=(at(y_of(bar.attendees)))
                        width=(at(bar_w)) height=(at(base - y_of(bar.attendees))) rx="4" {
                        title { (bar_phrase(bar)) }
                    }
                    text.bar-count x=(at(middle)) y=(at(y_of(bar.attendees) - 10.0))
                        text-anchor="middle" font-size=(at(count_size)) {
                        (grouped(bar.attendees))
                    }
                }
                @if i.is_multiple_of(label_every) {
                    text.x-tick x=(at(middle)) y=(at(base + 12.0 + label_size))
                        text-anchor="middle" font-size=(at(label_size)) {
                        (label)
                    }
                }
            }
            line.axis x1=(at(left)) x2=(WIDTH - RIGHT) y1=(base) y2=(base) {}
            text.axis-title x=(at(left + plot_w / 2.0)) y=(HEIGHT - 10.0) text-anchor="middle" font-size=(TEXT) {
                @if range > 1 {
                    "New people met, in ranges of " (range) " (0–" (range - 1) ", " (range) "–" (2 * range - 1) ", …)"
                } @else { "Number of new people met" }
            }
            text.axis-title x="0" y="0" text-anchor="middle" font-size=(TEXT)
                transform=(format!("translate({:.1} {:.1}) rotate(-90)", 0.9 * TEXT, TOP + plot_h / 2.0)) {
                "Attendees"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn labels_that_do_not_fit_are_thinned_not_shrunk_to_nothing() {
        // Wide slots: every label, full size.
        assert_eq!(label_fit(200.0, 2), (TEXT, 1));
        // 24 slots of "38–39": every other one or fewer, never tiny.
        let (size, every) = label_fit(37.0, 5);
        assert!(every > 1);
        assert!(size >= MIN_TEXT);
        assert!(size * CHAR_WIDTH * 5.0 * SPACING <= 37.0 * every as f64);
    }

    fn finale(met_histogram: Vec<usize>) -> Finale {
        Finale::from_histogram(met_histogram, 5)
    }

    #[test]
    fn forty_numbers_met_become_at_most_twenty_four_labelled_bars() {
        let mut histogram = vec![3; 41];
        histogram[7] = 0;
        histogram[6] = 0;
        let svg = chart(&finale(histogram)).into_string();
        // Ranges of 2: 0–1 … 38–39, then 40; 6–7 met by nobody.
        assert_eq!(svg.matches(r#"<rect class="bar""#).count(), 20);
        assert!(svg.contains("New people met, in ranges of 2 (0–1, 2–3, …)"));
        assert!(svg.contains("<title>6 attendees met 38–39 people</title>"));
        assert!(svg.contains("<title>3 attendees met 40 people</title>"));
        assert!(svg.contains("6 attendees met 0–1 people; 6 attendees met 2–3 people;"));
    }

    #[test]
    fn numbers_nobody_met_have_no_bar_but_keep_their_place() {
        let svg = chart(&finale(vec![1, 0, 4])).into_string();
        assert_eq!(svg.matches(r#"<rect class="bar""#).count(), 2);
        assert_eq!(svg.matches(r#"<text class="x-tick""#).count(), 3);
        assert!(svg.starts_with(r#"<svg class="met-chart" role="img""#));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
