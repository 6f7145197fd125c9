//! Serving the client that Trunk built.
//!
//! Policy: files are served from the dist folder with their precompressed
//! `.br` / `.gz` siblings when the browser accepts them (written by
//! `make build`, so no request pays for compression). Any other path that is
//! not a file gets `index.html`, so the client's router handles deep links.
//! Trunk puts a content hash in asset names: those are cached for a year as
//! immutable; everything else (above all `index.html`) must be revalidated.

use std::path::Path;

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::Response,
    Router,
};
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
    Router::new()
        .fallback_service(files)
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

/// True for names like `lophoc-1a2b3c4d5e6f7a8b_bg.wasm` or
/// `style-0123456789abcdef.css`: a run of at least 16 hex digits after a dash.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split(['-', '.', '_'])
        .any(|part| part.len() >= 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
        && name.contains('-')
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/lophoc-a1b2c3d4e5f60718_bg.wasm"));
        assert!(is_hashed_asset("/lophoc-a1b2c3d4e5f60718.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/courses/can-bo-co-so"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
    }
}
