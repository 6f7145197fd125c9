//! Serving the client that Trunk built.
//!
//! Policy: files are served from the dist folder with their precompressed
//! `.br` / `.gz` siblings when the browser accepts them (written by
//! `make build`, so no request pays for compression). Any other path that is
//! not a file gets `index.html`, so the client's router handles deep links.
//! The staff pages (`lophoc_core::api::STAFF_PAGES`) get `staff/index.html`
//! instead when it was built: the client build with the lecturers' pages,
//! which trainees' phones never download.
//! Trunk puts a content hash in asset names: those are cached for a year as
//! immutable; everything else (above all `index.html`) must be revalidated.
//!
//! Every page (any `text/html` answer) carries a Content-Security-Policy
//! made from the built documents themselves ([`DocumentPolicy`]): scripts
//! only from this server plus the exact inline scripts of `index.html` and
//! `staff/index.html` by their SHA-256 (Trunk's start script, the start-up
//! screen's, the group list `scripts/split-wasm.sh` writes), WebAssembly
//! compiled from those (`'wasm-unsafe-eval'`), no plugins, no framing by
//! another site. The hashes are read from the files when the router is
//! built and again whenever a file changes (a `make client` while the
//! server runs), so the policy cannot drift from what is served.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::SystemTime,
};

use axum::extract::FromRequestParts;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use base64::Engine;
use lophoc_core::{
    api::is_staff_page,
    i18n::{Lang, LANG_COOKIE},
};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::{auth::AuthUser, document, AppState};

pub fn router(dist_dir: &Path) -> Router<AppState> {
    let index = ServeFile::new(dist_dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    let staff_index = dist_dir.join("staff").join("index.html");
    let staff = staff_index.is_file().then(|| {
        ServeFile::new(staff_index)
            .precompressed_br()
            .precompressed_gzip()
    });
    let shell = dist_dir.join("index.html");
    Router::new()
        .fallback(
            move |State(state): State<AppState>, request: Request| async move {
                match staff {
                    Some(staff) if is_staff_page(request.uri().path()) => {
                        staff.oneshot(request).await.into_response()
                    }
                    _ => match page_document(
                        &state,
                        &shell,
                        request.method(),
                        request.uri().path().to_owned(),
                        request.headers().clone(),
                    )
                    .await
                    {
                        Some(document) => document,
                        None => files.oneshot(request).await.into_response(),
                    },
                }
            },
        )
        .layer(middleware::from_fn(cache_headers))
        // Only what is not precompressed already: the documents with a
        // page in them (files carry their own `Content-Encoding`).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            Arc::new(DocumentPolicy::new(dist_dir)),
            document_headers,
        ))
}

/// The policy of the API's answers: none of them is a page, so one opened
/// directly (an uploaded SVG) runs nothing and cannot be framed.
pub const API_CSP: &str =
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/// Everything but scripts: this server, inline styles (style attributes the
/// app sets), images and sounds also from `blob:` (downloaded courses'
/// media come out of IndexedDB) and `data:`.
const CSP_REST: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// What a built document was when its hashes were read: modification time
/// and size (`None`: missing).
type Stamp = Option<(SystemTime, u64)>;

/// The Content-Security-Policy of the pages, from the inline scripts of
/// the built documents.
pub struct DocumentPolicy {
    documents: [PathBuf; 2],
    /// The documents' stamps, and the policy made from them.
    cached: Mutex<Option<([Stamp; 2], HeaderValue)>>,
}

impl DocumentPolicy {
    /// The policy of the client built in `dist_dir`.
    pub fn new(dist_dir: &Path) -> DocumentPolicy {
        DocumentPolicy {
            documents: [
                dist_dir.join("index.html"),
                dist_dir.join("staff").join("index.html"),
            ],
            cached: Mutex::new(None),
        }
    }

    /// The policy for the documents as they are now on disk.
    pub fn header(&self) -> HeaderValue {
        let times = self.documents.each_ref().map(|p| {
            std::fs::metadata(p)
                .and_then(|m| Ok((m.modified()?, m.len())))
                .ok()
        });
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((at, value)) = cached.as_ref() {
            if *at == times {
                return value.clone();
            }
        }
        let pages: Vec<String> = self
            .documents
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        let policy = document_csp(&pages.iter().map(String::as_str).collect::<Vec<_>>());
        let value = HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static(CSP_FALLBACK));
        *cached = Some((times, value.clone()));
        value
    }
}

/// Without any inline script allowed (never used: a policy made of hashes
/// and fixed words is always a valid header).
const CSP_FALLBACK: &str =
    "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; frame-ancestors 'none'";

/// The policy allowing the inline scripts of `pages` and nothing else
/// inline.
pub fn document_csp(pages: &[&str]) -> String {
    let mut hashes: Vec<String> = pages.iter().flat_map(|p| inline_script_hashes(p)).collect();
    hashes.sort();
    hashes.dedup();
    let mut scripts = String::from("script-src 'self' 'wasm-unsafe-eval'");
    for hash in hashes {
        scripts.push_str(" '");
        scripts.push_str(&hash);
        scripts.push('\'');
    }
    format!("{CSP_REST}; {scripts}")
}

/// `sha256-<base64>` of the text of every `<script>` without `src` in
/// `html`, as browsers hash it for a policy.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let open = at + found;
        let Some(tag_end) = lower[open..].find('>').map(|e| open + e) else {
            break;
        };
        let tag = &lower[open..tag_end];
        let Some(close) = lower[tag_end..].find("</script").map(|e| tag_end + e) else {
            break;
        };
        let external = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attribute| attribute.starts_with("src="));
        if !external {
            let text = &html[tag_end + 1..close];
            let digest = Sha256::digest(text.as_bytes());
            out.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        at = close;
    }
    out
}

/// The policy (and `X-Frame-Options` for browsers that predate
/// `frame-ancestors`) on every page this router answers.
async fn document_headers(
    State(policy): State<Arc<DocumentPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if page {
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.header());
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// The shell with the first screen of the page asked for in it
/// (`document.rs`), when it is such a page and the session's user may see
/// it; `None`: serve the files as they are.
async fn page_document(
    state: &AppState,
    shell: &Path,
    method: &axum::http::Method,
    path: String,
    headers: axum::http::HeaderMap,
) -> Option<Response> {
    if method != axum::http::Method::GET || !document::may_draw(&path) {
        return None;
    }
    let lang = crate::security::cookie(&headers, LANG_COOKIE)
        .and_then(Lang::from_code)
        .unwrap_or(Lang::Vi);
    let (mut parts, ()) = Request::new(()).into_parts();
    parts.headers = headers;
    let user = AuthUser::from_request_parts(&mut parts, state)
        .await
        .ok()
        .map(|AuthUser(user)| user);
    let page = match document::page(state, user.as_ref(), lang, &path).await {
        Ok(page) => page?,
        Err(error) => {
            tracing::warn!("no first screen in the document of {path}: {error:?}");
            return None;
        }
    };
    let shell = tokio::fs::read_to_string(shell).await.ok()?;
    let html = document::fill_shell(&shell, &page, lang, user.is_some())?;
    Some(
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-cache"),
                (header::VARY, "Cookie"),
            ],
            html,
        )
            .into_response(),
    )
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        // Set by the answer itself (a page with one user's content).
        return response;
    }
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// True for names like `lophoc-1a2b3c4d5e6f7a8b_bg.wasm`,
/// `lophoc-1a2b3c4d5e6f7a8b-split_learning.wasm` or
/// `style-0123456789abcdef.css`: a run of at least 12 hex digits after a
/// dash (Trunk's hashes are 16 digits without leading zeros).
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split(['-', '.', '_'])
        .any(|part| part.len() >= 12 && part.bytes().all(|b| b.is_ascii_hexdigit()))
        && name.contains('-')
}

/// A file to download: `content_type`, saved as `file_name` (ASCII: an id or
/// a fixed Vietnamese-free name; the header refuses anything else, which
/// answers 500 rather than a mangled name).
pub fn attachment(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{document_csp, inline_script_hashes, is_hashed_asset};

    /// The hashes are those browsers compute (the example of CSP Level 3,
    /// `<script>alert('Hello, world.');</script>`), of inline scripts only.
    #[test]
    fn inline_scripts_are_hashed_as_browsers_do() {
        let html = "<head><SCRIPT>alert('Hello, world.');</SCRIPT>\
            <script type=\"module\" src=\"/app.js\"></script>\
            <script type=\"module\">\nimport x from './x.js';\n</script></head>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2, "{hashes:?}");
        assert_eq!(
            hashes[0],
            "sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
        );
        let policy = document_csp(&[html, html]);
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        for part in [
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
        ] {
            assert!(policy.contains(part), "{part} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline'; script"), "{policy}");
    }

    /// The repository's index.html has its start-up script, hashed.
    #[test]
    fn the_source_index_has_one_inline_script() {
        let index = include_str!("../../../index.html");
        assert_eq!(inline_script_hashes(index).len(), 1);
        let staff = include_str!("../../../staff.html");
        assert_eq!(inline_script_hashes(staff).len(), 0);
    }

    /// Every block of the stylesheet is closed: one missing `}` once put
    /// every rule after the print styles inside `@media print`, unseen on
    /// screen.
    #[test]
    fn the_stylesheet_closes_every_block() {
        let css = include_str!("../../../public/style.css");
        let mut depth = 0_i32;
        let mut in_comment = false;
        let mut chars = css.chars().peekable();
        let mut line = 1;
        while let Some(c) = chars.next() {
            match c {
                '\n' => line += 1,
                '/' if !in_comment && chars.peek() == Some(&'*') => {
                    chars.next();
                    in_comment = true;
                }
                '*' if in_comment && chars.peek() == Some(&'/') => {
                    chars.next();
                    in_comment = false;
                }
                '{' if !in_comment => depth += 1,
                '}' if !in_comment => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "a `}}` without its `{{` at line {line}");
            // Only @media/@supports blocks nest, and only one deep here.
            assert!(depth <= 2, "blocks nested {depth} deep at line {line}");
        }
        assert_eq!(depth, 0, "blocks left open at the end of style.css");
    }

    /// The welcome `index.html` shows before the app starts is the home
    /// page's, word for word, from the catalogue.
    #[test]
    fn the_start_up_welcome_is_the_catalogue_s() {
        use lophoc_core::i18n::{Lang, Msg};
        let index = include_str!("../../../index.html");
        for msg in [
            Msg::HomeWelcomeTitle,
            Msg::Tagline,
            Msg::HomeWelcomeBody,
            Msg::NavLogin,
            Msg::LiveJoinEntry,
            Msg::Loading,
            Msg::NavHome,
            Msg::NavSettings,
            Msg::MenuButton,
        ] {
            let text = msg.text(Lang::Vi);
            assert!(!text.contains(['<', '&']), "{text:?} would need escaping");
            assert!(
                index.contains(&format!(">{text}<")),
                "{text:?} is not in index.html"
            );
        }
        let label = Msg::MainNavLabel.text(Lang::Vi);
        assert!(
            index.contains(&format!("aria-label=\"{label}\"")),
            "{label:?}"
        );
    }

    /// The service worker sends the staff build for the same pages as the
    /// server: its `STAFF_PAGE` pattern lists `STAFF_PAGES`.
    #[test]
    fn the_service_worker_knows_the_staff_pages() {
        let sw = include_str!("../../../public/sw.js");
        let line = sw
            .lines()
            .find(|l| l.starts_with("const STAFF_PAGE ="))
            .unwrap_or_default();
        let names = line
            .split_once("(")
            .and_then(|(_, rest)| rest.split_once(")"))
            .map(|(names, _)| names.split('|').collect::<Vec<_>>())
            .unwrap_or_default();
        assert_eq!(names, lophoc_core::api::STAFF_PAGES, "{line}");
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/lophoc-a1b2c3d4e5f60718_bg.wasm"));
        assert!(is_hashed_asset("/lophoc-a1b2c3d4e5f60718.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset(
            "/lophoc-5ca44bb83602f19-split_learning.wasm"
        ));
        assert!(is_hashed_asset(
            "/staff/lophoc-a1b2c3d4e5f60718-chunk_5.wasm"
        ));
        assert!(!is_hashed_asset("/icons/icon-maskable-192.png"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/courses/can-bo-co-so"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
    }
}
