//! Images of a lecturer's question bank: what an imported file carries
//! inside it (Moodle's base64 `<file>`s, a QTI package's image files),
//! kept with the bank and written back into exports.
//!
//! Policy:
//!
//! - **Only raster images are kept**: PNG, JPEG, GIF and WebP, recognised
//!   by their first bytes, never by their name. SVG is refused (it can
//!   carry scripts, and the bank serves its files from Lophoc's own
//!   address), as is anything else; the import report says so.
//! - **Named by content**: `<first 20 hex digits of SHA-256>.<ext>`, so
//!   the same image in ten questions is stored once, re-importing a file
//!   changes nothing, and an exported file imports back to the same names.
//! - **Referenced from Markdown** as `/api/bank/media/<name>`, the address
//!   the bank's owner reads it from; exports rewrite it to each format's
//!   own form (`@@PLUGINFILE@@/<name>` in Moodle, a path in the package in
//!   QTI).
//! - **Bounded**: at most [`MAX_MEDIA_BYTES`] per image and
//!   [`MAX_MEDIA_FILES`] images per import.

use lophoc_core::note::ImageRefusal;
use pulldown_cmark::{Event, Options, Parser, Tag};
use sha2::{Digest, Sha256};

/// Where the bank's owner reads a bank image: this, then its name.
pub const MEDIA_URL: &str = "/api/bank/media/";
/// The largest image kept, in bytes.
pub const MAX_MEDIA_BYTES: usize = 2 * 1024 * 1024;
/// The most images one import keeps.
pub const MAX_MEDIA_FILES: usize = 200;

/// An image of the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// `<hash>.<ext>`, see the module doc.
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// The MIME type and extension of an image Lophoc keeps, from its first
/// bytes.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// `bytes` as a bank image, or why it is not kept (for the report's note).
pub fn make(bytes: Vec<u8>) -> Result<Media, ImageRefusal> {
    if bytes.len() > MAX_MEDIA_BYTES {
        return Err(ImageRefusal::TooLarge {
            max_mb: MAX_MEDIA_BYTES / (1024 * 1024),
        });
    }
    let Some((mime, ext)) = sniff(&bytes) else {
        let svg = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).contains("<svg");
        return Err(if svg {
            ImageRefusal::Svg
        } else {
            ImageRefusal::NotAnImage
        });
    };
    let hash = Sha256::digest(&bytes);
    let hex: String = hash.iter().take(10).map(|b| format!("{b:02x}")).collect();
    Ok(Media {
        name: format!("{hex}.{ext}"),
        mime: mime.to_string(),
        bytes,
    })
}

/// True for a name [`make`] gives.
pub fn is_name(name: &str) -> bool {
    let Some((hash, ext)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 20
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && matches!(ext, "png" | "jpg" | "gif" | "webp")
}

/// `markdown` with the destination of every image (`![alt](dest)`)
/// replaced by `f(dest)` where it gives one; others are left as written.
pub fn map_images(markdown: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut spans = Vec::new();
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        if let Event::Start(Tag::Image { .. }) = event {
            if let Some((start, end)) = destination(markdown, range.start, range.end) {
                spans.push((start, end));
            }
        }
    }
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            continue;
        }
        out.push_str(&markdown[at..start]);
        let dest = &markdown[start..end];
        match f(dest) {
            Some(new) => out.push_str(&new.replace(' ', "%20")),
            None => out.push_str(dest),
        }
        at = end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// The byte range of the destination of the inline image written at
/// `start..end` (`![alt](dest "title")`), if it has one.
fn destination(md: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let s = md.get(start..end)?;
    let bytes = s.as_bytes();
    if !s.starts_with("![") {
        return None;
    }
    // The `]` that closes the alt text, skipping escapes and nested brackets.
    let mut depth = 0usize;
    let mut i = 1;
    let close = loop {
        match bytes.get(i)? {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break i;
                }
            }
            _ => {}
        }
        i += 1;
    };
    if bytes.get(close + 1) != Some(&b'(') {
        return None;
    }
    let mut j = close + 2;
    while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
        j += 1;
    }
    if bytes.get(j) == Some(&b'<') {
        let k = s[j..].find('>')?;
        return Some((start + j + 1, start + j + k));
    }
    let mut k = j;
    let mut parens = 0usize;
    while let Some(&b) = bytes.get(k) {
        match b {
            b'\\' => k += 1,
            b'(' => parens += 1,
            b')' if parens == 0 => break,
            b')' => parens -= 1,
            b if b.is_ascii_whitespace() => break,
            _ => {}
        }
        k += 1;
    }
    (k > j).then_some((start + j, start + k.min(bytes.len())))
}

/// The bank images `markdown` shows, by name, in order, once each.
pub fn references(markdown: &str) -> Vec<String> {
    let mut names = Vec::new();
    map_images(markdown, |dest| {
        if let Some(name) = dest.strip_prefix(MEDIA_URL) {
            if is_name(name) && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
        None
    });
    names
}

/// `%xx` escapes decoded (a path written in a URL); invalid ones are kept.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest PNG: a 1×1 image.
    pub(crate) fn png() -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(1, 1)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn images_are_recognised_by_their_bytes_and_named_by_content() {
        let a = make(png()).unwrap();
        assert_eq!(a.mime, "image/png");
        assert!(is_name(&a.name), "{}", a.name);
        assert_eq!(make(png()).unwrap().name, a.name);
        assert_eq!(
            make(b"<svg onload=alert(1)>".to_vec()).unwrap_err(),
            ImageRefusal::Svg
        );
        assert_eq!(
            make(b"%PDF-1.4".to_vec()).unwrap_err(),
            ImageRefusal::NotAnImage
        );
        assert!(make(vec![0xff, 0xd8, 0xff, 0, 0]).is_ok());
        assert!(!is_name("../x.png") && !is_name("abc.png"));
    }

    #[test]
    fn image_destinations_are_rewritten() {
        let md = "Xem ![sơ đồ [1]](@@PLUGINFILE@@/so%20do.png \"t\") và ![](<a b.png>) \
                  [link](x.png) ![b](/api/bank/media/0123456789abcdef0123.png)";
        let out = map_images(md, |d| Some(format!("[{d}]")));
        assert_eq!(
            out,
            "Xem ![sơ đồ [1]]([@@PLUGINFILE@@/so%20do.png] \"t\") và ![](<[a%20b.png]>) \
             [link](x.png) ![b]([/api/bank/media/0123456789abcdef0123.png])"
        );
        assert_eq!(references(md), ["0123456789abcdef0123.png"]);
        assert_eq!(percent_decode("so%20do%zz.png"), "so do%zz.png");
    }
}
