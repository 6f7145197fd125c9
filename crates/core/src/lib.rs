//! lophoc-core: the domain types and pure logic that the Lophoc client and
//! server share.
//!
//! Policy: nothing here touches the web, the network or a database, so every
//! function is testable natively and builds unchanged for `wasm32`. The client
//! and the server exchange data only through the wire types in [`api`].

pub mod accounts;
pub mod api;
pub mod assessment;
pub mod authoring;
pub mod classes;
pub mod completion;
pub mod content;
pub mod i18n;
pub mod limits;
pub mod live;
pub mod number;
pub mod progress;
pub mod question;
pub mod stats;
pub mod sync;
pub mod text;
pub mod xapi;
