//! App-wide state, each provided once in `app.rs` as a context and read
//! with its `use_*` helper.

pub mod i18n;
pub mod offline_login;
pub mod session;
