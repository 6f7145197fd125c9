//! A QR code drawn as SVG, for joining a live session from a phone camera.
//!
//! Policy: encoded by the `qrcode` crate without its image features (only
//! the matrix), drawn here as one SVG path of unit squares with the
//! standard four-module quiet zone, black on white whatever the theme, so
//! every camera reads it.

use leptos::prelude::*;
use qrcode::{Color, EcLevel, QrCode};

/// The SVG path of the dark modules of `text`'s QR code, and the side of
/// the drawing in modules (quiet zone included).
pub fn qr_path(text: &str) -> Option<(String, usize)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((path, width + 8))
}

/// The QR code of `text`, labelled for screen readers by `label`.
#[component]
pub fn JoinQr(text: String, label: String) -> impl IntoView {
    qr_path(&text).map(|(path, side)| {
        view! {
            <svg class="qr" role="img" aria-label=label viewBox=format!("0 0 {side} {side}")
                shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                <rect width=side.to_string() height=side.to_string() fill="#fff"/>
                <path d=path fill="#000"/>
            </svg>
        }
    })
}
