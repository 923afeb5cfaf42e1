//! How big the board's names can be: the table grid and the index are
//! sized on the server from the counts (tables, people per table, how long
//! the names are), so the cards fill the screen at the largest type that
//! fits and every page of a paged board keeps it, with or without
//! JavaScript. The sizes are classes of `static/style.css` in screen
//! heights (the page's content policy allows no inline styles): `fs48` is
//! a 48 px font on a 1080 px high screen, 32 px at 720. The page script
//! then fits the odd name that is still too wide (see `fitNames` in
//! `static/app.js`).
//!
//! All lengths here are pixels of a 1920×1080 board, matching the
//! stylesheet's `.board-wrap`, `.board-head`, `.tables` and `.table-card`.

/// The main column's width: 1920 less the side column (QR code, counts)
/// of 500, the padding and the gap.
const MAIN_WIDTH: f64 = 1920.0 - 2.0 * 26.0 - 24.0 - 500.0;
/// The main column's height under the header (event name and clock).
const MAIN_HEIGHT: f64 = 1080.0 - 2.0 * 22.0 - 130.0;
/// The "N just arrived" line under the tables, when there is one.
const WAITING_LINE: f64 = 50.0;
/// Between cards.
const GAP: f64 = 14.0;
/// A card's border (both sides) in pixels; padding is in em, below.
const BORDER: f64 = 4.0;
/// A card's height in em of the name size, on top of one line per name:
/// padding (.2em twice), the table number (.9em) and its margin (.1em).
const CARD_EXTRA_EM: f64 = 0.4 + 0.9 + 0.1;
/// One name's line height, in em.
const LINE_EM: f64 = 1.12;
/// A card's side padding, both sides, in em.
const CARD_SIDES_EM: f64 = 0.7;
/// The average advance of a letter of the board's typeface (Atkinson
/// Hyperlegible) relative to its size; wide scripts count double (see
/// [`width_em`]).
const LETTER_EM: f64 = 0.56;

/// The size names should reach (readable from the back of a room:
/// about 25 mm of capital height per 7–10 m, a 65″ screen's pixel being
/// 0.75 mm); below it the board pages rather than shrinks, within
/// [`MIN_TABLES_PER_PAGE`].
pub const GOAL_PX: u32 = 48;
/// Largest and smallest name sizes the stylesheet has classes for.
pub const MAX_PX: u32 = 96;
pub const MIN_PX: u32 = 20;
/// A page shows at least this many tables (when there are as many):
/// more pages would make the cycle too long to wait for one's table.
const MIN_TABLES_PER_PAGE: usize = 16;
/// Columns the stylesheet has classes for (`c1` … `c12`, `r1` … `r12`).
const MAX_COLUMNS: usize = 12;

/// The table pages' grid and type size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableLayout {
    /// Tables on each page (the last may have fewer).
    pub per_page: usize,
    /// Pages of tables.
    pub pages: usize,
    /// The grid of a page (classes `c{columns}` and `r{rows}`).
    pub columns: usize,
    pub rows: usize,
    /// The names' font size, an even number of pixels (class `fs{px}`).
    pub name_px: u32,
    /// The width a name has on its card, in pixels.
    pub name_width: f64,
}

/// How wide `text` is in em of its font size, roughly: wide (CJK,
/// Hangul, full-width) characters take a whole em, others
/// [`LETTER_EM`].
pub fn width_em(text: &str) -> f64 {
    text.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 1.0,
            0xFF00..=0xFF60 | 0x20000..=0x3FFFD => 1.0,
            _ => LETTER_EM,
        })
        .sum()
}

/// The width in em that most names (four in five) stay within, at least
/// that of a six-letter name: what the grid is sized for. Longer ones get
/// a [`fit_class`].
pub fn typical_width_em<'a>(names: impl Iterator<Item = &'a str>) -> f64 {
    let mut widths: Vec<f64> = names.map(width_em).collect();
    widths.sort_by(f64::total_cmp);
    let at = (widths.len() * 4 / 5).min(widths.len().saturating_sub(1));
    widths
        .get(at)
        .copied()
        .unwrap_or(0.0)
        .clamp(6.0 * LETTER_EM, 12.0 * LETTER_EM)
}

/// The best grid for `tables` cards of up to `members` names each, names
/// of `name_em` wide: the fewest pages that give [`GOAL_PX`] names, but
/// never fewer than [`MIN_TABLES_PER_PAGE`] tables a page.
pub fn table_layout(tables: usize, members: usize, name_em: f64, waiting: bool) -> TableLayout {
    let tables = tables.max(1);
    let height = MAIN_HEIGHT - if waiting { WAITING_LINE } else { 0.0 };
    // Rounded down: every page but the last keeps at least the minimum.
    let most_pages = (tables / MIN_TABLES_PER_PAGE).max(1);
    let mut chosen = None;
    for pages in 1..=most_pages {
        let per_page = tables.div_ceil(pages);
        let layout = best_grid(per_page, members.max(1), name_em, height);
        let layout = TableLayout {
            pages: tables.div_ceil(per_page),
            ..layout
        };
        chosen = Some(layout);
        if layout.name_px >= GOAL_PX {
            break;
        }
    }
    chosen.unwrap_or_else(|| best_grid(tables, members.max(1), name_em, height))
}

/// Within this share of the largest possible names, a grid whose cards
/// are filled down to the bottom is preferred (12 tables: 4 × 3 at 48 px
/// rather than 6 × 2 at 50 px with the lower third of every card empty).
const SIZE_TOLERANCE: f64 = 0.94;

/// The columns × rows that give `per_page` cards the largest names (see
/// [`SIZE_TOLERANCE`]).
fn best_grid(per_page: usize, members: usize, name_em: f64, height: f64) -> TableLayout {
    // (name size, height it would allow, columns, rows, card width)
    let mut grids: Vec<(f64, f64, usize, usize, f64)> = Vec::new();
    for columns in 1..=per_page.min(MAX_COLUMNS) {
        let rows = per_page.div_ceil(columns);
        if rows > MAX_COLUMNS {
            continue;
        }
        let card_width = (MAIN_WIDTH - (columns - 1) as f64 * GAP) / columns as f64;
        let card_height = (height - (rows - 1) as f64 * GAP) / rows as f64;
        let by_height = (card_height - BORDER) / (CARD_EXTRA_EM + LINE_EM * members as f64);
        let by_width = (card_width - BORDER) / (name_em + CARD_SIDES_EM);
        grids.push((
            by_height.min(by_width),
            by_height,
            columns,
            rows,
            card_width,
        ));
    }
    let largest = grids.iter().map(|g| g.0).fold(0.0, f64::max);
    let chosen = grids
        .iter()
        .filter(|g| g.0 >= largest * SIZE_TOLERANCE)
        .min_by(|a, b| (a.1 / a.0).total_cmp(&(b.1 / b.0)));
    match chosen {
        Some(&(px, _, columns, rows, card_width)) => {
            let name_px = even_px(px);
            TableLayout {
                per_page,
                pages: 1,
                columns,
                rows,
                name_px,
                name_width: card_width - BORDER - CARD_SIDES_EM * f64::from(name_px),
            }
        }
        None => TableLayout {
            per_page,
            pages: 1,
            columns: 1,
            rows: 1,
            name_px: MIN_PX,
            name_width: MAIN_WIDTH,
        },
    }
}

/// `px` rounded down to an even size the stylesheet has a class for.
fn even_px(px: f64) -> u32 {
    let px = px.clamp(f64::from(MIN_PX), f64::from(MAX_PX)) as u32;
    px - px % 2
}

/// For a name too wide for `width` pixels at `px`: the class that scales
/// it down enough (`fit95` … `fit60`, in steps of 5%); below 60% it also
/// wraps. `None` when it fits.
pub fn fit_class(name: &str, px: u32, width: f64) -> Option<&'static str> {
    const CLASSES: [&str; 8] = [
        "fit95", "fit90", "fit85", "fit80", "fit75", "fit70", "fit65", "fit60",
    ];
    let needed = width_em(name) * f64::from(px);
    if needed <= width {
        return None;
    }
    let scale = width / needed;
    let step = ((1.0 - scale) / 0.05).ceil() as usize;
    Some(CLASSES[step.clamp(1, CLASSES.len()) - 1])
}

/// The alphabetical index's pages: name → table in columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexLayout {
    /// Columns of entries (class `ic{columns}`) and entries in each.
    pub columns: usize,
    pub rows: usize,
    /// The entries' font size (class `fs{px}`).
    pub px: u32,
    /// The width a name has in its column, in pixels.
    pub name_width: f64,
}

impl IndexLayout {
    pub fn per_page(&self) -> usize {
        self.columns * self.rows
    }
}

/// The index's font size: the table names' own, within 36–48 px.
const INDEX_MIN_PX: u32 = 36;
const INDEX_MAX_PX: u32 = 48;
/// The index's heading ("Find your name …"), in em of its entries.
const INDEX_HEAD_EM: f64 = 1.6;
/// An entry's line, in em (the line and its rule).
const INDEX_LINE_EM: f64 = 1.3;
/// Between the columns of the index.
const INDEX_GAP: f64 = 40.0;

/// The index for names of `name_em` and table labels of `label_em`, at
/// the size of the table names (`table_px`).
pub fn index_layout(table_px: u32, name_em: f64, label_em: f64, waiting: bool) -> IndexLayout {
    let px = table_px.clamp(INDEX_MIN_PX, INDEX_MAX_PX);
    let size = f64::from(px);
    let height = MAIN_HEIGHT - if waiting { WAITING_LINE } else { 0.0 };
    let rows = ((height - INDEX_HEAD_EM * size) / (INDEX_LINE_EM * size)).floor() as usize;
    let column = (name_em + label_em + 1.0) * size;
    let columns = ((MAIN_WIDTH + INDEX_GAP) / (column + INDEX_GAP)).floor() as usize;
    let columns = columns.clamp(2, 4);
    let column_width = (MAIN_WIDTH - (columns - 1) as f64 * INDEX_GAP) / columns as f64;
    IndexLayout {
        columns,
        rows: rows.max(1),
        px,
        name_width: column_width - (label_em + 0.6) * size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EIGHT_LETTERS: f64 = 8.0 * LETTER_EM;

    #[test]
    fn ten_tables_of_five_get_names_of_48_px_on_one_page() {
        let layout = table_layout(10, 5, EIGHT_LETTERS, false);
        assert_eq!((layout.pages, layout.per_page), (1, 10));
        assert!(layout.name_px >= GOAL_PX, "{layout:?}");
    }

    #[test]
    fn sixty_tables_page_and_keep_names_above_28_px() {
        let layout = table_layout(60, 5, EIGHT_LETTERS, true);
        assert!(layout.name_px >= 28, "{layout:?}");
        assert!(layout.per_page >= MIN_TABLES_PER_PAGE, "{layout:?}");
        assert_eq!(layout.pages, 60usize.div_ceil(layout.per_page));
        assert!(layout.columns * layout.rows >= layout.per_page);
    }

    #[test]
    fn twelve_tables_fill_their_cards_rather_than_gain_two_pixels() {
        let layout = table_layout(12, 4, EIGHT_LETTERS, false);
        assert_eq!((layout.columns, layout.rows), (4, 3), "{layout:?}");
        assert!(layout.name_px >= GOAL_PX, "{layout:?}");
    }

    #[test]
    fn a_few_tables_get_big_names_within_the_largest_class() {
        let layout = table_layout(2, 4, EIGHT_LETTERS, false);
        assert_eq!(layout.pages, 1);
        assert!(
            layout.name_px > 60 && layout.name_px <= MAX_PX,
            "{layout:?}"
        );
        assert_eq!(layout.name_px % 2, 0);
    }

    #[test]
    fn long_names_are_scaled_by_how_much_they_are_too_wide() {
        assert_eq!(fit_class("Ada", 48, 250.0), None);
        // 15 letters × 0.56 em × 48 px = 403 px, in 250: 62%.
        assert_eq!(fit_class("Marie-Christine", 48, 250.0), Some("fit60"));
        // 11 letters: 296 px in 280 is 95%, rounded down to what fits.
        assert_eq!(fit_class("Bartholomew", 48, 280.0), Some("fit90"));
        assert_eq!(fit_class("Bartholomew", 48, 290.0), Some("fit95"));
        assert_eq!(fit_class(&"W".repeat(40), 48, 250.0), Some("fit60"));
    }

    #[test]
    fn wide_scripts_count_as_wider() {
        assert!(width_em("山田太郎") > width_em("Yamada"));
        assert_eq!(width_em(""), 0.0);
    }

    #[test]
    fn the_typical_width_is_four_in_five_names_within_bounds() {
        let names = ["Al", "Bo", "Cy", "Di", "Christopher"];
        let typical = typical_width_em(names.iter().copied());
        assert!(
            (typical - 11.0 * LETTER_EM).abs() < 1e-9,
            "the fifth of five: {typical}"
        );
        assert_eq!(typical_width_em(std::iter::empty()), 6.0 * LETTER_EM);
    }

    #[test]
    fn the_index_fills_the_column_with_readable_rows() {
        let index = index_layout(30, EIGHT_LETTERS, 2.0 * LETTER_EM, false);
        assert_eq!(index.px, INDEX_MIN_PX);
        assert!(index.rows >= 15 && index.columns >= 3, "{index:?}");
        assert!(index.name_width > EIGHT_LETTERS * 36.0);
    }
}
