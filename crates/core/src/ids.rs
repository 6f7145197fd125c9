//! Content ids: the one rule every course, module, lesson, question,
//! option and situation id follows.

/// The rule [`is_valid_id`] enforces, for error messages.
pub const ID_RULE: &str =
    "ids use only a-z, 0-9 and '-', start with a letter or digit, and have at most 64 characters";

/// Ids appear in URLs and file names, so they are plain lowercase ASCII slugs.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_ascii_slugs() {
        assert!(is_valid_id("phong-chong-tham-nhung"));
        assert!(is_valid_id("bai-1"));
        for bad in [
            "",
            "-a",
            "Bai",
            "bài",
            "a b",
            "a/b",
            "../x",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad:?} should be rejected");
        }
    }
}
