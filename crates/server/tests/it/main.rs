//! The server's integration tests, one module per area, linked once: one
//! test binary instead of one per file saves a link of the whole server
//! (and its dependencies) per area, which on two cores is most of the
//! time `cargo test` spends before running anything.
//!
//! `tests/blocking.rs` stays a binary of its own: it holds the server's
//! process-wide image-decoding permit and counts who waits for it, which
//! the other modules' image uploads would disturb if they ran beside it.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod adversary;
mod api;
mod authoring;
mod authz;
mod bank;
mod branching;
mod classes;
mod cli;
mod content;
mod copy;
mod instances;
mod live;
mod ownership;
mod problems;
mod questions;
mod security;
mod shutdown;
mod sync;
mod xlsx;
