//! HTML texts from other systems (GIFT's `[html]`, Moodle XML, QTI item
//! bodies) as Lophoc Markdown ([`html_to_markdown`]).
//!
//! Policy: **HTML is made safe by never keeping any of it.** What has a
//! Markdown form is rewritten as Markdown (paragraphs, line breaks, bold,
//! italic, lists, headings, links to web addresses, images); the text of
//! every other element is kept as text; scripts, styles, frames, objects
//! and forms are dropped with their content, and the caller is told
//! ([`HtmlReading`]) so the import report names them. What reaches a
//! trainee is then rendered from the Markdown and sanitized like every
//! other text (`crates/server` `render_markdown`), so an imported file can
//! never run code.

/// The Markdown of an HTML text, and what did not carry over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlReading {
    pub markdown: String,
    /// Elements dropped with their content (`script`, `iframe`…), once
    /// each, in the order met.
    pub dropped: Vec<String>,
    /// Image sources, in order (`@@PLUGINFILE@@/a.png`, `images/b.png`…),
    /// for the caller to map to media.
    pub images: Vec<String>,
    /// Whether tags with no Markdown form (tables, colours, underline…)
    /// were reduced to their text.
    pub flattened: bool,
}

/// Elements whose content is never text for the reader.
const DROPPED: [&str; 10] = [
    "script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math",
];

/// Reads `html` into Markdown by the policy in the [module doc](self).
pub fn html_to_markdown(html: &str) -> HtmlReading {
    let mut r = HtmlReading::default();
    let mut out = String::new();
    let mut rest = html;
    let mut skip_until: Option<String> = None;
    let mut lists: Vec<(bool, usize)> = Vec::new(); // (ordered, count)
    let mut link_end: Vec<Option<String>> = Vec::new();
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                out.push_str(&escape_text(&decode_entities(rest)));
            }
            break;
        };
        // White space between blocks (`</li>\n<li>`) is layout, not text.
        let between_blocks =
            rest[..lt].trim().is_empty() && (out.is_empty() || out.ends_with('\n'));
        if skip_until.is_none() && !between_blocks {
            out.push_str(&escape_text(&decode_entities(&rest[..lt])));
        }
        let after = &rest[lt + 1..];
        if after.starts_with("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(end) = after.find('>').filter(|_| is_tag) else {
            if skip_until.is_none() {
                out.push_str("\\<");
            }
            rest = after;
            continue;
        };
        let tag = after[..end].trim();
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = &skip_until {
            if closing && name == *until {
                skip_until = None;
            }
            continue;
        }
        if DROPPED.contains(&name.as_str()) {
            if !r.dropped.contains(&name) {
                r.dropped.push(name.clone());
            }
            if !closing && !tag.ends_with('/') {
                skip_until = Some(name);
            }
            continue;
        }
        match (name.as_str(), closing) {
            ("br", _) => out.push_str("  \n"),
            ("p" | "div" | "blockquote" | "section" | "article", _) => blank_line(&mut out),
            ("h1" | "h2", false) => {
                blank_line(&mut out);
                out.push_str("## ");
            }
            ("h3" | "h4" | "h5" | "h6", false) => {
                blank_line(&mut out);
                out.push_str("### ");
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => blank_line(&mut out),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("ul" | "ol", false) => {
                blank_line(&mut out);
                lists.push((name == "ol", 0));
            }
            ("ul" | "ol", true) => {
                lists.pop();
                blank_line(&mut out);
            }
            ("li", false) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"   ".repeat(depth));
                match lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        out.push_str(&format!("{n}. "));
                    }
                    _ => out.push_str("- "),
                }
            }
            ("li", true) => out.push('\n'),
            ("img", _) => {
                let src = attribute(tag, "src").unwrap_or_default();
                let alt = attribute(tag, "alt").unwrap_or_default();
                if !src.is_empty() {
                    r.images.push(src.clone());
                    out.push_str(&format!(
                        "![{}]({})",
                        escape_text(&alt),
                        src.replace(' ', "%20")
                    ));
                }
            }
            ("a", false) => {
                let href = attribute(tag, "href").filter(|h| {
                    let h = h.to_ascii_lowercase();
                    h.starts_with("http://")
                        || h.starts_with("https://")
                        || h.starts_with("mailto:")
                });
                if href.is_some() {
                    out.push('[');
                }
                link_end.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = link_end.pop() {
                    out.push_str(&format!("]({href})"));
                }
            }
            ("tr", true) | ("table", _) => out.push('\n'),
            ("td" | "th", true) => out.push(' '),
            (
                "span" | "font" | "u" | "sub" | "sup" | "small" | "big" | "code" | "pre" | "td"
                | "th" | "tr" | "tbody" | "thead" | "center" | "s" | "strike" | "del",
                _,
            ) => {
                r.flattened = true;
            }
            _ => {}
        }
    }
    r.markdown = tidy(&out);
    r
}

/// The plain text of an HTML fragment, for the texts Lophoc shows as
/// plain text (options, matching items, accepted answers, feedback):
/// tags removed, entities decoded, scripts, styles and frames dropped with
/// their content, and white space (line breaks included) collapsed to
/// single spaces, as a browser shows it. Also returns the dropped elements,
/// as [`HtmlReading::dropped`] does.
pub fn html_to_text(html: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut rest = html;
    let mut skip_until: Option<String> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                out.push_str(&decode_entities(rest));
            }
            break;
        };
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        if after.starts_with("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(end) = after.find('>').filter(|_| is_tag) else {
            if skip_until.is_none() {
                out.push('<');
            }
            rest = after;
            continue;
        };
        let tag = after[..end].trim();
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = &skip_until {
            if closing && name == *until {
                skip_until = None;
            }
            continue;
        }
        if DROPPED.contains(&name.as_str()) {
            if !dropped.contains(&name) {
                dropped.push(name.clone());
            }
            if !closing && !tag.ends_with('/') {
                skip_until = Some(name);
            }
            continue;
        }
        // Block boundaries and line breaks separate words.
        if matches!(
            name.as_str(),
            "br" | "p"
                | "div"
                | "li"
                | "tr"
                | "td"
                | "th"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        ) {
            out.push(' ');
        }
    }
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    (text, dropped)
}

/// Ends the current block with a blank line (none at the start).
fn blank_line(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed);
    if out.is_empty() {
        return;
    }
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Lines trimmed at their end, runs of blank lines made one, no blank
/// line at either end.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines() {
        let keep_break = line.ends_with("  ") && !line.trim().is_empty();
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line.trim_start_matches(' ').trim_start_matches('\u{a0}'));
        if keep_break {
            out.push_str("  ");
        }
    }
    // A hard break at the very end is nothing.
    out.trim_end().to_string()
}

/// The value of `name="…"` (or `'…'`) in a tag, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let offset = tag.len() - rest.len() + 1;
        let value = tag[offset..].trim_start();
        let quote = value.chars().next()?;
        let text = if quote == '"' || quote == '\'' {
            let inner = &value[1..];
            &inner[..inner.find(quote)?]
        } else {
            value
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()?
        };
        return Some(decode_entities(text));
    }
    None
}

/// Markdown's special characters in a text, escaped so they stay text.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The common named entities and numeric ones; an unknown entity stays as
/// written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 8)
            .and_then(|end| Some((entity(&after[..end])?, end)));
        match entity {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_html_becomes_markdown() {
        let r = html_to_markdown(
            "<p>Theo <b>Hiến pháp</b> <i>2013</i>:</p><ul><li>Một</li><li>Hai</li></ul>\
             <ol><li>Ba</li></ol><p>Dòng 1<br/>Dòng 2 &amp; &lt;3&gt; 5*2</p>\
             <p><a href=\"https://thuvienphapluat.vn\">luật</a> <a href=\"javascript:x()\">xấu</a></p>\
             <p><img src=\"@@PLUGINFILE@@/so do.png\" alt=\"Sơ đồ\"></p>",
        );
        assert_eq!(
            r.markdown,
            "Theo **Hiến pháp** *2013*:\n\n- Một\n- Hai\n\n1. Ba\n\nDòng 1  \nDòng 2 & \\<3> 5\\*2\n\n\
             [luật](https://thuvienphapluat.vn) xấu\n\n![Sơ đồ](@@PLUGINFILE@@/so%20do.png)"
        );
        assert_eq!(r.images, ["@@PLUGINFILE@@/so do.png"]);
        assert!(r.dropped.is_empty());
    }

    #[test]
    fn scripts_and_frames_go_with_their_content() {
        let r = html_to_markdown(
            "<p>Trước<script>alert('x')</script> sau<iframe src=x></iframe>\
             <style>p{}</style><span style=\"color:red\">đỏ</span><!-- <b>không</b> --></p>",
        );
        assert_eq!(r.markdown, "Trước sauđỏ");
        assert_eq!(r.dropped, ["script", "iframe", "style"]);
        assert!(r.flattened);
        assert!(!r.markdown.contains("alert"));
    }

    #[test]
    fn plain_text_of_html() {
        let (text, dropped) = html_to_text(
            "<p>Quốc  <b>hội</b></p>\n<p>&lt;x&gt; &amp; a_b *c*<br/>d</p><script>bad()</script>",
        );
        assert_eq!(text, "Quốc hội <x> & a_b *c* d");
        assert_eq!(dropped, ["script"]);
        assert_eq!(html_to_text("a < b").0, "a < b");
    }

    proptest! {
        /// Plain text escaped as HTML reads back as itself (with its white
        /// space collapsed, as a browser shows it).
        #[test]
        fn escaped_plain_text_reads_back(s in "[a-zA-Z0-9 àđơ<>&;#*_\\[\\]\\\\\\n-]{0,30}") {
            let html = lophoc_core::text::escape_html(&s);
            let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(html_to_text(&html).0, flat);
        }

        /// Whatever the input, no tag survives as HTML: every `<` in the
        /// output is escaped, so the Markdown renderer sees no raw HTML.
        #[test]
        fn no_raw_html_survives(s in "[<>a-z/=\" ]{0,40}") {
            let md = html_to_markdown(&s).markdown;
            let bytes = md.as_bytes();
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'<' {
                    prop_assert!(i > 0 && bytes[i - 1] == b'\\', "{md:?}");
                }
            }
        }
    }
}
