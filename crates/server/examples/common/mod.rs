//! Pieces shared by the load generators (`sync_load`, `live_load`).

use std::time::Duration;

use anyhow::{bail, Context, Result};
use lophoc_core::api::{LoginRequest, User};
use reqwest::{header, Client, StatusCode};

/// Logs in; returns the session cookie (`name=value`) and the user.
pub async fn login(
    client: &Client,
    url: &str,
    username: &str,
    password: &str,
) -> Result<(String, User)> {
    let response = client
        .post(format!("{url}/api/auth/login"))
        .json(&LoginRequest {
            username: username.to_string(),
            password: password.to_string(),
        })
        .send()
        .await
        .context("POST /api/auth/login")?;
    if response.status() != StatusCode::OK {
        bail!("POST /api/auth/login answered {}", response.status());
    }
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()
                .filter(|pair| pair.starts_with("lophoc_session="))
        })
        .map(str::to_owned)
        .context("the login set no lophoc_session cookie")?;
    let user: User = response.json().await.context("the login reply")?;
    Ok((cookie, user))
}

/// Milliseconds, with fractions.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p`-th percentile (nearest rank) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
