//! "Find your name": the board's alphabetical index of everyone seated
//! (shown name → table), as conference check-in screens have, so nobody
//! scans every card for their own name. Its pages take turns with the
//! pages of tables (see [`super::board`]); sorted with case and accents
//! folded (see [`super::board_names::fold`]), down each column.

use maud::{Markup, html};

use super::board_layout::{IndexLayout, fit_class};
use super::board_names::fold;

/// One line of the index.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// What it is sorted by: the folded name.
    key: String,
    /// The name as the board shows it.
    pub name: String,
    /// The table's number or name.
    pub table: String,
}

impl IndexEntry {
    pub fn new(name: String, table: String) -> IndexEntry {
        IndexEntry {
            key: fold(&name),
            name,
            table,
        }
    }
}

/// Sorts the index: folded name, then as typed, then by table.
pub fn sort(entries: &mut [IndexEntry]) {
    entries.sort_by(|a, b| (&a.key, &a.name, &a.table).cmp(&(&b.key, &b.name, &b.table)));
}

/// The first letter of an entry, upper case, for the page's range
/// ("A – F").
fn initial(entry: &IndexEntry) -> String {
    entry
        .key
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// One page of the index: its entries laid out down each column, as a
/// printed list reads. `page` is the board's page number (`data-page`);
/// `shown` whether this page is the one up.
pub fn index_page(
    entries: &[IndexEntry],
    layout: &IndexLayout,
    page: usize,
    shown: bool,
) -> Markup {
    let columns = layout.columns.max(1);
    let rows = entries.len().div_ceil(columns).max(1);
    // Row by row in the markup (the grid fills rows), column by column in
    // reading order.
    let order = (0..rows)
        .flat_map(|r| (0..columns).map(move |c| c * rows + r))
        .filter_map(|i| entries.get(i).map(|e| (i, e)));
    let range = match (entries.first(), entries.last()) {
        (Some(first), Some(last)) if initial(first) != initial(last) => {
            format!("{} – {}", initial(first), initial(last))
        }
        (Some(first), _) => initial(first),
        _ => String::new(),
    };
    html! {
        div class=(format!("page index-page ic{columns} fs{}", layout.px)) data-page=(page) hidden[!shown] {
            h2.index-head { "Find your name " span.range { (range) } }
            ol.index-list {
                @for (_, entry) in order {
                    li {
                        span class=(name_class(&entry.name, layout)) { (entry.name) }
                        span.at { (entry.table) }
                    }
                }
            }
        }
    }
}

/// The name's classes: `who`, and a `fit…` one if it is too wide for its
/// column.
fn name_class(name: &str, layout: &IndexLayout) -> String {
    match fit_class(name, layout.px, layout.name_width) {
        Some(fit) => format!("who fit {fit}"),
        None => "who fit".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(names: &[&str]) -> Vec<IndexEntry> {
        let mut entries: Vec<IndexEntry> = names
            .iter()
            .enumerate()
            .map(|(i, n)| IndexEntry::new(n.to_string(), (i + 1).to_string()))
            .collect();
        sort(&mut entries);
        entries
    }

    #[test]
    fn the_index_sorts_with_case_and_accents_folded() {
        let sorted: Vec<String> = entries(&["zoë", "Émile", "adam", "Bea", "eva", "Ada"])
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(sorted, ["Ada", "adam", "Bea", "Émile", "eva", "zoë"]);
    }

    #[test]
    fn a_page_reads_down_each_column_and_names_its_range() {
        let layout = IndexLayout {
            columns: 2,
            rows: 10,
            px: 40,
            name_width: 400.0,
        };
        let page =
            index_page(&entries(&["Ada", "Bea", "Cy", "Di"]), &layout, 2, false).into_string();
        let at = |name: &str| page.find(&format!(">{name}<")).unwrap();
        // Two columns of two: Ada, Cy on the first row; Bea, Di on the second.
        assert!(at("Ada") < at("Cy") && at("Cy") < at("Bea") && at("Bea") < at("Di"));
        assert!(page.contains("A – D"));
        assert!(page.contains(r#"data-page="2" hidden"#));
    }
}
