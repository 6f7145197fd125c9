//! Vietnamese text folding for search and lenient matching.
//!
//! Policy: trainees type on phones, often without tone marks ("tham nhung"
//! for "tham nhũng"). [`fold`] maps text to a key that ignores case, tone
//! marks, vowel marks (ă â ê ô ơ ư), đ/d and runs of white space, so two
//! strings match when their folded forms are equal or one contains the other.

/// Folds `text` for tone-insensitive comparison: lowercase, Vietnamese
/// letters reduced to their base Latin letter, combining marks dropped,
/// white space collapsed to single spaces and trimmed.
///
/// ```
/// assert_eq!(lophoc_core::text::fold("  Tham   NHŨNG "), "tham nhung");
/// assert_eq!(lophoc_core::text::fold("Đảng bộ"), "dang bo");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_combining_mark(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(base_letter(c));
    }
    out
}

/// True when `haystack` contains `needle` once both are folded.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(&fold(needle))
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Lowercase Vietnamese letters grouped by their base letter.
const GROUPS: [(char, &str); 7] = [
    ('a', "áàảãạăắằẳẵặâấầẩẫậ"),
    ('e', "éèẻẽẹêếềểễệ"),
    ('i', "íìỉĩị"),
    ('o', "óòỏõọôốồổỗộơớờởỡợ"),
    ('u', "úùủũụưứừửữự"),
    ('y', "ýỳỷỹỵ"),
    ('d', "đ"),
];

fn base_letter(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    GROUPS
        .iter()
        .find(|(_, letters)| letters.contains(c))
        .map_or(c, |(base, _)| *base)
}

/// `text` safe to put in HTML text or a quoted attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_tones_case_and_spacing() {
        assert_eq!(fold("Phòng, chống THAM NHŨNG"), "phong, chong tham nhung");
        assert_eq!(
            fold("Ưu tiên   đổi mới\tở  cơ sở"),
            "uu tien doi moi o co so"
        );
        assert_eq!(fold("ĐẢNG BỘ"), "dang bo");
        // Decomposed input (base letter + combining marks) folds the same.
        assert_eq!(fold("nhu\u{0303}ng"), "nhung");
    }

    #[test]
    fn search_matches_with_or_without_tone_marks() {
        assert!(contains_folded(
            "Phòng, chống tham nhũng ở xã",
            "tham nhung"
        ));
        assert!(contains_folded(
            "Phòng, chống tham nhũng ở xã",
            "THAM NHŨNG"
        ));
        assert!(!contains_folded("Dân vận khéo", "tham nhung"));
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC*") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn folded_vietnamese_is_ascii(s in "[a-zA-Z ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐƯƠ]*") {
            prop_assert!(fold(&s).is_ascii());
        }
    }
}
