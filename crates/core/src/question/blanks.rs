//! The gap markers of a fill-in-the-blanks prompt: `{1}`, `{2}`… stand
//! where gap 1, 2… is shown.
//!
//! Policy: a marker is a `{`, a number from 1 without leading zeros, and a
//! `}`, nothing else (`{ 1 }`, `{01}` and `{a}` are text). Markers are found
//! the same way in the authored Markdown and in the HTML the server renders
//! from it (Markdown and the sanitizer leave braces and digits alone), so
//! the trainee's page puts its inputs where the author wrote the markers,
//! and every export writes each gap in place.

/// Where one marker is in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GapMarker {
    /// Byte offset of the `{`.
    pub start: usize,
    /// Byte offset just after the `}`.
    pub end: usize,
    /// The gap it stands for, 0-based (`{1}` is gap 0).
    pub gap: usize,
}

/// The markers in `text` for gaps `0..max`, in text order. Pass
/// `usize::MAX` to find every marker, also those with no gap.
pub fn gap_markers(text: &str, max: usize) -> Vec<GapMarker> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let close = i + 1 + digits;
            if (1..=3).contains(&digits) && bytes[i + 1] != b'0' && bytes.get(close) == Some(&b'}')
            {
                let n: usize = text[i + 1..close].parse().unwrap_or(0);
                if n >= 1 && n - 1 < max {
                    out.push(GapMarker {
                        start: i,
                        end: close + 1,
                        gap: n - 1,
                    });
                }
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `text` with each marker for gaps `0..gaps` replaced by `with(gap)`.
pub fn replace_gaps(text: &str, gaps: usize, mut with: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in gap_markers(text, gaps) {
        out.push_str(&text[at..m.start]);
        out.push_str(&with(m.gap));
        at = m.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The prompt of a fill-in (sanitized HTML from the server) with an input
/// in place of each marker: a text box (`inputmode="decimal"` for a
/// number) or a drop-down, each labelled "Chỗ trống n" for screen readers
/// and holding `values[i]` (typed text or chosen option id). The page reads
/// the inputs back by their `data-gap` index. Every text put in is escaped.
pub fn fill_in_html(
    prompt_html: &str,
    gaps: &[super::PresentedGap],
    values: &[String],
    id_prefix: &str,
    lang: crate::i18n::Lang,
) -> String {
    use crate::i18n::Msg;
    use crate::text::escape_html as esc;
    replace_gaps(prompt_html, gaps.len(), |g| {
        let n = (g + 1).to_string();
        let label = esc(&Msg::GapN.text(lang).replace("{n}", &n));
        let value = values.get(g).map(String::as_str).unwrap_or_default();
        let id = esc(&format!("{id_prefix}-gap-{n}"));
        match &gaps[g] {
            super::PresentedGap::Text {} | super::PresentedGap::Number {} => {
                let mode = if matches!(gaps[g], super::PresentedGap::Number {}) {
                    " inputmode=\"decimal\""
                } else {
                    ""
                };
                format!(
                    "<input type=\"text\" class=\"gap-input\" id=\"{id}\" data-gap=\"{g}\" \
                     aria-label=\"{label}\" autocomplete=\"off\"{mode} maxlength=\"{max}\" value=\"{}\">",
                    esc(value),
                    // The same limit the server holds each blank to.
                    max = crate::limits::TextField::ShortAnswer.max_chars(),
                )
            }
            super::PresentedGap::Choice { options } => {
                let mut html = format!(
                    "<select class=\"gap-select\" id=\"{id}\" data-gap=\"{g}\" aria-label=\"{label}\">\
                     <option value=\"\">{}</option>",
                    esc(Msg::GapChoose.text(lang))
                );
                for o in options {
                    let selected = if o.id == value { " selected" } else { "" };
                    html.push_str(&format!(
                        "<option value=\"{}\"{selected}>{}</option>",
                        esc(&o.id),
                        esc(&o.text)
                    ));
                }
                html.push_str("</select>");
                html
            }
        }
    })
}

/// The prompt of a fill-in with each marker replaced by what was given
/// (`given[i]`, already worded: an option's text rather than its id),
/// marked so it stands out; an empty blank shows as `_____`.
pub fn filled_in_html(prompt_html: &str, given: &[String]) -> String {
    replace_gaps(prompt_html, given.len(), |g| {
        let text = given[g].trim();
        if text.is_empty() {
            "<mark class=\"gap-given gap-empty\">_____</mark>".to_string()
        } else {
            format!(
                "<mark class=\"gap-given\">{}</mark>",
                crate::text::escape_html(text)
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_replace_markers_and_escape_every_text() {
        use super::super::{PresentedGap, PresentedOption};
        let gaps = [
            PresentedGap::Number {},
            PresentedGap::Choice {
                options: vec![
                    PresentedOption {
                        id: "a".into(),
                        text: "<b>Hà Nội</b>".into(),
                    },
                    PresentedOption {
                        id: "b".into(),
                        text: "Hồng Kông".into(),
                    },
                ],
            },
        ];
        let html = fill_in_html(
            "<p>Năm {1} tại {2}.</p>",
            &gaps,
            &["\"1930".into(), "b".into()],
            "q-x",
            crate::i18n::Lang::Vi,
        );
        assert!(html.starts_with("<p>Năm <input type=\"text\" class=\"gap-input\" id=\"q-x-gap-1\" data-gap=\"0\" aria-label=\"Chỗ trống 1\""), "{html}");
        assert!(html.contains("inputmode=\"decimal\" maxlength=\"500\" value=\"&quot;1930\""));
        assert!(html.contains("<option value=\"a\">&lt;b&gt;Hà Nội&lt;/b&gt;</option>"));
        assert!(html.contains("<option value=\"b\" selected>Hồng Kông</option>"));
        assert!(html.ends_with("</select>.</p>"));
        assert_eq!(
            filled_in_html("{1} và {2}", &["<x>".into(), " ".into()]),
            "<mark class=\"gap-given\">&lt;x&gt;</mark> và <mark class=\"gap-given gap-empty\">_____</mark>"
        );
    }
    use proptest::prelude::*;

    #[test]
    fn markers_are_braced_numbers() {
        let text = "Đảng ra đời năm {1} tại {2}; {0} {01} { 1 } {a} {12} {1234}";
        let found: Vec<usize> = gap_markers(text, usize::MAX)
            .iter()
            .map(|m| m.gap)
            .collect();
        assert_eq!(found, [0, 1, 11]);
        assert_eq!(gap_markers(text, 2).len(), 2);
        assert_eq!(
            replace_gaps("a {1} b {2} c {3}", 2, |g| format!("[{g}]")),
            "a [0] b [1] c {3}"
        );
        assert_eq!(gap_markers("{", 9), []);
        assert_eq!(gap_markers("{1", 9), []);
    }

    proptest! {
        /// Finding markers never panics on any text (multi-byte letters
        /// included), and replacing them with themselves changes nothing.
        #[test]
        fn markers_are_found_safely(s in "[{}0-9aăđ ]{0,24}") {
            let same = replace_gaps(&s, usize::MAX, |g| format!("{{{}}}", g + 1));
            prop_assert_eq!(same, s);
        }
    }
}
