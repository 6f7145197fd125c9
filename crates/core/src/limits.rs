//! Sizes the server accepts and the client enforces while typing: every
//! free-text field and every id a device may send.
//!
//! Policy: one table of limits, here, read by both sides. The server refuses
//! an op with a field over its limit (`RejectReason::TooLong` /
//! `RejectReason::BadId`); the client stops typing at the same limit and
//! says so in the user's language before anything is recorded, so an honest
//! trainee never has an answer refused. Text is counted in characters
//! (Unicode scalar values, what a phone's keyboard produces one at a time),
//! not bytes: a Vietnamese word with tone marks costs the same as an English
//! one. The limits are generous for what people write by hand and small
//! enough that one op cannot fill the disk.

use serde::{Deserialize, Serialize};

/// Most bytes of a generated id (op, device, attempt, run, session): a
/// UUID is 36.
pub const MAX_TOKEN_BYTES: usize = 64;

/// Most items in a list answer (options chosen, an ordering, matches) or a
/// grade's rubric scores.
pub const MAX_LIST_ITEMS: usize = 100;

/// Most hundredths of a point one rubric criterion may be given (1,000
/// points; rubrics give a few points each).
pub const MAX_SCORE_CENTI: u32 = 100_000;

/// Largest `step` of a branching scenario run.
pub const MAX_SCENARIO_STEP: u32 = 10_000;

/// A free-text field of an op, with its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    /// An essay answer (assessment or situation).
    Essay,
    /// A view given in a discussion.
    Opinion,
    /// A short answer, matched against accepted answers.
    ShortAnswer,
    /// A lecturer's comment on a graded essay.
    Comment,
    /// A title the server writes into an event (a live session's).
    Title,
}

impl TextField {
    pub const ALL: [TextField; 5] = [
        TextField::Essay,
        TextField::Opinion,
        TextField::ShortAnswer,
        TextField::Comment,
        TextField::Title,
    ];

    /// Most characters the field may hold.
    pub const fn max_chars(self) -> usize {
        match self {
            TextField::Essay => 20_000,
            TextField::Opinion => 5_000,
            TextField::ShortAnswer => 500,
            TextField::Comment => 5_000,
            TextField::Title => 200,
        }
    }
}

/// Characters in `text`, as the limits count them.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// Whether `text` fits `field` (counts no further than the limit, so a
/// megabyte of text costs no more than the limit to refuse).
pub fn fits(field: TextField, text: &str) -> bool {
    // A character is at most 4 bytes: short enough in bytes fits for sure.
    let max = field.max_chars();
    text.len() <= max || text.chars().nth(max).is_none()
}

/// `text` cut to the limit of `field` (for text the server itself writes).
pub fn truncate(field: TextField, text: &str) -> String {
    text.chars().take(field.max_chars()).collect()
}

/// Whether `id` is a well-formed generated id: 1 to [`MAX_TOKEN_BYTES`]
/// ASCII letters, digits, `-` or `_` (UUIDs, and the short ids tests use).
/// Server-only device ids (`live:…`) are not tokens, so no client can name
/// one.
pub fn is_token(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_TOKEN_BYTES
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_counted_in_characters_not_bytes() {
        let vi = "ệ".repeat(TextField::ShortAnswer.max_chars());
        assert!(vi.len() > TextField::ShortAnswer.max_chars());
        assert!(fits(TextField::ShortAnswer, &vi));
        assert!(!fits(TextField::ShortAnswer, &format!("{vi}a")));
        assert_eq!(
            char_count(&truncate(TextField::Title, &"ả".repeat(500))),
            200
        );
        assert!(fits(TextField::Essay, ""));
    }

    #[test]
    fn tokens_are_short_plain_ascii() {
        assert!(is_token("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
        assert!(is_token("device-1_2"));
        for bad in ["", "live:5", "a b", "ệ", &"a".repeat(65), "a/b", "a\n"] {
            assert!(!is_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn every_field_has_a_sensible_limit() {
        for field in TextField::ALL {
            assert!((100..=20_000).contains(&field.max_chars()), "{field:?}");
        }
        assert!(TextField::Essay.max_chars() >= TextField::Opinion.max_chars());
    }
}
