//! A small XML tree read with quick-xml, and the escaping the writers use.
//!
//! Policy: the interchange formats (Moodle XML, QTI) are read into a tree
//! of [`Element`]s with their 1-based line, so every problem can name its
//! line. Only well-formed XML is read: a tag closed by the wrong name, an
//! element left open, an unknown entity (`&nbsp;` is not XML) or a
//! `<!DOCTYPE>` (which could declare entities) stops the read with the
//! line of the fault ([`XmlError`]). Names are kept without their
//! namespace prefix (QTI files may write `<qti:qti-value>` or use a
//! default namespace; Moodle files use none). Limits on depth and element
//! count keep a hostile file from costing more than its size.
//!
//! quick-xml (0.38 on) reports `&…;` references as events of their own
//! (`Event::GeneralRef`) between text events; they are resolved here,
//! predefined and character references only.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The deepest nesting read.
const MAX_DEPTH: usize = 200;
/// The most elements read from one file.
const MAX_ELEMENTS: usize = 500_000;

/// An element: its local name, attributes (local names, values unescaped),
/// children and the line its start tag is on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub line: usize,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    /// Character data (text or CDATA), references resolved.
    Text(String),
}

/// Why a text is not well-formed XML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub line: usize,
    pub message: String,
}

impl Element {
    /// The value of the attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Every child element named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// Every element below this one (not itself) named `name`, in document
    /// order.
    pub fn descendants<'a>(&'a self, name: &'a str) -> Vec<&'a Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            if e.name == name {
                out.push(e);
            }
            let mut kids: Vec<&Element> = e.elements().collect();
            kids.reverse();
            stack.extend(kids);
        }
        out
    }

    /// All the text inside, in order, with no markup.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The text of the child `name`, trimmed (Moodle's `getpath(…, true)`).
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(|e| e.text().trim().to_string())
    }

    /// The children written back as XML (for content that is XHTML, such
    /// as a QTI item body), each text escaped again.
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            write_node(n, &mut out);
        }
        out
    }
}

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => out.push_str(&escape_text(t)),
        Node::Element(e) => {
            out.push('<');
            out.push_str(&e.name);
            for (n, v) in &e.attrs {
                out.push_str(&format!(" {n}=\"{}\"", escape_attr(v)));
            }
            if e.children.is_empty() {
                out.push_str("/>");
            } else {
                out.push('>');
                for c in &e.children {
                    write_node(c, out);
                }
                out.push_str(&format!("</{}>", e.name));
            }
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads `text` (a UTF-8 byte-order mark is skipped) as one root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let fail = |offset: u64, message: String| XmlError {
        line: line_at(text, usize::try_from(offset).unwrap_or(usize::MAX)),
        message,
    };
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| fail(reader.error_position(), e.to_string()))?;
        let line = || line_at(text, usize::try_from(before).unwrap_or(usize::MAX));
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() && stack.is_empty() => {
                let _ = start;
                return Err(fail(before, "a second root element".into()));
            }
            Event::Start(start) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(fail(
                        before,
                        "too many or too deeply nested elements".into(),
                    ));
                }
                stack.push(element(&start, line()).map_err(|m| fail(before, m))?);
            }
            Event::Empty(start) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(fail(before, "too many elements".into()));
                }
                let e = element(&start, line()).map_err(|m| fail(before, m))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(e)),
                    None => root = Some(e),
                }
            }
            Event::End(_) => {
                // quick-xml checks that the name matches the start tag.
                let Some(done) = stack.pop() else {
                    return Err(fail(before, "a closing tag with no opening tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(done)),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                push_text(&mut stack, &s, root.is_some()).map_err(|m| fail(before, m))?;
            }
            Event::CData(t) => {
                let s = t.xml10_content();
                push_text(&mut stack, &s, root.is_some()).map_err(|m| fail(before, m))?;
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => {
                            return Err(fail(
                                before,
                                format!("unknown entity &{other}; (XML knows only &lt; &gt; &amp; &apos; &quot; and numbers)"),
                            ))
                        }
                    },
                    Err(e) => return Err(fail(before, e.to_string())),
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]), root.is_some())
                    .map_err(|m| fail(before, m))?;
            }
            Event::DocType(_) => {
                return Err(fail(before, "a <!DOCTYPE> is not accepted".into()));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            line: open.line,
            message: format!("<{}> is never closed", open.name),
        });
    }
    root.ok_or_else(|| XmlError {
        line: 1,
        message: "no element at all".into(),
    })
}

/// Adds text to the element being read; outside the root only white space
/// may stand.
fn push_text(stack: &mut [Element], s: &str, after_root: bool) -> Result<(), String> {
    match stack.last_mut() {
        Some(e) => {
            if let Some(Node::Text(last)) = e.children.last_mut() {
                last.push_str(s);
            } else {
                e.children.push(Node::Text(s.to_string()));
            }
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None if after_root => Err("text after the root element".into()),
        None => Err("text before the root element".into()),
    }
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

fn element(start: &BytesStart<'_>, line: usize) -> Result<Element, String> {
    let name = local(start.name().into_inner());
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.into_inner();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        // `xml:lang` keeps its prefix: it is not a namespace of the format.
        let key = if key.starts_with("xml:") {
            key.to_string()
        } else {
            local(key)
        };
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        line,
    })
}

/// `t` escaped for element content.
pub fn escape_text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// `t` escaped for a double-quoted attribute value.
pub fn escape_attr(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Characters XML 1.0 allows in a document (control characters other than
/// tab and line ends cannot be written at all, even as references).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_elements_text_references_and_lines() {
        let root = parse(
            "\u{feff}<?xml version=\"1.0\"?>\n<quiz>\n  <!-- c -->\n  <q type=\"a&amp;b\" xml:lang=\"vi\">x &lt; &#7897; <![CDATA[<b>&amp;</b>]]></q>\n<x:e/></quiz>",
        )
        .unwrap();
        assert_eq!(root.name, "quiz");
        let q = root.child("q").unwrap();
        assert_eq!(q.line, 4);
        assert_eq!(q.attr("type"), Some("a&b"));
        assert_eq!(q.attr("xml:lang"), Some("vi"));
        assert_eq!(q.text(), "x < ộ <b>&amp;</b>");
        assert_eq!(root.elements().nth(1).unwrap().name, "e");
        assert_eq!(q.inner_xml(), "x &lt; ộ &lt;b&gt;&amp;amp;&lt;/b&gt;");
    }

    #[test]
    fn malformed_xml_names_its_line() {
        let cases = [
            ("<a>\n<b>\n</a>", 3),
            ("<a>\n<b>", 2),
            ("<a>&nbsp;</a>", 1),
            ("<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a/>", 1),
            ("<a/>\n<b/>", 2),
            ("", 1),
            ("text", 1),
        ];
        for (text, line) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e:?}");
        }
    }

    proptest! {
        /// Any text escaped and read back is the same text (less the
        /// characters XML cannot hold).
        #[test]
        fn escaped_text_reads_back(s in "\\PC{0,40}", a in "\\PC{0,20}") {
            let xml = format!("<r a=\"{}\">{}</r>", escape_attr(&a), escape_text(&s));
            let root = parse(&xml).unwrap();
            let keep = |t: &str| t.chars().filter(|&c| is_xml_char(c)).collect::<String>();
            prop_assert_eq!(root.text(), keep(&s));
            prop_assert_eq!(root.attr("a").unwrap_or(""), keep(&a));
        }

        /// Parsing never panics, whatever the bytes.
        #[test]
        fn any_text_parses_or_fails_cleanly(s in "[<>/a-z=\"&;# \n!\\[\\]-]{0,60}") {
            if let Err(e) = parse(&s) {
                prop_assert!(e.line >= 1 && e.line <= s.lines().count().max(1) + 1);
            }
        }
    }
}
