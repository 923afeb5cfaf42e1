//! The console's list of everyone who joined: searched and paged on the
//! server, so a console of 5,000 people sends one page of rows (and its
//! live stream re-sends only that page), not 5,000.

use maud::{Markup, html};

use super::post_button;
use crate::event::{Attendee, Presence, Seat, Snapshot};

/// Rows on one page of the people list: enough to scan, few enough that
/// the page and its live updates stay small at any head count.
pub const PEOPLE_PAGE: usize = 100;

/// What the organizer asked to see of the list: a search (name, what they
/// do, or their number) and a page (1 = the newest people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleQuery {
    pub filter: String,
    /// From 1.
    pub page: usize,
}

impl Default for PeopleQuery {
    /// Everyone, first page.
    fn default() -> Self {
        PeopleQuery {
            filter: String::new(),
            page: 1,
        }
    }
}

impl PeopleQuery {
    /// The query from `?q=` and `?page=` as typed: a page that is not a
    /// number is page 1.
    pub fn new(filter: &str, page: Option<&str>) -> Self {
        PeopleQuery {
            filter: filter.trim().to_string(),
            page: page.and_then(|p| p.trim().parse().ok()).unwrap_or(1).max(1),
        }
    }

    /// The query part of a console address for page `page` of this
    /// search ("?q=ada&page=2"; "" for the first page of everyone).
    fn query_string(&self, page: usize) -> String {
        let mut parts = Vec::new();
        if !self.filter.is_empty() {
            parts.push(format!("q={}", percent_encode(&self.filter)));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The address of the console's people stream for this query.
    pub fn stream_url(&self, code: &str) -> String {
        let query = self.query_string(self.page);
        format!("/e/{code}/host/people/events{query}")
    }

    /// Whether `a` matches the search: their number ("12" or "#12"), or
    /// part of their name or "what I do", in any case.
    fn matches(&self, a: &Attendee, needle: &str) -> bool {
        if needle.is_empty() {
            return true;
        }
        let number = needle.strip_prefix('#').unwrap_or(needle);
        if number.parse() == Ok(a.id) {
            return true;
        }
        a.profile.name.to_lowercase().contains(needle)
            || a.profile.work.to_lowercase().contains(needle)
    }
}

/// `text` for a URL's query: letters, digits and `-._~` as they are,
/// everything else as `%XX` bytes.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn presence_label(p: Presence) -> &'static str {
    match p {
        Presence::Present => "here",
        Presence::OnBreak => "on a break",
        Presence::Left => "left",
        Presence::Removed => "removed",
    }
}

/// "just now", "12 min ago", "2 h 5 min ago".
fn ago(then: i64, now: i64) -> String {
    let minutes = (now - then).max(0) / 60_000;
    match minutes {
        0 => "just now".to_string(),
        1..=59 => format!("{minutes} min ago"),
        _ => format!("{} h {} min ago", minutes / 60, minutes % 60),
    }
}

/// Where `a` sits now, as the console says it.
fn table_now(event: &Snapshot, a: &Attendee) -> String {
    match event.seat_of(a.id) {
        Seat::Table { table, .. } => event.settings.table_label(table),
        Seat::Waiting { .. } => "waiting for a table".to_string(),
        Seat::Lobby | Seat::Away => String::new(),
    }
}

/// One person's row: their number (the id the JSON API uses), name,
/// status, when they joined, their table, and what can be done.
fn row(event: &Snapshot, a: &Attendee, now: i64) -> Markup {
    let code = event.code.as_str();
    let removed = a.presence == Presence::Removed;
    html! {
        tr.removed[removed] {
            td.no { "#" (a.id) }
            td {
                (a.profile.name)
                @if a.public.name != a.profile.name { br; small.muted { "shown as " (a.public.name) } }
                @if !a.profile.work.is_empty() { br; small.muted { (a.profile.work) } }
            }
            td { (presence_label(a.presence)) }
            td { (ago(a.joined_at, now)) }
            td { (table_now(event, a)) }
            td.actions {
                @if a.erased_at.is_some() {
                    small.muted { "deleted their details" }
                } @else {
                    a.button.secondary.small href=(format!("/e/{code}/host/attendees/{}", a.id)) { "Edit" }
                }
                " "
                @if removed {
                    (post_button(format!("/e/{code}/host/restore/{}", a.id), "Restore", "small"))
                } @else {
                    form method="post" action=(format!("/e/{code}/host/remove/{}", a.id))
                        data-confirm=(format!("Remove {} (#{}) from the event? They leave their table and the board; you can restore them.", a.profile.name, a.id)) {
                        button.danger.small type="submit" { "Remove" }
                    }
                }
            }
        }
    }
}

/// Links to the other pages of the list (the first, the last, and those
/// near this one), for browsers with or without JavaScript.
fn pager(event: &Snapshot, query: &PeopleQuery, page: usize, pages: usize) -> Markup {
    let code = event.code.as_str();
    let href = |p: usize| format!("/e/{code}/host{}#people", query.query_string(p));
    let mut shown: Vec<usize> = (page.saturating_sub(2).max(1)..=(page + 2).min(pages)).collect();
    shown.extend([1, pages]);
    shown.sort_unstable();
    shown.dedup();
    // Each page number, and whether pages are skipped before it.
    let links: Vec<(bool, usize)> = shown
        .iter()
        .enumerate()
        .map(|(i, &p)| (i > 0 && shown[i - 1] + 1 < p, p))
        .collect();
    html! {
        nav.pager aria-label="People pages" {
            @if page > 1 { a href=(href(page - 1)) rel="prev" { "‹ Newer" } } @else { span.muted { "‹ Newer" } }
            @for (gap, p) in links {
                @if gap { span.muted { "…" } }
                @if p == page {
                    strong aria-current="page" { (p) }
                } @else {
                    a href=(href(p)) { (p) }
                }
            }
            @if page < pages { a href=(href(page + 1)) rel="next" { "Older ›" } } @else { span.muted { "Older ›" } }
        }
    }
}

/// One page of the people list for `query`, newest first, with the count
/// of people and matches and links to the other pages.
pub fn people_list(event: &Snapshot, now: i64, query: &PeopleQuery) -> Markup {
    let needle = query.filter.to_lowercase();
    let mut matches = 0;
    let mut rows: Vec<&Attendee> = Vec::with_capacity(PEOPLE_PAGE);
    let skip = query.page.saturating_sub(1).saturating_mul(PEOPLE_PAGE);
    for a in event.attendees().iter().rev() {
        if query.matches(a, &needle) {
            if matches >= skip && rows.len() < PEOPLE_PAGE {
                rows.push(a);
            }
            matches += 1;
        }
    }
    let pages = matches.div_ceil(PEOPLE_PAGE).max(1);
    // A page past the end (people left the search) shows the last one.
    if query.page > pages {
        let last = PeopleQuery {
            page: pages,
            ..query.clone()
        };
        return people_list(event, now, &last);
    }
    let first = skip + 1;
    let last = skip + rows.len();
    html! {
        p.people-count {
            strong { (event.attendees().len()) } " joined"
            @if !query.filter.is_empty() { " · " strong { (matches) } " match “" (query.filter) "”" }
            @if matches > 0 { " · showing " (first) "–" (last) ", newest first" }
        }
        @if rows.is_empty() {
            p.muted {
                @if query.filter.is_empty() { "Nobody has joined yet." } @else { "Nobody matches that search." }
            }
        } @else {
            table.people {
                thead { tr { th { "No." } th { "Name" } th { "Status" } th { "Joined" } th { "Table now" } th {} } }
                tbody { @for a in rows { (row(event, a, now)) } }
            }
        }
        @if pages > 1 { (pager(event, query, query.page, pages)) }
    }
}
