//! The name the room sees: on the board, on the cards of a group, in
//! prompts and in "people I met". One function decides it, so every screen
//! calls a person the same.
//!
//! What people ask to be called ("what should we call you") wins. Without
//! it the whole name is shown when it is short, which is also the best way
//! to tell two people apart; only a long name is shortened, in a way that
//! suits how the name is written: the given name is not always the first
//! word ("عبد الرحمن", "Abdul Rahman"), and Chinese, Japanese, Korean,
//! Vietnamese and Hungarian names put the family name first.

use std::borrow::Cow;

/// Names of up to this many characters are shown whole.
pub const SHORT: usize = 20;

/// The name shown for someone called `name` who asked to be called
/// `call_me` (empty when they did not say).
pub fn shown_name<'a>(name: &'a str, call_me: &'a str) -> Cow<'a, str> {
    let (name, words) = match asked_or_words(name, call_me) {
        Ok(asked) => return Cow::Borrowed(asked),
        Err(parts) => parts,
    };
    if name.chars().count() <= SHORT || words.len() < 2 || name.chars().any(is_cjk) {
        // Han, kana and Hangul names are a few characters long, family
        // name first and usually without spaces: always shown whole.
        return Cow::Borrowed(name);
    }
    if is_vietnamese(&words) {
        // Family, middle and given name: the middle names go.
        return Cow::Owned(format!("{} {}", words[0], words[words.len() - 1]));
    }
    if is_hungarian(&words) {
        // Family name, then the given name(s): the first given name stays.
        return Cow::Owned(format!("{} {}", words[0], words[1]));
    }
    let given = given_words(&words);
    let rest = &words[given.end..];
    let given = words[given].join(" ");
    let Some(last) = rest.last() else {
        return Cow::Owned(given);
    };
    let initial: String = last
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let cased = last.chars().any(|c| c.is_uppercase() || c.is_lowercase());
    if cased && !initial.is_empty() {
        // Latin, Cyrillic, Greek, Armenian…: "Marie-Christine D."
        Cow::Owned(format!("{given} {initial}."))
    } else {
        // Scripts without capitals have no initials: the family name
        // comes whole when it fits.
        let both = format!("{given} {last}");
        if both.chars().count() <= SHORT {
            Cow::Owned(both)
        } else {
            Cow::Owned(given)
        }
    }
}

/// What to call someone called `name` who asked to be called `call_me`,
/// when space is short (the board, read from across the room): what they
/// asked for, else their given name, found as [`shown_name`] finds it
/// (the last word of a Vietnamese name, the second of a Hungarian one,
/// both words of "Abdul Rahman"; Han, kana and Hangul names and one-word
/// names whole). The board adds what tells two equal ones apart.
pub fn call_name<'a>(name: &'a str, call_me: &'a str) -> Cow<'a, str> {
    let (name, words) = match asked_or_words(name, call_me) {
        Ok(asked) => return Cow::Borrowed(asked),
        Err(parts) => parts,
    };
    if words.len() < 2 || name.chars().any(is_cjk) {
        return Cow::Borrowed(name);
    }
    if is_vietnamese(&words) {
        return Cow::Borrowed(words[words.len() - 1]);
    }
    if is_hungarian(&words) {
        return Cow::Borrowed(words[1]);
    }
    let given = given_words(&words);
    if given.len() == 1 {
        Cow::Borrowed(words[given.start])
    } else {
        Cow::Owned(words[given].join(" "))
    }
}

/// What they asked to be called (`Ok`), or else their trimmed name and its
/// words (`Err`), for the two functions above to work on.
fn asked_or_words<'a>(name: &'a str, call_me: &'a str) -> Result<&'a str, (&'a str, Vec<&'a str>)> {
    let call_me = call_me.trim();
    if !call_me.is_empty() {
        return Ok(call_me);
    }
    let name = name.trim();
    Err((name, name.split_whitespace().collect()))
}

/// Words that open a name without being the name people are called by.
const TITLES: [&str; 12] = [
    "dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "sir", "dame",
];

/// First words of compound given names that mean nothing alone: "Abdul
/// Rahman" is one name ("servant of the Merciful"), "Abu Bakr" another.
const COMPOUND_LEADS: [&str; 15] = [
    "عبد", "ابو", "أبو", "ام", "أم", "abd", "abdul", "abdel", "abdal", "abdur", "abdus", "abu",
    "abou", "umm", "um",
];

/// The words of the given name in a name written given name first: the
/// first word after any title, two when the first is a compound's lead.
fn given_words(words: &[&str]) -> std::ops::Range<usize> {
    let last = words.len() - 1;
    let mut start = 0;
    while start < last && TITLES.contains(&words[start].to_lowercase().as_str()) {
        start += 1;
    }
    let lead = words[start].to_lowercase();
    let end = if start + 1 < last && COMPOUND_LEADS.contains(&lead.as_str()) {
        start + 2
    } else {
        start + 1
    };
    start..end
}

/// Han ideographs, kana and Hangul.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' // Han
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' // Hangul
    )
}

/// A word in lower case without its accents: "Nguyễn" → "nguyen".
fn plain(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'Đ' | 'đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The most common Vietnamese family names (together about nine in ten
/// Vietnamese people), without accents.
const VIETNAMESE_FAMILIES: [&str; 18] = [
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "truong", "dinh",
];

/// A Vietnamese name: three words or more, the first a common family name.
fn is_vietnamese(words: &[&str]) -> bool {
    words.len() >= 3 && VIETNAMESE_FAMILIES.contains(&plain(words[0]).as_str())
}

/// The most common Hungarian family names, without accents.
const HUNGARIAN_FAMILIES: [&str; 24] = [
    "nagy", "kovacs", "toth", "szabo", "horvath", "varga", "kiss", "molnar", "nemeth", "farkas",
    "balogh", "papp", "takacs", "juhasz", "lakatos", "meszaros", "olah", "racz", "fekete",
    "szilagyi", "torok", "feher", "szucs", "kocsis",
];

/// A Hungarian name: the first word a common Hungarian family name (the
/// order Hungarians write their names in).
fn is_hungarian(words: &[&str]) -> bool {
    HUNGARIAN_FAMILIES.contains(&plain(words[0]).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(name: &str) -> String {
        shown_name(name, "").into_owned()
    }

    #[test]
    fn what_people_ask_to_be_called_wins() {
        assert_eq!(shown_name("Robert Smith", "Bob"), "Bob");
        assert_eq!(shown_name("Nguyễn Thị Minh Khai", " Khai "), "Khai");
        assert_eq!(shown_name("Guest 7", ""), "Guest 7");
    }

    #[test]
    fn across_a_room_people_are_called_by_their_given_name() {
        let call = |name: &str| call_name(name, "").into_owned();
        assert_eq!(call("Ada Lovelace"), "Ada");
        assert_eq!(call("Dr. Hiroshi Tanaka"), "Hiroshi");
        assert_eq!(call("عبد الرحمن بن عوف"), "عبد الرحمن");
        assert_eq!(call("Abdul Rahman Khan"), "Abdul Rahman");
        assert_eq!(call("Nguyễn Văn Phúc"), "Phúc");
        assert_eq!(call("Kovács Alexandra"), "Alexandra");
        assert_eq!(call("高橋 裕美子"), "高橋 裕美子");
        assert_eq!(call("김상현"), "김상현");
        assert_eq!(call("Madonna"), "Madonna");
        assert_eq!(call_name("Robert Smith", " Bob "), "Bob");
    }

    #[test]
    fn short_names_are_shown_whole_in_every_script() {
        for name in [
            "Ada Lovelace",
            "Hiroshi Tanaka",
            "Ngozi Sexton",
            "عبد الرحمن",
            "عبد الرحمن بن عوف",
            "Abdul Rahman",
            "Nguyễn Văn Phúc",
            "Kovács Alexandra",
            "李欣",
            "高橋 裕美子",
            "김상현",
            "नरेंद्र मोदी",
            "ชิดชนก เยาวธนโชค",
            "Ζαφειρία Σταύρου",
            "Сазонов Арсений",
            "נחמה פרץ",
            "Oluwasanmi Soyinka",
            "Madonna",
            "Dick Van Dyke",
        ] {
            assert_eq!(shown(name), name);
        }
        assert_eq!(shown("  Ada   Lovelace "), "Ada   Lovelace");
    }

    #[test]
    fn long_given_first_names_keep_the_given_name_and_an_initial() {
        assert_eq!(
            shown("Marie-Christine Dubois-Lefèvre"),
            "Marie-Christine D."
        );
        assert_eq!(shown("Alexandra Konstantinopoulou"), "Alexandra K.");
        assert_eq!(shown("Евфросиния Болеславовна Устинова"), "Евфросиния У.");
        assert_eq!(shown("Dr. Bartholomew Featherstonehaugh"), "Bartholomew F.");
        assert_eq!(shown("Oluwakemi Adebayo-Ogunwobi"), "Oluwakemi A.");
    }

    #[test]
    fn compound_given_names_are_never_cut_to_their_first_word() {
        assert_eq!(
            shown("عبد الرحمن بن عوف الزهري القرشي"),
            "عبد الرحمن القرشي"
        );
        assert_eq!(shown("Abdul Rahman Al-Rashidi Hussain"), "Abdul Rahman H.");
        assert_eq!(shown("Abu Bakr Muhammad Siddiqui"), "Abu Bakr S.");
        assert_eq!(shown("عبد الله محمد عبد العزيز آل سعود"), "عبد الله سعود");
    }

    #[test]
    fn family_first_names_keep_the_family_name_with_the_given_name() {
        assert_eq!(shown("Nguyễn Thị Ngọc Quỳnh Như"), "Nguyễn Như");
        assert_eq!(shown("Tran Thi Thanh Huong Lan"), "Tran Lan");
        assert_eq!(shown("Nagy Tamásné Magyar Ilona"), "Nagy Tamásné");
        assert_eq!(shown("Kovács Anna Mária Erzsébet"), "Kovács Anna");
        // Chinese, Japanese and Korean names stay whole, however long.
        assert_eq!(
            shown("欧阳 娜娜 司马 相如 诸葛 亮亮亮亮"),
            "欧阳 娜娜 司马 相如 诸葛 亮亮亮亮"
        );
    }

    #[test]
    fn scripts_without_capitals_keep_the_family_name_when_it_fits() {
        assert_eq!(shown("ชิดชนก เยาวธนโชคมงคลชัย"), "ชิดชนก");
        assert_eq!(shown("אברהם יהושע השל בן־ציון"), "אברהם בן־ציון");
        assert_eq!(shown("पुरुषोत्तम रामचंद्र बालासुब्रमण्यम"), "पुरुषोत्तम");
    }

    #[test]
    fn one_long_word_is_shown_whole() {
        let long = "Wolfeschlegelsteinhausenbergerdorff";
        assert_eq!(shown(long), long);
    }
}
