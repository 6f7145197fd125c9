//! What protects the browser's session beyond the cookie itself: the
//! server's own origin, refusing cross-site requests, the session cookie's
//! name and flags, and HSTS.
//!
//! Policy (the README's "What protects what" says it for centre staff):
//!
//! - **Cross-site requests.** Every request that can change something (any
//!   method but GET, HEAD and OPTIONS) and every WebSocket upgrade must come
//!   from a page of this server: a `Sec-Fetch-Site` other than
//!   `same-origin` (or `none`, typed by the user) is refused, and so is an
//!   `Origin` other than the server's own. The own origin is `--public-url`
//!   when given; otherwise the request's `Host` under either scheme, which
//!   is what a classroom server reached at `http://192.168.1.10:8080` sees.
//!   A request with neither header does not come from a browser page (a
//!   script with its own cookie jar gains nothing from another site) and is
//!   let through. This holds for routes without a JSON body too (logout, a
//!   password reset, uploads, zip imports), which `SameSite=Lax` alone
//!   would leave to the browser's good will.
//! - **Cookie.** Served over HTTPS (`--public-url https://…`) the session
//!   cookie is `__Host-lophoc_session` with `Secure`: the browser never
//!   sends it over plain HTTP, and no sub-domain can set or shadow it;
//!   `Strict-Transport-Security` tells the browser to come back over HTTPS
//!   only. On a plain-HTTP classroom network the cookie is `lophoc_session`
//!   without `Secure` (a `Secure` cookie would never be stored there).

use std::{str::FromStr, sync::Arc};

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::error::HttpError;

/// The session cookie on plain HTTP.
pub const SESSION_COOKIE: &str = "lophoc_session";
/// The session cookie over HTTPS: the `__Host-` prefix makes the browser
/// accept it only with `Secure`, `Path=/` and no `Domain`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-lophoc_session";
/// How long browsers remember to use HTTPS only (one year).
const HSTS: &str = "max-age=31536000";

/// The server's own address and the protections that depend on it. One per
/// server, shared by every request.
#[derive(Default)]
pub struct Security {
    /// `scheme://host[:port]`, lower case, when `--public-url` was given.
    public_origin: Option<String>,
    /// Reverse proxies on other machines whose `X-Forwarded-For` names the
    /// client (`--trusted-proxy`; one on this machine always does).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Security {
    /// The protections for a server reached at `public_url` (its origin:
    /// `https://lophoc.example.vn`, no path), or at whatever address the
    /// browser used when `None`.
    pub fn new(public_url: Option<&str>) -> Result<Security, String> {
        let public_origin = public_url.map(parse_origin).transpose()?;
        Ok(Security {
            public_origin,
            trusted_proxies: Vec::new(),
        })
    }

    /// The same, trusting `X-Forwarded-For` from these proxies too.
    pub fn trusting(mut self, proxies: Vec<std::net::IpAddr>) -> Security {
        self.trusted_proxies = proxies;
        self
    }

    /// True when served over HTTPS: secure cookie, HSTS.
    pub fn https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }

    /// The name of the session cookie.
    pub fn cookie_name(&self) -> &'static str {
        if self.https() {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }

    /// The `Set-Cookie` value carrying `token` for `max_age` seconds (0
    /// deletes the cookie).
    pub fn session_cookie(&self, token: &str, max_age: i64) -> Result<HeaderValue, HttpError> {
        let secure = if self.https() { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            self.cookie_name()
        ))
        .map_err(|e| HttpError::Internal(e.to_string()))
    }

    /// The session token the request carries, if any.
    pub fn session_token<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        cookie(headers, self.cookie_name())
    }

    /// Whether a request with these headers may change something: see the
    /// module policy. `Err` says why not, for the log.
    pub fn check_same_origin(&self, headers: &HeaderMap) -> Result<(), String> {
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .map(|v| v.to_str().unwrap_or("(not text)").to_ascii_lowercase())
        };
        if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
            if site != "same-origin" && site != "none" {
                return Err(format!("Sec-Fetch-Site: {site}"));
            }
        }
        let Some(origin) = text(header::ORIGIN) else {
            return Ok(());
        };
        let own = match &self.public_origin {
            Some(own) => origin == *own,
            None => {
                let host = text(header::HOST).unwrap_or_default();
                !host.is_empty()
                    && (origin == format!("http://{host}") || origin == format!("https://{host}"))
            }
        };
        if own {
            Ok(())
        } else {
            Err(format!("Origin: {origin}"))
        }
    }
}

/// `scheme://host[:port]` of a `--public-url`, lower case; anything else
/// (a path, a query, user info, another scheme) is refused with a reason.
pub fn parse_origin(url: &str) -> Result<String, String> {
    let uri = Uri::from_str(url.trim()).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
    let Some(scheme @ ("http" | "https")) = scheme.as_deref() else {
        return Err(format!(
            "{url:?}: the public URL starts with https:// (or http://)"
        ));
    };
    let Some(authority) = uri.authority() else {
        return Err(format!("{url:?} has no host"));
    };
    if authority.as_str().contains('@') {
        return Err(format!("{url:?}: no user name in the public URL"));
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return Err(format!(
            "{url:?}: Lophoc is served at the root of its address, without a path"
        ));
    }
    let authority = authority.as_str().to_ascii_lowercase();
    // The default port is not written in an Origin header.
    let authority = match (scheme, authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host.to_string(),
        _ => authority,
    };
    Ok(format!("{scheme}://{authority}"))
}

fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Middleware: refuses a request that can change something, or opens a
/// WebSocket, unless it comes from a page of this server (module policy).
pub async fn refuse_cross_site(
    State(security): State<Arc<Security>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe && !is_websocket_upgrade(request.headers()) {
        return next.run(request).await;
    }
    match security.check_same_origin(request.headers()) {
        Ok(()) => next.run(request).await,
        Err(reason) => {
            tracing::warn!(
                method = %request.method(),
                path = request.uri().path(),
                reason,
                "cross-site request refused"
            );
            HttpError::CrossSite.into_response()
        }
    }
}

/// Middleware: `Strict-Transport-Security` on every answer when served over
/// HTTPS.
pub async fn strict_transport(
    State(security): State<Arc<Security>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    if security.https() {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// The value of the cookie `name` in a request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn public_urls_become_origins() {
        assert_eq!(
            parse_origin("https://Lophoc.Example.vn/").unwrap(),
            "https://lophoc.example.vn"
        );
        assert_eq!(
            parse_origin("https://lophoc.example.vn:443").unwrap(),
            "https://lophoc.example.vn"
        );
        assert_eq!(
            parse_origin("https://localhost:8443").unwrap(),
            "https://localhost:8443"
        );
        assert_eq!(
            parse_origin("http://192.168.1.10:8080").unwrap(),
            "http://192.168.1.10:8080"
        );
        for bad in [
            "lophoc.example.vn",
            "ftp://lophoc.example.vn",
            "https://lophoc.example.vn/lophoc",
            "https://a@lophoc.example.vn",
            "https://lophoc.example.vn/?x=1",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn without_a_public_url_the_host_is_the_origin() {
        let security = Security::default();
        let check = |pairs| security.check_same_origin(&headers(pairs));
        assert!(check(&[("host", "192.168.1.10:8080")]).is_ok(), "no Origin");
        assert!(check(&[
            ("host", "192.168.1.10:8080"),
            ("origin", "http://192.168.1.10:8080")
        ])
        .is_ok());
        assert!(check(&[
            ("host", "lophoc.example.vn"),
            ("origin", "https://lophoc.example.vn"),
            ("sec-fetch-site", "same-origin")
        ])
        .is_ok());
        assert!(check(&[
            ("host", "192.168.1.10:8080"),
            ("origin", "http://evil.example")
        ])
        .is_err());
        assert!(check(&[("host", "192.168.1.10:8080"), ("origin", "null")]).is_err());
        assert!(
            check(&[("origin", "http://192.168.1.10:8080")]).is_err(),
            "no Host"
        );
        assert!(check(&[
            ("host", "192.168.1.10:8080"),
            ("sec-fetch-site", "cross-site")
        ])
        .is_err());
        assert!(check(&[
            ("host", "192.168.1.10:8080"),
            ("origin", "http://192.168.1.10:8080"),
            ("sec-fetch-site", "same-site")
        ])
        .is_err());
    }

    #[test]
    fn with_a_public_url_only_it_is_the_origin() {
        let security = Security::new(Some("https://lophoc.example.vn")).unwrap();
        let check = |pairs| security.check_same_origin(&headers(pairs));
        assert!(check(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://lophoc.example.vn")
        ])
        .is_ok());
        // A proxy that rewrites Host changes nothing; plain HTTP is not it.
        assert!(check(&[
            ("host", "lophoc.example.vn"),
            ("origin", "http://lophoc.example.vn")
        ])
        .is_err());
    }

    #[test]
    fn the_cookie_is_secure_and_host_only_over_https() {
        let plain = Security::default();
        let cookie = plain.session_cookie("abc", 60).unwrap();
        assert_eq!(
            cookie,
            "lophoc_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        let tls = Security::new(Some("https://lophoc.example.vn")).unwrap();
        let cookie = tls.session_cookie("abc", 60).unwrap();
        assert_eq!(
            cookie,
            "__Host-lophoc_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        // Each reads only its own cookie.
        let sent = headers(&[("cookie", "lophoc_session=plain; __Host-lophoc_session=tls")]);
        assert_eq!(plain.session_token(&sent), Some("plain"));
        assert_eq!(tls.session_token(&sent), Some("tls"));
        let lookalike = headers(&[("cookie", "lophoc_sessionx=abc")]);
        assert_eq!(plain.session_token(&lookalike), None);
    }
}
