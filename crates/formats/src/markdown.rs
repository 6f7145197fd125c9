//! Lophoc's Markdown as XHTML, for formats whose texts are XHTML (QTI item
//! bodies, cloze feedback), and the check that such a text reads back.
//!
//! Policy: the XHTML is what the trainee's page shows (the same
//! pulldown-cmark options as `content::render_markdown`), written so that
//! it is well-formed XML: raw HTML in the Markdown is written as text
//! (imported texts never hold any; an author's would be removed by the
//! sanitizer on Lophoc's own pages too). Reading it back goes through
//! [`html_to_markdown`]; a text whose formatting that cannot give back
//! ([`reads_back`] is false: tables, headings, quotes, code) is named in
//! the export's notes.

use crate::html::html_to_markdown;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// `markdown` as XHTML, each image destination passed through `image`.
pub fn to_xhtml(markdown: &str, mut image: impl FnMut(&str) -> String) -> String {
    let events = Parser::new_ext(markdown, OPTIONS).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::from(image(&dest_url)),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim_end().to_string()
}

/// True when `markdown`, written as XHTML and read back, shows the same.
pub fn reads_back(markdown: &str) -> bool {
    let html = to_xhtml(markdown, str::to_string);
    to_xhtml(&html_to_markdown(&html).markdown, str::to_string) == html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml;

    #[test]
    fn xhtml_is_well_formed_and_reads_back() {
        let md = "Theo **Hiến pháp** *2013* & <b>x</b>:\n\n- một\n- hai  \nba\n\n![Sơ đồ](/api/bank/media/a.png)\n\n1. a_b\n2. [luật](https://x.vn)";
        let html = to_xhtml(md, |d| {
            format!("../media/{}", d.rsplit('/').next().unwrap_or(d))
        });
        xml::parse(&format!("<div>{html}</div>")).unwrap();
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
        assert!(html.contains("src=\"../media/a.png\""), "{html}");
        assert!(reads_back(
            "Theo **Hiến pháp** *2013* & 5 < 6:\n\n- một\n- hai"
        ));
        assert!(!reads_back("| a | b |\n|---|---|\n| 1 | 2 |"));
    }
}
