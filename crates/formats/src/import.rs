//! What every importer shares: numbered lines, excerpts, option ids, ids
//! made from titles, the default rubric — and the rules every import keeps.
//!
//! Policy:
//!
//! - **Nothing is imported silently or half-read.** A parse returns an
//!   [`ImportReport`](lophoc_core::question::import::ImportReport): each question it could read, with notes on what was
//!   kept, changed or dropped (each drop says why and on which line), and a
//!   problem for each question it could not import, with the line and the
//!   reason. Parsing never panics, whatever the text.
//! - **All or nothing by default.** `ImportReport::accept` gives the
//!   questions only when the report has no problem, unless the lecturer
//!   chooses to import the valid part (`partial`).
//! - **Every imported question passes `validate`.** One that does not is
//!   a problem, never an import.
//! - **Line numbers** are 1-based lines of the text as given. Windows line
//!   ends (CRLF) and a UTF-8 byte-order mark are accepted. A problem with a
//!   particular line (a brace, an answer, an `ANSWER:` line) names that
//!   line; a problem with a whole question (a kind Lophoc does not have, a
//!   missing `ANSWER:` line, a failed validation) names the question's first
//!   line.
//! - **Ids** are made up: `aiken-3` for the third Aiken question of a file,
//!   `gift-2` for the second GIFT question, or the GIFT `::title::` made
//!   into an id (`::Câu 1::` gives `cau-1`, and a title that is already an
//!   id is kept, so an exported bank keeps its ids). They satisfy
//!   [`is_valid_id`] and are unique within one import; checking them against
//!   a bank already stored is the caller's job ((`lophoc_core::question::validate_bank`)).
//! - Neither format has points or difficulty: every imported question is
//!   worth 1 point, at medium difficulty.

use std::collections::HashSet;

use lophoc_core::{
    ids::is_valid_id,
    note::Note,
    question::{Choice, Criterion},
    text::fold,
};

/// The lines of `text`, numbered from 1, without line ends (LF or CRLF) or
/// a leading byte-order mark.
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

/// The start of a text on one line, to name a question in a report.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        let cut: String = flat.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The report's first note on a choice question, the same for every
/// format: its kind, how many options, which are correct.
pub fn choice_note(single: bool, options: &[Choice]) -> Note {
    Note::Choice {
        single,
        options: options.len(),
        correct: options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect(),
    }
}

/// Option ids in authored order: `a` to `z`, then `o27`, `o28`…
pub fn option_id(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => char::from(b'a' + i).to_string(),
        _ => format!("o{}", index + 1),
    }
}

/// `text` as an id: Vietnamese letters folded to ASCII, anything else that
/// is not a letter or digit turned into single dashes. Empty when nothing
/// is left.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in fold(text).chars() {
        if out.len() >= SLUG_MAX {
            break;
        }
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Room left in an id for a `-2` style suffix.
const SLUG_MAX: usize = 56;

/// Hands out ids unique within one import.
#[derive(Default)]
pub struct Ids {
    used: HashSet<String>,
}

impl Ids {
    /// The id for a question titled `title` (kept as it is when it is
    /// already a short enough id), or `fallback`; `-2`, `-3`… is added to an
    /// id already handed out.
    pub fn take(&mut self, title: Option<&str>, fallback: String) -> String {
        let base = title
            .map(|t| {
                if is_valid_id(t) && t.len() <= SLUG_MAX {
                    t.to_string()
                } else {
                    slug(t)
                }
            })
            .filter(|s| !s.is_empty())
            .unwrap_or(fallback);
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Description of the one criterion an imported essay is marked on; GIFT
/// has no rubric.
pub const DEFAULT_CRITERION: &str = "Toàn bài";

/// The rubric an imported essay gets: one criterion worth 1 point, for the
/// lecturer to edit.
pub fn default_rubric() -> Vec<Criterion> {
    vec![Criterion {
        id: "toan-bai".to_string(),
        description: DEFAULT_CRITERION.to_string(),
        max_points: 1,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(
            ids.take(Some("Câu 1: Đảng bộ"), "x".into()),
            "cau-1-dang-bo"
        );
        assert_eq!(ids.take(Some("q-7"), "x".into()), "q-7");
        assert_eq!(ids.take(Some("Q--7"), "x".into()), "q-7-2");
        assert_eq!(ids.take(Some("???"), "gift-4".into()), "gift-4");
        assert_eq!(ids.take(None, "gift-4".into()), "gift-4-2");
        let long = ids.take(Some(&"Tham nhũng ".repeat(20)), "x".into());
        assert!(is_valid_id(&long) && long.len() <= SLUG_MAX, "{long}");
        let again = ids.take(Some(&"Tham nhũng ".repeat(20)), "x".into());
        assert!(is_valid_id(&again) && again.ends_with("-2"), "{again}");
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        assert_eq!(excerpt("  Cán bộ\n  xã  "), "Cán bộ xã");
        let long = excerpt(&"Phòng chống tham nhũng ".repeat(5));
        assert_eq!(long.chars().count(), 60);
        assert!(long.ends_with('…'));
        assert_eq!(option_id(0), "a");
        assert_eq!(option_id(25), "z");
        assert_eq!(option_id(26), "o27");
    }
}
