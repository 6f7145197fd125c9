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

use std::path::Path;

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use lophoc_core::api::is_staff_page;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

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
    Router::new()
        .fallback(move |request: Request| async move {
            match staff {
                Some(staff) if is_staff_page(request.uri().path()) => {
                    staff.oneshot(request).await.into_response()
                }
                _ => files.oneshot(request).await.into_response(),
            }
        })
        .layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
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

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

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
